import { sql } from 'kysely';
import type { UnitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';

export interface ResolvedUnit {
  id: number;
  kind: UnitKind;
  path: string;
  depth: number;
}

/** A reference as written in a cell: a code, or a path of names separated by "/". */
export function splitNamePath(ref: string): string[] {
  return ref
    .split(/[/／]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function normaliseRef(ref: string): string {
  return splitNamePath(ref).join('/');
}

const COLUMNS = ['id', 'kind', 'path', 'depth'] as const;

/**
 * Resolves unit references of an import inside its transaction, so units created by earlier rows of the
 * same file are found. A reference without "/" is tried as a code first. A path of names starts at a root
 * of the tree or, for an actor whose scope is a subtree, at one of their own top units
 * (e.g. "光明路街道/体育场社区" for a street administrator). Whether the actor may use the unit is decided
 * by the service that receives it, so an out-of-scope unit reads the same as a missing one.
 */
export class UnitResolver {
  readonly q: Queryable;
  readonly scope: UnitScope;
  /** Only hits are kept: a later row may create what an earlier lookup missed. */
  private readonly found = new Map<string, ResolvedUnit>();
  /** References to units whose own row failed, so their children can say why. */
  private readonly failed = new Map<string, number>();

  constructor(q: Queryable, scope: UnitScope) {
    this.q = q;
    this.scope = scope;
  }

  async resolve(ref: string): Promise<ResolvedUnit | null> {
    const segments = splitNamePath(ref);
    if (segments.length === 0) return null;
    if (segments.length === 1 && !ref.includes('/') && !ref.includes('／')) {
      const byCode = await this.byCode(segments[0]!);
      if (byCode) return byCode;
    }
    let current: ResolvedUnit | null = null;
    for (let i = 0; i < segments.length; i++) {
      const key = `path:${segments.slice(0, i + 1).join('/')}`;
      const cached = this.found.get(key);
      if (cached) {
        current = cached;
        continue;
      }
      const name = segments[i]!;
      const next: ResolvedUnit | null = current ? await this.child(current.id, name) : await this.top(name);
      if (!next) return null;
      this.found.set(key, next);
      current = next;
    }
    return current;
  }

  /** Remembers that the row defining this unit failed (by its code and by its path of names). */
  markFailed(row: number, refs: Array<string | null>) {
    for (const ref of refs) if (ref) this.failed.set(normaliseRef(ref), row);
  }

  failedRow(ref: string): number | undefined {
    return this.failed.get(normaliseRef(ref));
  }

  private async byCode(code: string) {
    const key = `code:${code}`;
    const cached = this.found.get(key);
    if (cached) return cached;
    const unit = await this.q.selectFrom('units').select(COLUMNS).where('code', '=', code).executeTakeFirst();
    if (unit) this.found.set(key, unit);
    return unit ?? null;
  }

  private async child(parentId: number, name: string) {
    const unit = await this.q
      .selectFrom('units')
      .select(COLUMNS)
      .where(sql<number>`coalesce(parent_id, 0)`, '=', parentId)
      .where('name', '=', name)
      .executeTakeFirst();
    return unit ?? null;
  }

  private async top(name: string) {
    const root = await this.q
      .selectFrom('units')
      .select(COLUMNS)
      .where(sql<number>`coalesce(parent_id, 0)`, '=', 0)
      .where('name', '=', name)
      .executeTakeFirst();
    if (root || this.scope.kind !== 'some') return root ?? null;
    const ids = [
      ...this.scope.unitIds,
      ...this.scope.subtreePaths.map((p) => Number(p.split('/').filter(Boolean).at(-1))),
    ];
    if (ids.length === 0) return null;
    const mine = await this.q
      .selectFrom('units')
      .select(COLUMNS)
      .where('id', 'in', ids)
      .where('name', '=', name)
      .limit(2)
      .execute();
    return mine.length === 1 ? mine[0]! : null;
  }
}
