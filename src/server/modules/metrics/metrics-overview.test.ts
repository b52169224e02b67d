import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type Client, createTestApp, errorCode, staffClient, type TestApp } from '../../../../test/support/app.ts';
import {
  act,
  buildCaseWorld,
  type CaseWorld,
  IN_GRID_A,
  IN_GRID_B,
  OUTSIDE_GRIDS,
} from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import type { Overview } from './metrics.schema.ts';

// Asia/Shanghai (UTC+8). Tuesday 20 October 2026 10:00, then Tuesday 3 November 2026 10:00.
const OCT_20 = '2026-10-20T02:00:00Z';
const NOV_3 = '2026-11-03T02:00:00Z';

for (const kind of await databaseKinds()) {
  describe(`metrics overview: over time, by category, channel, unit and grid (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let admin: Client;
    const clock = new ManualClock(OCT_20);
    /** Taken in on 20 October without a category, classified (as 房屋漏水) on 3 November. */
    let lateClassified: number;

    const intake = async (body: Record<string, unknown>) => {
      const response = await w.hotline.post('/api/cases', {
        title: '居民反映问题',
        description: '居民来电反映的问题，请尽快处理。',
        reporter: { name: '李四', phone: '13812345678' },
        ...body,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; state: string; version: number };
    };

    const overview = async (client: Client, query: string): Promise<Overview> => {
      const response = await client.get(`/api/metrics/overview?${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };

    /** The same figures counted from the cases themselves. */
    const recount = async (unitPath: string, from: string, to: string) => {
      const zoned = sql`(c.created_at AT TIME ZONE 'Asia/Shanghai')`;
      const inDays = sql`${zoned}::date BETWEEN ${from}::date AND ${to}::date`;
      const inMonths = sql`date_trunc('month', ${zoned})::date
                           BETWEEN date_trunc('month', ${from}::date)::date AND date_trunc('month', ${to}::date)::date`;
      const under = sql`c.territory_path LIKE ${`${unitPath}%`}`;
      const db = t.database.db;
      const byCategory = await sql<{ id: number | null; received: number }>`
        SELECT k.parent_id AS id, count(*)::int AS received FROM cases c
          LEFT JOIN case_categories k ON k.id = c.category_id
         WHERE ${under} AND ${inMonths} GROUP BY 1`.execute(db);
      const byChannel = await sql<{ channel: string; received: number }>`
        SELECT c.channel, count(*)::int AS received FROM cases c WHERE ${under} AND ${inMonths} GROUP BY 1`.execute(db);
      const received = await sql<{ path: string; n: number }>`
        SELECT c.territory_path AS path, count(*)::int AS n FROM cases c WHERE ${under} AND ${inDays} GROUP BY 1`.execute(
        db,
      );
      const open = await sql<{ path: string; n: number }>`
        SELECT c.territory_path AS path, count(*)::int AS n FROM cases c
         WHERE ${under} AND c.closed_at IS NULL AND c.state <> 'resolved' GROUP BY 1`.execute(db);
      const sumUnder = (rows: Array<{ path: string; n: number }>, prefix: string) =>
        rows.filter((r) => r.path.startsWith(prefix)).reduce((s, r) => s + r.n, 0);
      return {
        byCategory: new Map(byCategory.rows.map((r) => [r.id, r.received])),
        byChannel: new Map(byChannel.rows.map((r) => [r.channel, r.received])),
        received: (prefix: string) => sumUnder(received.rows, prefix),
        open: (prefix: string) => sumUnder(open.rows, prefix),
      };
    };

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      admin = await staffClient(t, 'district.admin.overview', [
        { role: 'districtAdmin', unitId: w.territory.district.id },
      ]);
      // 20 October: two garbage reports in grid A (one resolved on the spot, visited and closed), a leak in
      // grid B, one report in grid B nobody has classified yet, one that waits until November, and one outside
      // every grid (the district holds it).
      await intake({ channel: 'hotline', categoryId: w.categories.garbage, location: IN_GRID_A });
      const done = await intake({ channel: 'hotline', categoryId: w.categories.garbage, location: IN_GRID_A });
      await act(w.gridWorkerA, done.id, { action: 'selfResolve', result: '已清运' });
      await act(w.hotline, done.id, { action: 'visit', rating: 'satisfied', solved: true });
      await intake({ channel: 'patrol', categoryId: w.categories.leak, location: IN_GRID_B });
      await intake({ channel: 'hotline', location: IN_GRID_B });
      lateClassified = (await intake({ channel: 'patrol', location: IN_GRID_A })).id;
      await intake({ channel: 'hotline', categoryId: w.categories.garbage, location: OUTSIDE_GRIDS });
      // 3 November: the October report is classified; a new one comes in.
      clock.set(NOV_3);
      await act(w.hotline, lateClassified, { action: 'classify', categoryId: w.categories.leak });
      await intake({ channel: 'hotline', categoryId: w.categories.leak, location: IN_GRID_B });
    });
    after(() => t.dispose());

    test('every figure equals a recount of the cases: over time, by category, channel, unit and grid', async () => {
      const district = w.territory.district;
      const o = await overview(w.leader, `unitId=${district.id}&from=2026-10-01&to=2026-11-30`);
      const r = await recount(district.path, '2026-10-01', '2026-11-30');
      assert.equal(o.unit.id, district.id);
      assert.deepEqual(o.period, {
        kind: 'range',
        from: '2026-10-01',
        to: '2026-11-30',
        label: '2026年10月1日—2026年11月30日',
      });
      // Over time: every day, zeros included; the intake days carry the counts.
      assert.equal(o.overTime.length, 61);
      assert.deepEqual(
        o.overTime.find((d) => d.day === '2026-10-20'),
        {
          day: '2026-10-20',
          received: 6,
          resolved: 1,
          closed: 1,
        },
      );
      assert.deepEqual(
        o.overTime.find((d) => d.day === '2026-11-03'),
        {
          day: '2026-11-03',
          received: 1,
          resolved: 0,
          closed: 0,
        },
      );
      assert.deepEqual(o.totals, { received: 7, resolved: 1, closed: 1 });
      assert.equal(o.totals.received, r.received(district.path));
      // By category (top level; null = not classified) and channel.
      assert.deepEqual(
        new Map(o.byCategory.map((c) => [c.category?.id ?? null, c.received])),
        r.byCategory,
        'by category',
      );
      assert.deepEqual(
        o.byCategory.map((c) => [c.category?.name ?? null, c.received]),
        [
          ['市容环境', 3],
          ['物业管理', 3],
          [null, 1],
        ],
      );
      assert.deepEqual(new Map(o.byChannel.map((c) => [c.channel, c.received])), r.byChannel, 'by channel');
      assert.deepEqual(o.byChannel, [
        { channel: 'hotline', received: 5 },
        { channel: 'patrol', received: 2 },
      ]);
      // By unit: the two streets (the department holds no territory); the case outside every grid is the
      // district's own.
      assert.deepEqual(
        o.byUnit.map((u) => u.unit.id),
        [w.territory.streetA.id, w.territory.streetB.id],
      );
      for (const row of o.byUnit) {
        const street = row.unit.id === w.territory.streetA.id ? w.territory.streetA : w.territory.streetB;
        assert.equal(row.received, r.received(street.path), `${street.name} received`);
        assert.equal(row.open, r.open(street.path), `${street.name} open`);
      }
      assert.deepEqual(
        o.byUnit.map((u) => [u.received, u.resolved, u.open]),
        [
          [3, 1, 2],
          [3, 0, 3],
        ],
      );
      assert.deepEqual(o.direct, { received: 1, resolved: 0, open: 1 });
      // By grid: every grid of the district, the empty one too.
      assert.deepEqual(
        o.byGrid.map((g) => [g.unit.id, g.received, g.open]).sort((a, b) => a[0]! - b[0]!),
        [
          [w.territory.gridA.id, 3, 2],
          [w.territory.gridB.id, 3, 3],
          [w.territory.gridA2.id, 0, 0],
        ],
      );
      assert.equal(o.now.open, r.open(district.path));
      assert.equal(o.now.open, 6);
      // Without dates: this month up to today.
      const month = await overview(w.leader, `unitId=${district.id}`);
      assert.deepEqual([month.period.from, month.period.to], ['2026-11-01', '2026-11-03']);
      assert.equal(month.totals.received, 1);
    });

    test('a case counts under the category it has now, in the month it was taken in', async () => {
      const district = w.territory.district;
      const october = await overview(w.leader, `unitId=${district.id}&from=2026-10-01&to=2026-10-31`);
      assert.deepEqual(
        october.byCategory.map((c) => [c.category?.id ?? null, c.received]),
        [
          [w.categories.environment, 3],
          [w.categories.property, 2],
          [null, 1],
        ],
      );
      const november = await overview(w.leader, `unitId=${district.id}&from=2026-11-01&to=2026-11-30`);
      assert.deepEqual(
        november.byCategory.map((c) => [c.category?.id ?? null, c.received]),
        [[w.categories.property, 1]],
      );
      // Category and channel count whole months: one day in October reports the whole of October for them.
      const oneDay = await overview(w.leader, `unitId=${district.id}&from=2026-10-20&to=2026-10-20`);
      assert.deepEqual([oneDay.months.from, oneDay.months.to], ['2026-10-01', '2026-10-31']);
      assert.equal(oneDay.overTime.length, 1);
      assert.deepEqual(oneDay.byCategory, october.byCategory);
      // A street sees its own part.
      const streetB = await overview(w.leader, `unitId=${w.territory.streetB.id}&from=2026-10-01&to=2026-11-30`);
      assert.deepEqual(
        streetB.byCategory.map((c) => [c.category?.id ?? null, c.received]),
        [
          [w.categories.property, 2],
          [null, 1],
        ],
      );
      assert.deepEqual(
        streetB.byUnit.map((u) => u.unit.id),
        [w.territory.communityB.id],
      );
      assert.equal(streetB.direct, null);
      // Only one case type when asked.
      const tasks = await overview(w.leader, `unitId=${district.id}&from=2026-10-01&to=2026-11-30&caseType=task`);
      assert.deepEqual([tasks.totals.received, tasks.byCategory.length, tasks.now.open], [0, 0, 0]);
    });

    test('three-rates and rankings take a range of days too', async () => {
      const rates = await w.leader.get(
        `/api/metrics/three-rates?unitId=${w.territory.district.id}&from=2026-10-20&to=2026-10-20`,
      );
      assert.equal(rates.statusCode, 200, rates.body);
      assert.deepEqual(rates.json().period, {
        kind: 'range',
        from: '2026-10-20',
        to: '2026-10-20',
        label: '2026年10月20日',
      });
      assert.equal(rates.json().counts.received, 6);
      const ranked = await w.leader.get('/api/metrics/rankings?level=grid&minVolume=1&from=2026-10-01&to=2026-11-30');
      assert.equal(ranked.statusCode, 200, ranked.body);
      assert.deepEqual(
        ranked
          .json()
          .rows.map((row: { unit: { id: number }; volume: number }) => [row.unit.id, row.volume])
          .sort((a: number[], b: number[]) => a[0]! - b[0]!),
        [
          [w.territory.gridA.id, 3],
          [w.territory.gridB.id, 3],
        ],
      );
    });

    test('outside my metrics scope a unit does not exist; bad dates and parameters are a 400', async () => {
      const leaderA = await staffClient(t, 'leader.street.a.overview', [
        { role: 'leader', unitId: w.territory.streetA.id },
      ]);
      for (const url of [
        `/api/metrics/overview?unitId=${w.territory.streetB.id}`,
        `/api/metrics/overview?unitId=${w.territory.district.id}`,
        `/api/metrics/overview?unitId=${w.territory.gridB.id}`,
        '/api/metrics/overview?unitId=999999',
      ]) {
        const response = await leaderA.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      const own = await overview(leaderA, 'from=2026-10-01&to=2026-11-30');
      assert.equal(own.unit.id, w.territory.streetA.id);
      assert.deepEqual(
        own.byGrid.map((g) => g.unit.id).sort((a, b) => a - b),
        [w.territory.gridA.id, w.territory.gridA2.id],
      );
      const grid = await w.gridWorkerA.get('/api/metrics/overview');
      assert.equal(grid.statusCode, 403);

      for (const url of [
        '/api/metrics/overview?from=2026-02-30&to=2026-03-01',
        '/api/metrics/overview?to=yesterday',
        '/api/metrics/overview?from=2026-11-30&to=2026-10-01',
        '/api/metrics/overview?from=2024-01-01&to=2026-11-30',
        '/api/metrics/overview?from=1999-12-31&to=2000-01-31',
        '/api/metrics/overview?caseType=nonsense',
        `/api/metrics/overview?unitId=${w.territory.department.id}`,
        '/api/metrics/overview?unitId=abc',
        '/api/metrics/overview?extra=1',
        '/api/metrics/three-rates?from=2026-10-01',
        '/api/metrics/three-rates?from=2026-10-01&to=2026-10-31&date=2026-10-05',
        '/api/metrics/three-rates?from=2026-10-31&to=2026-10-01',
        '/api/metrics/rankings?from=2026-10-01&to=2026-02-30',
      ]) {
        const response = await w.leader.get(url);
        assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
        assert.match(errorCode(response), /^(VALIDATION_FAILED|BAD_REQUEST)$/);
      }
    });

    test('a moved grid carries its breakdown rows: the counts follow it to its new street', async () => {
      const unit = await admin.get(`/api/units/${w.territory.gridB.id}`);
      const moved = await admin.patch(`/api/units/${w.territory.gridB.id}`, {
        version: unit.json().unit.version,
        parentId: w.territory.communityA.id,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const stale = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM case_stats_breakdown b JOIN units u ON u.id = b.unit_id
         WHERE b.unit_path <> u.path`.execute(t.database.db);
      assert.equal(stale.rows[0]?.n, 0);
      const streetA = await overview(w.leader, `unitId=${w.territory.streetA.id}&from=2026-10-01&to=2026-11-30`);
      assert.equal(
        streetA.byCategory.reduce((s, c) => s + c.received, 0),
        6,
      );
      assert.equal(streetA.totals.received, 6);
    });
  });
}
