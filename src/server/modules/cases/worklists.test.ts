import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';

/**
 * "To handle" is read as two parts (cases waiting at a grid/community/street, cases a department leads) and
 * "overdue" as open, not resolved and past due: what each user sees in the lists and the menu badges.
 */
for (const kind of await databaseKinds()) {
  describe(`worklists: to handle and overdue (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    const hotlineCase = async (title: string) => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title,
        description: '幸福小区3号楼旁的垃圾桶三天没有清运，气味很大。',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '张三', phone: '13912345678' },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; state: string };
    };
    const ids = async (user: CaseWorld['gridWorkerA'], worklist: string) => {
      const response = await user.get(`/api/cases?worklist=${worklist}&pageSize=100`);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json() as { items: Array<{ id: number }>; total: number };
      assert.equal(body.total, body.items.length, 'the total counts what the list shows');
      return body.items.map((c) => c.id);
    };
    const badge = async (user: CaseWorld['gridWorkerA'], worklist: string) =>
      ((await user.get('/api/cases/worklists')).json() as { counts: Record<string, number> }).counts[worklist];

    test('a grid case waits for the grid; a whistled case, once checked in, for the lead department', async () => {
      const atGrid = await hotlineCase('小区垃圾清运不及时');
      assert.equal(atGrid.state, 'inGrid');
      const led = await hotlineCase('垃圾站气味大');
      await act(w.gridWorkerA, led.id, { action: 'escalate', reason: '需要社区协调' });
      const deadline = new Date(Date.parse(MONDAY_10) + 7 * 86_400_000).toISOString();
      await act(w.communityA, led.id, { action: 'whistle', leadUnitId: w.territory.department.id, deadline });
      assert.equal((await act(w.department, led.id, { action: 'checkIn' })).state, 'handling');

      const grid = await ids(w.gridWorkerA, 'toHandle');
      assert.ok(grid.includes(atGrid.id), 'the grid worker has the case in the grid');
      assert.ok(!grid.includes(led.id), 'the case the department handles is not the grid worker’s');
      assert.equal(await badge(w.gridWorkerA, 'toHandle'), grid.length);

      const department = await ids(w.department, 'toHandle');
      assert.deepEqual(department, [led.id], 'the department has the case it leads, and only that');
      assert.equal(await badge(w.department, 'toHandle'), 1);

      // Past every deadline: the grid case is overdue; once resolved, the department's is no longer.
      await act(w.department, led.id, { action: 'resolve', result: '已协调环卫所清运' });
      clock.advance(60 * 86_400_000);
      const overdue = await ids(w.gridWorkerA, 'overdue');
      assert.ok(overdue.includes(atGrid.id), 'an open case past its deadline is overdue');
      assert.ok(!overdue.includes(led.id), 'a resolved case waiting for its visit is not overdue');
      assert.equal(await badge(w.gridWorkerA, 'overdue'), overdue.length);
    });
  });
}
