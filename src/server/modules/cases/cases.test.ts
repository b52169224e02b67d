import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, errorCode, staffClient, type TestApp } from '../../../../test/support/app.ts';
import {
  act,
  buildCaseWorld,
  type CaseWorld,
  IN_GRID_A,
  IN_GRID_B,
  residentClient,
} from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';

const MONDAY_10 = '2026-11-23T02:00:00Z';

for (const kind of await databaseKinds()) {
  describe(`case lists, search and residents (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    const intake = async (body: Record<string, unknown>) => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '王五', phone: '13600002222' },
        ...body,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case;
    };

    test('Chinese full-text search finds cases by words of their title and description, within scope only', async () => {
      const a = await intake({ title: '小区垃圾清运不及时', description: '垃圾桶满了三天没人清运' });
      await intake({ title: '路面井盖缺失', description: '主路井盖丢失，夜间危险' });
      const b = await intake({ title: '垃圾清运不及时', description: '乙社区垃圾桶满溢', location: IN_GRID_B });
      const found = await w.gridWorkerA.get(`/api/cases?q=${encodeURIComponent('垃圾清运')}`);
      assert.equal(found.statusCode, 200, found.body);
      const ids = found.json().items.map((c: { id: number }) => c.id);
      assert.ok(ids.includes(a.id));
      assert.ok(!ids.includes(b.id), 'a case in grid B is not found by grid A');
      const none = await w.gridWorkerA.get(`/api/cases?q=${encodeURIComponent('井盖 垃圾')}`);
      assert.equal(none.json().total, 0, 'every word of the query must match');
      const district = await w.hotline.get(`/api/cases?q=${encodeURIComponent('垃圾')}`);
      const all = district.json().items.map((c: { id: number }) => c.id);
      assert.ok(all.includes(a.id) && all.includes(b.id));
      const byNumber = await w.gridWorkerA.get(`/api/cases?q=${encodeURIComponent(a.number.toLowerCase())}`);
      assert.deepEqual(
        byNumber.json().items.map((c: { id: number }) => c.id),
        [a.id],
        'a case number finds that case',
      );
      const othersNumber = await w.gridWorkerA.get(`/api/cases?q=${encodeURIComponent(b.number)}`);
      assert.equal(othersNumber.json().total, 0, 'a number outside my scope finds nothing');
    });

    test('similar open cases nearby are suggested, nearest first, and a duplicate is merged into its master', async () => {
      const master = await intake({ title: '路灯不亮', description: '幸福小区门口路灯坏了一周', location: IN_GRID_A });
      const dup = await intake({
        title: '门口路灯坏了',
        description: '小区门口路灯不亮',
        location: { lng: IN_GRID_A.lng + 0.0005, lat: IN_GRID_A.lat },
      });
      const similar = await w.gridWorkerA.get(
        `/api/cases/similar?lng=${IN_GRID_A.lng}&lat=${IN_GRID_A.lat}&text=${encodeURIComponent('路灯')}&excludeId=${dup.id}`,
      );
      assert.equal(similar.statusCode, 200, similar.body);
      const items = similar.json().items;
      assert.ok(items.length > 0);
      assert.equal(items[0].id, master.id);
      assert.ok(items.every((c: { distanceMetres: number }) => c.distanceMetres <= 500));
      const merged = await act(w.gridWorkerA, dup.id, { action: 'merge', masterId: master.id });
      assert.equal(merged.state, 'merged');
      assert.equal(merged.mergedInto.id, master.id);
      assert.deepEqual(merged.allowedActions, []);
      const self = await w.gridWorkerA.post(`/api/cases/${master.id}/transitions`, {
        action: 'merge',
        masterId: master.id,
      });
      assert.equal(self.statusCode, 400);
    });

    test('a confidential reporter is hidden from handlers; others are masked and revealed only with an audit entry', async () => {
      const secret = await intake({ title: '举报噪音', description: '夜间施工噪音', confidential: true });
      const seen = (await w.gridWorkerA.get(`/api/cases/${secret.id}`)).json().case;
      assert.equal(seen.reporter, null);
      assert.ok(!JSON.stringify(seen).includes('13600002222'));
      const open = await intake({ title: '楼道灯坏', description: '楼道声控灯坏了' });
      const refused = await w.gridWorkerA.post(`/api/cases/${open.id}/reporter/reveal`);
      assert.equal(refused.statusCode, 403, 'grid workers may not reveal');
      const admin = await staffClient(t, 'reveal.admin', [{ role: 'districtAdmin', unitId: w.territory.district.id }]);
      const revealed = await admin.post(`/api/cases/${open.id}/reporter/reveal`);
      assert.equal(revealed.statusCode, 200, revealed.body);
      assert.equal(revealed.json().reporter.phone, '13600002222');
      const audited = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_type', '=', 'case')
        .where('target_id', '=', String(open.id))
        .orderBy('id')
        .execute();
      // Its transitions (each audited as such, see audit-coverage.test.ts) and the one reveal, nothing else.
      const events = await t.database.db
        .selectFrom('case_events')
        .select('action')
        .where('case_id', '=', open.id)
        .execute();
      assert.deepEqual(
        audited.map((a) => a.action).sort(),
        [...events.map((e) => `case.${e.action}`), 'case.reporter.reveal'].sort(),
      );
      const confidential = await admin.post(`/api/cases/${secret.id}/reporter/reveal`);
      assert.equal(confidential.statusCode, 403);
    });

    test('an extension approved by a supervisor moves the deadline and is recorded', async () => {
      const c = await intake({ title: '违章搭建', description: '楼顶违章搭建' });
      const due = c.resolutionDueAt;
      const allowed = async (client: typeof w.supervisor) =>
        (await client.get(`/api/cases/${c.id}`)).json().case.allowedActions as string[];
      assert.ok((await allowed(w.gridWorkerA)).includes('requestExtension'));
      assert.ok(!(await allowed(w.supervisor)).includes('decideExtension'), 'nothing to decide yet');
      assert.ok(!(await allowed(w.supervisor)).includes('setColour'), 'an appeal has no manual colour');
      assert.ok((await allowed(w.supervisor)).includes('supervise'));
      await act(w.gridWorkerA, c.id, { action: 'requestExtension', extraMinutes: 960, reason: '需等待执法部门' });
      assert.ok(!(await allowed(w.gridWorkerA)).includes('requestExtension'), 'one request waits at a time');
      assert.ok((await allowed(w.supervisor)).includes('decideExtension'));
      const twice = await w.gridWorkerA.post(`/api/cases/${c.id}/transitions`, {
        action: 'requestExtension',
        extraMinutes: 480,
        reason: '再次申请',
      });
      assert.equal(twice.statusCode, 409);
      const list = await w.supervisor.get('/api/cases?worklist=extensionRequests');
      assert.ok(list.json().items.some((x: { id: number }) => x.id === c.id));
      const decided = await act(w.supervisor, c.id, { action: 'decideExtension', approve: true });
      assert.equal(decided.pendingExtension, null);
      // Two more working days: from Monday 30 Nov 10:00 to Wednesday 2 Dec 10:00.
      assert.equal(due, '2026-11-30T02:00:00.000Z');
      assert.equal(decided.resolutionDueAt, '2026-12-02T02:00:00.000Z');
      const event = decided.events.at(-1);
      assert.equal(event.action, 'decideExtension');
      assert.equal(event.data.approved, true);
      await act(w.supervisor, c.id, { action: 'supervise', note: '督办' });
      assert.ok(!(await allowed(w.supervisor)).includes('supervise'), 'already under supervision');
      assert.ok(!(await allowed(w.supervisor)).includes('decideExtension'));
    });

    test('worklists count what waits for each role', async () => {
      const c = await intake({ title: '井盖松动', description: '人行道井盖松动' });
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需社区处理' });
      await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        deadline: '2026-12-10T10:00:00+08:00',
      });
      const dept = (await w.department.get('/api/cases/worklists')).json().counts;
      assert.ok(dept.toCheckIn >= 1);
      const listed = await w.department.get('/api/cases?worklist=toCheckIn');
      assert.ok(listed.json().items.some((x: { id: number }) => x.id === c.id));
      const other = (await w.department2.get('/api/cases?worklist=toCheckIn')).json();
      assert.ok(!other.items.some((x: { id: number }) => x.id === c.id), 'a department not whistled does not see it');
      const otherDetail = await w.department2.get(`/api/cases/${c.id}`);
      assert.equal(otherDetail.statusCode, 404);
    });

    test('a resident reports, sees only their own cases, and nobody else can rate them', async () => {
      const me = await residentClient(t, '13800990001', w.territory.gridA.id);
      const neighbour = await residentClient(t, '13800990002', w.territory.gridA.id);
      const report = await me.post('/api/me/cases', { description: '单元门禁坏了，无法关闭' });
      assert.equal(report.statusCode, 201, report.body);
      const mine = report.json().case;
      assert.equal(mine.state, 'received');
      assert.equal(mine.grid.id, w.territory.gridA.id, 'without a location it goes to my own grid');
      assert.equal(mine.relation, 'reporter');
      assert.equal(mine.description, '单元门禁坏了，无法关闭', 'I see my own report');
      const staffView = (await w.gridWorkerA.get(`/api/cases/${mine.id}`)).json().case;
      assert.equal(staffView.owner.id, w.territory.gridA.id);
      assert.equal(staffView.reporter.phone, '138****0001', 'staff see me masked');
      const theirs = await neighbour.get(`/api/me/cases/${mine.id}`);
      assert.equal(theirs.statusCode, 404);
      assert.equal((await neighbour.get('/api/me/cases')).json().total, 0);
      await act(w.gridWorkerA, mine.id, { action: 'classify', categoryId: w.categories.garbage });
      await act(w.gridWorkerA, mine.id, { action: 'selfResolve', result: '已修好门禁' });
      const stranger = await neighbour.post(`/api/me/cases/${mine.id}/visit`, {
        rating: 'dissatisfied',
        solved: false,
      });
      assert.equal(stranger.statusCode, 404);
      assert.equal(errorCode(stranger), 'NOT_FOUND');
      const rated = await me.post(`/api/me/cases/${mine.id}/visit`, { rating: 'partlySatisfied', solved: true });
      assert.equal(rated.statusCode, 200, rated.body);
      assert.equal(rated.json().case.state, 'closed');
      const twice = await me.post(`/api/me/cases/${mine.id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(twice.statusCode, 409);
      const tooLong = await me.post('/api/me/cases', { description: '长'.repeat(5001) });
      assert.equal(tooLong.statusCode, 400);
      const outside = await me.post('/api/me/cases', { description: '外地问题', location: { lng: 10, lat: 10 } });
      assert.equal(outside.statusCode, 400);
    });

    test('a hotline caller whose number is a registered resident follows and rates the case in the H5', async () => {
      const caller = await residentClient(t, '13800990003', w.territory.gridA.id);
      const other = await residentClient(t, '13800990004', w.territory.gridA.id);
      const recorded = await intake({
        title: '路灯不亮',
        description: '小区路灯不亮',
        reporter: { name: '李四', phone: '13800990003' },
      });
      const anonymousCaller = await intake({
        title: '井盖缺失',
        description: '路口井盖缺失',
        reporter: { name: '赵六', phone: '13600009999' },
      });
      const mine = await caller.get('/api/me/cases');
      assert.deepEqual(
        mine.json().items.map((c: { id: number }) => c.id),
        [recorded.id],
        "the case recorded from my number is mine, the stranger's is not",
      );
      assert.equal((await other.get(`/api/me/cases/${recorded.id}`)).statusCode, 404);
      assert.equal((await caller.get(`/api/me/cases/${anonymousCaller.id}`)).statusCode, 404);
      await act(w.gridWorkerA, recorded.id, { action: 'selfResolve', result: '已更换灯泡' });
      const rated = await caller.post(`/api/me/cases/${recorded.id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(rated.statusCode, 200, rated.body);
      assert.equal(rated.json().case.state, 'closed');
    });

    test('a grid moved to another community takes its cases along: the new community sees them, the old no longer', async () => {
      const c = await intake({ title: '绿化带缺损', description: '绿化带被破坏', location: IN_GRID_A });
      const admin = await staffClient(t, 'move.admin', [{ role: 'districtAdmin', unitId: w.territory.district.id }]);
      const unit = (await admin.get(`/api/units/${w.territory.gridA.id}`)).json().unit;
      const moved = await admin.patch(`/api/units/${w.territory.gridA.id}`, {
        parentId: w.territory.communityB.id,
        version: unit.version,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const streetB = await w.streetB.get(`/api/cases/${c.id}`);
      assert.equal(streetB.statusCode, 200, 'street B now covers the grid and its case');
      const communityA = await w.communityA.get(`/api/cases/${c.id}`);
      assert.equal(communityA.statusCode, 404);
      const row = await t.database.db
        .selectFrom('cases')
        .innerJoin('units', 'units.id', 'cases.owner_unit_id')
        .select(['cases.owner_unit_path', 'units.path'])
        .where('cases.id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.owner_unit_path, row.path);
      await admin.patch(`/api/units/${w.territory.gridA.id}`, {
        parentId: w.territory.communityA.id,
        version: unit.version + 1,
      });
    });

    test('unknown categories and case types are refused and nothing is written', async () => {
      const before = await t.database.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const parent = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '测试',
        description: '测试',
        categoryId: w.categories.environment,
        location: IN_GRID_A,
      });
      assert.equal(parent.statusCode, 400, 'a first-level category is not enough');
      const unknown = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '测试',
        description: '测试',
        categoryId: 999_999,
        location: IN_GRID_A,
      });
      assert.equal(unknown.statusCode, 400);
      const type = await w.hotline.post('/api/cases', {
        caseType: 'nonsense',
        channel: 'hotline',
        title: '测试',
        description: '测试',
        location: IN_GRID_A,
      });
      assert.equal(type.statusCode, 400);
      const afterward = await t.database.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(afterward.n, before.n);
    });
  });
}

for (const kind of await databaseKinds()) {
  describe(`case numbers (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    before(async () => {
      t = await createTestApp(kind, {}, new ManualClock(MONDAY_10));
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    test('the first intakes of a year arriving together each get a number, none refused', async () => {
      const { rows } = await sql<{ r: string | null }>`SELECT to_regclass('case_number_2026')::text AS r`.execute(
        t.database.db,
      );
      assert.equal(rows[0]?.r, null, "the year's sequence is created by the first intake here");
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          w.hotline.post('/api/cases', {
            channel: 'hotline',
            categoryId: w.categories.garbage,
            location: IN_GRID_A,
            title: `整点集中来电 ${i}`,
            description: '新年第一批来电同时到达',
            reporter: { name: '王五', phone: `1360000330${i}` },
          }),
        ),
      );
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        Array(6).fill(201),
        responses.map((r) => r.body).join('\n'),
      );
      const numbers = responses.map((r) => r.json().case.number as string);
      assert.equal(new Set(numbers).size, 6);
      assert.ok(
        numbers.every((n) => /-2026-\d{6}$/.test(n)),
        numbers.join(' '),
      );
    });
  });
}
