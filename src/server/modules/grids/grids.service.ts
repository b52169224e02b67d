import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { pgPolygonText, validatePolygon } from '../../geo/polygon.ts';
import { notFound } from '../../http/errors.ts';
import { deleteBoundary, findGridInScope, lockGridInScope, upsertBoundary } from './grids.repository.ts';
import type { GridCardDto, GridDetailDto } from './grids.schema.ts';
import { postsOfUnit, subUnitsWithHeads } from './unit-posts.repository.ts';

/** Validates the geometry first (nothing is read or written for a bad one), then replaces the boundary. */
export async function setBoundary(trx: Trx, actor: Actor, gridId: number, geometry: unknown) {
  const polygon = validatePolygon(geometry);
  const grid = await lockGridInScope(trx, gridId, unitScope(actor, 'grid.manage'));
  if (!grid) throw notFound('Grid');
  await upsertBoundary(trx, grid.id, {
    geojson: polygon.geojson,
    outline: pgPolygonText(polygon.outer),
    holes: polygon.holes.map(pgPolygonText),
    area: polygon.area,
  });
  const updated = await findGridInScope(trx, grid.id, { kind: 'all' });
  if (!updated) throw new Error('grid vanished after boundary update');
  return { grid: updated, vertexCount: polygon.vertexCount, holeCount: polygon.holes.length };
}

export async function removeBoundary(trx: Trx, actor: Actor, gridId: number) {
  const grid = await lockGridInScope(trx, gridId, unitScope(actor, 'grid.manage'));
  if (!grid) throw notFound('Grid');
  if (!(await deleteBoundary(trx, grid.id))) throw notFound('Grid boundary');
  return grid;
}

/** The grid's contact card: who looks after it, how to reach them, and the heads of its compounds and buildings. */
export async function gridCard(q: Queryable, actor: Actor, gridId: number): Promise<GridCardDto> {
  const scope = unitScope(actor, 'grid.read');
  const grid = await findGridInScope(q, gridId, scope, false);
  if (!grid) throw notFound('Grid');
  const [base, path] = await Promise.all([
    cardOf(q, grid),
    q.selectFrom('units').select('path').where('id', '=', grid.id).executeTakeFirstOrThrow(),
  ]);
  return { ...base, subUnits: await subUnitsWithHeads(q, path.path) };
}

/** The card without its sub-units: the grid, its community and the grid's post holders. */
export async function cardOf(q: Queryable, grid: GridDetailDto): Promise<Omit<GridCardDto, 'subUnits'>> {
  const community =
    grid.communityId === null
      ? undefined
      : await q
          .selectFrom('units')
          .select(['id', 'kind', 'name', 'phone', 'address'])
          .where('id', '=', grid.communityId)
          .executeTakeFirst();
  return {
    grid: { id: grid.id, name: grid.name, phone: grid.phone, address: grid.address },
    community: community
      ? {
          id: community.id,
          kind: community.kind,
          name: community.name,
          phone: community.phone,
          address: community.address,
        }
      : null,
    posts: await postsOfUnit(q, grid.id),
  };
}
