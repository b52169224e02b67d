import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { GeoJsonPolygon } from '../../geo/polygon.ts';
import type { GridDetailDto, GridSummaryDto } from './grids.schema.ts';

type GridQuery = DB & { u: DB['units']; c: DB['units']; b: DB['grid_boundaries'] };

/** Grid units in a scope: the one place that turns a grid scope into SQL. */
function gridsInScope(eb: ExpressionBuilder<GridQuery, 'u'>, scope: UnitScope) {
  return eb.and([eb('u.kind', '=', 'grid'), unitCondition(eb, scope, 'u.path', 'u.id')]);
}

function selectGrids(q: Queryable, withBoundary: boolean) {
  return q
    .selectFrom('units as u')
    .leftJoin('units as c', 'c.id', 'u.parent_id')
    .leftJoin('grid_boundaries as b', 'b.unit_id', 'u.id')
    .select((eb) => [
      'u.id',
      'u.name',
      'u.code',
      'u.parent_id',
      'u.phone',
      'u.address',
      'u.active',
      'c.name as community_name',
      'b.updated_at as boundary_updated_at',
      'b.area',
      (withBoundary ? sql<unknown>`${sql.ref('b.geojson')}` : sql<unknown>`NULL`).as('geojson'),
      eb
        .selectFrom('unit_posts as p')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('p.unit_id', '=', 'u.id')
        .as('post_count'),
    ]);
}

type GridRow = {
  id: number;
  name: string;
  code: string | null;
  parent_id: number | null;
  phone: string | null;
  address: string | null;
  active: boolean;
  community_name: string | null;
  boundary_updated_at: Date | string | null;
  area: number | null;
  geojson: unknown;
  post_count: number | string | null;
};

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Parsed by both drivers as an object; a text value (should a driver hand one back) is parsed here. */
const asPolygon = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as GeoJsonPolygon | null;

function presentSummary(r: GridRow, withBoundary: boolean): GridSummaryDto {
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    communityId: r.parent_id,
    communityName: r.community_name,
    phone: r.phone,
    active: r.active,
    postCount: Number(r.post_count ?? 0),
    hasBoundary: r.boundary_updated_at !== null,
    boundaryUpdatedAt: iso(r.boundary_updated_at),
    ...(withBoundary ? { boundary: asPolygon(r.geojson) } : {}),
  };
}

function presentDetail(r: GridRow): GridDetailDto {
  return {
    ...presentSummary(r, false),
    address: r.address,
    boundary: asPolygon(r.geojson),
    areaSquareMetres: r.area === null ? null : Number(r.area),
  };
}

export async function findGridInScope(q: Queryable, id: number, scope: UnitScope, withBoundary = true) {
  const row = await selectGrids(q, withBoundary)
    .where('u.id', '=', id)
    .where((eb) => gridsInScope(eb, scope))
    .executeTakeFirst();
  return row ? presentDetail(row as GridRow) : null;
}

/** The grid unit's identity for writes, locked against a concurrent move, or null when out of scope. */
export async function lockGridInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('units as u')
    .select(['u.id', 'u.name', 'u.path'])
    .where('u.id', '=', id)
    .where((eb) => eb.and([eb('u.kind', '=', 'grid'), unitCondition(eb, scope, 'u.path', 'u.id')]))
    .forUpdate()
    .executeTakeFirst();
}

export interface GridFilter {
  withinPath?: string | undefined;
  q?: string | undefined;
}

function applyFilter<O>(query: SelectQueryBuilder<GridQuery, 'u' | 'c' | 'b', O>, filter: GridFilter) {
  let out = query;
  if (filter.withinPath !== undefined) out = out.where('u.path', 'like', `${escapeLike(filter.withinPath)}%`);
  if (filter.q) out = out.where('u.name', 'ilike', `%${escapeLike(filter.q)}%`);
  return out;
}

export async function listGrids(
  q: Queryable,
  scope: UnitScope,
  filter: GridFilter,
  withBoundary: boolean,
  page: number,
  pageSize: number,
) {
  const rows = await applyFilter(
    selectGrids(q, withBoundary).where((eb) => gridsInScope(eb, scope)),
    filter,
  )
    .orderBy('c.sort_order')
    .orderBy('c.id')
    .orderBy('u.sort_order')
    .orderBy('u.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const count = await applyFilter(
    q
      .selectFrom('units as u')
      .leftJoin('units as c', 'c.id', 'u.parent_id')
      .leftJoin('grid_boundaries as b', 'b.unit_id', 'u.id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => gridsInScope(eb, scope)),
    filter,
  ).executeTakeFirstOrThrow();
  return { items: rows.map((r) => presentSummary(r as GridRow, withBoundary)), total: Number(count.n) };
}

export interface BoundaryRow {
  geojson: GeoJsonPolygon;
  outline: string;
  holes: string[];
  area: number;
}

export async function upsertBoundary(q: Queryable, unitId: number, boundary: BoundaryRow) {
  const holes =
    boundary.holes.length === 0
      ? sql`'{}'::polygon[]`
      : sql`ARRAY[${sql.join(boundary.holes.map((h) => sql`${h}::polygon`))}]::polygon[]`;
  await sql`INSERT INTO grid_boundaries (unit_id, geojson, outline, holes, area, updated_at)
            VALUES (${unitId}, ${JSON.stringify(boundary.geojson)}::jsonb, ${boundary.outline}::polygon, ${holes},
                    ${boundary.area}, now())
            ON CONFLICT (unit_id) DO UPDATE
              SET geojson = EXCLUDED.geojson, outline = EXCLUDED.outline, holes = EXCLUDED.holes,
                  area = EXCLUDED.area, updated_at = now()`.execute(q);
}

export async function deleteBoundary(q: Queryable, unitId: number): Promise<boolean> {
  const result = await q.deleteFrom('grid_boundaries').where('unit_id', '=', unitId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** PostgreSQL's geometric comparisons treat points within 1e-6 of each other as equal. */
const EDGE_TOLERANCE = 1e-6;

/**
 * The active grid whose boundary holds the point: the first `@>` on a one-point polygon is what the GiST
 * index on `outline` can answer, the second is the exact test; points strictly inside a hole are out.
 * Points on an edge (of the outer ring or of a hole) count as inside, within PostgreSQL's tolerance of
 * 1e-6° (about 0.1 m); so on a shared border, or where boundaries overlap, the smallest grid wins.
 */
export async function locateGrid(q: Queryable, lng: number, lat: number) {
  const point = sql`point(${lng}::float8, ${lat}::float8)`;
  const { rows } = await sql<{
    id: number;
    name: string;
    community_id: number | null;
    community_name: string | null;
  }>`SELECT u.id, u.name, c.id AS community_id, c.name AS community_name
     FROM grid_boundaries b
     JOIN units u ON u.id = b.unit_id
     LEFT JOIN units c ON c.id = u.parent_id
     WHERE b.outline @> polygon(box(${point}, ${point}))
       AND b.outline @> ${point}
       AND NOT EXISTS (SELECT 1 FROM unnest(b.holes) AS h (hole)
                       WHERE h.hole @> ${point} AND ${point} <-> path(h.hole) > ${EDGE_TOLERANCE}::float8)
       AND u.kind = 'grid' AND u.active
     ORDER BY b.area, u.id
     LIMIT 1`.execute(q);
  const row = rows[0];
  return row ? { id: row.id, name: row.name, communityId: row.community_id, communityName: row.community_name } : null;
}
