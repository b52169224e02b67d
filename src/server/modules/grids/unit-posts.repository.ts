import { sql } from 'kysely';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind, UnitPost } from '../../db/schema.ts';
import { UNIT_POSTS, type UnitPostDto } from './unit-posts.schema.ts';

type PostRow = {
  id: number;
  unit_id: number;
  post: UnitPost;
  person_id: number;
  person_name: string;
  phone: string | null;
  services: string | null;
  created_at: Date | string;
};

export function presentPost(r: PostRow): UnitPostDto {
  return {
    id: r.id,
    unitId: r.unit_id,
    post: r.post,
    personId: r.person_id,
    personName: r.person_name,
    phone: r.phone,
    services: r.services,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Card order: secretary, director, grid head, grid worker …, then oldest first. */
const postRank = sql<number>`array_position(${sql.raw(`ARRAY['${UNIT_POSTS.join("','")}']`)}::text[], p.post)`;

function selectPosts(q: Queryable) {
  return q
    .selectFrom('unit_posts as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .select([
      'p.id',
      'p.unit_id',
      'p.post',
      'p.person_id',
      'pe.name as person_name',
      'pe.phone',
      'p.services',
      'p.created_at',
    ]);
}

export async function postsOfUnit(q: Queryable, unitId: number): Promise<UnitPostDto[]> {
  const rows = await selectPosts(q).where('p.unit_id', '=', unitId).orderBy(postRank).orderBy('p.id').execute();
  return rows.map((r) => presentPost(r as PostRow));
}

export async function findPost(q: Queryable, id: number) {
  const row = await selectPosts(q).where('p.id', '=', id).executeTakeFirst();
  return row ? presentPost(row as PostRow) : null;
}

/** A unit for a posts request, or null when it does not exist or lies outside the scope. */
export async function findUnitInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('units as u')
    .select(['u.id', 'u.kind', 'u.name', 'u.path'])
    .where('u.id', '=', id)
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'))
    .executeTakeFirst();
}

/** A post and its unit, for removal, or null when missing or out of scope. */
export async function findPostInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('unit_posts as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.unit_id', 'p.person_id', 'p.post', 'u.kind as unit_kind'])
    .where('p.id', '=', id)
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'))
    .executeTakeFirst();
}

/**
 * A person the actor may see (person.read scope on the unit that looks after the record, or their own),
 * or null. Staff can only give a post to someone they can look up.
 */
export async function findPersonInScope(q: Queryable, id: number, scope: UnitScope, ownPersonId: number | null) {
  return q
    .selectFrom('people as pe')
    .leftJoin('units as pu', 'pu.id', 'pe.unit_id')
    .select(['pe.id', 'pe.name'])
    .where('pe.id', '=', id)
    .where((eb) => unitCondition(eb, scope, 'pu.path', 'pu.id', eb('pe.id', '=', ownPersonId ?? -1)))
    .executeTakeFirst();
}

export async function postExists(q: Queryable, unitId: number, personId: number, post: UnitPost) {
  const row = await q
    .selectFrom('unit_posts')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('person_id', '=', personId)
    .where('post', '=', post)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPost(
  q: Queryable,
  values: { unitId: number; personId: number; post: UnitPost; services: string | null },
) {
  const row = await q
    .insertInto('unit_posts')
    .values({ unit_id: values.unitId, person_id: values.personId, post: values.post, services: values.services })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deletePost(q: Queryable, id: number) {
  await q.deleteFrom('unit_posts').where('id', '=', id).execute();
}

/** Active compounds and buildings below a grid, with their post holders, in tree order. */
export async function subUnitsWithHeads(q: Queryable, gridPath: string, limit = 500) {
  const below = `${escapeLike(gridPath)}_%`;
  const units = await q
    .selectFrom('units as u')
    .select(['u.id', 'u.parent_id', 'u.kind', 'u.name'])
    .where('u.path', 'like', below)
    .where('u.kind', 'in', ['compound', 'building'])
    .where('u.active', '=', true)
    .orderBy('u.depth')
    .orderBy('u.sort_order')
    .orderBy('u.id')
    .limit(limit)
    .execute();
  const heads = await selectPosts(q)
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .where('u.path', 'like', below)
    .where('u.kind', 'in', ['compound', 'building'])
    .where('u.active', '=', true)
    .orderBy(postRank)
    .orderBy('p.id')
    .execute();
  const byUnit = new Map<number, UnitPostDto[]>();
  for (const row of heads) {
    const post = presentPost(row as PostRow);
    byUnit.set(post.unitId, [...(byUnit.get(post.unitId) ?? []), post]);
  }
  return units.map((u) => ({
    id: u.id,
    parentId: u.parent_id,
    kind: u.kind as Extract<UnitKind, 'compound' | 'building'>,
    name: u.name,
    heads: byUnit.get(u.id) ?? [],
  }));
}

/** The given units (a resident's compound, building and entrance) with their post holders, in the order given. */
export async function unitsWithHeads(
  q: Queryable,
  units: ReadonlyArray<{ id: number; parent_id: number | null; kind: UnitKind; name: string }>,
) {
  const heads =
    units.length === 0
      ? []
      : await selectPosts(q)
          .where(
            'p.unit_id',
            'in',
            units.map((u) => u.id),
          )
          .orderBy(postRank)
          .orderBy('p.id')
          .execute();
  return units.map((u) => ({
    id: u.id,
    parentId: u.parent_id,
    kind: u.kind as Extract<UnitKind, 'compound' | 'building' | 'entrance'>,
    name: u.name,
    heads: heads.map((h) => presentPost(h as PostRow)).filter((h) => h.unitId === u.id),
  }));
}
