import { sql } from 'kysely';
import type { Trx } from '../db/database.ts';
import type { Dataset, PartyOrgNode, UnitNode } from './dataset.ts';
import { areaSquareMetres, geoJsonPolygon, polygonLiteral } from './geometry.ts';

const CHUNK = 500;

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Takes `count` ids from a table's identity sequence and returns the first; the rest follow it. Explicit
 * ids let the loader compute paths (which contain ids) before inserting, in a handful of statements.
 */
export async function reserveIds(trx: Trx, table: string, count: number): Promise<number> {
  if (count === 0) return 0;
  const seq = sql`pg_get_serial_sequence(${table}, 'id')`;
  const { rows } = await sql<{ first: number }>`SELECT nextval(${seq})::int AS first`.execute(trx);
  const first = (rows[0] as { first: number }).first;
  if (count > 1) await sql`SELECT setval(${seq}, ${first + count - 1})`.execute(trx);
  return first;
}

export interface InsertedCounts {
  units: number;
  grids: number;
  people: number;
  partyOrgs: number;
  partyMembers: number;
  carePersons: number;
  posts: number;
  accounts: number;
}

/** Writes a dataset inside the caller's transaction. */
export async function insertDataset(trx: Trx, data: Dataset, passwordHash: string): Promise<InsertedCounts> {
  const unitBase = await reserveIds(trx, 'units', data.units.length);
  const orgBase = await reserveIds(trx, 'party_orgs', data.partyOrgs.length);
  const personBase = await reserveIds(trx, 'people', data.people.length);
  const accountBase = await reserveIds(trx, 'accounts', data.accounts.length);
  const unitId = (u: UnitNode) => unitBase + u.local - 1;
  const orgId = (o: PartyOrgNode) => orgBase + o.local - 1;
  const personId = (p: { local: number }) => personBase + p.local - 1;

  const unitPaths = new Map<UnitNode, string>();
  const unitPath = (u: UnitNode): string => {
    let path = unitPaths.get(u);
    if (!path) {
      path = `${u.parent ? unitPath(u.parent) : '/'}${unitId(u)}/`;
      unitPaths.set(u, path);
    }
    return path;
  };
  const orgPaths = new Map<PartyOrgNode, string>();
  const orgPath = (o: PartyOrgNode): string => {
    let path = orgPaths.get(o);
    if (!path) {
      path = `${o.parent ? orgPath(o.parent) : '/'}${orgId(o)}/`;
      orgPaths.set(o, path);
    }
    return path;
  };

  await inChunks(data.units, (chunk) =>
    trx
      .insertInto('units')
      .values(
        chunk.map((u) => ({
          id: unitId(u),
          parent_id: u.parent ? unitId(u.parent) : null,
          kind: u.kind,
          name: u.name,
          code: u.code,
          path: unitPath(u),
          depth: u.depth,
          sort_order: u.sortOrder,
          phone: u.phone,
          address: u.address,
          description: u.description,
        })),
      )
      .execute(),
  );
  const grids = data.units.filter((u) => u.ring);
  await inChunks(grids, (chunk) =>
    trx
      .insertInto('grid_boundaries')
      .values(
        chunk.map((u) => {
          const ring = u.ring ?? [];
          return {
            unit_id: unitId(u),
            geojson: JSON.stringify(geoJsonPolygon(ring)),
            outline: polygonLiteral(ring),
            area: areaSquareMetres(ring),
          };
        }),
      )
      .execute(),
  );
  await inChunks(data.people, (chunk) =>
    trx
      .insertInto('people')
      .values(
        chunk.map((p) => ({
          id: personId(p),
          name: p.name,
          gender: p.gender,
          birth_date: p.birthDate,
          phone: p.phone,
          id_number: p.idNumber,
          unit_id: unitId(p.unit),
          address: p.address,
          is_resident: p.isResident,
          note: p.note,
        })),
      )
      .execute(),
  );
  await inChunks(data.partyOrgs, (chunk) =>
    trx
      .insertInto('party_orgs')
      .values(
        chunk.map((o) => ({
          id: orgId(o),
          parent_id: o.parent ? orgId(o.parent) : null,
          kind: o.kind,
          name: o.name,
          path: orgPath(o),
          secretary_person_id: o.secretary ? personId(o.secretary) : null,
          established_on: o.establishedOn,
        })),
      )
      .execute(),
  );
  const links = data.partyOrgs.flatMap((o) => o.units.map((u) => ({ party_org_id: orgId(o), unit_id: unitId(u) })));
  await inChunks(links, (chunk) => trx.insertInto('party_org_units').values(chunk).execute());
  await inChunks(data.members, (chunk) =>
    trx
      .insertInto('party_members')
      .values(
        chunk.map((m) => ({
          person_id: personId(m.person),
          party_org_id: orgId(m.org),
          status: m.status,
          joined_on: m.joinedOn,
          check_in_unit_id: m.checkInUnit ? unitId(m.checkInUnit) : null,
        })),
      )
      .execute(),
  );
  await inChunks(data.posts, (chunk) =>
    trx
      .insertInto('unit_posts')
      .values(
        chunk.map((p) => ({
          unit_id: unitId(p.unit),
          person_id: personId(p.person),
          post: p.post,
          services: p.services,
        })),
      )
      .execute(),
  );
  await inChunks(data.care, (chunk) =>
    trx
      .insertInto('care_persons')
      .values(
        chunk.map((c) => ({
          person_id: personId(c.person),
          kinds: c.kinds,
          note: c.note,
          visit_cycle_days: c.visitCycleDays,
          responsible_person_id: c.responsible ? personId(c.responsible) : null,
        })),
      )
      .execute(),
  );
  if (data.accounts.length) {
    await trx
      .insertInto('accounts')
      .values(
        data.accounts.map((a) => ({
          id: accountBase + a.local - 1,
          kind: 'staff' as const,
          username: a.username,
          password_hash: passwordHash,
          person_id: personId(a.person),
          display_name: a.person.name,
        })),
      )
      .execute();
    const roles = await trx.selectFrom('roles').select(['id', 'code']).execute();
    const roleId = new Map(roles.map((r) => [r.code, r.id]));
    await trx
      .insertInto('role_grants')
      .values(
        data.accounts.map((a) => {
          const role = roleId.get(a.roleCode);
          if (!role) throw new Error(`unknown role ${a.roleCode}`);
          return { account_id: accountBase + a.local - 1, role_id: role, unit_id: unitId(a.unit) };
        }),
      )
      .execute();
  }
  return {
    units: data.units.length,
    grids: grids.length,
    people: data.people.length,
    partyOrgs: data.partyOrgs.length,
    partyMembers: data.members.length,
    carePersons: data.care.length,
    posts: data.posts.length,
    accounts: data.accounts.length,
  };
}
