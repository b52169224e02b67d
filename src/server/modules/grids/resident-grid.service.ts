import { escapeLike } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { GeoJsonPolygon } from '../../geo/polygon.ts';
import { residentHome } from '../me/me.repository.ts';
import { pointOnSurface } from '../places/point-on-surface.ts';
import { findGridInScope } from './grids.repository.ts';
import type { ResidentGridCardDto, ResidentMapDto } from './grids.schema.ts';
import { cardOf } from './grids.service.ts';
import { unitsWithHeads } from './unit-posts.repository.ts';

/** A resident's grid and map: public information about where they live, found from their home unit. */

/** The units from the top of the tree down to my home (compound, building or entrance); [] without a home. */
export async function homeChain(q: Queryable, accountId: number) {
  const ids = (await residentHome(q, accountId)).unitIds;
  if (ids.length === 0) return [];
  return q
    .selectFrom('units')
    .select(['id', 'parent_id', 'kind', 'name', 'path', 'depth', 'active'])
    .where('id', 'in', ids)
    .orderBy('depth')
    .execute();
}
type Chain = Awaited<ReturnType<typeof homeChain>>;

const MY_SUB_UNITS: readonly string[] = ['compound', 'building', 'entrance'];

/**
 * My home grid's card: the grid card staff see, with the heads of my own compound, building and entrance only
 * (not every building's). Null without a home in a grid.
 */
export async function homeGridCard(q: Queryable, chain: Chain): Promise<ResidentGridCardDto | null> {
  const gridUnit = chain.find((u) => u.kind === 'grid');
  const grid = gridUnit ? await findGridInScope(q, gridUnit.id, { kind: 'all' }, false) : null;
  if (!gridUnit || !grid) return null;
  const mine = chain.filter((u) => u.depth > gridUnit.depth && u.active && MY_SUB_UNITS.includes(u.kind));
  const [base, subUnits] = await Promise.all([cardOf(q, grid), unitsWithHeads(q, mine)]);
  return { ...base, subUnits };
}

/** At most this many grids are drawn (a community has a handful; the cap keeps a data error small). */
const MAX_GRIDS = 200;

/**
 * My community's grids with their boundaries, and a point certainly inside my own grid to open the map on.
 * Without a home: no point and no grids.
 */
export async function homeMap(q: Queryable, chain: Chain): Promise<Pick<ResidentMapDto, 'home' | 'grids'>> {
  const gridUnit = chain.find((u) => u.kind === 'grid');
  if (!gridUnit) return { home: null, grids: [] };
  const community = chain.findLast((u) => u.kind === 'community' || u.kind === 'village');
  let query = q
    .selectFrom('units as u')
    .innerJoin('grid_boundaries as b', 'b.unit_id', 'u.id')
    .select(['u.id', 'u.name', 'b.geojson'])
    .where('u.kind', '=', 'grid')
    .where('u.active', '=', true);
  query = community
    ? query.where('u.path', 'like', `${escapeLike(community.path)}%`)
    : query.where('u.id', '=', gridUnit.id);
  const rows = await query.orderBy('u.sort_order').orderBy('u.id').limit(MAX_GRIDS).execute();
  const grids = rows.map((r) => ({
    id: r.id,
    name: r.name,
    geometry: (typeof r.geojson === 'string' ? JSON.parse(r.geojson) : r.geojson) as GeoJsonPolygon,
  }));
  const mine = grids.find((g) => g.id === gridUnit.id);
  return { home: mine ? pointOnSurface(mine.geometry.coordinates) : null, grids };
}
