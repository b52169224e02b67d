import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/server/clock.ts';
import { createTestApp, insertUnit, staffClient, type TestApp } from '../support/app.ts';
import { act, insertCategories, residentClient, setBoundary, square } from '../support/cases.ts';
import { databaseKinds } from '../support/databases.ts';

/**
 * From the sources (建业社区, "社区铃铛": 一键呼叫 → 问题分类 → 结果跟踪回访; 小事不出网格): a resident taps
 * one-tap call, the grid worker calls back within the limit and records the case, solves it in the grid, and
 * the resident rates the result from the phone.
 */
for (const kind of await databaseKinds()) {
  describe(`scenario: a 建业社区 resident calls and rates (${kind})`, () => {
    let t: TestApp;
    // Thursday 2026-11-26 15:10 in Shanghai.
    const clock = new ManualClock('2026-11-26T07:10:00Z');
    before(async () => {
      t = await createTestApp(kind, {}, clock);
    });
    after(() => t.dispose());

    test('call, call back within the limit, record, solve in the grid, rate satisfied, closed', async () => {
      const district = await insertUnit(t.database, 'district', '新华区');
      const street = await insertUnit(t.database, 'street', '西高皇街道', district);
      const community = await insertUnit(t.database, 'community', '建业社区', street);
      const grid = await insertUnit(t.database, 'grid', '建业社区第一网格', community);
      const compound = await insertUnit(t.database, 'compound', '建业小区', grid);
      const building = await insertUnit(t.database, 'building', '3号楼', compound);
      await setBoundary(t.database, grid.id, square(114.48, 38.03));
      const { garbage } = await insertCategories(t.database);
      const gridWorker = await staffClient(t, 'jianye.grid1', [{ role: 'gridWorker', unitId: grid.id }]);
      const zhang = await residentClient(t, '13930000064', building.id);

      const called = await zhang.post('/api/me/call-requests', { note: '楼下垃圾站满了' });
      assert.equal(called.statusCode, 201, called.body);
      const call = called.json().callRequest;
      assert.equal(call.status, 'waiting');
      assert.equal(call.grid.name, '建业社区第一网格');
      // Called at 15:10 with a 60-minute working-time callback limit.
      assert.equal(call.callbackDueAt, '2026-11-26T08:10:00.000Z');
      const again = await zhang.post('/api/me/call-requests', {});
      assert.equal(again.statusCode, 200, 'a second tap while waiting answers the same call');
      assert.equal(again.json().callRequest.id, call.id);

      const waiting = await gridWorker.get('/api/call-requests?status=waiting');
      assert.equal(waiting.statusCode, 200, waiting.body);
      const listed = waiting.json().items.find((c: { id: number }) => c.id === call.id);
      assert.ok(listed, 'the grid worker sees the call to return');
      assert.equal(listed.resident.phone, '13930000064', 'in full: the grid worker has to dial it');

      clock.advance(20 * 60_000);
      const converted = await gridWorker.post(`/api/call-requests/${call.id}/convert`, {
        version: listed.version,
        title: '垃圾站满溢未清运',
        description: '建业小区3号楼旁垃圾站已满，居民反映两天未清运。',
        categoryId: garbage,
      });
      assert.equal(converted.statusCode, 200, converted.body);
      const recorded = converted.json().case;
      assert.equal(recorded.channel, 'call');
      assert.equal(recorded.state, 'inGrid');
      assert.equal(recorded.owner.name, '建业社区第一网格');
      assert.equal(converted.json().callRequest.status, 'converted');

      clock.advance(2 * 3_600_000);
      const solved = await act(gridWorker, recorded.id, {
        action: 'selfResolve',
        result: '已联系环卫清运，垃圾站已清空',
      });
      assert.equal(solved.state, 'resolved');

      const mine = await zhang.get('/api/me/cases');
      assert.equal(mine.json().items[0].id, recorded.id, 'the resident follows the case recorded for the call');
      const myCalls = await zhang.get('/api/me/call-requests');
      assert.equal(myCalls.json().items[0].case.id, recorded.id);

      const rated = await zhang.post(`/api/me/cases/${recorded.id}/visit`, {
        rating: 'satisfied',
        solved: true,
        comment: '处理很快',
      });
      assert.equal(rated.statusCode, 200, rated.body);
      const mineClosed = rated.json().case;
      assert.equal(mineClosed.state, 'closed');
      assert.deepEqual(
        mineClosed.timeline.map((s: { kind: string }) => s.kind),
        ['received', 'assigned', 'resolved', 'rated'],
        'the resident reads the loop in plain steps',
      );
      assert.equal(mineClosed.result.text, '已联系环卫清运，垃圾站已清空');
      const closed = (await gridWorker.get(`/api/cases/${recorded.id}`)).json().case;
      assert.deepEqual(
        closed.events.map((e: { action: string }) => e.action),
        ['intake', 'classify', 'selfResolve', 'visit'],
      );
      // Small things stay in the grid: no assignment ever left it.
      assert.deepEqual(
        closed.assignments.map((a: { unit: { name: string } }) => a.unit.name),
        ['建业社区第一网格'],
      );
    });
  });
}
