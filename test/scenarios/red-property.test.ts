import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/server/clock.ts';
import { createTestApp, insertUnit, staffClient, type TestApp } from '../support/app.ts';
import { act, insertCategories, residentClient, setBoundary, square } from '../support/cases.ts';
import { databaseKinds } from '../support/databases.ts';

/**
 * From the sources (华裕路社区, 红色物业): community cadres collect residents' opinions into a list and close
 * them item by item; what the community cannot settle goes up. Here one opinion is escalated by the grid,
 * whistled by the community to two departments, returned by one, arbitrated by the street, resolved by the
 * lead, rated dissatisfied by the resident, reopened, resolved again and closed.
 */
for (const kind of await databaseKinds()) {
  describe(`scenario: a 红色物业 opinion goes the long way round (${kind})`, () => {
    let t: TestApp;
    // Tuesday 2026-11-24 09:30 in Shanghai.
    const clock = new ManualClock('2026-11-24T01:30:00Z');
    before(async () => {
      t = await createTestApp(kind, {}, clock);
    });
    after(() => t.dispose());

    test('escalate, whistle two departments, one returns it, the street arbitrates, dissatisfied, reopened, closed', async () => {
      const district = await insertUnit(t.database, 'district', '章贡区');
      const street = await insertUnit(t.database, 'street', '水东镇', district);
      const community = await insertUnit(t.database, 'community', '华裕路社区', street);
      const grid = await insertUnit(t.database, 'grid', '华裕路第一网格', community);
      const compound = await insertUnit(t.database, 'compound', '宜居小区', grid);
      const housing = await insertUnit(t.database, 'department', '区住房和城乡建设局', district);
      const cityManagement = await insertUnit(t.database, 'department', '区城市管理局', district);
      await setBoundary(t.database, grid.id, square(114.93, 25.83));
      const { leak } = await insertCategories(t.database);

      const gridWorker = await staffClient(t, 'huayu.grid1', [{ role: 'gridWorker', unitId: grid.id }]);
      const cadre = await staffClient(t, 'huayu.cadre', [{ role: 'communityWorker', unitId: community.id }]);
      const streetStaff = await staffClient(t, 'shuidong.admin', [{ role: 'streetAdmin', unitId: street.id }]);
      const housingHandler = await staffClient(t, 'zjj.handler', [{ role: 'departmentHandler', unitId: housing.id }]);
      const cityHandler = await staffClient(t, 'cgj.handler', [
        { role: 'departmentHandler', unitId: cityManagement.id },
      ]);
      const chen = await residentClient(t, '13970000001', compound.id);

      // 陈荣生 reports from his phone: the top-floor ceiling leaks since the roof works.
      const reported = await chen.post('/api/me/cases', {
        title: '顶楼楼顶漏水',
        description: '宜居小区5栋顶楼自屋面改造后一下雨就漏水，物业多次维修未果，希望社区帮忙协调。',
        location: { lng: 114.935, lat: 25.835 },
      });
      assert.equal(reported.statusCode, 201, reported.body);
      const id = reported.json().case.id as number;
      assert.equal(reported.json().case.state, 'received');
      assert.equal(reported.json().case.grid.name, '华裕路第一网格');
      assert.equal((await gridWorker.get(`/api/cases/${id}`)).json().case.owner.name, '华裕路第一网格');

      await act(gridWorker, id, { action: 'classify', categoryId: leak, urgency: 'normal' });
      const escalated = await act(gridWorker, id, {
        action: 'escalate',
        reason: '涉及屋面防水质保，需社区协调住建部门',
      });
      assert.equal(escalated.state, 'atCommunity');
      assert.equal(escalated.owner.name, '华裕路社区');

      const deadline = '2026-12-04T09:30:00+08:00';
      const whistled = await act(cadre, id, {
        action: 'whistle',
        leadUnitId: cityManagement.id,
        assistUnitIds: [housing.id],
        deadline,
        note: '社区吹哨，请部门报到',
      });
      assert.equal(whistled.state, 'whistled');
      assert.deepEqual(
        whistled.assignments
          .filter((a: { role: string }) => a.role !== 'owner')
          .map((a: { unit: { name: string }; role: string }) => [a.unit.name, a.role]),
        [
          ['区城市管理局', 'lead'],
          ['区住房和城乡建设局', 'assist'],
        ],
      );

      clock.advance(3_600_000);
      await act(housingHandler, id, { action: 'assistCheckIn', note: '住建局已报到' });
      const returned = await act(cityHandler, id, { action: 'returnCase', reason: '屋面防水属住建领域，非城管职责' });
      assert.equal(returned.state, 'arbitration');
      const streetView = await streetStaff.get(`/api/cases/${id}`);
      assert.ok(streetView.json().case.allowedActions.includes('redispatch'));
      assert.ok(streetView.json().case.allowedActions.includes('overrule'));
      // The community that whistled cannot arbitrate its own whistle.
      const cadreView = await cadre.get(`/api/cases/${id}`);
      assert.ok(!cadreView.json().case.allowedActions.includes('redispatch'));

      const redispatched = await act(streetStaff, id, {
        action: 'redispatch',
        leadUnitId: housing.id,
        note: '街道裁定：由住建局牵头，督促施工单位履行质保',
      });
      assert.equal(redispatched.state, 'whistled');
      assert.equal(redispatched.lead.name, '区住房和城乡建设局');

      await act(housingHandler, id, { action: 'checkIn' });
      clock.advance(2 * 86_400_000);
      const resolved = await act(housingHandler, id, { action: 'resolve', result: '已责成施工单位重做屋面防水层' });
      assert.equal(resolved.state, 'resolved');

      const firstVisit = await chen.post(`/api/me/cases/${id}/visit`, {
        rating: 'dissatisfied',
        solved: false,
        comment: '下雨后还是漏',
      });
      assert.equal(firstVisit.statusCode, 200, firstVisit.body);
      assert.equal(firstVisit.json().case.state, 'handling');
      assert.equal(firstVisit.json().case.timeline.at(-1).kind, 'reopened');
      const reopened = (await housingHandler.get(`/api/cases/${id}`)).json().case;
      assert.equal(reopened.state, 'handling');
      assert.equal(reopened.round, 2);
      assert.equal(reopened.lead.name, '区住房和城乡建设局');

      clock.advance(86_400_000);
      await act(housingHandler, id, { action: 'resolve', result: '二次返修并做闭水试验48小时，无渗漏' });
      const secondVisit = await chen.post(`/api/me/cases/${id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(secondVisit.statusCode, 200, secondVisit.body);
      assert.equal(secondVisit.json().case.state, 'closed');
      assert.deepEqual(secondVisit.json().case.rating, { rating: 'satisfied', solved: true, comment: null });
      assert.deepEqual(
        secondVisit
          .json()
          .case.timeline.map((s: { kind: string; units: Array<{ name: string }> }) =>
            [s.kind, ...s.units.map((u) => u.name)].join(' '),
          ),
        [
          'received 华裕路第一网格',
          'assigned 华裕路第一网格',
          'escalated 华裕路社区',
          'whistled 区城市管理局 区住房和城乡建设局',
          'checkedIn 区住房和城乡建设局',
          'returned 区城市管理局',
          'whistled 区住房和城乡建设局',
          'checkedIn 区住房和城乡建设局',
          'resolved 区住房和城乡建设局',
          'reopened 区住房和城乡建设局',
          'resolved 区住房和城乡建设局',
          'rated',
        ],
        'the resident follows the long way round in plain steps',
      );
      const closed = (await housingHandler.get(`/api/cases/${id}`)).json().case;
      assert.equal(closed.state, 'closed');
      assert.equal(closed.rating, 'satisfied');
      assert.deepEqual(
        closed.events.map((e: { action: string }) => e.action),
        [
          'intake',
          'classify',
          'escalate',
          'whistle',
          'assistCheckIn',
          'returnCase',
          'redispatch',
          'checkIn',
          'resolve',
          'visit',
          'resolve',
          'visit',
        ],
      );
      const rating = await chen.post(`/api/me/cases/${id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(rating.statusCode, 409, 'a second rating of a closed case is refused');
    });
  });
}
