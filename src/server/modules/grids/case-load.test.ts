import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anonymous,
  type Client,
  createTestApp,
  errorCode,
  staffClient,
  type TestApp,
} from '../../../../test/support/app.ts';
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
import { loadConfig } from '../../config.ts';
import type { CaseLoadResponse, GridCaseLoad } from './case-load.schema.ts';

const MONDAY_10 = '2026-11-23T02:00:00Z';
const IN_GRID_A2 = { lng: 116.425, lat: 39.905 };

const load = async (client: Client, query = ''): Promise<CaseLoadResponse> => {
  const response = await client.get(`/api/grids/case-load${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
};
const byName = (body: CaseLoadResponse) => new Map(body.items.map((g) => [g.name, g]));
const counts = (g: GridCaseLoad | undefined) =>
  g && {
    open: g.open,
    red: g.red,
    orange: g.orange,
    green: g.green,
    supervised: g.supervised,
    overdue: g.overdue,
    awaitingVisit: g.awaitingVisit,
  };

for (const kind of await databaseKinds()) {
  describe(`grid case load (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);

    const intake = async (body: Record<string, unknown>, by: Client = w.hotline) => {
      const response = await by.post('/api/cases', {
        channel: 'hotline',
        title: '垃圾桶满溢',
        description: '小区门口垃圾桶满了',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '王五', phone: '13600002222' },
        ...body,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; state: string; colour: string; grid: { id: number } | null };
    };

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      // Grid A: two cases taken a month ago (overdue now), one of them under supervision (red).
      await intake({});
      const supervised = await intake({});
      await act(w.supervisor, supervised.id, { action: 'supervise', note: '群众反映强烈，限期办结' });
      clock.advance(30 * 24 * 3600_000);
      // Grid A, today: one open and on time, one solved on the spot (waiting for the visit), one rejected (closed),
      // and a task-force item with a manual orange colour.
      await intake({});
      const solved = await intake({ channel: 'patrol', selfResolved: { result: '已清运' } }, w.gridWorkerA);
      assert.equal(solved.state, 'resolved');
      const rejected = await intake({ categoryId: undefined });
      await act(w.hotline, rejected.id, { action: 'reject', reason: '重复来电' });
      const task = await intake({
        caseType: 'task',
        channel: 'task',
        categoryId: undefined,
        location: undefined,
        unitId: w.territory.gridA.id,
        manualColour: 'orange',
      });
      assert.equal(task.grid?.id, w.territory.gridA.id);
      // Grid A2 and grid B: one each.
      await intake({ location: IN_GRID_A2 });
      await intake({ location: IN_GRID_B });
    });
    after(() => t.dispose());

    test('counts the open cases of every grid: colours, supervised, overdue; resolved and closed apart', async () => {
      const body = await load(w.supervisor);
      const grids = byName(body);
      assert.deepEqual(counts(grids.get('甲一网格')), {
        open: 4,
        red: 1,
        orange: 1,
        green: 2,
        supervised: 1,
        overdue: 2,
        awaitingVisit: 1,
      });
      assert.deepEqual(counts(grids.get('甲二网格')), {
        open: 1,
        red: 0,
        orange: 0,
        green: 1,
        supervised: 0,
        overdue: 0,
        awaitingVisit: 0,
      });
      assert.equal(grids.get('乙一网格')?.open, 1);
      assert.equal(grids.get('甲一网格')?.communityName, '甲社区');
      assert.equal(body.totals.open, 6);
      assert.equal(body.totals.awaitingVisit, 1);
      assert.equal(body.asOf, clock.now().toISOString());
    });

    test('the counts are the cases the same user finds in the case list of the grid', async () => {
      for (const g of (await load(w.communityA)).items) {
        const list = await w.communityA.get(`/api/cases?gridId=${g.gridId}&open=true&pageSize=1`);
        assert.equal(list.statusCode, 200, list.body);
        assert.equal(list.json().total, g.open + g.awaitingVisit, g.name);
        const red = await w.communityA.get(`/api/cases?gridId=${g.gridId}&open=true&colour=red&pageSize=1`);
        assert.equal(red.json().total, g.red, `${g.name} red`);
      }
    });

    test('case lists carry a task-force item’s manual colour and its next chase (督查督办’s 专项任务 tab)', async () => {
      const list = await w.supervisor.get('/api/cases?caseType=task&open=true');
      assert.equal(list.statusCode, 200, list.body);
      const [task, ...rest] = list.json().items;
      assert.equal(rest.length, 0);
      assert.equal(task.manualColour, 'orange');
      assert.equal(task.colour, 'orange');
      assert.equal(task.nextChaseAt, new Date(clock.now().getTime() + 14 * 86_400_000).toISOString());
      const appeal = (await w.supervisor.get('/api/cases?caseType=appeal&pageSize=1')).json().items[0];
      assert.equal(appeal.manualColour, null);
      assert.equal(appeal.nextChaseAt, null);
    });

    test('only grids of my scope appear, below the unit asked for', async () => {
      assert.deepEqual(
        (await load(w.gridWorkerA)).items.map((g) => g.name),
        ['甲一网格'],
      );
      assert.deepEqual((await load(w.communityA)).items.map((g) => g.name).sort(), ['甲一网格', '甲二网格'].sort());
      assert.deepEqual(
        (await load(w.streetB)).items.map((g) => g.name),
        ['乙一网格'],
      );
      const within = await load(w.supervisor, `?unitId=${w.territory.communityA.id}`);
      assert.deepEqual(within.items.map((g) => g.name).sort(), ['甲一网格', '甲二网格'].sort());
      assert.equal(within.totals.open, 5);
      const oneGrid = await load(w.communityA, `?unitId=${w.territory.gridA2.id}`);
      assert.deepEqual(
        oneGrid.items.map((g) => g.name),
        ['甲二网格'],
      );
      // A department sees cases whistled to it, but no grid is in its scope.
      assert.deepEqual((await load(w.department)).items, []);
    });

    test('a unit outside my scope is a 404 as if absent; bad input is a 400; no case.read is a 403', async () => {
      const outside = await w.gridWorkerA.get(`/api/grids/case-load?unitId=${w.territory.communityB.id}`);
      assert.equal(outside.statusCode, 404);
      assert.equal(errorCode(outside), 'NOT_FOUND');
      const missing = await w.supervisor.get('/api/grids/case-load?unitId=2000000000');
      assert.equal(missing.statusCode, 404);
      assert.equal(errorCode(missing), 'NOT_FOUND');
      for (const bad of ['abc', '0', '-3', '99999999999']) {
        const response = await w.supervisor.get(`/api/grids/case-load?unitId=${bad}`);
        assert.equal(response.statusCode, 400, bad);
        assert.equal(errorCode(response), 'VALIDATION_FAILED');
      }
      const unknown = await w.supervisor.get('/api/grids/case-load?within=1');
      assert.equal(unknown.statusCode, 400);
      const secretary = await staffClient(t, 'case-load.secretary', [
        { role: 'partySecretary', unitId: w.territory.communityA.id },
      ]);
      const refused = await secretary.get('/api/grids/case-load');
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
      const nobody = await anonymous(t).get('/api/grids/case-load');
      assert.equal(nobody.statusCode, 401);
      assert.equal(errorCode(nobody), 'UNAUTHENTICATED');
      const resident = await residentClient(t, '13700001111');
      const residentAnswer = await resident.get('/api/grids/case-load');
      assert.equal(residentAnswer.statusCode, 403);
      assert.equal(errorCode(residentAnswer), 'FORBIDDEN');
    });

    test('map settings: no tiles by default', async () => {
      const response = await w.gridWorkerA.get('/api/map/settings');
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { tileUrl: null, attribution: null });
      assert.equal((await anonymous(t).get('/api/map/settings')).statusCode, 401);
      assert.match(String(response.headers['content-security-policy']), /img-src 'self' data: blob:;/);
    });
  });

  describe(`map tiles setting (${kind})`, () => {
    const tiles = 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=demo';
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind, { MAP_TILE_URL: tiles, MAP_TILE_ATTRIBUTION: '天地图 GS(2024)0650号' });
    });
    after(() => t.dispose());

    test('a tile URL is given to signed-in staff, and its host is allowed as an image source', async () => {
      const district = await t.database.db
        .insertInto('units')
        .values({ kind: 'district', name: '瓦片区', path: '/tmp-tiles/', depth: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const staff = await staffClient(t, 'tiles.leader', [{ role: 'leader', unitId: district.id }]);
      const response = await staff.get('/api/map/settings');
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { tileUrl: tiles, attribution: '天地图 GS(2024)0650号' });
      assert.match(
        String(response.headers['content-security-policy']),
        /img-src 'self' data: blob: https:\/\/\*\.tianditu\.gov\.cn;/,
      );
    });
  });
}

describe('MAP_TILE_URL', () => {
  const env = { SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', DATA_DIR: '/tmp/linli-test-unused' };
  test('takes http(s) and same-origin templates with {z}, {x} and {y}, and refuses anything else', () => {
    for (const ok of [
      'https://tiles.example.cn/{z}/{x}/{y}.png',
      '/tiles/{z}/{x}/{y}.png',
      'http://{s}.t.cn/{z}/{x}/{y}',
    ]) {
      assert.equal(loadConfig({ ...env, MAP_TILE_URL: ok }).mapTileUrl, ok);
    }
    assert.equal(loadConfig(env).mapTileUrl, '');
    for (const bad of [
      'javascript:alert(1)//{z}{x}{y}',
      'https://tiles.example.cn/{z}/{x}.png',
      '//tiles.example.cn/{z}/{x}/{y}',
      'https://a.{s}.example.cn/{z}/{x}/{y}',
      'https://tiles.example.cn/{z}/{x}/{y} .png',
    ]) {
      assert.throws(() => loadConfig({ ...env, MAP_TILE_URL: bad }), /MAP_TILE_URL/, bad);
    }
  });
});
