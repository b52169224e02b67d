import { sql } from 'kysely';
import { escapeLike } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';

export interface Place {
  id: number;
  name: string;
  kind: UnitKind;
}

/** Units a resident may see the names of: the territory, not departments. */
const PLACE_KINDS: UnitKind[] = [
  'city',
  'district',
  'street',
  'town',
  'community',
  'village',
  'grid',
  'compound',
  'building',
  'entrance',
];

export async function chainOf(q: Queryable, path: string): Promise<Place[]> {
  const ids = path.split('/').filter(Boolean).map(Number);
  if (ids.length === 0) return [];
  return q.selectFrom('units').select(['id', 'name', 'kind']).where('id', 'in', ids).orderBy('depth').execute();
}

export async function findPlace(q: Queryable, id: number) {
  return q
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'path', 'active'])
    .where('id', '=', id)
    .where('kind', 'in', PLACE_KINDS)
    .executeTakeFirst();
}

function places(q: Queryable) {
  return q
    .selectFrom('units as u')
    .select([
      'u.id',
      'u.name',
      'u.kind',
      'u.path',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('units as c')
              .select(sql<number>`1`.as('one'))
              .whereRef('c.parent_id', '=', 'u.id')
              .where('c.active', '=', true)
              .where('c.kind', 'in', PLACE_KINDS),
          )
          .as('has_children'),
    ])
    .where('u.active', '=', true)
    .where('u.kind', 'in', PLACE_KINDS);
}

const present = (r: { id: number; name: string; kind: UnitKind; has_children: unknown }) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  hasChildren: Boolean(r.has_children),
});

export async function childPlaces(q: Queryable, parentId: number | null) {
  const query =
    parentId === null ? places(q).where('u.parent_id', 'is', null) : places(q).where('u.parent_id', '=', parentId);
  const rows = await query.orderBy('u.sort_order').orderBy('u.id').limit(500).execute();
  return rows.map(present);
}

/** Communities and compounds whose name contains the text, each with the names above it. */
export async function searchPlaces(q: Queryable, text: string) {
  const rows = await places(q)
    .where('u.kind', 'in', ['community', 'village', 'compound'])
    .where('u.name', 'ilike', `%${escapeLike(text)}%`)
    .orderBy('u.depth')
    .orderBy('u.name')
    .limit(20)
    .execute();
  const ancestorIds = [...new Set(rows.flatMap((r) => r.path.split('/').filter(Boolean).map(Number)))];
  const names = new Map<number, string>();
  if (ancestorIds.length > 0) {
    const ancestors = await q.selectFrom('units').select(['id', 'name']).where('id', 'in', ancestorIds).execute();
    for (const a of ancestors) names.set(a.id, a.name);
  }
  return rows.map((r) => ({
    ...present(r),
    within: r.path
      .split('/')
      .filter(Boolean)
      .map(Number)
      .filter((id) => id !== r.id)
      .map((id) => names.get(id) ?? ''),
  }));
}

/**
 * Where a resident lives: their person, the path of their home unit and the units on it from the root down
 * (`/1/5/23/` → [1, 5, 23]); nulls and [] while the home is not registered. Notices, activities, the grid card,
 * the map and "me too" all start here.
 */
export async function residentHome(q: Queryable, accountId: number) {
  const row = await q
    .selectFrom('accounts as ac')
    .leftJoin('people as p', 'p.id', 'ac.person_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .select(['ac.person_id', 'u.path as unit_path'])
    .where('ac.id', '=', accountId)
    .executeTakeFirst();
  const path = row?.unit_path ?? null;
  return {
    personId: row?.person_id ?? null,
    path,
    unitIds: path ? path.split('/').filter(Boolean).map(Number) : [],
  };
}
