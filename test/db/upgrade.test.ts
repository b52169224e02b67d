import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import { systemClock } from '../../src/server/clock.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/database.ts';
import { listMigrations, migrate, migrationStatus } from '../../src/server/db/migrate.ts';
import type { App } from '../../src/server/http/context.ts';
import { DevelopmentOtpSender } from '../../src/server/modules/auth/otp-sender.ts';
import { hashPassword } from '../../src/server/modules/auth/password.ts';
import {
  createNotificationBus,
  type NotificationBus,
} from '../../src/server/modules/notifications/notification-bus.ts';
import { Client } from '../support/app.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * Upgrades: a database made by an older schema, with data written the way that schema took it (plain SQL, no
 * code of today), is migrated to the latest by the app's own migrate(), and the app then serves the old data.
 * The oldest schema is the first release's core (territory, accounts, built-in roles: migrations 0001–0003);
 * the mid-point is the first case loop (up to 0160), with a case and its timeline.
 */
const OLDEST = '20261123_0003_builtin_roles.sql';
const CASES_ERA = '20261123_0160_case_worklist_indexes.sql';
const PASSWORD = 'Old-Schema-Passw0rd!';

const config = loadConfig({
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  DATA_DIR: '/tmp/linli-test-unused',
  WEB_DIR: '/nonexistent',
  LOG_LEVEL: 'silent',
});

async function serve(database: Database): Promise<{ app: App; close(): Promise<void> }> {
  const notificationBus: NotificationBus = await createNotificationBus(database, undefined);
  const app = await buildApp(
    { database, config, otpSender: new DevelopmentOtpSender(), clock: systemClock, notificationBus },
    { logger: false },
  );
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await notificationBus.close();
    },
  };
}

async function signIn(app: App, username: string): Promise<Client> {
  const client = new Client(app);
  const response = await client.post('/api/auth/login', { username, password: PASSWORD });
  assert.equal(response.statusCode, 200, response.body);
  return client;
}

/** Territory, people, Party, staff accounts with grants, sessions and audit rows, as the 0001–0003 schema took them. */
async function oldestSchemaData(database: Database, passwordHash: string) {
  await sql
    .raw(`
    INSERT INTO units (id, parent_id, kind, name, code, path, depth, sort_order, phone, address) VALUES
      (1, NULL, 'city',      '旧市',       '410100', '/1/',         0, 0, '0371-1000000', '旧市人民路1号'),
      (2, 1,    'district',  '旧区',       '410105', '/1/2/',       1, 0, NULL, NULL),
      (3, 2,    'street',    '旧街道',     NULL,     '/1/2/3/',     2, 0, NULL, NULL),
      (4, 3,    'community', '旧社区',     NULL,     '/1/2/3/4/',   3, 0, '0371-2000000', '旧街1号'),
      (5, 4,    'grid',      '旧社区第一网格', NULL, '/1/2/3/4/5/', 4, 1, NULL, NULL),
      (6, 2,    'department', '旧区城市管理局', NULL, '/1/2/6/',    2, 9, NULL, NULL);
    SELECT setval(pg_get_serial_sequence('units', 'id'), 6);
    INSERT INTO grid_boundaries (unit_id, geojson, outline, area) VALUES
      (5, '{"type":"Polygon","coordinates":[[[113.6,34.7],[113.61,34.7],[113.61,34.71],[113.6,34.71],[113.6,34.7]]]}',
       '((113.6,34.7),(113.61,34.7),(113.61,34.71),(113.6,34.71))', 1000000);
    INSERT INTO people (id, name, gender, birth_date, phone, id_number, unit_id, address, is_resident) VALUES
      (1, '张旧民', 'male',   '1960-05-01', '13900000001', NULL, 5, '旧街1号1栋', true),
      (2, '李网格', 'female', '1988-09-12', '13900000002', NULL, 5, NULL, false);
    SELECT setval(pg_get_serial_sequence('people', 'id'), 2);
    INSERT INTO unit_posts (unit_id, person_id, post, services) VALUES (5, 2, 'gridWorker', '环境卫生');
    INSERT INTO care_persons (person_id, kinds, note, visit_cycle_days, responsible_person_id)
      VALUES (1, ARRAY['elderly'], '独居', 30, 2);
    INSERT INTO party_orgs (id, parent_id, kind, name, path, secretary_person_id)
      VALUES (1, NULL, 'branch', '旧社区党支部', '/1/', 2);
    SELECT setval(pg_get_serial_sequence('party_orgs', 'id'), 1);
    INSERT INTO party_org_units (party_org_id, unit_id) VALUES (1, 4);
    INSERT INTO party_members (person_id, party_org_id, status, joined_on) VALUES (2, 1, 'full', '2010-07-01');
  `)
    .execute(database.db);
  const accounts = [
    ['old.admin', '旧管理员', null, 'systemAdmin', 1],
    ['old.grid', '李网格', 2, 'gridWorker', 5],
    ['old.auditor', '旧审计员', null, 'auditor', 1],
  ] as const;
  for (const [username, name, personId, role, unitId] of accounts) {
    await sql`
      WITH account AS (
        INSERT INTO accounts (kind, username, password_hash, person_id, display_name, password_changed_at)
        VALUES ('staff', ${username}, ${passwordHash}, ${personId}, ${name}, now() - interval '10 days')
        RETURNING id
      )
      INSERT INTO role_grants (account_id, role_id, unit_id)
      SELECT account.id, roles.id, ${unitId} FROM account, roles WHERE roles.code = ${role}`.execute(database.db);
  }
  await sql`
    INSERT INTO audit_log (at, actor_account_id, actor_name, action, outcome, target_type, target_id, unit_id, ip, detail)
    SELECT now() - interval '3 days', id, display_name, 'auth.login', 'success', 'account', id::text, 1, '10.0.0.8',
           '{"method":"password"}'::jsonb
      FROM accounts WHERE username = 'old.admin'`.execute(database.db);
  await sql`
    INSERT INTO sessions (id, account_id, csrf_token, expires_at)
    SELECT 'old-session-hash', id, 'old-csrf', now() + interval '1 hour' FROM accounts WHERE username = 'old.grid'`.execute(
    database.db,
  );
}

/** A hotline appeal classified to the grid, with its two events and the grid's assignment, as 0100–0160 stored it. */
async function casesEraData(database: Database) {
  await sql
    .raw(`
    INSERT INTO cases (id, number, case_type, urgency, channel, title, description, lng, lat, location, address,
                       grid_id, territory_unit_id, territory_path, reporter_name, reporter_phone, state,
                       owner_unit_id, owner_unit_path, limit_kind, limit_started_at, orange_at, due_at,
                       next_colour_at, event_count, created_at, updated_at, dispatched_at)
    VALUES (1, 'LL-2026-000001', 'appeal', 'normal', 'hotline', '旧社区路灯不亮', '旧街1号门口路灯坏了一周', 113.605, 34.705,
            point(113.605, 34.705), '旧街1号', 5, 5, '/1/2/3/4/5/', '张旧民', '13900000001', 'inGrid',
            5, '/1/2/3/4/5/', 'response', now() - interval '2 hours', now() + interval '1 day', now() + interval '2 days',
            now() + interval '1 day', 2, now() - interval '2 hours', now() - interval '1 hour', now() - interval '1 hour');
    SELECT setval(pg_get_serial_sequence('cases', 'id'), 1);
    INSERT INTO case_events (id, case_id, seq, action, from_state, to_state, actor_account_id, actor_unit_id,
                             actor_name, owner_unit_id, note, created_at)
    SELECT 1, 1, 1, 'intake', NULL, 'received', id, 1, display_name, 2, '热线来电', now() - interval '2 hours'
      FROM accounts WHERE username = 'old.admin';
    INSERT INTO case_events (id, case_id, seq, action, from_state, to_state, actor_account_id, actor_unit_id,
                             actor_name, owner_unit_id, created_at)
    SELECT 2, 1, 2, 'classify', 'received', 'inGrid', id, 1, display_name, 5, now() - interval '1 hour'
      FROM accounts WHERE username = 'old.admin';
    SELECT setval(pg_get_serial_sequence('case_events', 'id'), 2);
    INSERT INTO case_assignments (case_id, unit_id, unit_path, role, status, round, assigned_at, response_due_at, event_id)
      VALUES (1, 5, '/1/2/3/4/5/', 'owner', 'pending', 1, now() - interval '1 hour', now() + interval '1 day', 2);
  `)
    .execute(database.db);
}

const passwordHash = hashPassword(PASSWORD);
const all = listMigrations();

for (const kind of await databaseKinds()) {
  describe(`upgrade from the oldest released schema (${kind})`, () => {
    let t: TestDatabase;
    let served: Awaited<ReturnType<typeof serve>>;
    let applied: string[];
    before(async () => {
      t = await freshDatabase(kind, { migrate: false });
      const first = await migrate(t.database, undefined, { upTo: OLDEST });
      assert.deepEqual(
        first,
        all.slice(0, 3).map((m) => m.name),
      );
      await oldestSchemaData(t.database, await passwordHash);
      applied = await migrate(t.database);
      served = await serve(t.database);
    });
    after(async () => {
      await served?.close();
      await t?.dispose();
    });

    test('every later migration applies over the data and none is left pending', async () => {
      assert.deepEqual(
        applied,
        all.slice(3).map((m) => m.name),
      );
      assert.deepEqual((await migrationStatus(t.database)).pending, []);
    });

    test('the old administrator signs in and reads the old territory and people', async () => {
      const admin = await signIn(served.app, 'old.admin');
      const unit = await admin.get('/api/units/4');
      assert.equal(unit.statusCode, 200, unit.body);
      assert.equal((unit.json() as { unit: { name: string } }).unit.name, '旧社区');
      const person = await admin.get('/api/people/1');
      assert.equal(person.statusCode, 200, person.body);
      assert.equal((person.json() as { person: { name: string } }).person.name, '张旧民');
    });

    test("the old grid worker's grants still scope them to their grid", async () => {
      const grid = await signIn(served.app, 'old.grid');
      assert.equal((await grid.get('/api/units/5')).statusCode, 200);
      assert.equal((await grid.get('/api/units/6')).statusCode, 404, 'the department is outside the grid');
    });

    test('the old audit rows are there for the auditor, still append-only', async () => {
      const auditor = await signIn(served.app, 'old.auditor');
      const page = await auditor.get('/api/audit?action=auth.login');
      assert.equal(page.statusCode, 200, page.body);
      const items = (page.json() as { items: Array<{ actorName: string | null; ip: string | null }> }).items;
      assert.ok(
        items.some((i) => i.actorName === '旧管理员' && i.ip === '10.0.0.8'),
        'the row written at the oldest schema',
      );
      await assert.rejects(sql`UPDATE audit_log SET action = 'x'`.execute(t.database.db), /append-only/);
    });

    test('new records get ids after the old ones', async () => {
      const admin = await signIn(served.app, 'old.admin');
      const created = await admin.post('/api/units', { parentId: 4, kind: 'grid', name: '旧社区第二网格' });
      assert.equal(created.statusCode, 201, created.body);
      assert.ok((created.json() as { unit: { id: number } }).unit.id > 6);
    });
  });

  describe(`upgrade from the first case-loop schema (${kind})`, () => {
    let t: TestDatabase;
    let served: Awaited<ReturnType<typeof serve>>;
    before(async () => {
      t = await freshDatabase(kind, { migrate: false });
      await migrate(t.database, undefined, { upTo: OLDEST });
      await oldestSchemaData(t.database, await passwordHash);
      await migrate(t.database, undefined, { upTo: CASES_ERA });
      await casesEraData(t.database);
      await migrate(t.database);
      served = await serve(t.database);
    });
    after(async () => {
      await served?.close();
      await t?.dispose();
    });

    test('the old case is served with its timeline and the actions its state allows', async () => {
      const admin = await signIn(served.app, 'old.admin');
      const response = await admin.get('/api/cases/1');
      assert.equal(response.statusCode, 200, response.body);
      const body = (response.json() as { case: unknown }).case as {
        number: string;
        state: string;
        title: string;
        events: Array<{ action: string }>;
        allowedActions: string[];
      };
      assert.equal(body.number, 'LL-2026-000001');
      assert.equal(body.state, 'inGrid');
      assert.equal(body.title, '旧社区路灯不亮');
      assert.deepEqual(
        body.events.map((e) => e.action),
        ['intake', 'classify'],
      );
      assert.ok(body.allowedActions.length > 0);
    });

    test('the old case is in the lists and its grid worker can act on it', async () => {
      const grid = await signIn(served.app, 'old.grid');
      const list = await grid.get('/api/cases');
      assert.equal(list.statusCode, 200, list.body);
      assert.ok((list.json() as { items: Array<{ id: number }> }).items.some((c) => c.id === 1));
      const detail = await grid.get('/api/cases/1');
      assert.equal(detail.statusCode, 200, detail.body);
      const actions = (detail.json() as { case: { allowedActions: string[] } }).case.allowedActions;
      assert.ok(actions.includes('escalate'), `the grid (owner) may escalate: ${actions.join(', ')}`);
    });
  });
}
