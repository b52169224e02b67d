import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { UnitScope } from '../../access/scope.ts';
import { escapeLike, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB, UnitKind } from '../../db/schema.ts';
import type { UnitDto } from './units.schema.ts';

type UnitRow = {
  id: number;
  parent_id: number | null;
  kind: UnitKind;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  sort_order: number;
  phone: string | null;
  address: string | null;
  description: string | null;
  active: boolean;
  version: number;
  child_count: number;
};

/** Units visible in a scope: the one place that turns a unit scope into SQL for the units table. */
export function unitsInScope(eb: ExpressionBuilder<DB & { u: DB['units'] }, 'u'>, scope: UnitScope) {
  return unitCondition(eb, scope, 'u.path', 'u.id');
}

function selectUnits(q: Queryable) {
  return q
    .selectFrom('units as u')
    .select([
      'u.id',
      'u.parent_id',
      'u.kind',
      'u.name',
      'u.code',
      'u.path',
      'u.depth',
      'u.sort_order',
      'u.phone',
      'u.address',
      'u.description',
      'u.active',
      'u.version',
      (eb) =>
        eb
          .selectFrom('units as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.parent_id', '=', 'u.id')
          .as('child_count'),
    ]);
}

export function presentUnit(r: UnitRow): UnitDto {
  return {
    id: r.id,
    parentId: r.parent_id,
    kind: r.kind,
    name: r.name,
    code: r.code,
    path: r.path,
    depth: r.depth,
    sortOrder: r.sort_order,
    phone: r.phone,
    address: r.address,
    description: r.description,
    active: r.active,
    version: r.version,
    childCount: Number(r.child_count),
  };
}

export async function findUnitInScope(q: Queryable, id: number, scope: UnitScope) {
  const row = await selectUnits(q)
    .where('u.id', '=', id)
    .where((eb) => unitsInScope(eb, scope))
    .executeTakeFirst();
  return row ? presentUnit(row as UnitRow) : null;
}

export async function findUnit(q: Queryable, id: number) {
  return q
    .selectFrom('units')
    .select(['id', 'kind', 'path', 'depth', 'parent_id', 'version', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface UnitFilter {
  parentId?: number | undefined;
  withinPath?: string | undefined;
  kind?: UnitKind | undefined;
  q?: string | undefined;
  rootsOnly?: boolean;
}

function applyFilter<O>(query: SelectQueryBuilder<DB & { u: DB['units'] }, 'u', O>, filter: UnitFilter) {
  let out = query;
  if (filter.parentId !== undefined) out = out.where('u.parent_id', '=', filter.parentId);
  if (filter.withinPath !== undefined) out = out.where('u.path', 'like', `${escapeLike(filter.withinPath)}_%`);
  if (filter.kind) out = out.where('u.kind', '=', filter.kind);
  if (filter.q) out = out.where('u.name', 'ilike', `%${escapeLike(filter.q)}%`);
  if (filter.rootsOnly) out = out.where('u.parent_id', 'is', null);
  return out;
}

export async function listUnits(q: Queryable, scope: UnitScope, filter: UnitFilter, page: number, pageSize: number) {
  const base = selectUnits(q).where((eb) => unitsInScope(eb, scope));
  const rows = await applyFilter(base, filter)
    .orderBy('u.depth')
    .orderBy('u.sort_order')
    .orderBy('u.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const count = await applyFilter(
    q
      .selectFrom('units as u')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => unitsInScope(eb, scope)),
    filter,
  ).executeTakeFirstOrThrow();
  return { items: rows.map((r) => presentUnit(r as UnitRow)), total: Number(count.n) };
}

/** The top units of a scope: the granted units themselves (or the tree's roots for an all-scope). */
export async function scopeRoots(q: Queryable, scope: UnitScope) {
  if (scope.kind === 'none') return [];
  let query = selectUnits(q);
  if (scope.kind === 'all') query = query.where('u.parent_id', 'is', null);
  else {
    const paths = scope.subtreePaths;
    const ids = scope.unitIds;
    query = query.where((eb) =>
      eb.or([
        ...(paths.length ? [eb('u.path', 'in', paths)] : []),
        ...(ids.length ? [eb('u.id', 'in', ids)] : []),
        ...(paths.length || ids.length ? [] : [sql<boolean>`false`]),
      ]),
    );
  }
  const rows = await query.orderBy('u.depth').orderBy('u.sort_order').orderBy('u.id').execute();
  return rows.map((r) => presentUnit(r as UnitRow));
}

export async function ancestorsOf(q: Queryable, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number);
  if (ids.length === 0) return [];
  return q.selectFrom('units').select(['id', 'name', 'kind']).where('id', 'in', ids).orderBy('depth').execute();
}

export async function nextUnitId(q: Queryable): Promise<number> {
  const { rows } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('units', 'id'))::int AS id`.execute(
    q,
  );
  return rows[0]!.id;
}

/** Moves a subtree: rewrites every descendant's path prefix and depth in one statement. */
export async function moveSubtree(q: Queryable, oldPath: string, newPath: string, depthDelta: number) {
  await sql`UPDATE units
            SET path = ${newPath} || substr(path, ${oldPath.length + 1}),
                depth = depth + ${depthDelta},
                updated_at = now()
            WHERE path LIKE ${`${escapeLike(oldPath)}%`}`.execute(q);
}
