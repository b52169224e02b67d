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
import { purgeExpiredSessions, SESSION_COOKIE } from './session.service.ts';

for (const kind of await databaseKinds()) {
  describe(`session purge (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind);
    });
    after(() => t.dispose());

    test('sessions past the idle or the absolute limit are deleted, live ones stay usable', async () => {
      const territory = await buildTerritory(t.database);
      const live = await staffClient(t, 'purge-live', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const idle = await staffClient(t, 'purge-idle', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const old = await staffClient(t, 'purge-old', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      await t.database.db
        .updateTable('sessions')
        .set({ last_seen_at: sql`now() - interval '2 days'` })
        .where('account_id', '=', idle.accountId)
        .execute();
      await t.database.db
        .updateTable('sessions')
        .set({ expires_at: sql`now() - interval '1 minute'` })
        .where('account_id', '=', old.accountId)
        .execute();

      assert.equal(await purgeExpiredSessions(t.database.db, t.config), 2);
      const left = await t.database.db.selectFrom('sessions').select('account_id').execute();
      assert.deepEqual(
        left.map((r) => r.account_id),
        [live.accountId],
      );
      assert.equal((await live.get('/api/auth/session')).statusCode, 200);
      assert.equal((await idle.get('/api/auth/session')).statusCode, 401);
    });
  });
}

/**
 * The session rules of 等保 level 3 and ASVS V3, through HTTP: both timeouts follow their settings, the cookie
 * is HttpOnly and SameSite (Secure behind TLS), every unsafe request carries the session's CSRF token, and a
 * chosen password meets the policy.
 */
for (const kind of await databaseKinds()) {
  describe(`session rules (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    before(async () => {
      t = await createTestApp(kind, { SESSION_IDLE_MINUTES: '10', SESSION_ABSOLUTE_HOURS: '2' });
      territory = await buildTerritory(t.database);
    });
    after(() => t.dispose());

    const signIn = async (username: string) => {
      await staffClient(t, username, [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const client = anonymous(t);
      const response = await client.post('/api/auth/login', { username, password: TEST_PASSWORD });
      assert.equal(response.statusCode, 200, response.body);
      return { client, response };
    };
    const sessionsOf = (accountId: number) =>
      t.database.db.selectFrom('sessions').select(['id']).where('account_id', '=', accountId).execute();

    test('the cookie is HttpOnly, SameSite=Lax, not Secure without TLS, and lasts SESSION_ABSOLUTE_HOURS', async () => {
      const { response } = await signIn('cookie.user');
      const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.secure, undefined);
      assert.equal(cookie.path, '/');
      const row = await t.database.db
        .selectFrom('sessions as s')
        .innerJoin('accounts as a', 'a.id', 's.account_id')
        .select(['s.expires_at', 's.created_at'])
        .where('a.username', '=', 'cookie.user')
        .executeTakeFirstOrThrow();
      const hours = (row.expires_at.getTime() - row.created_at.getTime()) / 3_600_000;
      assert.ok(Math.abs(hours - 2) < 0.05, `the session lasts ${hours} h`);
      assert.equal(new Date(cookie.expires as Date).getTime(), Math.floor(row.expires_at.getTime() / 1000) * 1000);
    });

    test('a session past SESSION_ABSOLUTE_HOURS ends however busy it is; one idle past SESSION_IDLE_MINUTES too', async () => {
      const busy = await staffClient(t, 'busy.user', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      assert.equal((await busy.get('/api/auth/session')).statusCode, 200);
      // Active a moment ago, but signed in longer ago than the absolute limit.
      await sql`UPDATE sessions SET last_seen_at = now(), expires_at = now() - interval '1 second'
        WHERE account_id = ${busy.accountId}`.execute(t.database.db);
      const ended = await busy.get('/api/auth/session');
      assert.equal(ended.statusCode, 401);
      assert.equal(errorCode(ended), 'UNAUTHENTICATED');
      assert.deepEqual(await sessionsOf(busy.accountId), [], 'the ended session is deleted');

      const idle = await staffClient(t, 'idle.user', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      await sql`UPDATE sessions SET last_seen_at = now() - interval '9 minutes'
        WHERE account_id = ${idle.accountId}`.execute(t.database.db);
      assert.equal((await idle.get('/api/auth/session')).statusCode, 200, 'within the 10 idle minutes');
      await sql`UPDATE sessions SET last_seen_at = now() - interval '11 minutes'
        WHERE account_id = ${idle.accountId}`.execute(t.database.db);
      assert.equal((await idle.get('/api/auth/session')).statusCode, 401, 'idle for 11 of 10 minutes');
    });

    test('unsafe requests need the session’s own CSRF token; safe ones do not', async () => {
      const { client } = await signIn('csrf.user');
      const other = await signIn('csrf.other');
      const post = (token: string | undefined) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { cookie: `${SESSION_COOKIE}=${client.cookie}`, ...(token ? { 'x-csrf-token': token } : {}) },
        });
      for (const [what, token] of [
        ['no token', undefined],
        ['a wrong token', 'not-the-token'],
        ['another session’s token', other.client.csrfToken],
        [
          'the token with a character changed',
          `${client.csrfToken!.slice(0, -1)}${client.csrfToken!.endsWith('x') ? 'y' : 'x'}`,
        ],
      ] as const) {
        const refused = await post(token);
        assert.equal(refused.statusCode, 403, what);
        assert.equal(errorCode(refused), 'CSRF_FAILED', what);
      }
      assert.equal((await client.get('/api/auth/session')).statusCode, 200, 'still signed in: nothing happened');
      // A signed-in browser posting to a public route (signing in again) must prove it too.
      const relogin = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { cookie: `${SESSION_COOKIE}=${client.cookie}` },
        payload: { username: 'csrf.user', password: TEST_PASSWORD },
      });
      assert.equal(errorCode(relogin), 'CSRF_FAILED');
      assert.equal((await post(client.csrfToken)).statusCode, 200, 'with its own token the request goes through');
    });

    test('a new password must meet the policy; a refused one changes nothing', async () => {
      const { client } = await signIn('policy.user');
      for (const [password, problem] of [
        ['Sh0rt-pw', 'tooShort'],
        ['alllowercaseletters', 'tooSimple'],
        ['Policy.User-2026x', 'containsUsername'],
        ['Password-2026!', 'common'],
      ] as const) {
        const refused = await client.post('/api/auth/password', {
          currentPassword: TEST_PASSWORD,
          newPassword: password,
        });
        assert.equal(refused.statusCode, 400, `${password}: ${refused.body}`);
        assert.equal(errorCode(refused), 'WEAK_PASSWORD');
        assert.ok(refused.json().error.details.problems.includes(problem), `${password}: ${refused.body}`);
      }
      assert.equal((await client.get('/api/auth/session')).statusCode, 200, 'the session is kept');
      const again = await anonymous(t).post('/api/auth/login', { username: 'policy.user', password: TEST_PASSWORD });
      assert.equal(again.statusCode, 200, 'the old password still works');
      // A good one is taken; the session is rotated (the old cookie ends) and the old password no longer works.
      const before = client.cookie;
      const changed = await client.post('/api/auth/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'Green-Lantern-2026',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.notEqual(client.cookie, before);
      assert.equal((await new Client(t.app, before).get('/api/auth/session')).statusCode, 401);
      const old = await anonymous(t).post('/api/auth/login', { username: 'policy.user', password: TEST_PASSWORD });
      assert.equal(errorCode(old), 'INVALID_CREDENTIALS');
    });
  });

  describe(`cookies behind TLS (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind, { COOKIE_SECURE: 'true' });
    });
    after(() => t.dispose());

    test('with COOKIE_SECURE the session cookie is Secure', async () => {
      const territory = await buildTerritory(t.database);
      await staffClient(t, 'tls.user', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const response = await anonymous(t).post('/api/auth/login', { username: 'tls.user', password: TEST_PASSWORD });
      assert.equal(response.statusCode, 200, response.body);
      const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.equal(cookie.secure, true);
      assert.equal(cookie.httpOnly, true);
    });
  });
}
