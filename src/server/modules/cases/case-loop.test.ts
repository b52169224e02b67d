import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, errorCode, type TestApp } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A, OUTSIDE_GRIDS } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { sweepCaseColours } from '../../jobs/sweep-case-colours.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';

for (const kind of await databaseKinds()) {
  describe(`case loop basics (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    const hotlineCase = async (extra: Record<string, unknown> = {}) => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '小区垃圾清运不及时',
        description: '幸福小区3号楼旁的垃圾桶三天没有清运，气味很大。',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '张三', phone: '13912345678' },
        ...extra,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case;
    };

    test('a hotline case is classified and dispatched to the grid holding its location', async () => {
      const c = await hotlineCase();
      assert.match(c.number, /^LL-2026-\d{6}$/);
      assert.equal(c.state, 'inGrid');
      assert.equal(c.grid.id, w.territory.gridA.id);
      assert.equal(c.owner.id, w.territory.gridA.id);
      assert.deepEqual(
        c.events.map((e: { action: string }) => e.action),
        ['intake', 'classify'],
      );
      assert.equal(c.reporter.masked, true);
      assert.equal(c.reporter.phone, '139****5678');
      assert.equal(c.colour, 'green');
      // Five working days from Monday 10:00 (default limit 2400 working minutes of 480 a day).
      assert.equal(c.resolutionDueAt, '2026-11-30T02:00:00.000Z');
      const seen = await w.gridWorkerA.get(`/api/cases/${c.id}`);
      assert.equal(seen.statusCode, 200);
      assert.ok(seen.json().case.allowedActions.includes('selfResolve'));
      assert.ok(seen.json().case.allowedActions.includes('escalate'));
      const other = await w.gridWorkerB.get(`/api/cases/${c.id}`);
      assert.equal(other.statusCode, 404);
      assert.equal(errorCode(other), 'NOT_FOUND');
    });

    test('outside every grid the case waits at the street for manual dispatch', async () => {
      const c = await w.streetA.post('/api/cases', {
        channel: 'patrol',
        title: '路灯不亮',
        description: '街道主路路灯不亮',
        categoryId: w.categories.garbage,
        location: OUTSIDE_GRIDS,
        unitId: w.territory.streetA.id,
      });
      assert.equal(c.statusCode, 201, c.body);
      const body = c.json().case;
      assert.equal(body.state, 'pendingDispatch');
      assert.equal(body.owner.id, w.territory.streetA.id);
      const dispatched = await act(w.streetA, body.id, { action: 'dispatch', unitId: w.territory.gridA.id });
      assert.equal(dispatched.state, 'inGrid');
    });

    test('escalate, whistle, check in, resolve, visit: the long way round', async () => {
      const c = await hotlineCase();
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需要社区协调' });
      const deadline = new Date(Date.parse(MONDAY_10) + 7 * 86_400_000).toISOString();
      const whistled = await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        assistUnitIds: [w.territory.department2.id],
        deadline,
      });
      assert.equal(whistled.state, 'whistled');
      assert.equal(whistled.lead.id, w.territory.department.id);
      const deptView = await w.department.get(`/api/cases/${c.id}`);
      assert.equal(deptView.statusCode, 200, deptView.body);
      assert.deepEqual(
        deptView.json().case.allowedActions.sort(),
        ['checkIn', 'note', 'returnCase', 'transfer'].sort(),
      );
      assert.equal(deptView.json().case.reporter.name, '张*');
      const checked = await act(w.department, c.id, { action: 'checkIn' });
      assert.equal(checked.state, 'handling');
      await act(w.department2, c.id, { action: 'assistCheckIn' });
      const resolved = await act(w.department, c.id, { action: 'resolve', result: '已协调环卫所清运' });
      assert.equal(resolved.state, 'resolved');
      const closed = await act(w.hotline, c.id, { action: 'visit', rating: 'satisfied', solved: true });
      assert.equal(closed.state, 'closed');
      assert.equal(closed.rating, 'satisfied');
      const again = await w.hotline.post(`/api/cases/${c.id}/transitions`, {
        action: 'visit',
        rating: 'dissatisfied',
        solved: false,
      });
      assert.equal(again.statusCode, 409);
      assert.equal(errorCode(again), 'ILLEGAL_TRANSITION');
    });

    test('a note after the deadline does not turn the case red silently: the colour sweep records it and alerts', async () => {
      const c = await hotlineCase();
      clock.set(c.resolutionDueAt);
      const noted = await act(w.gridWorkerA, c.id, { action: 'note', note: '已联系环卫' });
      assert.equal(noted.colour, c.colour, 'the colour changes only through the sweep');
      assert.ok((await sweepCaseColours(t.database, { config: t.config, clock })) >= 1);
      const swept = (await w.gridWorkerA.get(`/api/cases/${c.id}`)).json().case;
      assert.equal(swept.colour, 'red');
      assert.equal(swept.events.at(-1).action, 'colourChange');
      assert.equal(swept.version, noted.version, "the sweep's event does not make the worker's version stale");
      clock.set(MONDAY_10);
    });

    test('two concurrent check-ins: exactly one wins, the other gets 409', async () => {
      const c = await hotlineCase();
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需要社区协调' });
      await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        deadline: new Date(Date.parse(MONDAY_10) + 7 * 86_400_000).toISOString(),
      });
      const results = await Promise.all([
        w.department.post(`/api/cases/${c.id}/transitions`, { action: 'checkIn' }),
        w.department.post(`/api/cases/${c.id}/transitions`, { action: 'checkIn' }),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [200, 409]);
    });
  });
}
