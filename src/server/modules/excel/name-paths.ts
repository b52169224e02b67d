import type { Queryable } from '../../db/database.ts';

const idsOf = (path: string) => path.split('/').filter(Boolean).map(Number);

/**
 * Turns materialised id paths ('/1/7/42/') into paths of names ('新华区/光明路街道/体育场社区'), the form a
 * person reads and the import accepts. Names are fetched once per unit, in batches.
 */
export class NamePaths {
  readonly q: Queryable;
  private readonly names = new Map<number, string>();

  constructor(q: Queryable) {
    this.q = q;
  }

  /** Fetches the names a batch of paths needs, in one query. */
  async load(paths: Iterable<string | null>): Promise<void> {
    const missing = new Set<number>();
    for (const path of paths) {
      if (!path) continue;
      for (const id of idsOf(path)) if (!this.names.has(id)) missing.add(id);
    }
    if (missing.size === 0) return;
    const rows = await this.q
      .selectFrom('units')
      .select(['id', 'name'])
      .where('id', 'in', [...missing])
      .execute();
    for (const row of rows) this.names.set(row.id, row.name);
  }

  /** The path of names; call `load` first. */
  get(path: string | null): string {
    if (!path) return '';
    return idsOf(path)
      .map((id) => this.names.get(id) ?? String(id))
      .join('/');
  }

  async of(path: string): Promise<string> {
    await this.load([path]);
    return this.get(path);
  }
}
