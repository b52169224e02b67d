import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  anonymous,
  type Client,
  createTestApp,
  errorCode,
  staffClient,
  type TestApp,
} from '../../../../test/support/app.ts';
import { buildCaseWorld, type CaseWorld, IN_GRID_A, residentClient } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { loadDemoCases } from '../../demo/demo-cases.ts';
import { DEMO_PASSWORD, DEMO_RESIDENT_PHONE, loadDemoData } from '../../demo/demo-data.ts';
import { hashPassword } from '../auth/password.ts';
import { locateGrid } from '../grids/grids.repository.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';

interface Category {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  keywords: string[];
  department: { id: number; name: string } | null;
  active: boolean;
  version: number;
  children?: Category[];
}

/** Codes of the default catalogue (test/support/cases.ts adds its own, starting with t and a capital). */
const isDefault = (code: string) => !/^t[A-Z]/.test(code);

for (const kind of await databaseKinds()) {
  describe(`case configuration (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let admin: Client;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      admin = await staffClient(t, 'config.admin', [{ role: 'districtAdmin', unitId: w.territory.district.id }]);
    });
    after(() => t.dispose());

    const tree = async (client: Client, all = false): Promise<Category[]> => {
      const response = await client.get(`/api/case-categories${all ? '?all=true' : ''}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().items;
    };
    const byCode = (items: Category[], code: string) =>
      items.flatMap((c) => [c, ...(c.children ?? [])]).find((c) => c.code === code);

    test('the default catalogue has two levels, and a report about uncollected garbage suggests 垃圾清运', async () => {
      const resident = await residentClient(t, '13700000001');
      const items = (await tree(resident)).filter((c) => isDefault(c.code));
      assert.ok(items.length >= 10 && items.length <= 14, `first level: ${items.length}`);
      const children = items.flatMap((c) => c.children ?? []);
      assert.ok(children.length >= 40 && children.length <= 60, `second level: ${children.length}`);
      for (const parent of items) {
        assert.equal(parent.parentId, null);
        assert.ok((parent.children ?? []).length > 0, `${parent.name} has categories under it`);
        for (const child of parent.children ?? []) {
          assert.equal(child.parentId, parent.id);
          assert.ok(child.code.startsWith(`${parent.code}.`), child.code);
          assert.ok(child.keywords.length > 0, `${child.name} has keywords`);
          assert.equal(child.department, null);
        }
      }
      const garbage = byCode(items, 'environment.garbage');
      assert.equal(garbage?.name, '垃圾清运');
      assert.equal(byCode(items, 'property.elevator')?.name, '电梯故障');
      assert.equal(byCode(items, 'enterprise.financing')?.name, '融资');

      const suggested = await resident.get(
        `/api/case-categories/suggest?text=${encodeURIComponent('楼下垃圾好几天没人清运')}`,
      );
      assert.equal(suggested.statusCode, 200, suggested.body);
      const best = suggested.json().items[0];
      assert.equal(best.name, '垃圾清运');
      assert.equal(best.parentName, '市容环境');
      const lift = await w.gridWorkerA.get(
        `/api/case-categories/suggest?text=${encodeURIComponent('7号楼电梯又坏了，困了一个老人')}`,
      );
      assert.equal(lift.json().items[0].name, '电梯故障');
      assert.equal((await anonymous(t).get('/api/case-categories')).statusCode, 401);
    });

    test('staff without case.configure cannot change the configuration', async () => {
      const types = (await w.streetA.get('/api/case-types')).json().items as Array<{ code: string; version: number }>;
      const inspection = types.find((x) => x.code === 'inspection')!;
      const limits = (await w.streetA.get('/api/time-limits')).json().items as Array<{ id: number }>;
      const environment = byCode(await tree(w.streetA), 'environment')!;
      for (const client of [w.streetA, w.gridWorkerA, w.supervisor]) {
        const attempts = [
          await client.patch('/api/case-types/inspection', { version: inspection.version, orangeShare: 0.5 }),
          await client.post('/api/case-categories', {
            parentId: environment.id,
            code: 'environment.forbidden',
            name: '不应出现',
            nameEn: 'Must not appear',
          }),
          await client.patch(`/api/case-categories/${environment.id}`, { version: environment.version, name: '改名' }),
          await client.put('/api/time-limits', {
            caseType: 'appeal',
            categoryId: null,
            urgency: null,
            responseMinutes: 1,
            resolutionMinutes: 1,
            visitMinutes: 1,
          }),
          await client.delete(`/api/time-limits/${limits[0]!.id}`),
          await client.get('/api/case-categories?all=true'),
        ];
        for (const response of attempts) {
          assert.equal(response.statusCode, 403, response.body);
          assert.equal(errorCode(response), 'FORBIDDEN');
        }
      }
      const after = (await admin.get('/api/case-types'))
        .json()
        .items.find((x: { code: string }) => x.code === 'inspection');
      assert.equal(after.orangeShare, 0.8);
      assert.equal(byCode(await tree(admin, true), 'environment.forbidden'), undefined);
    });

    test('a case type changes with its version, audited; a stale version is refused', async () => {
      const types = (await admin.get('/api/case-types')).json().items as Array<{ code: string; version: number }>;
      const inspection = types.find((x) => x.code === 'inspection')!;
      const changed = await admin.patch('/api/case-types/inspection', {
        version: inspection.version,
        orangeShare: 0.75,
        nameEn: 'Inspection finding to fix',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().caseType.orangeShare, 0.75);
      assert.equal(changed.json().caseType.version, inspection.version + 1);
      const stale = await admin.patch('/api/case-types/inspection', { version: inspection.version, active: false });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      const audited = await t.database.db
        .selectFrom('audit_log')
        .select(['target_id', 'detail'])
        .where('action', '=', 'caseType.update')
        .execute();
      assert.deepEqual(
        audited.map((a) => a.target_id),
        ['inspection'],
      );
      const appeal = types.find((x) => x.code === 'appeal')!;
      const off = await admin.patch('/api/case-types/appeal', { version: appeal.version, active: false });
      assert.equal(off.statusCode, 409, 'residents report as appeal');
      const unknown = await admin.patch('/api/case-types/nothing', { version: 1, active: false });
      assert.equal(unknown.statusCode, 404);
      const outOfRange = await admin.patch('/api/case-types/inspection', { version: 2, orangeShare: 1 });
      assert.equal(outOfRange.statusCode, 400);
    });

    test('categories are added under a first-level category only, with unique codes, and deactivated', async () => {
      const environment = byCode(await tree(admin), 'environment')!;
      const garbage = byCode(await tree(admin), 'environment.garbage')!;
      const created = await admin.post('/api/case-categories', {
        parentId: environment.id,
        code: 'environment.brokenBins',
        name: '垃圾桶破损',
        nameEn: 'Broken bins',
        keywords: ['垃圾桶坏', '垃圾桶坏'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const bins = created.json().category as Category;
      assert.equal(bins.parentId, environment.id);
      assert.deepEqual(bins.keywords, ['垃圾桶坏']);

      const underSecond = await admin.post('/api/case-categories', {
        parentId: garbage.id,
        code: 'environment.garbage.third',
        name: '第三级',
        nameEn: 'Third level',
      });
      assert.equal(underSecond.statusCode, 400, underSecond.body);
      const duplicate = await admin.post('/api/case-categories', {
        parentId: environment.id,
        code: 'environment.brokenBins',
        name: '另一个名字',
        nameEn: 'Another name',
      });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(errorCode(duplicate), 'DUPLICATE');

      const notDepartment = await admin.patch(`/api/case-categories/${bins.id}`, {
        version: bins.version,
        departmentId: w.territory.gridA.id,
      });
      assert.equal(notDepartment.statusCode, 400);
      const pointed = await admin.patch(`/api/case-categories/${bins.id}`, {
        version: bins.version,
        departmentId: w.territory.department.id,
      });
      assert.equal(pointed.statusCode, 200, pointed.body);
      assert.deepEqual(pointed.json().category.department, {
        id: w.territory.department.id,
        name: w.territory.department.name,
      });
      const stale = await admin.patch(`/api/case-categories/${bins.id}`, { version: bins.version, active: false });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');

      const off = await admin.patch(`/api/case-categories/${bins.id}`, { version: bins.version + 1, active: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(byCode(await tree(w.gridWorkerA), 'environment.brokenBins'), undefined);
      assert.equal(byCode(await tree(admin, true), 'environment.brokenBins')?.active, false);
      const report = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '垃圾桶坏了',
        description: '小区门口垃圾桶坏了',
        categoryId: bins.id,
        location: IN_GRID_A,
      });
      assert.equal(report.statusCode, 400, 'an inactive category is not chosen for new cases');
      const audited = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_type', '=', 'caseCategory')
        .where('target_id', '=', String(bins.id))
        .execute();
      assert.deepEqual(audited.map((a) => a.action).sort(), [
        'caseCategory.create',
        'caseCategory.update',
        'caseCategory.update',
      ]);
    });

    test('a time-limit rule for a category changes the deadline of the next case in that category', async () => {
      const report = async (categoryId: number) => {
        const response = await w.hotline.post('/api/cases', {
          channel: 'hotline',
          title: '楼顶漏水',
          description: '顶楼住户反映楼顶漏水',
          categoryId,
          location: IN_GRID_A,
          reporter: { name: '张三', phone: '13912345678' },
        });
        assert.equal(response.statusCode, 201, response.body);
        return response.json().case;
      };
      // The catch-all rule: five working days from Monday 10:00.
      assert.equal((await report(w.categories.leak)).resolutionDueAt, '2026-11-30T02:00:00.000Z');

      const rule = {
        caseType: 'appeal',
        categoryId: w.categories.leak,
        urgency: null,
        responseMinutes: 60,
        resolutionMinutes: 960,
        visitMinutes: 480,
      };
      const put = await admin.put('/api/time-limits', rule);
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().created, true);
      const created = put.json().timeLimit;
      assert.equal(created.category.id, w.categories.leak);
      assert.equal(created.catchAll, false);

      const resolved = await w.gridWorkerA.get(
        `/api/time-limits/resolve?caseType=appeal&categoryId=${w.categories.leak}`,
      );
      assert.equal(resolved.statusCode, 200, resolved.body);
      assert.equal(resolved.json().timeLimit.id, created.id);
      // Two working days now; other categories keep the catch-all.
      assert.equal((await report(w.categories.leak)).resolutionDueAt, '2026-11-25T02:00:00.000Z');
      assert.equal((await report(w.categories.garbage)).resolutionDueAt, '2026-11-30T02:00:00.000Z');
      // A rule for the parent applies to its children without their own rule; the child's own rule wins.
      const parentRule = await admin.put('/api/time-limits', {
        ...rule,
        categoryId: w.categories.property,
        resolutionMinutes: 480,
      });
      assert.equal(parentRule.statusCode, 200, parentRule.body);
      assert.equal((await report(w.categories.leak)).resolutionDueAt, '2026-11-25T02:00:00.000Z');

      const again = await admin.put('/api/time-limits', { ...rule, resolutionMinutes: 1440, version: created.version });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().created, false);
      assert.equal(again.json().timeLimit.id, created.id);
      assert.equal(again.json().timeLimit.version, created.version + 1);
      const stale = await admin.put('/api/time-limits', { ...rule, version: created.version });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      assert.equal((await report(w.categories.leak)).resolutionDueAt, '2026-11-26T02:00:00.000Z');

      for (const bad of [
        { ...rule, resolutionMinutes: 0 },
        { ...rule, visitMinutes: 48_001 },
        { ...rule, caseType: 'unknownType' },
        { ...rule, categoryId: 2_000_000_000 },
        { ...rule, urgency: 'sometime' },
      ]) {
        const response = await admin.put('/api/time-limits', bad);
        assert.equal(response.statusCode, 400, JSON.stringify(bad));
      }

      const removed = await admin.delete(`/api/time-limits/${created.id}`);
      assert.equal(removed.statusCode, 200, removed.body);
      assert.equal((await report(w.categories.leak)).resolutionDueAt, '2026-11-24T02:00:00.000Z', 'the parent rule');
      assert.equal((await admin.delete(`/api/time-limits/${parentRule.json().timeLimit.id}`)).statusCode, 200);
      const fallback = await w.gridWorkerA.get(`/api/time-limits/resolve?categoryId=${w.categories.leak}`);
      assert.equal(fallback.json().timeLimit.catchAll, true, 'appeal is the type unless another is given');
      assert.equal(fallback.json().timeLimit.caseType, 'appeal');
      assert.equal((await report(w.categories.leak)).resolutionDueAt, '2026-11-30T02:00:00.000Z');
      const actions = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_type', '=', 'timeLimit')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['timeLimit.create', 'timeLimit.create', 'timeLimit.update', 'timeLimit.delete', 'timeLimit.delete'],
      );
    });

    test("a type's catch-all rule cannot be deleted", async () => {
      const list = await w.gridWorkerA.get('/api/time-limits?caseType=appeal');
      assert.equal(list.statusCode, 200, list.body);
      const items = list.json().items as Array<{ id: number; catchAll: boolean; urgency: string | null }>;
      const catchAll = items.find((r) => r.catchAll)!;
      const refused = await admin.delete(`/api/time-limits/${catchAll.id}`);
      assert.equal(refused.statusCode, 409);
      assert.equal(errorCode(refused), 'CONFLICT');
      assert.equal((await admin.delete('/api/time-limits/2000000000')).statusCode, 404);
      const after = (await w.gridWorkerA.get('/api/time-limits?caseType=appeal')).json().items;
      assert.equal(after.length, items.length);
    });
  });

  describe(`demo cases (${kind})`, () => {
    let t: TestApp;
    const clock = new ManualClock(MONDAY_10);
    let loaded: number | null;
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      await t.database.transaction((trx) => loadDemoData(trx, passwordHash));
      loaded = await loadDemoCases(t.database, t.config, clock);
    });
    after(() => t.dispose());

    test('load on an empty database, each case in the state of its last event, and only once', async () => {
      assert.ok(loaded !== null && loaded >= 25 && loaded <= 40, `loaded ${loaded}`);
      const { rows } = await sql<{
        id: number;
        state: string;
        owner_unit_id: number;
        event_count: number;
        last_state: string;
        last_owner: number;
        events: number;
        last_at: Date;
      }>`
        SELECT c.id, c.state, c.owner_unit_id, c.event_count, e.to_state AS last_state, e.owner_unit_id AS last_owner,
               (SELECT count(*)::int FROM case_events x WHERE x.case_id = c.id) AS events, e.created_at AS last_at
        FROM cases c
        JOIN case_events e ON e.case_id = c.id AND e.seq = (SELECT max(seq) FROM case_events y WHERE y.case_id = c.id)
        ORDER BY c.id`.execute(t.database.db);
      assert.equal(rows.length, loaded);
      for (const r of rows) {
        assert.equal(r.state, r.last_state, `case ${r.id}`);
        assert.equal(r.owner_unit_id, r.last_owner, `case ${r.id}`);
        assert.equal(r.event_count, r.events, `case ${r.id}`);
        assert.ok(new Date(r.last_at) < clock.now(), `case ${r.id} happened before now`);
      }
      const states = new Set(rows.map((r) => r.state));
      for (const state of [
        'received',
        'pendingDispatch',
        'inGrid',
        'atCommunity',
        'atStreet',
        'whistled',
        'handling',
        'arbitration',
        'resolved',
        'supervisionReview',
        'closed',
        'merged',
      ]) {
        assert.ok(states.has(state), `a demo case is ${state}`);
      }
      assert.equal(await loadDemoCases(t.database, t.config, clock), null);
    });

    test('located cases lie in the grid they were routed to, and the demo people find their work', async () => {
      const located = await t.database.db
        .selectFrom('cases')
        .select(['id', 'lng', 'lat', 'grid_id', 'channel', 'reporter_phone', 'state', 'round', 'supervised'])
        .execute();
      for (const c of located.filter((x) => x.lng !== null)) {
        const grid = await locateGrid(t.database.db, c.lng!, c.lat!);
        assert.ok(grid, `case ${c.id} is inside a grid`);
        assert.equal(c.grid_id, grid.id, `case ${c.id}`);
      }
      const mine = located.filter((c) => c.channel === 'h5' && c.reporter_phone === DEMO_RESIDENT_PHONE);
      assert.ok(
        mine.some((c) => c.state === 'resolved'),
        'the demo resident has a case to rate',
      );
      assert.ok(
        located.some((c) => c.round === 2 && c.state === 'inGrid'),
        'a reopened case',
      );
      assert.ok(
        located.some((c) => c.supervised && c.state === 'atCommunity'),
        'a supervised case',
      );

      const handler = anonymous(t);
      const signedIn = await handler.post('/api/auth/login', { username: 'cgj.handler', password: DEMO_PASSWORD });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      const toCheckIn = await handler.get('/api/cases?worklist=toCheckIn');
      assert.equal(toCheckIn.statusCode, 200, toCheckIn.body);
      assert.ok(toCheckIn.json().total >= 1, 'a case whistled to 城市管理局 waits for check-in');
      const resident = await residentClient(t, DEMO_RESIDENT_PHONE);
      const reports = await resident.get('/api/me/cases');
      assert.equal(reports.statusCode, 200, reports.body);
      assert.equal(reports.json().total, mine.length);
    });
  });
}
