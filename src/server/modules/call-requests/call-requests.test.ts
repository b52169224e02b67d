import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, errorCode, insertUnit, type TestApp, type TestUnit } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, residentClient } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';

// Monday 2026-11-23 10:00 in Shanghai (Asia/Shanghai, UTC+8): working time, no holiday near.
const MONDAY_10 = '2026-11-23T02:00:00Z';
// Friday 2026-11-27 20:00 in Shanghai: after the working day.
const FRIDAY_20 = '2026-11-27T12:00:00Z';

const GRID_WORKER_PHONE = '13911110000';

for (const kind of await databaseKinds()) {
  describe(`call requests 一键呼叫 (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let compound: TestUnit;
    const clock = new ManualClock(MONDAY_10);
    let phoneSeq = 0;
    const nextPhone = () => {
      phoneSeq += 1;
      return `1380000${String(phoneSeq).padStart(4, '0')}`;
    };
    /** A resident living in a compound of grid A. */
    const residentA = () => residentClient(t, nextPhone(), compound.id);

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      compound = await insertUnit(t.database, 'compound', '幸福小区', w.territory.gridA);
      const worker = await t.database.db
        .insertInto('people')
        .values({ name: '王网格', phone: GRID_WORKER_PHONE, unit_id: w.territory.gridA.id } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.database.db
        .insertInto('unit_posts')
        .values({ unit_id: w.territory.gridA.id, person_id: worker.id, post: 'gridWorker', services: null })
        .execute();
    });
    after(() => t.dispose());

    const place = async (client: Awaited<ReturnType<typeof residentA>>, note?: string) => {
      const response = await client.post('/api/me/call-requests', note === undefined ? {} : { note });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().callRequest;
    };

    test('the call reaches grid A, whose worker converts it into a case the resident follows and rates', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const placed = await place(resident, '楼道里的垃圾好几天没人清');
      assert.equal(placed.status, 'waiting');
      assert.equal(placed.grid.id, w.territory.gridA.id);
      assert.deepEqual(placed.callers, [{ name: '王网格', post: 'gridWorker', phone: GRID_WORKER_PHONE }]);
      // 60 working minutes from Monday 10:00.
      assert.equal(placed.callbackDueAt, '2026-11-23T03:00:00.000Z');

      const listA = await w.gridWorkerA.get('/api/call-requests?status=waiting');
      assert.equal(listA.statusCode, 200, listA.body);
      const seen = listA.json().items.find((i: { id: number }) => i.id === placed.id);
      assert.ok(seen, 'grid worker A lists the call');
      assert.equal(seen.resident.phone, (await residentPhone(resident.accountId)) as string);
      assert.equal(seen.resident.masked, false);
      assert.equal(seen.canHandle, true);
      assert.equal(seen.note, '楼道里的垃圾好几天没人清');

      const listB = await w.gridWorkerB.get('/api/call-requests');
      assert.equal(listB.statusCode, 200);
      assert.ok(!listB.json().items.some((i: { id: number }) => i.id === placed.id), 'grid worker B does not');
      const detailB = await w.gridWorkerB.get(`/api/call-requests/${placed.id}`);
      assert.equal(detailB.statusCode, 404);
      assert.equal(errorCode(detailB), 'NOT_FOUND');

      const converted = await w.gridWorkerA.post(`/api/call-requests/${placed.id}/convert`, {
        version: seen.version,
        title: '楼道垃圾未清运',
        description: '居民来电：幸福小区楼道里的垃圾好几天没人清。',
        categoryId: w.categories.garbage,
      });
      assert.equal(converted.statusCode, 200, converted.body);
      const { callRequest, case: c } = converted.json();
      assert.equal(callRequest.status, 'converted');
      assert.equal(callRequest.case.id, c.id);
      assert.equal(callRequest.case.number, c.number);
      assert.equal(callRequest.calledBackBy.id, w.gridWorkerA.accountId);
      assert.equal(callRequest.canHandle, false);
      assert.equal(c.state, 'inGrid');
      assert.equal(c.channel, 'call');
      assert.equal(c.grid.id, w.territory.gridA.id);
      const stored = await t.database.db
        .selectFrom('cases')
        .select(['reporter_account_id', 'reporter_phone'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.reporter_account_id, resident.accountId);
      assert.equal(stored.reporter_phone, await residentPhone(resident.accountId));

      const mine = await resident.get('/api/me/cases');
      assert.equal(mine.statusCode, 200);
      assert.ok(
        mine.json().items.some((i: { id: number }) => i.id === c.id),
        'the resident follows the case',
      );
      const myCalls = await resident.get('/api/me/call-requests');
      assert.equal(myCalls.json().items[0].status, 'converted');
      assert.equal(myCalls.json().items[0].case.number, c.number);

      const outbox = await t.database.db
        .selectFrom('outbox')
        .select(['topic', 'payload'])
        .where('call_request_id', '=', placed.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        outbox.map((o) => o.topic),
        ['callRequest.created', 'callRequest.calledBack'],
      );
      assert.deepEqual(outbox[0]!.payload.recipients, { accountIds: [], unitIds: [w.territory.gridA.id] });
      assert.deepEqual(outbox[1]!.payload.recipients, { accountIds: [resident.accountId], unitIds: [] });

      await act(w.gridWorkerA, c.id, { action: 'selfResolve', result: '已联系保洁清运' });
      const rated = await resident.post(`/api/me/cases/${c.id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(rated.statusCode, 200, rated.body);
      assert.equal(rated.json().case.state, 'closed');
    });

    test('those who read the worklist but do not call back see the resident masked', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const placed = await place(resident);
      const response = await w.supervisor.get(`/api/call-requests/${placed.id}`);
      assert.equal(response.statusCode, 200, response.body);
      const seen = response.json().callRequest;
      assert.equal(seen.resident.masked, true);
      assert.match(seen.resident.phone, /^138\*{4}\d{4}$/);
      assert.equal(seen.canHandle, false);
      // Supervisors hold no case.handle: they may not convert or close.
      const close = await w.supervisor.post(`/api/call-requests/${placed.id}/close`, { reason: '测试', version: 1 });
      assert.equal(close.statusCode, 403);
      // A grid worker of another grid in the same community does not see it at all.
      const other = await w.gridWorkerA2.post(`/api/call-requests/${placed.id}/close`, { reason: '测试', version: 1 });
      assert.equal(other.statusCode, 404);
      assert.equal(errorCode(other), 'NOT_FOUND');
    });

    test('closed with a reason the resident sees; a second close or convert is refused', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const placed = await place(resident);
      const closed = await w.gridWorkerA.post(`/api/call-requests/${placed.id}/close`, {
        reason: '已电话解答：垃圾清运时间为每天早上七点',
        version: 1,
      });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(closed.json().callRequest.status, 'closed');
      assert.equal(closed.json().callRequest.closeReason, '已电话解答：垃圾清运时间为每天早上七点');
      assert.equal(closed.json().callRequest.case, null);
      assert.equal(closed.json().callRequest.timeLeftMinutes, null, 'nothing left to count once handled');

      const mine = (await resident.get('/api/me/call-requests')).json().items[0];
      assert.equal(mine.id, placed.id);
      assert.equal(mine.status, 'closed');
      assert.equal(mine.closeReason, '已电话解答：垃圾清运时间为每天早上七点');
      assert.ok(mine.calledBackAt);

      const again = await w.gridWorkerA.post(`/api/call-requests/${placed.id}/close`, { reason: '再次', version: 2 });
      assert.equal(again.statusCode, 409);
      assert.equal(errorCode(again), 'CONFLICT');
      const convert = await w.gridWorkerA.post(`/api/call-requests/${placed.id}/convert`, {
        version: 2,
        title: '标题',
        description: '描述',
      });
      assert.equal(convert.statusCode, 409);
      const notified = await t.database.db
        .selectFrom('outbox')
        .select(['topic', 'payload'])
        .where('call_request_id', '=', placed.id)
        .where('topic', '=', 'callRequest.calledBack')
        .execute();
      assert.equal(notified.length, 1);
      assert.deepEqual(notified[0]!.payload.recipients, { accountIds: [resident.accountId], unitIds: [] });

      // Once nothing waits, the resident may call again.
      const next = await place(resident);
      assert.notEqual(next.id, placed.id);
    });

    test('tapping again while a call waits answers the waiting one, also when the taps race', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const first = await place(resident, '第一次');
      const second = await resident.post('/api/me/call-requests', { note: '第二次' });
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.json().callRequest.id, first.id);
      assert.equal(second.json().callRequest.note, '第一次');

      const racer = await residentA();
      const taps = await Promise.all([1, 2, 3].map(() => racer.post('/api/me/call-requests', {})));
      assert.deepEqual(taps.map((r) => r.statusCode).sort(), [200, 200, 201]);
      const ids = new Set(taps.map((r) => r.json().callRequest.id));
      assert.equal(ids.size, 1);
      const rows = await t.database.db
        .selectFrom('call_requests')
        .select('id')
        .where('resident_account_id', '=', racer.accountId)
        .execute();
      assert.equal(rows.length, 1);
    });

    test('of two concurrent converts exactly one wins and one case is recorded', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const placed = await place(resident);
      const body = { version: 1, title: '路灯不亮', description: '居民来电：小区门口路灯不亮。' };
      const responses = await Promise.all([
        w.gridWorkerA.post(`/api/call-requests/${placed.id}/convert`, body),
        w.communityA.post(`/api/call-requests/${placed.id}/convert`, body),
      ]);
      assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 409]);
      const loser = responses.find((r) => r.statusCode === 409)!;
      assert.ok(['CONFLICT', 'VERSION_CONFLICT'].includes(errorCode(loser)));
      const cases = await t.database.db
        .selectFrom('cases')
        .select(['id', 'state', 'channel'])
        .where('reporter_account_id', '=', resident.accountId)
        .execute();
      assert.equal(cases.length, 1);
      // Without a category the case waits in the grid to be classified.
      assert.equal(cases[0]!.state, 'received');
      assert.equal(cases[0]!.channel, 'call');
    });

    test('a stale version is refused and nothing changes', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const placed = await place(resident);
      const response = await w.gridWorkerA.post(`/api/call-requests/${placed.id}/close`, {
        reason: '已解答',
        version: 7,
      });
      assert.equal(response.statusCode, 409);
      assert.equal(errorCode(response), 'VERSION_CONFLICT');
      const after = await w.gridWorkerA.get(`/api/call-requests/${placed.id}`);
      assert.equal(after.json().callRequest.status, 'waiting');
      assert.equal(after.json().callRequest.version, 1);
    });

    test('a bad category in the case fields leaves the call waiting', async () => {
      clock.set(MONDAY_10);
      const resident = await residentA();
      const placed = await place(resident);
      const response = await w.gridWorkerA.post(`/api/call-requests/${placed.id}/convert`, {
        version: 1,
        title: '标题',
        description: '描述',
        categoryId: w.categories.environment,
      });
      assert.equal(response.statusCode, 400, response.body);
      const after = await w.gridWorkerA.get(`/api/call-requests/${placed.id}`);
      assert.equal(after.json().callRequest.status, 'waiting');
      const cases = await t.database.db
        .selectFrom('cases')
        .select('id')
        .where('reporter_account_id', '=', resident.accountId)
        .execute();
      assert.equal(cases.length, 0);
    });

    test('a resident without a home address is asked to complete it first', async () => {
      const resident = await residentClient(t, nextPhone());
      const response = await resident.post('/api/me/call-requests', {});
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorCode(response), 'BAD_REQUEST');
      assert.match(response.json().error.message, /address/);
      const tooLong = await (await residentA()).post('/api/me/call-requests', { note: '长'.repeat(501) });
      assert.equal(tooLong.statusCode, 400);
    });

    test('a resident sees only their own calls; staff see no resident routes', async () => {
      clock.set(MONDAY_10);
      const one = await residentA();
      const two = await residentA();
      const placed = await place(one);
      const theirs = await two.get('/api/me/call-requests');
      assert.equal(theirs.statusCode, 200);
      assert.ok(!theirs.json().items.some((i: { id: number }) => i.id === placed.id));
      const staffRoute = await one.get(`/api/call-requests/${placed.id}`);
      assert.ok([401, 403].includes(staffRoute.statusCode));
    });

    test('a call at 20:00 on a Friday is due back on Monday morning; late calls show as overdue', async () => {
      clock.set(FRIDAY_20);
      const resident = await residentA();
      const placed = await place(resident);
      // The working day starts at 09:00; 60 working minutes later is Monday 10:00 Shanghai.
      assert.equal(placed.callbackDueAt, '2026-11-30T02:00:00.000Z');

      clock.set('2026-11-30T01:30:00Z'); // Monday 09:30: still in time.
      const inTime = await w.gridWorkerA.get('/api/call-requests?status=waiting&overdue=true');
      assert.ok(!inTime.json().items.some((i: { id: number }) => i.id === placed.id));
      // Time left is counted in working minutes: Friday evening and the weekend do not count.
      const waiting = await w.gridWorkerA.get(`/api/call-requests/${placed.id}`);
      assert.equal(waiting.json().callRequest.timeLeftMinutes, 30);

      clock.set('2026-11-30T03:00:00Z'); // Monday 11:00: late.
      const late = await w.gridWorkerA.get('/api/call-requests?status=waiting&overdue=true');
      const item = late.json().items.find((i: { id: number }) => i.id === placed.id);
      assert.ok(item, 'listed as overdue');
      assert.equal(item.overdue, true);
      assert.equal(item.timeLeftMinutes, -60);
      const notLate = await w.gridWorkerA.get('/api/call-requests?overdue=false');
      assert.ok(!notLate.json().items.some((i: { id: number }) => i.id === placed.id));
      clock.set(MONDAY_10);
    });

    async function residentPhone(accountId: number) {
      const row = await t.database.db
        .selectFrom('accounts')
        .select('phone')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      return row.phone;
    }
  });
}
