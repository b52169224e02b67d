import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  anonymous,
  type Client,
  createTestApp,
  errorCode,
  staffClient,
  type TestApp,
} from '../../../test/support/app.ts';
import {
  buildCaseWorld,
  type CaseWorld,
  IN_GRID_A,
  OUTSIDE_GRIDS,
  residentClient,
} from '../../../test/support/cases.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { ManualClock } from '../clock.ts';
import { withTransactionHooks } from '../db/database.ts';
import { purgeIdempotencyKeys, purgeIdempotencyKeysJob } from '../jobs/purge-idempotency-keys.ts';
import { ensureCaseNumberSequence } from '../modules/cases/cases.repository.ts';
import { IDEMPOTENCY_TTL_MS, idempotencyApplies, referenceOf, requestFingerprint } from './idempotency.ts';

const MONDAY_10 = '2026-11-23T02:00:00Z';
const HOUR = 60 * 60 * 1000;

function post(client: Client, url: string, payload: unknown, key?: string): Promise<LightMyRequestResponse> {
  return client.request({
    method: 'POST',
    url,
    payload: payload as object,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
}

for (const kind of await databaseKinds()) {
  describe(`Idempotency-Key (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let resident: Client & { accountId: number };
    const clock = new ManualClock(MONDAY_10);
    let seq = 0;
    const freshKey = () => `test-key-${kind}-${++seq}-${Math.random().toString(36).slice(2)}`;

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      resident = await residentClient(t, '13900001111');
      // Concurrent first intakes of a year race to create its number sequence (409 DUPLICATE on pg_class): not
      // what this file tests.
      await ensureCaseNumberSequence(t.database.db, clock.now().getUTCFullYear());
    });
    after(() => t.dispose());

    const count = async (table: 'cases' | 'idempotency_keys') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const intakeBody = (title = '小区垃圾清运不及时') => ({
      channel: 'hotline',
      categoryId: w.categories.garbage,
      location: IN_GRID_A,
      title,
      description: `${title}，垃圾桶满了三天`,
    });

    test('without the header nothing changes: two posts are two cases, no record', async () => {
      const cases = await count('cases');
      const keys = await count('idempotency_keys');
      assert.equal((await post(w.hotline, '/api/cases', intakeBody())).statusCode, 201);
      assert.equal((await post(w.hotline, '/api/cases', intakeBody())).statusCode, 201);
      assert.equal(await count('cases'), cases + 2);
      assert.equal(await count('idempotency_keys'), keys);
    });

    test('intake twice with one key: one case, the same answer, replayed', async () => {
      const key = freshKey();
      const cases = await count('cases');
      const first = await post(w.hotline, '/api/cases', intakeBody(), key);
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const second = await post(w.hotline, '/api/cases', intakeBody(), key);
      assert.equal(second.statusCode, 201, second.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.match(String(second.headers['content-type']), /application\/json/);
      assert.equal(second.body, first.body);
      assert.equal(await count('cases'), cases + 1);
      const row = await t.database.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('account_id', '=', w.hotline.accountId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      assert.equal(row.route, '/api/cases');
      assert.equal(row.response_status, 201);
      assert.deepEqual(row.reference, { caseId: first.json().case.id, eventId: row.reference?.eventId });
    });

    test("a resident's double tap on the report: one case, the same answer", async () => {
      const key = freshKey();
      const cases = await count('cases');
      const body = { description: '楼道灯坏了好几天', location: IN_GRID_A };
      const first = await post(resident, '/api/me/cases', body, key);
      assert.equal(first.statusCode, 201, first.body);
      const second = await post(resident, '/api/me/cases', body, key);
      assert.equal(second.statusCode, 201);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.deepEqual(second.json(), first.json());
      assert.equal(await count('cases'), cases + 1);
    });

    test('concurrent requests with one key create one case; the retry replays the winner', async (ctx) => {
      for (const [client, url, body] of [
        [w.hotline, '/api/cases', intakeBody('并发受理')],
        [resident, '/api/me/cases', { description: '并发随手拍', location: IN_GRID_A }],
      ] as const) {
        const key = freshKey();
        const cases = await count('cases');
        const pair = await Promise.all([1, 2, 3, 4].map(() => post(client, url, body, key)));
        const created = pair.filter((r) => r.statusCode === 201);
        assert.ok(created.length >= 1, pair.map((r) => r.body).join('\n'));
        for (const r of pair) {
          if (r.statusCode === 201) continue;
          assert.equal(r.statusCode, 409, r.body);
          assert.equal(errorCode(r), 'IDEMPOTENCY_IN_PROGRESS');
          assert.equal(r.headers['retry-after'], '1');
        }
        ctx.diagnostic(
          `${url}: ${pair.map((r) => `${r.statusCode}${r.headers['idempotent-replayed'] ? 'R' : ''}`).join(' ')}`,
        );
        assert.equal(await count('cases'), cases + 1, `${url}: one case`);
        const retry = await post(client, url, body, key);
        assert.equal(retry.statusCode, 201);
        assert.equal(retry.headers['idempotent-replayed'], 'true');
        assert.equal(retry.json().case.id, created[0]!.json().case.id);
        assert.equal(await count('cases'), cases + 1);
      }
    });

    test('the same key with another body or on another route is 422 and creates nothing', async () => {
      const key = freshKey();
      assert.equal((await post(w.hotline, '/api/cases', intakeBody('第一件'), key)).statusCode, 201);
      const cases = await count('cases');
      const otherBody = await post(w.hotline, '/api/cases', intakeBody('第二件'), key);
      assert.equal(otherBody.statusCode, 422, otherBody.body);
      assert.equal(errorCode(otherBody), 'IDEMPOTENCY_KEY_REUSED');
      const otherRoute = await post(
        w.hotline,
        '/api/me/saved-filters',
        { page: 'worklist', name: 'x', query: {} },
        key,
      );
      assert.equal(otherRoute.statusCode, 422, otherRoute.body);
      assert.equal(await count('cases'), cases);
    });

    test("another account's key is another key: never their answer", async () => {
      const key = freshKey();
      const cases = await count('cases');
      const mine = await post(w.hotline, '/api/cases', intakeBody('各自受理'), key);
      const other = await staffClient(t, `hotline.other.${kind}`, [
        { role: 'hotlineOperator', unitId: w.territory.district.id },
      ]);
      const theirs = await post(other, '/api/cases', intakeBody('各自受理'), key);
      assert.equal(mine.statusCode, 201);
      assert.equal(theirs.statusCode, 201);
      assert.equal(theirs.headers['idempotent-replayed'], undefined);
      assert.notEqual(theirs.json().case.id, mine.json().case.id);
      assert.equal(await count('cases'), cases + 2);
    });

    test('a refused request leaves no record: the retry with the same key runs again', async () => {
      const key = freshKey();
      const keys = await count('idempotency_keys');
      const refused = await post(resident, '/api/me/cases', { description: '井盖丢了', location: OUTSIDE_GRIDS }, key);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(await count('idempotency_keys'), keys);
      const again = await post(resident, '/api/me/cases', { description: '井盖丢了', location: IN_GRID_A }, key);
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.headers['idempotent-replayed'], undefined);
      assert.equal(await count('idempotency_keys'), keys + 1);
    });

    test('a transaction that rolls back takes its record with it', async () => {
      const keys = await count('idempotency_keys');
      const settled: boolean[] = [];
      let offered = 0;
      await assert.rejects(
        withTransactionHooks(
          {
            next: () => {
              offered += 1;
              return {
                beforeCommit: async (trx) => {
                  await trx
                    .insertInto('idempotency_keys')
                    .values({
                      account_id: resident.accountId,
                      key: freshKey(),
                      method: 'POST',
                      route: '/x',
                      fingerprint: 'f',
                      created_at: clock.now(),
                    })
                    .execute();
                  throw new Error('the commit fails');
                },
                settled: (committed) => settled.push(committed),
              };
            },
          },
          () => t.database.transaction(async () => 1),
        ),
        /the commit fails/,
      );
      assert.equal(offered, 1);
      assert.deepEqual(settled, [false]);
      assert.equal(await count('idempotency_keys'), keys);
    });

    test('committed but the answer was lost (a crash): the retry creates nothing and names the case', async () => {
      const key = freshKey();
      const first = await post(w.hotline, '/api/cases', intakeBody('崩溃窗口'), key);
      assert.equal(first.statusCode, 201);
      // What a kill -9 between the commit and storing the answer leaves behind.
      await t.database.db
        .updateTable('idempotency_keys')
        .set({ response_status: null, response_body: null, response_type: null, completed_at: null })
        .where('account_id', '=', w.hotline.accountId)
        .where('key', '=', key)
        .execute();
      const cases = await count('cases');
      const retry = await post(w.hotline, '/api/cases', intakeBody('崩溃窗口'), key);
      assert.equal(retry.statusCode, 409, retry.body);
      assert.equal(errorCode(retry), 'IDEMPOTENCY_IN_PROGRESS');
      const details = retry.json().error.details;
      assert.equal(details.committed, true);
      assert.equal(details.reference.caseId, first.json().case.id);
      assert.equal(details.answerLost, false);
      clock.advance(2 * 60_000);
      const later = await post(w.hotline, '/api/cases', intakeBody('崩溃窗口'), key);
      assert.equal(later.json().error.details.answerLost, true);
      assert.equal(await count('cases'), cases);
    });

    test('every POST takes the header: a malformed key is 400 on each, a good one passes the check', async () => {
      const posts = t.app.routeTable.filter((r) => r.method === 'POST');
      assert.ok(posts.length >= 30, `${posts.length} POST routes`);
      const spec = (await anonymous(t).get('/api/openapi.json')).json();
      let documented = 0;
      const signedIn = await staffClient(t, `walker.${kind}`, [
        { role: 'hotlineOperator', unitId: w.territory.district.id },
      ]);
      for (const route of posts) {
        const url = route.url.replace(/:\w+/g, '1');
        for (const bad of ['', 'has space', 'ключ', 'x'.repeat(256)]) {
          for (const client of [anonymous(t), signedIn]) {
            const response = await post(client, url, {}, bad);
            assert.equal(response.statusCode, 400, `${route.url} with ${JSON.stringify(bad)}: ${response.body}`);
            assert.equal(errorCode(response), 'IDEMPOTENCY_KEY_INVALID', route.url);
          }
        }
        const good = await post(signedIn, url, {}, freshKey());
        assert.notEqual(good.statusCode >= 400 ? errorCode(good) : '', 'IDEMPOTENCY_KEY_INVALID', route.url);
        const path = route.url.replace(/:(\w+)/g, '{$1}');
        const parameters = (spec.paths[path]?.post?.parameters ?? []) as Array<{ in: string; name: string }>;
        const hasHeader = parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key');
        assert.equal(
          route.idempotent,
          idempotencyApplies('POST', { access: route.access }) && !OPTED_OUT.has(route.url),
        );
        if (spec.paths[path]?.post) assert.equal(hasHeader, route.idempotent, `${route.url} documents the header`);
        if (hasHeader) documented += 1;
      }
      assert.ok(documented >= 25, `${documented} routes document Idempotency-Key`);
    });

    test('sign-in takes a key but keeps no record', async () => {
      const keys = await count('idempotency_keys');
      const otp = await post(anonymous(t), '/api/auth/otp', { phone: '13900002222' }, freshKey());
      assert.equal(otp.statusCode, 200, otp.body);
      assert.equal(await count('idempotency_keys'), keys);
    });

    test('records older than 24 hours are purged by the background job, newer ones kept', async () => {
      const now = clock.now();
      const at = (ms: number) => new Date(now.getTime() - ms);
      const old = [freshKey(), freshKey(), freshKey()];
      const recent = freshKey();
      for (const [key, createdAt] of [
        ...old.map((k) => [k, at(IDEMPOTENCY_TTL_MS + HOUR)] as const),
        [recent, at(IDEMPOTENCY_TTL_MS - HOUR)] as const,
      ]) {
        await t.database.db
          .insertInto('idempotency_keys')
          .values({
            account_id: resident.accountId,
            key,
            method: 'POST',
            route: '/api/me/cases',
            fingerprint: 'f',
            created_at: createdAt,
          })
          .execute();
      }
      const left = async () =>
        (
          await t.database.db
            .selectFrom('idempotency_keys')
            .select('key')
            .where('key', 'in', [...old, recent])
            .execute()
        ).map((r) => r.key);
      assert.equal(await purgeIdempotencyKeys(t.database, now, 2), 2, 'bounded batches');
      const processed = await purgeIdempotencyKeysJob.run(
        { database: t.database, config: t.config, clock, log: { error() {}, debug() {} } },
        purgeIdempotencyKeysJob.limit,
      );
      assert.ok(processed >= 1);
      assert.deepEqual(await left(), [recent]);
    });
  });
}

/** The routes that opt out (config.idempotency 'off'): their answers hold personal data or a temporary password. */
const OPTED_OUT = new Set([
  '/api/cases/:id/reporter/reveal',
  '/api/people/:id/reveal',
  '/api/accounts',
  '/api/accounts/:id/reset-password',
]);

describe('Idempotency-Key helpers', () => {
  test('the fingerprint ignores key order and sees every part', () => {
    const base = {
      method: 'POST',
      route: '/api/cases',
      params: { id: '1' },
      query: {},
      body: { a: 1, b: [1, { c: 2, d: 3 }] },
    };
    const same = { ...base, body: { b: [1, { d: 3, c: 2 }], a: 1 } };
    assert.equal(requestFingerprint(base), requestFingerprint(same));
    assert.notEqual(requestFingerprint(base), requestFingerprint({ ...base, params: { id: '2' } }));
    assert.notEqual(requestFingerprint(base), requestFingerprint({ ...base, route: '/api/me/cases' }));
    assert.notEqual(requestFingerprint(base), requestFingerprint({ ...base, body: { a: 2, b: [1, { c: 2, d: 3 }] } }));
  });

  test('the reference keeps only ids from the creating transaction', () => {
    assert.deepEqual(referenceOf(12), { id: 12 });
    assert.deepEqual(referenceOf({ caseId: 3, eventId: 9, state: 'new', version: 1 }), { caseId: 3, eventId: 9 });
    assert.equal(referenceOf({ token: 'secret' }), null);
    assert.equal(referenceOf(undefined), null);
  });
});
