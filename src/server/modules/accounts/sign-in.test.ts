import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  anonymous,
  buildTerritory,
  Client,
  createTestApp,
  errorCode,
  staffClient,
  TEST_PASSWORD,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

/** Sign-in as a user meets it, through HTTP: lockout, unlock, session rotation and expiry, one-time codes. */
for (const kind of await databaseKinds()) {
  describe(`sign-in (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    before(async () => {
      t = await createTestApp(kind, { LOGIN_MAX_FAILURES: '3', SESSION_IDLE_MINUTES: '30' });
      territory = await buildTerritory(t.database);
    });
    after(() => t.dispose());

    const login = (client: Client, username: string, password: string) =>
      client.post('/api/auth/login', { username, password });

    test('wrong passwords are audited and lock the account; an administrator unlocks it', async () => {
      const admin = await staffClient(t, 'street-admin', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      const worker = await staffClient(t, 'locky', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const client = anonymous(t);
      for (let i = 1; i < 3; i += 1) {
        const wrong = await login(client, 'locky', `Wrong-Passw0rd-${i}`);
        assert.equal(wrong.statusCode, 401);
        assert.equal(errorCode(wrong), 'INVALID_CREDENTIALS');
      }
      const third = await login(client, 'locky', 'Wrong-Passw0rd-3');
      assert.equal(third.statusCode, 423);
      assert.equal(errorCode(third), 'ACCOUNT_LOCKED');
      const right = await login(client, 'locky', TEST_PASSWORD);
      assert.equal(right.statusCode, 423, 'even the right password is refused while locked');

      const failures = await t.database.db
        .selectFrom('audit_log')
        .select(['actor_account_id', 'detail'])
        .where('action', '=', 'auth.login')
        .where('outcome', '=', 'failure')
        .where('actor_account_id', '=', worker.accountId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        failures.map((f) => (f.detail as { reason: string }).reason),
        ['badPassword', 'badPassword', 'badPassword', 'locked'],
      );

      const state = (await admin.get(`/api/accounts/${worker.accountId}`)).json().account;
      assert.equal(state.locked, true);
      assert.equal(state.failedLogins, 3);
      assert.ok(state.lockedUntil);
      const unlocked = await admin.post(`/api/accounts/${worker.accountId}/unlock`);
      assert.equal(unlocked.statusCode, 200, unlocked.body);
      assert.equal(unlocked.json().account.locked, false);
      assert.equal(unlocked.json().account.failedLogins, 0);
      const after = await login(client, 'locky', TEST_PASSWORD);
      assert.equal(after.statusCode, 200, after.body);
      const lastLogin = (await admin.get(`/api/accounts/${worker.accountId}`)).json().account.lastLoginAt;
      assert.ok(lastLogin);

      const unknown = await login(anonymous(t), 'nobody-here', 'Whatever-123');
      assert.equal(errorCode(unknown), 'INVALID_CREDENTIALS');
      const unknownEntry = await t.database.db
        .selectFrom('audit_log')
        .select(['outcome', 'actor_account_id'])
        .where('action', '=', 'auth.login')
        .where('actor_name', '=', 'nobody-here')
        .executeTakeFirstOrThrow();
      assert.deepEqual(unknownEntry, { outcome: 'failure', actor_account_id: null });
    });

    test('signing in issues a new session cookie and drops the previous session', async () => {
      await staffClient(t, 'rotator', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const client = anonymous(t);
      assert.equal((await login(client, 'rotator', TEST_PASSWORD)).statusCode, 200);
      const first = client.cookie;
      assert.ok(first);
      assert.equal((await login(client, 'rotator', TEST_PASSWORD)).statusCode, 200);
      const second = client.cookie;
      assert.ok(second && second !== first);
      const old = new Client(t.app, first);
      assert.equal((await old.get('/api/auth/session')).statusCode, 401);
      assert.equal((await client.get('/api/auth/session')).statusCode, 200);
    });

    test('a session idle for longer than SESSION_IDLE_MINUTES ends', async () => {
      const idle = await staffClient(t, 'idler', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      await sql`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE account_id = ${idle.accountId}`.execute(
        t.database.db,
      );
      assert.equal((await idle.get('/api/auth/session')).statusCode, 200, 'still inside the idle limit');
      await sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE account_id = ${idle.accountId}`.execute(
        t.database.db,
      );
      const expired = await idle.get('/api/auth/session');
      assert.equal(expired.statusCode, 401);
      assert.equal(errorCode(expired), 'UNAUTHENTICATED');
      const left = await t.database.db
        .selectFrom('sessions')
        .select('id')
        .where('account_id', '=', idle.accountId)
        .execute();
      assert.equal(left.length, 0);
    });

    test('a one-time code signs a resident in once; a replay fails', async () => {
      const phone = '13800000001';
      const client = anonymous(t);
      const sent = await client.post('/api/auth/otp', { phone });
      assert.equal(sent.statusCode, 200, sent.body);
      const code = t.otpSender.lastCode(phone)!;
      assert.match(code, /^\d{6}$/);
      const verified = await client.post('/api/auth/otp/verify', { phone, code });
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(verified.json().session.kind, 'resident');
      const replay = await anonymous(t).post('/api/auth/otp/verify', { phone, code });
      assert.equal(replay.statusCode, 401);
      assert.equal(errorCode(replay), 'INVALID_CODE');
    });

    test('five wrong codes burn the code', async () => {
      const phone = '13800000002';
      const client = anonymous(t);
      assert.equal((await client.post('/api/auth/otp', { phone })).statusCode, 200);
      const code = t.otpSender.lastCode(phone)!;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i += 1) {
        const attempt = await client.post('/api/auth/otp/verify', { phone, code: wrong });
        assert.equal(errorCode(attempt), 'INVALID_CODE');
      }
      const late = await client.post('/api/auth/otp/verify', { phone, code });
      assert.equal(late.statusCode, 401, 'the right code no longer works');
      const failures = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'auth.otpLogin')
        .where('outcome', '=', 'failure')
        .executeTakeFirstOrThrow();
      assert.ok(Number(failures.n) >= 6);
    });

    test('codes for one phone are rate limited: one a minute, a few an hour', async () => {
      const phone = '13800000003';
      const client = anonymous(t);
      assert.equal((await client.post('/api/auth/otp', { phone })).statusCode, 200);
      const tooSoon = await client.post('/api/auth/otp', { phone });
      assert.equal(tooSoon.statusCode, 429);
      assert.equal(errorCode(tooSoon), 'RATE_LIMITED');
      assert.ok(tooSoon.headers['retry-after']);
      // Pretend each earlier code was asked for a few minutes ago: the minute rule passes, the hourly one counts.
      const age = () =>
        sql`UPDATE otp_challenges SET created_at = created_at - interval '2 minutes' WHERE phone = ${phone}`.execute(
          t.database.db,
        );
      for (let i = 1; i < t.config.otpPerPhonePerHour; i += 1) {
        await age();
        assert.equal((await client.post('/api/auth/otp', { phone })).statusCode, 200, `request ${i + 1}`);
      }
      await age();
      const hourly = await client.post('/api/auth/otp', { phone });
      assert.equal(hourly.statusCode, 429);
      assert.equal(errorCode(hourly), 'RATE_LIMITED');
    });
  });
}
