import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, errorCode, type TestApp } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';

const MONDAY_10 = '2026-11-23T02:00:00Z';

for (const kind of await databaseKinds()) {
  describe(`units a case's actions can go to (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    const hotlineCase = async () => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '楼道堆放杂物',
        description: '3号楼楼道堆满杂物，影响通行。',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; version: number };
    };
    const names = (items: Array<{ name: string }>) => items.map((u) => u.name).sort();

    test('a community worker is offered the district departments to whistle to, though /api/units does not list them', async () => {
      const c = await hotlineCase();
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需要社区协调' });
      const listed = await w.communityA.get('/api/units?kind=department');
      assert.equal(listed.json().total, 0, 'the departments are outside the community worker’s unit scope');

      const response = await w.communityA.get(`/api/cases/${c.id}/unit-choices`);
      assert.equal(response.statusCode, 200, response.body);
      const choices = response.json();
      assert.deepEqual(names(choices.departments), ['住房和城乡建设局', '城市管理局']);
      assert.deepEqual(names(choices.dispatchTargets), ['甲一网格', '甲二网格'], 'the grids of the community only');
      assert.deepEqual(choices.transferTargets, [], 'no other community under 甲街道');
      assert.equal(choices.dispatchTargets[0].parentName, '甲社区');

      // What is offered is what the transition accepts.
      const whistled = await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: choices.departments.find((u: { name: string }) => u.name === '城市管理局').id,
        assistUnitIds: [choices.departments.find((u: { name: string }) => u.name === '住房和城乡建设局').id],
        deadline: '2026-11-27T10:00:00+08:00',
      });
      assert.equal(whistled.state, 'whistled');

      const lead = await w.department.get(`/api/cases/${c.id}/unit-choices`);
      assert.equal(lead.statusCode, 200, lead.body);
      assert.deepEqual(
        names(lead.json().transferTargets),
        ['住房和城乡建设局'],
        'the lead transfers to a department at its own level',
      );
      assert.deepEqual(lead.json().departments, [], 'a department does not whistle');
      assert.deepEqual(lead.json().dispatchTargets, []);
    });

    test('a grid worker may transfer to the neighbouring grid of the community and dispatches nowhere', async () => {
      const c = await hotlineCase();
      const response = await w.gridWorkerA.get(`/api/cases/${c.id}/unit-choices`);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(names(response.json().transferTargets), ['甲二网格']);
      assert.deepEqual(response.json().departments, []);
      assert.deepEqual(response.json().dispatchTargets, []);
    });

    test('a case outside my scope is not found, and a malformed id is refused', async () => {
      const c = await hotlineCase();
      const outside = await w.gridWorkerB.get(`/api/cases/${c.id}/unit-choices`);
      assert.equal(outside.statusCode, 404);
      assert.equal(errorCode(outside), 'NOT_FOUND');
      const malformed = await w.gridWorkerA.get('/api/cases/abc/unit-choices');
      assert.equal(malformed.statusCode, 400);
    });
  });
}
