import { escapeLike } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { maskPhone } from '../../http/privacy.ts';
import type { MembershipDto } from './party-members.schema.ts';

function selectMemberships(q: Queryable) {
  return q
    .selectFrom('party_members as pm')
    .innerJoin('party_orgs as o', 'o.id', 'pm.party_org_id')
    .leftJoin('units as cu', 'cu.id', 'pm.check_in_unit_id')
    .select([
      'pm.person_id',
      'pm.status',
      'pm.joined_on',
      'pm.version',
      'o.id as org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'cu.id as check_in_id',
      'cu.name as check_in_name',
      'cu.kind as check_in_kind',
    ]);
}

type MembershipRow = Awaited<ReturnType<ReturnType<typeof selectMemberships>['execute']>>[number];

function presentMembership(r: MembershipRow): MembershipDto {
  return {
    personId: r.person_id,
    partyOrg: { id: r.org_id, name: r.org_name, kind: r.org_kind },
    status: r.status,
    joinedOn: r.joined_on,
    checkInUnit:
      r.check_in_id !== null && r.check_in_name !== null && r.check_in_kind !== null
        ? { id: r.check_in_id, name: r.check_in_name, kind: r.check_in_kind }
        : null,
    version: r.version,
  };
}

export async function findMembership(q: Queryable, personId: number) {
  const row = await selectMemberships(q).where('pm.person_id', '=', personId).executeTakeFirst();
  return row ? presentMembership(row) : null;
}

export async function lockMembership(q: Queryable, personId: number) {
  return q
    .selectFrom('party_members')
    .select(['person_id', 'version', 'party_org_id'])
    .where('person_id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
}

export interface MemberFilter {
  orgId: number;
  /** With the organisation's path: members of every organisation below it too. */
  subtreePath?: string | undefined;
  status?: 'full' | 'probationary' | undefined;
  q?: string | undefined;
}

function membersQuery(q: Queryable, filter: MemberFilter) {
  let query = selectMemberships(q)
    .innerJoin('people as p', 'p.id', 'pm.person_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id');
  query = filter.subtreePath
    ? query.where('o.path', 'like', `${escapeLike(filter.subtreePath)}%`)
    : query.where('pm.party_org_id', '=', filter.orgId);
  if (filter.status) query = query.where('pm.status', '=', filter.status);
  if (filter.q) query = query.where('p.name', 'ilike', `%${escapeLike(filter.q)}%`);
  return query;
}

/** Members of an organisation the caller has already found visible; one page and one count query. */
export async function listMembers(q: Queryable, filter: MemberFilter, page: number, pageSize: number) {
  const rows = await membersQuery(q, filter)
    .select(['p.name', 'p.gender', 'p.phone', 'u.id as unit_id', 'u.name as unit_name', 'u.kind as unit_kind'])
    .orderBy('p.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const count = await membersQuery(q, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const items = rows.map((r) => ({
    ...presentMembership(r),
    person: {
      id: r.person_id,
      name: r.name,
      gender: r.gender,
      phone: maskPhone(r.phone),
      unit:
        r.unit_id !== null && r.unit_name !== null && r.unit_kind !== null
          ? { id: r.unit_id, name: r.unit_name, kind: r.unit_kind as UnitKind }
          : null,
    },
  }));
  return { items, total: Number(count.n) };
}
