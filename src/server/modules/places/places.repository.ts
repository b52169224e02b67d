import { type SqlBool, sql } from 'kysely';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { PLACE_SEARCH_KINDS, type PlaceSearchItem } from './places.schema.ts';
import { type Bounds, bounds, pointOnSurface, union } from './point-on-surface.ts';

/** Kinds that make up an address line (a grid is a unit of work, not part of an address; the city is implied). */
const ADDRESS_KINDS: ReadonlySet<UnitKind> = new Set([
  'district',
  'street',
  'town',
  'community',
  'village',
  'compound',
  'building',
]);

const idsOf = (path: string) => path.split('/').filter(Boolean).map(Number);

/** GeoJSON as either driver hands it back (an object, or text should a driver not parse it). */
const ringsOf = (geojson: unknown): number[][][] => {
  const value = (typeof geojson === 'string' ? JSON.parse(geojson) : geojson) as { coordinates?: number[][][] } | null;
  return value?.coordinates ?? [];
};

/**
 * Places inside the scope whose name matches every word of the text, alone or after its parent's name (so
 * 体育场家属院3号楼 and 家属院 3号楼 both find the building). Each comes with its grid, its community, a
 * point inside its grid to put the pin on, and the area to show; all read in four queries whatever the hits.
 */
export async function searchPlacesInScope(
  q: Queryable,
  scope: UnitScope,
  text: string,
  limit: number,
): Promise<PlaceSearchItem[]> {
  if (scope.kind === 'none') return [];
  const words = text.split(/\s+/).filter(Boolean).slice(0, 5);
  const prefix = `${escapeLike(text)}%`;
  const rows = await q
    .selectFrom('units as u')
    .leftJoin('units as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.name', 'u.kind', 'u.path'])
    .where('u.active', '=', true)
    .where('u.kind', 'in', [...PLACE_SEARCH_KINDS])
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'))
    .where((eb) =>
      eb.and(
        words.map(
          (word) =>
            sql<SqlBool>`(coalesce(p.name, '') || u.name ILIKE ${`%${escapeLike(word)}%`}
                          OR u.address ILIKE ${`%${escapeLike(word)}%`})`,
        ),
      ),
    )
    .orderBy(sql`CASE WHEN u.name ILIKE ${prefix} THEN 0 ELSE 1 END`)
    .orderBy('u.depth')
    .orderBy('u.sort_order')
    .orderBy('u.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];

  const ancestorIds = [...new Set(rows.flatMap((r) => idsOf(r.path)))];
  const ancestors = new Map(
    (await q.selectFrom('units').select(['id', 'name', 'kind']).where('id', 'in', ancestorIds).execute()).map((a) => [
      a.id,
      a,
    ]),
  );
  const chainOf = (path: string) => idsOf(path).flatMap((id) => ancestors.get(id) ?? []);

  const placed = rows.map((row) => {
    const chain = chainOf(row.path);
    const grid = chain.find((u) => u.kind === 'grid') ?? null;
    const community = chain.find((u) => u.kind === 'community' || u.kind === 'village') ?? null;
    return { row, chain, grid, community };
  });

  // Boundaries of the hits' grids, and of every grid of a community that was hit itself.
  const gridIds = [...new Set(placed.flatMap((p) => (p.grid ? [p.grid.id] : [])))];
  const communityIds = [...new Set(placed.flatMap((p) => (p.grid ? [] : p.community ? [p.community.id] : [])))];
  const boundaryRows = await q
    .selectFrom('grid_boundaries as b')
    .innerJoin('units as g', 'g.id', 'b.unit_id')
    .select(['b.unit_id', 'g.parent_id', 'b.geojson'])
    .where((eb) => {
      const ors = [];
      if (gridIds.length) ors.push(eb('b.unit_id', 'in', gridIds));
      if (communityIds.length)
        ors.push(eb.and([eb('g.parent_id', 'in', communityIds), eb('g.kind', '=', 'grid'), eb('g.active', '=', true)]));
      return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
    })
    .execute();
  const gridShape = new Map<number, number[][][]>();
  const communityBounds = new Map<number, Bounds | null>();
  for (const b of boundaryRows) {
    const rings = ringsOf(b.geojson);
    gridShape.set(b.unit_id, rings);
    if (b.parent_id !== null)
      communityBounds.set(b.parent_id, union(communityBounds.get(b.parent_id) ?? null, bounds(rings)));
  }

  return placed.map(({ row, chain, grid, community }) => {
    const above = chain.filter((u) => u.id !== row.id && ADDRESS_KINDS.has(u.kind));
    const addressParts = [...above, ...(ADDRESS_KINDS.has(row.kind) ? [row] : [])];
    const shape = grid ? gridShape.get(grid.id) : undefined;
    return {
      id: row.id,
      name: row.name,
      kind: row.kind as PlaceSearchItem['kind'],
      within: above.map((u) => u.name),
      address: addressParts.map((u) => u.name).join(''),
      grid: grid ? { id: grid.id, name: grid.name } : null,
      community: community ? { id: community.id, name: community.name } : null,
      point: shape ? pointOnSurface(shape) : null,
      bounds: shape ? bounds(shape.slice(0, 1)) : community ? (communityBounds.get(community.id) ?? null) : null,
    };
  });
}
