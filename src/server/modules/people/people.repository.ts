import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { escapeLike, type UnitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { personCondition } from './people.policy.ts';

type PeopleEb = ExpressionBuilder<DB & { p: DB['people'] } & { u: DB['units'] }, 'p' | 'u'>;

export interface PersonFilter {
  withinPath?: string | undefined;
  q?: string | undefined;
  isPartyMember?: boolean | undefined;
  isCarePerson?: boolean | undefined;
}

/** The scopes a people query needs: where the actor may read people, and where their care-person files. */
export interface PeopleScopes {
  read: UnitScope;
  care: UnitScope;
}

/**
 * Search text: 4 digits are a phone's tail, 11 digits a whole phone, 18 characters an identity number
 * (each served by an index); anything else is part of a name.
 */
function searchCondition(eb: PeopleEb, q: string): Expression<SqlBool> {
  if (/^\d{4}$/.test(q)) return eb(sql<string>`right(p.phone, 4)`, '=', q);
  if (/^1\d{10}$/.test(q)) return eb('p.phone', '=', q);
  if (/^\d{17}[\dXx]$/.test(q)) return eb('p.id_number', '=', q.toUpperCase());
  // Chinese has no letter case, and LIKE is several times cheaper than ILIKE on multi-byte text.
  return eb('p.name', /[a-z]/i.test(q) ? 'ilike' : 'like', `%${escapeLike(q)}%`);
}

function isPartyMember(eb: PeopleEb) {
  return eb.exists(eb.selectFrom('party_members as pm').select('pm.person_id').whereRef('pm.person_id', '=', 'p.id'));
}

function hasCareFile(eb: PeopleEb) {
  return eb.exists(eb.selectFrom('care_persons as cp').select('cp.person_id').whereRef('cp.person_id', '=', 'p.id'));
}

function peopleQuery(q: Queryable, actor: Actor, scopes: PeopleScopes, filter: PersonFilter) {
  let query = q.selectFrom('people as p').where((eb) => personCondition(eb, actor, scopes.read));
  if (filter.withinPath !== undefined) query = query.where('p.unit_path', 'like', `${escapeLike(filter.withinPath)}%`);
  if (filter.q) {
    const text = filter.q;
    query = query.where((eb) => searchCondition(eb as PeopleEb, text));
  }
  if (filter.isPartyMember !== undefined) {
    const wanted = filter.isPartyMember;
    query = query.where((eb) => (wanted ? isPartyMember(eb as PeopleEb) : eb.not(isPartyMember(eb as PeopleEb))));
  }
  if (filter.isCarePerson !== undefined) {
    // Only people whose care status the actor may know are considered, so the filter leaks nothing.
    const wanted = filter.isCarePerson;
    query = query.where((eb) =>
      eb.and([
        personCondition(eb, actor, scopes.care),
        wanted ? hasCareFile(eb as PeopleEb) : eb.not(hasCareFile(eb as PeopleEb)),
      ]),
    );
  }
  return query;
}

export interface PersonRow {
  id: number;
  name: string;
  gender: 'male' | 'female' | null;
  birth_date: string | null;
  phone: string | null;
  id_number: string | null;
  address: string | null;
  note: string | null;
  is_resident: boolean;
  version: number;
  unit_id: number | null;
  unit_name: string | null;
  unit_kind: string | null;
  unit_path: string | null;
  is_staff: boolean;
  is_party_member: boolean;
  /** null when the actor may not know. */
  is_care_person: boolean | null;
}

function selectPeople(q: Queryable, actor: Actor, scopes: PeopleScopes, filter: PersonFilter) {
  return peopleQuery(q, actor, scopes, filter)
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
      'p.is_resident',
      'p.version',
      'p.unit_id',
      'u.name as unit_name',
      'u.kind as unit_kind',
      'u.path as unit_path',
      eb
        .exists(
          eb
            .selectFrom('accounts as a')
            .select('a.id')
            .whereRef('a.person_id', '=', 'p.id')
            .where('a.kind', '=', 'staff')
            .where('a.status', '=', 'active'),
        )
        .as('is_staff'),
      isPartyMember(eb as PeopleEb).as('is_party_member'),
      (scopes.care.kind === 'none'
        ? sql<boolean | null>`NULL::boolean`
        : sql<
            boolean | null
          >`CASE WHEN ${personCondition(eb, actor, scopes.care)} THEN ${hasCareFile(eb as PeopleEb)} END`
      ).as('is_care_person'),
    ]);
}

/**
 * One page of people in order of place (unit path, then id: one ordered index range), with one count query; every condition is in the SQL. The page's ids
 * are chosen first, so the per-row flags are computed for the page only, not for every skipped row.
 */
export async function listPeople(
  q: Queryable,
  actor: Actor,
  scopes: PeopleScopes,
  filter: PersonFilter,
  page: number,
  pageSize: number,
) {
  const ids = (
    await peopleQuery(q, actor, scopes, filter)
      .select('p.id')
      .orderBy('p.unit_path')
      .orderBy('p.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute()
  ).map((r) => r.id);
  const rows =
    ids.length === 0
      ? []
      : await selectPeople(q, actor, scopes, {})
          .where('p.id', 'in', ids)
          .orderBy('p.unit_path')
          .orderBy('p.id')
          .execute();
  const count = await peopleQuery(q, actor, scopes, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows: rows as PersonRow[], total: Number(count.n) };
}

export async function findPersonInScope(q: Queryable, actor: Actor, scopes: PeopleScopes, id: number) {
  const row = await selectPeople(q, actor, scopes, {}).where('p.id', '=', id).executeTakeFirst();
  return (row as PersonRow | undefined) ?? null;
}

export async function postsOf(q: Queryable, personId: number) {
  return q
    .selectFrom('unit_posts as up')
    .innerJoin('units as u', 'u.id', 'up.unit_id')
    .select(['up.post', 'up.services', 'u.id as unit_id', 'u.name as unit_name', 'u.kind as unit_kind'])
    .where('up.person_id', '=', personId)
    .orderBy('u.depth')
    .orderBy('up.id')
    .execute();
}

export async function partyMembershipOf(q: Queryable, personId: number) {
  return q
    .selectFrom('party_members as pm')
    .innerJoin('party_orgs as o', 'o.id', 'pm.party_org_id')
    .leftJoin('units as cu', 'cu.id', 'pm.check_in_unit_id')
    .select([
      'pm.status',
      'pm.joined_on',
      'pm.version',
      'o.id as org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'cu.id as check_in_unit_id',
      'cu.name as check_in_unit_name',
      'cu.kind as check_in_unit_kind',
    ])
    .where('pm.person_id', '=', personId)
    .executeTakeFirst();
}

export async function careFileOf(q: Queryable, personId: number) {
  return q
    .selectFrom('care_persons as cp')
    .leftJoin('people as rp', 'rp.id', 'cp.responsible_person_id')
    .select([
      'cp.kinds',
      'cp.note',
      'cp.visit_cycle_days',
      'cp.version',
      'rp.id as responsible_id',
      'rp.name as responsible_name',
    ])
    .where('cp.person_id', '=', personId)
    .executeTakeFirst();
}

/** The person with the unit path, for write checks; locked for the rest of the transaction. */
export async function lockPerson(q: Queryable, id: number) {
  const person = await q.selectFrom('people').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!person) return null;
  const unit = person.unit_id
    ? await q.selectFrom('units').select(['id', 'path']).where('id', '=', person.unit_id).executeTakeFirst()
    : undefined;
  return { ...person, unit_path: unit?.path ?? null };
}

export async function personWithIdNumber(q: Queryable, idNumber: string) {
  return q.selectFrom('people').select('id').where('id_number', '=', idNumber).executeTakeFirst();
}

/** A person's stored contact fields when they are inside the given scope (the scope is in the SQL). */
export async function personInScopeOf(q: Queryable, actor: Actor, scope: UnitScope, id: number) {
  return q
    .selectFrom('people as p')
    .select(['p.phone', 'p.id_number', 'p.address', 'p.unit_id'])
    .where('p.id', '=', id)
    .where((eb) => personCondition(eb, actor, scope))
    .executeTakeFirst();
}
