import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { type Client, createTestApp, errorCode, staffClient, type TestApp } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A, IN_GRID_B } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';

// Times are Asia/Shanghai (UTC+8). Monday 2026-10-12 10:00: last month's cases.
const OCT_MONDAY_10 = '2026-10-12T02:00:00Z';
// Monday 2026-11-23 10:00: the week W1 (Monday 23 – Sunday 29 November).
const NOV_MONDAY_10 = '2026-11-23T02:00:00Z';
const NOV_WEDNESDAY_10 = '2026-11-25T02:00:00Z';
const NOV_FRIDAY_10 = '2026-11-27T02:00:00Z';
const NOV_FRIDAY_11 = '2026-11-27T03:00:00Z';
const NOV_FRIDAY_12 = '2026-11-27T04:00:00Z';
const DEC_MONDAY_10 = '2026-12-07T02:00:00Z';
const DEC_MONDAY_28 = '2026-12-28T02:00:00Z';

type Rating = 'satisfied' | 'partlySatisfied' | 'dissatisfied';

for (const kind of await databaseKinds()) {
  describe(`metrics: 三率, rankings, bulletin, league table, ledger (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let districtAdmin: Client;
    const clock = new ManualClock(OCT_MONDAY_10);

    const hotlineCase = async (location = IN_GRID_A) => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '小区垃圾清运不及时',
        description: '幸福小区3号楼旁的垃圾桶三天没有清运，气味很大。',
        categoryId: w.categories.garbage,
        location,
        reporter: { name: '张三', phone: '13912345678' },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; state: string };
    };

    /** A case the grid worker resolves on the spot (in time) and the hotline visits with the given answer. */
    const gridCase = async (grid: 'A' | 'B', rating: Rating, solved: boolean) => {
      const c = await hotlineCase(grid === 'A' ? IN_GRID_A : IN_GRID_B);
      const worker = grid === 'A' ? w.gridWorkerA : w.gridWorkerB;
      await act(worker, c.id, { action: 'selfResolve', result: '已联系环卫清运' });
      return act(w.hotline, c.id, { action: 'visit', rating, solved });
    };

    const get = async (client: Client, url: string) => {
      const response = await client.get(url);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      districtAdmin = await staffClient(t, 'district.admin.metrics', [
        { role: 'districtAdmin', unitId: w.territory.district.id },
      ]);
      // October: street A's three cases are resolved but not solved (partly satisfied); street B's are perfect.
      for (let i = 0; i < 3; i++) await gridCase('A', 'partlySatisfied', false);
      for (let i = 0; i < 3; i++) await gridCase('B', 'satisfied', true);
    });
    after(() => t.dispose());

    test('four visited cases give exact counts and rates, summed up the territory tree', async () => {
      clock.set(NOV_MONDAY_10);
      await gridCase('A', 'satisfied', true);
      await gridCase('A', 'satisfied', true);
      await gridCase('A', 'partlySatisfied', true);
      const reopened = await gridCase('A', 'dissatisfied', false);
      assert.equal(reopened.state, 'inGrid', 'a first dissatisfied visit sends the case back');
      await act(w.gridWorkerA, reopened.id, { action: 'selfResolve', result: '再次清运并加装垃圾桶' });

      const expected = {
        received: 4,
        assigned: 5,
        responded: 5,
        respondedInTime: 5,
        resolved: 5,
        resolvedInTime: 5,
        visited: 4,
        answered: 4,
        solved: 3,
        satisfied: 2,
        partlySatisfied: 1,
        dissatisfied: 1,
        noAnswer: 0,
        closed: 3,
      };
      // satisfaction = (2 + 0.8 × 1) / 4; resolution = 3 / 4; every assignment answered in time.
      const rates = { responseRate: 1, resolutionRate: 0.75, satisfactionRate: 0.7 };
      for (const unit of [w.territory.gridA, w.territory.communityA, w.territory.streetA, w.territory.district]) {
        const body = await get(w.leader, `/api/metrics/three-rates?unitId=${unit.id}&period=week&date=2026-11-25`);
        assert.equal(body.dimension, 'territory');
        assert.deepEqual(body.period, {
          kind: 'week',
          from: '2026-11-23',
          to: '2026-11-29',
          label: '2026年11月23日—2026年11月29日',
        });
        assert.deepEqual(body.counts, expected, unit.name);
        assert.deepEqual(body.rates, rates, unit.name);
      }
      const handler = await get(
        w.leader,
        `/api/metrics/three-rates?unitId=${w.territory.gridA.id}&period=week&date=2026-11-23&dimension=handler`,
      );
      assert.deepEqual(handler.counts, { ...expected, received: 0, closed: 0 });

      const streetB = await get(w.leader, `/api/metrics/three-rates?unitId=${w.territory.streetB.id}&period=week`);
      assert.equal(streetB.counts.received, 0);
      assert.deepEqual(streetB.rates, { responseRate: null, resolutionRate: null, satisfactionRate: null });

      // The year adds October: 3 more cases answered "partly satisfied, not solved".
      const year = await get(w.leader, `/api/metrics/three-rates?unitId=${w.territory.streetA.id}&period=year`);
      assert.deepEqual(year.period, { kind: 'year', from: '2026-01-01', to: '2026-12-31', label: '2026年' });
      assert.equal(year.counts.received, 7);
      assert.equal(year.counts.answered, 7);
      assert.deepEqual(year.rates, {
        responseRate: 1,
        resolutionRate: 0.4286, // 3 / 7
        satisfactionRate: 0.7429, // (2 + 0.8 × 4) / 7
      });
      assert.equal(year.partlySatisfiedWeight, 0.8);
      assert.match(year.formulas.satisfactionRate.en, /\(satisfied \+ 0\.8 × partlySatisfied\)/);
      assert.match(year.formulas.satisfactionRate.zh, /满意数 \+ 0\.8 × 基本满意数/);

      const enterprise = await get(
        w.leader,
        `/api/metrics/three-rates?unitId=${w.territory.streetA.id}&period=week&date=2026-11-23&caseType=enterprise`,
      );
      assert.equal(enterprise.counts.received, 0, 'the caseType filter leaves out appeals');
    });

    test('a late check-in by the whistled department lowers its response rate and the territory’s', async () => {
      clock.set(NOV_WEDNESDAY_10);
      const c = await hotlineCase();
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需要社区协调' });
      await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        deadline: '2026-12-02T09:00:00Z',
      });
      // The response limit (240 working minutes) ended on Wednesday at 14:00; the department answers on Friday.
      clock.set(NOV_FRIDAY_10);
      await act(w.department, c.id, { action: 'checkIn' });
      await act(w.department, c.id, { action: 'resolve', result: '已清运' });
      await act(w.hotline, c.id, { action: 'visit', rating: 'satisfied', solved: true });

      const department = await get(
        w.department,
        `/api/metrics/three-rates?unitId=${w.territory.department.id}&period=week&date=2026-11-27`,
      );
      assert.equal(department.dimension, 'handler');
      assert.equal(department.counts.assigned, 1);
      assert.equal(department.counts.responded, 1);
      assert.equal(department.counts.respondedInTime, 0);
      assert.equal(department.counts.resolvedInTime, 1);
      assert.deepEqual(department.rates, { responseRate: 0, resolutionRate: 1, satisfactionRate: 1 });

      // Street A: grid, community and department assignments for this case, two of them answered in time.
      const street = await get(
        w.leader,
        `/api/metrics/three-rates?unitId=${w.territory.streetA.id}&period=week&date=2026-11-27`,
      );
      assert.equal(street.counts.assigned, 8);
      assert.equal(street.counts.respondedInTime, 7);
      assert.deepEqual(street.rates, { responseRate: 0.875, resolutionRate: 0.8, satisfactionRate: 0.76 });

      // A department handler's scope is its own department: the district's figures do not exist for them.
      const outside = await w.department.get(`/api/metrics/three-rates?unitId=${w.territory.district.id}`);
      assert.equal(outside.statusCode, 404);
      assert.equal(errorCode(outside), 'NOT_FOUND');
    });

    test('rankings leave a unit below the minimum volume unranked', async () => {
      clock.set(NOV_FRIDAY_11);
      await gridCase('B', 'satisfied', true);

      const ranked = await get(
        w.leader,
        `/api/metrics/rankings?level=street&within=${w.territory.district.id}&period=month&date=2026-11-27&minVolume=3`,
      );
      assert.equal(ranked.dimension, 'territory');
      assert.deepEqual(
        ranked.rows.map((r: { rank: number; unit: { name: string }; volume: number; score: number }) => [
          r.rank,
          r.unit.name,
          r.volume,
          r.score,
        ]),
        [[1, '甲街道', 5, 0.8117]], // mean of 0.875, 0.8 and 0.76
      );
      assert.deepEqual(
        ranked.belowMinimum.map((r: { rank: null; unit: { name: string }; volume: number }) => [
          r.rank,
          r.unit.name,
          r.volume,
        ]),
        [[null, '乙街道', 1]],
      );

      // With a minimum of one case, street B (all rates 100%) comes first.
      const all = await get(
        w.leader,
        `/api/metrics/rankings?level=street&within=${w.territory.district.id}&period=month&date=2026-11-27&minVolume=1`,
      );
      assert.deepEqual(
        all.rows.map((r: { rank: number; unit: { name: string } }) => [r.rank, r.unit.name]),
        [
          [1, '乙街道'],
          [2, '甲街道'],
        ],
      );
      assert.deepEqual(all.belowMinimum, []);

      // Departments are ranked on what they handled: the one without any work this month is listed apart.
      const departments = await get(
        w.leader,
        `/api/metrics/rankings?level=department&within=${w.territory.district.id}&period=month&date=2026-11-27&minVolume=1`,
      );
      assert.equal(departments.dimension, 'handler');
      assert.deepEqual(
        departments.rows.map((r: { rank: number; unit: { id: number }; score: number }) => [
          r.rank,
          r.unit.id,
          r.score,
        ]),
        [[1, w.territory.department.id, 0.6667]],
      );
      assert.deepEqual(
        departments.belowMinimum.map((r: { unit: { id: number } }) => r.unit.id),
        [w.territory.department2.id],
      );

      // The default minimum volume is RANKING_MIN_VOLUME (10): nobody is ranked on five cases.
      const defaults = await get(w.leader, `/api/metrics/rankings?within=${w.territory.district.id}&date=2026-11-27`);
      assert.equal(defaults.level, 'street');
      assert.equal(defaults.minVolume, 10);
      assert.deepEqual(defaults.rows, []);
      assert.equal(defaults.belowMinimum.length, 2);
    });

    test('the league table compares the month with the month before, and its workbook has the rows', async () => {
      const table = await get(
        w.leader,
        `/api/metrics/league-table?month=2026-11&within=${w.territory.district.id}&minVolume=3`,
      );
      assert.equal(table.level, 'street');
      assert.deepEqual(table.previousPeriod, {
        kind: 'month',
        from: '2026-10-01',
        to: '2026-10-31',
        label: '2026年10月',
      });
      // October: street B ranked first (score 1), street A second (mean of 1, 0 and 0.8).
      assert.equal(table.rows.length, 1);
      const a = table.rows[0];
      assert.equal(a.unit.name, '甲街道');
      assert.deepEqual(a.previous, { rank: 2, score: 0.6 });
      assert.equal(a.rankChange, 1);
      assert.equal(a.scoreChange, 0.2117);
      const b = table.belowMinimum[0];
      assert.equal(b.unit.name, '乙街道');
      assert.deepEqual(b.previous, { rank: 1, score: 1 });
      assert.equal(b.rankChange, null);

      const file = await districtAdmin.get(
        `/api/metrics/league-table.xlsx?month=2026-11&within=${w.territory.district.id}&minVolume=3`,
      );
      assert.equal(file.statusCode, 200, file.body);
      assert.match(String(file.headers['content-type']), /spreadsheetml/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.rawPayload as never);
      const sheet = workbook.getWorksheet('一月一晾晒')!;
      assert.equal(sheet.getCell('A1').value, '测试区街道一月一晾晒（2026年11月）');
      assert.match(String(sheet.getCell('A2').value), /响应率 = /);
      assert.equal(sheet.getCell('A3').value, '排名');
      assert.equal(sheet.getCell('B3').value, '单位');
      assert.deepEqual(sheet.views[0], { ...sheet.views[0], state: 'frozen', ySplit: 3 });
      const cells = (row: number, n: number) =>
        Array.from({ length: n }, (_, i) => sheet.getRow(row).getCell(i + 1).value);
      assert.deepEqual(cells(4, 6), [1, '甲街道', 5, 8, 7, 0.875]);
      assert.equal(sheet.getRow(4).getCell(15).value, 2, 'last month’s rank');
      assert.match(String(sheet.getCell('A5').value), /不足 3 件，不参与排名/);
      assert.deepEqual(cells(6, 3), ['—', '乙街道', 1]);
      assert.equal(sheet.rowCount, 6);

      const audited = await t.database.db
        .selectFrom('audit_log')
        .select(['target_id', 'unit_id'])
        .where('action', '=', 'metrics.export')
        .execute();
      assert.deepEqual(audited, [{ target_id: 'leagueTable', unit_id: w.territory.district.id }]);

      // Reading is metrics.read; downloading needs data.export too (a leader has only the first).
      const denied = await w.leader.get(`/api/metrics/league-table.xlsx?month=2026-11`);
      assert.equal(denied.statusCode, 403);
      assert.equal(errorCode(denied), 'FORBIDDEN');
    });

    test('a leader of street A cannot read street B’s metrics', async () => {
      const leaderA = await staffClient(t, 'leader.street.a.metrics', [
        { role: 'leader', unitId: w.territory.streetA.id },
      ]);
      for (const url of [
        `/api/metrics/three-rates?unitId=${w.territory.streetB.id}`,
        `/api/metrics/three-rates?unitId=${w.territory.district.id}`,
        `/api/metrics/rankings?level=community&within=${w.territory.streetB.id}`,
        `/api/metrics/bulletin?within=${w.territory.streetB.id}`,
        `/api/metrics/league-table?within=${w.territory.streetB.id}&level=community`,
        `/api/metrics/ledger?within=${w.territory.streetB.id}`,
        `/api/metrics/three-rates?unitId=999999`,
      ]) {
        const response = await leaderA.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      // Without a unit the report is about their own street.
      const own = await get(leaderA, '/api/metrics/three-rates?period=month&date=2026-11-27');
      assert.equal(own.unit.id, w.territory.streetA.id);
      assert.equal(own.counts.received, 5);
      // Rankings within the district list only what they may see.
      const communities = await get(leaderA, '/api/metrics/rankings?level=community&minVolume=1&date=2026-11-27');
      assert.deepEqual(
        communities.rows.map((r: { unit: { id: number } }) => r.unit.id),
        [w.territory.communityA.id],
      );
      // Grid workers hold no metrics.read.
      const grid = await w.gridWorkerA.get('/api/metrics/three-rates');
      assert.equal(grid.statusCode, 403);
    });

    test('bad parameters are a 400, never a 500', async () => {
      for (const url of [
        '/api/metrics/three-rates?period=fortnight',
        '/api/metrics/three-rates?date=2026-02-30',
        '/api/metrics/three-rates?date=yesterday',
        '/api/metrics/three-rates?date=1999-12-31',
        '/api/metrics/three-rates?caseType=nonsense',
        '/api/metrics/rankings?minVolume=0',
        `/api/metrics/rankings?within=${w.territory.gridA.id}`,
        '/api/metrics/league-table?month=2026-13',
        `/api/metrics/bulletin?within=${w.territory.department.id}`,
        '/api/metrics/ledger?from=2026-12-31&to=2026-01-01',
        '/api/metrics/ledger?caseType=unknownType',
        '/api/metrics/three-rates?unitId=abc',
        '/api/metrics/three-rates?extra=1',
      ]) {
        const response = await w.leader.get(url);
        assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
        assert.match(errorCode(response), /^(VALIDATION_FAILED|BAD_REQUEST)$/);
      }
    });

    test('the weekly bulletin: counts, where cases stand now, top categories, best and worst', async () => {
      clock.set(NOV_FRIDAY_12);
      const open = await hotlineCase();
      await act(w.supervisor, open.id, { action: 'supervise', note: '群众反映强烈，挂牌督办' });

      const street = await get(
        w.leader,
        `/api/metrics/bulletin?week=2026-11-25&within=${w.territory.streetA.id}&minVolume=1`,
      );
      assert.deepEqual(street.period, {
        kind: 'week',
        from: '2026-11-23',
        to: '2026-11-29',
        label: '2026年11月23日—2026年11月29日',
      });
      assert.equal(street.counts.received, 6);
      assert.equal(street.counts.resolved, 6);
      assert.equal(street.resolvedLate, 0);
      assert.deepEqual(
        { ...street.now, asOf: undefined },
        { asOf: undefined, open: 1, overdue: 0, red: 1, supervised: 1 },
      );
      assert.deepEqual(street.topCategories, [
        { category: { id: w.categories.garbage, name: '垃圾清运', parentName: '市容环境' }, received: 6 },
      ]);
      assert.equal(street.ranking.level, 'community');
      assert.deepEqual(
        street.ranking.best.map((r: { unit: { id: number } }) => r.unit.id),
        [w.territory.communityA.id],
      );
      assert.deepEqual(street.ranking.worst, []);

      // The district: street B (all 100%) is the best, street A (7 of 9 answered in time) the worst.
      const district = await get(w.leader, '/api/metrics/bulletin?week=2026-11-25&minVolume=1');
      assert.equal(district.unit.id, w.territory.district.id);
      assert.equal(district.counts.received, 7);
      assert.deepEqual(
        district.ranking.best.map((r: { unit: { name: string }; score: number }) => [r.unit.name, r.score]),
        [['乙街道', 1]],
      );
      assert.deepEqual(
        district.ranking.worst.map((r: { unit: { name: string }; score: number }) => [r.unit.name, r.score]),
        [['甲街道', 0.7793]], // mean of 7/9, 4/5 and 3.8/5
      );

      // A week later the open case is past its resolution limit.
      clock.set(DEC_MONDAY_10);
      const later = await get(w.leader, `/api/metrics/bulletin?week=2026-11-25&within=${w.territory.streetA.id}`);
      assert.equal(later.now.overdue, 1);
      assert.equal(later.ranking.best.length, 0, 'below the default minimum volume nobody is ranked');

      const file = await districtAdmin.get(
        `/api/metrics/bulletin.xlsx?week=2026-11-25&within=${w.territory.streetA.id}`,
      );
      assert.equal(file.statusCode, 200, file.body);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.rawPayload as never);
      const sheet = workbook.getWorksheet('通报')!;
      assert.equal(sheet.getCell('A1').value, '甲街道一周一通报（2026年11月23日—2026年11月29日）');
      assert.deepEqual([sheet.getCell('A3').value, sheet.getCell('B3').value], ['项目', '数值']);
      assert.deepEqual([sheet.getCell('A4').value, sheet.getCell('B4').value], ['受理案件数', 6]);
      assert.deepEqual(
        workbook.worksheets.map((s) => s.name),
        ['通报', '热点类别', '先进与后进'],
      );
      assert.equal(workbook.getWorksheet('热点类别')!.getCell('B4').value, '市容环境 / 垃圾清运');
    });

    test('the enterprise ledger counts collected, resolved, in progress and overdue by category', async () => {
      clock.set(DEC_MONDAY_10);
      const enterprise = async (categoryId: number, title: string) => {
        const response = await w.streetA.post('/api/cases', {
          caseType: 'enterprise',
          channel: 'enterpriseVisit',
          title,
          description: `${title}，企业走访时提出。`,
          categoryId,
          unitId: w.territory.streetA.id,
        });
        assert.equal(response.statusCode, 201, response.body);
        const c = response.json().case;
        assert.equal(c.state, 'atStreet');
        return c as { id: number };
      };
      const leak1 = await enterprise(w.categories.leak, '厂房屋顶漏水');
      await enterprise(w.categories.leak, '仓库渗水');
      const garbage = await enterprise(w.categories.garbage, '园区垃圾清运');
      await act(w.streetA, leak1.id, { action: 'resolve', result: '已协调物业维修' });
      const closed = await act(w.streetA, garbage.id, { action: 'resolve', result: '已清运' });
      assert.equal(closed.state, 'closed', 'without a reporter to visit, a resolved enterprise problem closes');

      const url = `/api/metrics/ledger?caseType=enterprise&within=${w.territory.streetA.id}&from=2026-12-01&to=2026-12-31`;
      const ledger = await get(w.streetA, url);
      assert.equal(ledger.caseTypeName, '企业诉求');
      assert.deepEqual(ledger.period, { from: '2026-12-01', to: '2026-12-31', label: '2026年12月1日—2026年12月31日' });
      assert.deepEqual(ledger.rows, [
        {
          category: { id: w.categories.leak, name: '房屋漏水', parentName: '物业管理' },
          collected: 2,
          resolved: 1,
          resolutionRate: 0.5,
          inProgress: 1,
          overdue: 0,
          closedUnresolved: 0,
        },
        {
          category: { id: w.categories.garbage, name: '垃圾清运', parentName: '市容环境' },
          collected: 1,
          resolved: 1,
          resolutionRate: 1,
          inProgress: 0,
          overdue: 0,
          closedUnresolved: 0,
        },
      ]);
      assert.deepEqual(ledger.total, {
        collected: 3,
        resolved: 2,
        resolutionRate: 0.6667,
        inProgress: 1,
        overdue: 0,
        closedUnresolved: 0,
      });
      // November's appeals are not in an enterprise ledger; street B has none.
      const other = await get(w.leader, `/api/metrics/ledger?caseType=enterprise&within=${w.territory.streetB.id}`);
      assert.deepEqual(other.rows, []);
      assert.equal(other.total.resolutionRate, null);

      // Three weeks on, the open problem is past its ten working days.
      clock.set(DEC_MONDAY_28);
      const late = await get(w.streetA, url);
      assert.equal(late.total.overdue, 1);

      const file = await w.streetA.get(url.replace('/ledger?', '/ledger.xlsx?'));
      assert.equal(file.statusCode, 200, file.body);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.rawPayload as never);
      const sheet = workbook.getWorksheet('台账')!;
      assert.equal(sheet.getCell('A1').value, '甲街道企业诉求台账（2026年12月1日—2026年12月31日）');
      assert.match(String(sheet.getCell('A2').value), /办结率 = 已办结数 ÷ 收集数/);
      const row = (n: number) => Array.from({ length: 9 }, (_, i) => sheet.getRow(n).getCell(i + 1).value);
      assert.deepEqual(row(3), [
        '序号',
        '一级类别',
        '二级类别',
        '收集数',
        '已办结',
        '办结率',
        '办理中',
        '超期',
        '未办结关闭',
      ]);
      assert.deepEqual(row(4), [1, '物业管理', '房屋漏水', 2, 1, 0.5, 1, 1, 0]);
      assert.deepEqual(row(5), [2, '市容环境', '垃圾清运', 1, 1, 1, 0, 0, 0]);
      assert.deepEqual(row(6), ['合计', null, null, 3, 2, 0.6667, 1, 1, 0]);
    });

    test('the rollups equal the counts recomputed from the events and assignments', async () => {
      // A report taken in without a category and classified the next month moves between top-level categories.
      clock.set(DEC_MONDAY_28);
      const unclassified = await w.hotline.post('/api/cases', {
        channel: 'patrol',
        title: '楼道漏水',
        description: '楼道顶部渗水，墙皮脱落。',
        location: IN_GRID_B,
      });
      assert.equal(unclassified.statusCode, 201, unclassified.body);
      clock.set('2027-01-04T02:00:00Z');
      await act(w.hotline, unclassified.json().case.id, { action: 'classify', categoryId: w.categories.leak });
      const day = (col: string) => sql.raw(`(${col} AT TIME ZONE 'Asia/Shanghai')::date`);
      const recomputed = await sql<Record<string, string | number>>`
        WITH parts AS (
          SELECT c.territory_unit_id AS unit_id, ${day('e.created_at')} AS day, c.case_type, 'territory' AS dimension,
                 1 AS received, 0 AS assigned, 0 AS responded, 0 AS responded_in_time, 0 AS resolved,
                 0 AS resolved_in_time, 0 AS visited, 0 AS solved, 0 AS satisfied, 0 AS partly_satisfied,
                 0 AS dissatisfied, 0 AS no_answer, 0 AS closed
            FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.action = 'intake'
          UNION ALL
          SELECT u.unit_id, ${day('a.assigned_at')}, c.case_type, u.dimension,
                 0, 1, (a.responded_at IS NOT NULL)::int, coalesce(a.responded_in_time, false)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM case_assignments a JOIN cases c ON c.id = a.case_id
            CROSS JOIN LATERAL (VALUES (c.territory_unit_id, 'territory'), (a.unit_id, 'handler')) u (unit_id, dimension)
          UNION ALL
          SELECT u.unit_id, ${day('e.created_at')}, c.case_type, u.dimension,
                 0, 0, 0, 0, 1, (e.data->>'inTime')::boolean::int, 0, 0, 0, 0, 0, 0, 0
            FROM case_events e JOIN cases c ON c.id = e.case_id
            CROSS JOIN LATERAL (VALUES (c.territory_unit_id, 'territory'),
                                       ((e.data->'resolver'->>'id')::int, 'handler')) u (unit_id, dimension)
           WHERE e.action IN ('resolve', 'selfResolve')
          UNION ALL
          SELECT u.unit_id, ${day('e.created_at')}, c.case_type, u.dimension,
                 0, 0, 0, 0, 0, 0, 1,
                 (e.data->>'rating' <> 'noAnswer' AND coalesce((e.data->>'solved')::boolean, false))::int,
                 (e.data->>'rating' = 'satisfied')::int, (e.data->>'rating' = 'partlySatisfied')::int,
                 (e.data->>'rating' = 'dissatisfied')::int, (e.data->>'rating' = 'noAnswer')::int, 0
            FROM case_events e JOIN cases c ON c.id = e.case_id
            CROSS JOIN LATERAL (
              SELECT (r.data->'resolver'->>'id')::int AS resolver FROM case_events r
               WHERE r.case_id = e.case_id AND r.seq < e.seq AND r.action IN ('resolve', 'selfResolve')
               ORDER BY r.seq DESC LIMIT 1) last
            CROSS JOIN LATERAL (VALUES (c.territory_unit_id, 'territory'), (last.resolver, 'handler')) u (unit_id, dimension)
           WHERE e.action IN ('visit', 'expireVisit')
          UNION ALL
          SELECT c.territory_unit_id, ${day('e.created_at')}, c.case_type, 'territory',
                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
            FROM case_events e JOIN cases c ON c.id = e.case_id
           WHERE e.to_state IN ('closed', 'merged') AND (e.from_state IS NULL OR e.from_state NOT IN ('closed', 'merged'))
        )
        SELECT unit_id, day::text AS day, case_type, dimension,
               sum(received)::int AS received, sum(assigned)::int AS assigned, sum(responded)::int AS responded,
               sum(responded_in_time)::int AS responded_in_time, sum(resolved)::int AS resolved,
               sum(resolved_in_time)::int AS resolved_in_time, sum(visited)::int AS visited, sum(solved)::int AS solved,
               sum(satisfied)::int AS satisfied, sum(partly_satisfied)::int AS partly_satisfied,
               sum(dissatisfied)::int AS dissatisfied, sum(no_answer)::int AS no_answer, sum(closed)::int AS closed
          FROM parts GROUP BY unit_id, day, case_type, dimension
         ORDER BY unit_id, day, case_type, dimension`.execute(t.database.db);
      const rollup = await t.database.db
        .selectFrom('case_stats_daily')
        .select([
          'unit_id',
          sql<string>`day::text`.as('day'),
          'case_type',
          'dimension',
          'received',
          'assigned',
          'responded',
          'responded_in_time',
          'resolved',
          'resolved_in_time',
          'visited',
          'solved',
          'satisfied',
          'partly_satisfied',
          'dissatisfied',
          'no_answer',
          'closed',
        ])
        .orderBy('unit_id')
        .orderBy('day')
        .orderBy('case_type')
        .orderBy('dimension')
        .execute();
      assert.ok(rollup.length > 10, 'the scenario above wrote rollups');
      assert.deepEqual(rollup, recomputed.rows);
      // The rollup keeps each unit's current path.
      const paths = await t.database.db
        .selectFrom('case_stats_daily as s')
        .innerJoin('units as u', 'u.id', 's.unit_id')
        .select(sql<number>`count(*) FILTER (WHERE s.unit_path <> u.path)`.as('stale'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(paths.stale), 0);
      // The monthly breakdown: every case once, in its territory, intake month, type, top-level category (0 when
      // not classified) and channel.
      const expected = await sql<Record<string, string | number>>`
        SELECT c.territory_unit_id AS unit_id, u.path AS unit_path,
               to_char(date_trunc('month', c.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS month,
               c.case_type, coalesce(k.parent_id, k.id, 0) AS category_id, c.channel, count(*)::int AS received
          FROM cases c JOIN units u ON u.id = c.territory_unit_id LEFT JOIN case_categories k ON k.id = c.category_id
         GROUP BY 1, 2, 3, 4, 5, 6`.execute(t.database.db);
      const kept = await sql<Record<string, string | number>>`
        SELECT unit_id, unit_path, month::text AS month, case_type, category_id, channel, received
          FROM case_stats_breakdown WHERE received <> 0`.execute(t.database.db);
      const sortKey = (r: Record<string, string | number>) =>
        [r.unit_id, r.month, r.case_type, r.category_id, r.channel].join('|');
      const sorted = (rows: Array<Record<string, string | number>>) =>
        [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      assert.ok(kept.rows.length >= 5, 'the scenario wrote breakdown rows');
      assert.deepEqual(sorted(kept.rows), sorted(expected.rows));
      const moved = kept.rows.filter((r) => r.channel === 'patrol');
      assert.deepEqual(
        moved.map((r) => [r.month, r.category_id]),
        [['2026-12-01', w.categories.property]],
        'counted in its intake month under the category it has now',
      );
    });
  });
}
