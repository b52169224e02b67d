import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { anonymous, type Client, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { databaseKinds, freshDatabase } from '../../../test/support/databases.ts';
import { silentLog } from '../../../test/support/demo.ts';
import type { Queryable } from '../db/database.ts';
import type { PartyOrgKind } from '../db/schema.ts';
import { validatePolygon } from '../geo/polygon.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { MEMBER_ORG_KINDS, PARTY_PARENT_KINDS } from '../modules/party/party-orgs.policy.ts';
import { isValidIdNumber } from '../modules/people/id-number.ts';
import { PERSON_UNIT_KINDS } from '../modules/people/people.schema.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_RESIDENT_PHONE, loadDemoData, loadDemoDataIfEmpty } from './demo-data.ts';
import { fingerprint } from './test-fingerprint.ts';

const passwordHash = hashPassword(DEMO_PASSWORD);

const fingerprints: Array<{ kind: string; value: Awaited<ReturnType<typeof fingerprint>> }> = [];

for (const kind of await databaseKinds()) {
  describe(`demo data (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind);
      const summary = await loadDemoDataIfEmpty(t.database, silentLog);
      assert.ok(summary, 'loaded into an empty database');
      assert.equal(summary.residentPhone, DEMO_RESIDENT_PHONE);
    });
    after(() => t.dispose());

    test('has the territory, people and Party tree the banner promises', async () => {
      const counts = await fingerprint(t.database.db);
      const n = (part: string) => counts[part]?.n ?? 0;
      assert.ok(n('people') >= 700, `people: ${n('people')}`);
      assert.equal(n('accounts'), DEMO_LOGINS.length);
      assert.ok(n('party_members') >= 50 && n('party_members') <= 90, `members: ${n('party_members')}`);
      assert.ok(n('care_persons') >= 25 && n('care_persons') <= 60, `care: ${n('care_persons')}`);
      const residents = await t.database.db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('is_resident', '=', true)
        .executeTakeFirstOrThrow();
      assert.ok(Number(residents.n) >= 550 && Number(residents.n) <= 680, `residents: ${residents.n}`);
      const names = await t.database.db.selectFrom('units').select(['name', 'kind']).execute();
      const has = (name: string, kind: string) => names.some((u) => u.name === name && u.kind === kind);
      for (const [name, kind] of [
        ['平顶山市', 'city'],
        ['新华区', 'district'],
        ['城乡一体化示范区', 'district'],
        ['焦店镇', 'town'],
        ['西高皇街道', 'street'],
        ['高庄村', 'village'],
        ['体育场社区', 'community'],
        ['凌云社区', 'community'],
        ['建业社区', 'community'],
        ['滨湖街道', 'street'],
      ]) {
        assert.ok(has(name as string, kind as string), `${name} (${kind})`);
      }
      const xigaohuangCompounds = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM units c JOIN units s ON c.path LIKE s.path || '%'
        WHERE s.name = '西高皇街道' AND c.kind = 'compound'`.execute(t.database.db);
      assert.equal(xigaohuangCompounds.rows[0]?.n, 15);
      const grids = await sql<{ name: string; n: number }>`
        SELECT c.name, count(g.id)::int AS n FROM units c LEFT JOIN units g ON g.parent_id = c.id AND g.kind = 'grid'
        WHERE c.kind IN ('community', 'village') GROUP BY c.id, c.name`.execute(t.database.db);
      for (const row of grids.rows) assert.ok(row.n >= 2 && row.n <= 5, `${row.name} has ${row.n} grids`);
    });

    test('every path is the parent path plus the id, in units and in Party organisations', async () => {
      for (const table of ['units', 'party_orgs'] as const) {
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM ${sql.table(table)} c LEFT JOIN ${sql.table(table)} p ON p.id = c.parent_id
          WHERE c.path <> coalesce(p.path, '/') || c.id || '/'`.execute(t.database.db);
        assert.equal(rows[0]?.n, 0, table);
      }
    });

    test('the Party tree has the shape the party module enforces, and members sit in branches', async () => {
      const orgs = await sql<{ kind: PartyOrgKind; parent_kind: PartyOrgKind | null; name: string }>`
        SELECT o.kind, p.kind AS parent_kind, o.name FROM party_orgs o LEFT JOIN party_orgs p ON p.id = o.parent_id`.execute(
        t.database.db,
      );
      for (const o of orgs.rows) assert.ok(PARTY_PARENT_KINDS[o.kind].includes(o.parent_kind), o.name);
      const memberKinds = await sql<{ kind: PartyOrgKind }>`
        SELECT DISTINCT o.kind FROM party_members m JOIN party_orgs o ON o.id = m.party_org_id`.execute(t.database.db);
      for (const m of memberKinds.rows) assert.ok(MEMBER_ORG_KINDS.includes(m.kind), m.kind);
      const secretaries = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM party_orgs o
        WHERE o.secretary_person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM party_members m WHERE m.person_id = o.secretary_person_id)`.execute(
        t.database.db,
      );
      assert.equal(secretaries.rows[0]?.n, 0, 'every secretary is a Party member');
      const unlinked = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM party_orgs o WHERE NOT EXISTS (SELECT 1 FROM party_org_units l WHERE l.party_org_id = o.id)`.execute(
        t.database.db,
      );
      assert.equal(unlinked.rows[0]?.n, 0, 'every organisation is linked to a unit');
    });

    test('identity numbers pass the checksum and phones are mainland mobiles', async () => {
      const people = await t.database.db.selectFrom('people').select(['id_number', 'phone', 'birth_date']).execute();
      for (const p of people) {
        assert.ok(p.id_number && isValidIdNumber(p.id_number), `id number ${p.id_number}`);
        assert.equal(p.id_number?.slice(6, 14), p.birth_date?.replaceAll('-', ''));
        if (p.phone) assert.match(p.phone, /^1[358]\d{9}$/);
      }
      const homes = await sql<{ kind: string }>`
        SELECT DISTINCT u.kind FROM people p JOIN units u ON u.id = p.unit_id`.execute(t.database.db);
      for (const h of homes.rows) assert.ok((PERSON_UNIT_KINDS as readonly string[]).includes(h.kind), h.kind);
      const resident = await sql<{ name: string }>`
        SELECT c.name FROM people p JOIN units u ON u.id = p.unit_id JOIN units c ON u.path LIKE c.path || '%'
        WHERE p.phone = ${DEMO_RESIDENT_PHONE} AND c.kind = 'community'`.execute(t.database.db);
      assert.deepEqual(
        resident.rows.map((r) => r.name),
        ['体育场社区'],
      );
    });

    test('every demo login signs in over HTTP and sees its own unit as the top of its scope', async () => {
      for (const login of DEMO_LOGINS) {
        const client: Client = anonymous(t);
        const signIn = await client.post('/api/auth/login', { username: login.username, password: DEMO_PASSWORD });
        assert.equal(signIn.statusCode, 200, `${login.username}: ${signIn.body}`);
        assert.equal(signIn.json().session.grants[0].roleCode, login.role);
        const roots = await client.get('/api/units');
        assert.equal(roots.statusCode, 200, `${login.username}: ${roots.body}`);
        const items = roots.json().items as Array<{ id: number }>;
        assert.equal(items.length, 1, login.username);
        assert.deepEqual(await unitNames(t.database.db, items[0]?.id as number), login.unit, login.username);
      }
    });

    test('every grid has a valid boundary and a point inside it is located in that grid', async () => {
      const grids = await sql<{ id: number; name: string; geojson: unknown; area: number }>`
        SELECT u.id, u.name, b.geojson, b.area FROM units u LEFT JOIN grid_boundaries b ON b.unit_id = u.id
        WHERE u.kind = 'grid' ORDER BY u.id`.execute(t.database.db);
      assert.ok(grids.rows.length >= 50);
      const client = anonymous(t);
      await client.post('/api/auth/login', { username: 'sysadmin', password: DEMO_PASSWORD });
      for (const grid of grids.rows) {
        assert.ok(grid.geojson, `${grid.name} has a boundary`);
        const polygon = validatePolygon(grid.geojson);
        assert.ok(Math.abs(polygon.area - grid.area) <= 1, `${grid.name} area`);
        const ring = polygon.outer;
        const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length;
        const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
        const located = await client.get(`/api/grids/locate?lng=${lng}&lat=${lat}`);
        assert.equal(located.statusCode, 200, located.body);
        assert.equal(located.json().grid?.id, grid.id, `${grid.name} at ${lng},${lat}`);
      }
    });

    test('a second start finds the data and loads nothing', async () => {
      const before = await fingerprint(t.database.db);
      const again = await t.database.transaction(async (trx) => loadDemoData(trx, await passwordHash));
      assert.equal(again, null);
      assert.deepEqual(await fingerprint(t.database.db), before);
      fingerprints.push({ kind, value: before });
    });
  });
}

describe('demo data is deterministic', () => {
  test('two fresh databases get identical rows, and every database kind the same', async () => {
    const kinds = await databaseKinds();
    const kind = kinds[kinds.length - 1] ?? 'embedded';
    const fresh = await freshDatabase(kind);
    try {
      await fresh.database.transaction(async (trx) => loadDemoData(trx, await passwordHash));
      const value = await fingerprint(fresh.database.db);
      assert.ok(fingerprints.length >= 1);
      for (const other of fingerprints) assert.deepEqual(value, other.value, `${kind} vs ${other.kind}`);
    } finally {
      await fresh.dispose();
    }
  });
});

async function unitNames(q: Queryable, id: number): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT a.name FROM units u JOIN units a ON u.path LIKE a.path || '%' WHERE u.id = ${id} ORDER BY a.depth`.execute(
    q,
  );
  return rows.map((r) => r.name);
}
