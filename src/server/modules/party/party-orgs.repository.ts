import { sql } from 'kysely';
import type { UnitScope } from '../../access/scope.ts';
import { escapeLike, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { orgVisible } from './party-orgs.policy.ts';
import type { PartyOrgDto } from './party-orgs.schema.ts';

function selectOrgs(q: Queryable) {
  return q
    .selectFrom('party_orgs as o')
    .leftJoin('people as sp', 'sp.id', 'o.secretary_person_id')
    .select((eb) => [
      'o.id',
      'o.parent_id',
      'o.kind',
      'o.name',
      'o.path',
      'o.established_on',
      'o.version',
      'sp.id as secretary_id',
      'sp.name as secretary_name',
      eb
        .selectFrom('party_orgs as c')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('c.parent_id', '=', 'o.id')
        .as('child_count'),
      eb
        .selectFrom('party_members as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.party_org_id', '=', 'o.id')
        .as('member_count'),
    ]);
}

type OrgRow = Awaited<ReturnType<ReturnType<typeof selectOrgs>['execute']>>[number];

/** The units each organisation leads, for a page of organisations in one query. */
async function linkedUnits(q: Queryable, orgIds: number[]) {
  const byOrg = new Map<number, Array<{ id: number; name: string; kind: UnitKind }>>();
  if (orgIds.length === 0) return byOrg;
  const rows = await q
    .selectFrom('party_org_units as l')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .select(['l.party_org_id', 'u.id', 'u.name', 'u.kind'])
    .where('l.party_org_id', 'in', orgIds)
    .orderBy('u.depth')
    .orderBy('u.id')
    .execute();
  for (const r of rows) {
    const list = byOrg.get(r.party_org_id) ?? [];
    list.push({ id: r.id, name: r.name, kind: r.kind });
    byOrg.set(r.party_org_id, list);
  }
  return byOrg;
}

async function present(q: Queryable, rows: OrgRow[]): Promise<PartyOrgDto[]> {
  const units = await linkedUnits(
    q,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    kind: r.kind,
    name: r.name,
    path: r.path,
    depth: r.path.split('/').filter(Boolean).length - 1,
    secretary:
      r.secretary_id !== null && r.secretary_name !== null ? { id: r.secretary_id, name: r.secretary_name } : null,
    establishedOn: r.established_on,
    units: units.get(r.id) ?? [],
    childCount: Number(r.child_count),
    memberCount: Number(r.member_count),
    version: r.version,
  }));
}

export async function findOrgInScope(q: Queryable, id: number, scope: UnitScope) {
  const row = await selectOrgs(q)
    .where('o.id', '=', id)
    .where((eb) => orgVisible(eb, scope, 'o.path'))
    .executeTakeFirst();
  if (!row) return null;
  const [org] = await present(q, [row]);
  return org ?? null;
}

export interface OrgFilter {
  parentId?: number | undefined;
  q?: string | undefined;
}

function filtered(q: Queryable, scope: UnitScope, filter: OrgFilter) {
  let query = q.selectFrom('party_orgs as o').where((eb) => orgVisible(eb, scope, 'o.path'));
  if (filter.parentId !== undefined) query = query.where('o.parent_id', '=', filter.parentId);
  if (filter.q) query = query.where('o.name', 'ilike', `%${escapeLike(filter.q)}%`);
  if (filter.parentId === undefined && !filter.q) {
    // My top organisations: visible ones whose parent I do not see.
    query = query.where((eb) =>
      eb.or([
        eb('o.parent_id', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('party_orgs as par')
              .select('par.id')
              .whereRef('par.id', '=', 'o.parent_id')
              .where((inner) => orgVisible(inner, scope, 'par.path')),
          ),
        ),
      ]),
    );
  }
  return query;
}

export async function listOrgs(q: Queryable, scope: UnitScope, filter: OrgFilter, page: number, pageSize: number) {
  const ids = await filtered(q, scope, filter)
    .select('o.id')
    .orderBy('o.path')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const count = await filtered(q, scope, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const idList = ids.map((r) => r.id);
  const rows = idList.length ? await selectOrgs(q).where('o.id', 'in', idList).orderBy('o.path').execute() : [];
  return { items: await present(q, rows), total: Number(count.n) };
}

export async function ancestorsOfOrg(q: Queryable, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number).slice(0, -1);
  if (ids.length === 0) return [];
  return q
    .selectFrom('party_orgs')
    .select(['id', 'name', 'kind'])
    .where('id', 'in', ids)
    .orderBy(sql`length(path)`)
    .execute();
}

/** An organisation row (locked) when it is visible in the scope. */
export async function lockOrgInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('party_orgs as o')
    .selectAll('o')
    .where('o.id', '=', id)
    .where((eb) => orgVisible(eb, scope, 'o.path'))
    .forUpdate()
    .executeTakeFirst();
}

export async function isOrgVisible(q: Queryable, id: number, scope: UnitScope) {
  const row = await q
    .selectFrom('party_orgs as o')
    .select('o.id')
    .where('o.id', '=', id)
    .where((eb) => orgVisible(eb, scope, 'o.path'))
    .executeTakeFirst();
  return row !== undefined;
}

/** Of the given unit ids, those inside the scope. */
export async function unitsInScope(q: Queryable, ids: number[], scope: UnitScope) {
  if (ids.length === 0) return [];
  const rows = await q
    .selectFrom('units as u')
    .select('u.id')
    .where('u.id', 'in', ids)
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'))
    .execute();
  return rows.map((r) => r.id);
}

export async function nextOrgId(q: Queryable): Promise<number> {
  const { rows } = await sql<{
    id: number;
  }>`SELECT nextval(pg_get_serial_sequence('party_orgs', 'id'))::int AS id`.execute(q);
  return rows[0]!.id;
}

/** Moves a subtree of organisations: rewrites every descendant's path prefix in one statement. */
export async function moveOrgSubtree(q: Queryable, oldPath: string, newPath: string) {
  await sql`UPDATE party_orgs
            SET path = ${newPath} || substr(path, ${oldPath.length + 1}), updated_at = now()
            WHERE path LIKE ${`${escapeLike(oldPath)}%`}`.execute(q);
}

/**
 * Replaces the organisation's links to units inside the scope with `unitIds`; links to units outside the
 * scope belong to someone else's decision and are kept.
 */
export async function replaceLinks(q: Queryable, orgId: number, unitIds: number[], scope: UnitScope) {
  await q
    .deleteFrom('party_org_units')
    .where('party_org_id', '=', orgId)
    .where((eb) =>
      eb(
        'unit_id',
        'in',
        eb
          .selectFrom('units as u')
          .select('u.id')
          .where((inner) => unitCondition(inner, scope, 'u.path', 'u.id')),
      ),
    )
    .execute();
  if (unitIds.length === 0) return;
  await q
    .insertInto('party_org_units')
    .values(unitIds.map((unitId) => ({ party_org_id: orgId, unit_id: unitId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}
