import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import { personCondition } from '../people/people.policy.ts';
import { WORKBOOK_UNIT_KINDS } from './excel.columns.ts';

/**
 * Keyset pages for the exports: each call returns the rows after the last key, so an export of any size
 * holds one page in memory. Units and grids go in path order (a parent before its children, which is the
 * order the import needs); people in id order. Every scope condition is in the SQL.
 */
export const EXPORT_PAGE_SIZE = 500;

const below = (withinPath: string) => `${escapeLike(withinPath)}%`;

export async function unitsPage(q: Queryable, scope: UnitScope, withinPath: string | undefined, after: string) {
  return q
    .selectFrom('units as u')
    .select(['u.id', 'u.kind', 'u.name', 'u.code', 'u.path', 'u.sort_order', 'u.phone', 'u.address', 'u.description'])
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'))
    .where('u.kind', 'in', WORKBOOK_UNIT_KINDS)
    .where('u.active', '=', true)
    .$if(withinPath !== undefined, (qb) => qb.where('u.path', 'like', below(withinPath!)))
    .where(sql<boolean>`u.path ~>~ ${after}`)
    .orderBy(sql`u.path USING ~<~`)
    .limit(EXPORT_PAGE_SIZE)
    .execute();
}

export async function gridsPage(q: Queryable, scope: UnitScope, withinPath: string | undefined, after: string) {
  return q
    .selectFrom('units as u')
    .leftJoin('grid_boundaries as b', 'b.unit_id', 'u.id')
    .select([
      'u.id',
      'u.name',
      'u.code',
      'u.path',
      'u.sort_order',
      'u.phone',
      'u.address',
      'u.description',
      'b.geojson',
    ])
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'))
    .where('u.kind', '=', 'grid')
    .where('u.active', '=', true)
    .$if(withinPath !== undefined, (qb) => qb.where('u.path', 'like', below(withinPath!)))
    .where(sql<boolean>`u.path ~>~ ${after}`)
    .orderBy(sql`u.path USING ~<~`)
    .limit(EXPORT_PAGE_SIZE)
    .execute();
}

/**
 * People in the read scope; `revealable` says, per row and in SQL, whether the actor may see the full
 * phone, identity number and address (person.reveal over that person).
 */
export async function peoplePage(
  q: Queryable,
  actor: Actor,
  readScope: UnitScope,
  revealScope: UnitScope,
  withinPath: string | undefined,
  afterId: number,
) {
  let query = q
    .selectFrom('people as p')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.gender',
      'p.birth_date',
      'p.phone',
      'p.id_number',
      'p.address',
      'p.note',
      'u.path as unit_path',
      sql<boolean>`${revealScope.kind === 'none' ? sql<boolean>`false` : personCondition(eb, actor, revealScope)}`.as(
        'revealable',
      ),
    ])
    .where((eb) => personCondition(eb, actor, readScope))
    .where('p.id', '>', afterId);
  if (withinPath !== undefined) query = query.where('u.path', 'like', below(withinPath));
  return query.orderBy('p.id').limit(EXPORT_PAGE_SIZE).execute();
}
