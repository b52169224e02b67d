import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import type { Actor } from '../access/actor.ts';
import { loadConfig } from '../config.ts';
import { type ReplayEvent, replayCase } from '../modules/cases/case-replay.ts';
import { listCasesQuery } from '../modules/cases/cases.schema.ts';
import { COUNT_CAP, listCases, readClock } from '../modules/cases/cases.service.ts';
import { locateGrid } from '../modules/grids/grids.repository.ts';
import { generateSynthetic, SHAPE_17_AREAS } from './synthetic.ts';
import { type CaseGeneratorResult, generateCases } from './synthetic-cases.ts';
import { withoutSecondaryIndexes } from './synthetic-sql.ts';

const NOW = new Date('2026-11-20T06:30:00Z');
const COUNT = 3000;

/** A digest of the generated rows, to compare the two databases. */
async function digest(t: TestDatabase) {
  const { rows } = await sql<{ part: string; d: string }>`
    SELECT 'cases' AS part, md5(string_agg(concat_ws(':', id, number, category_id, urgency, channel, title, lng, lat,
             grid_id, reporter_phone, state, owner_unit_id, lead_unit_id, round, supervised, colour, due_at, rating,
             created_at, closed_at, search::text), '|' ORDER BY id)) AS d FROM cases
    UNION ALL SELECT 'events', md5(string_agg(concat_ws(':', id, case_id, seq, action, to_state, actor_unit_id,
             owner_unit_id, data::text, created_at), '|' ORDER BY id)) FROM case_events
    UNION ALL SELECT 'assignments', md5(string_agg(concat_ws(':', id, case_id, unit_id, role, status, assigned_at,
             responded_at, event_id), '|' ORDER BY id)) FROM case_assignments
    UNION ALL SELECT 'stats', md5(string_agg(concat_ws(':', unit_id, day, dimension, received, assigned, responded,
             responded_in_time, resolved, resolved_in_time, visited, solved, satisfied, partly_satisfied, dissatisfied,
             no_answer, closed), '|' ORDER BY unit_id, day, dimension)) FROM case_stats_daily`.execute(t.database.db);
  return Object.fromEntries(rows.map((r) => [r.part, r.d]));
}

const digests: Array<{ kind: string; value: Record<string, string> }> = [];

for (const kind of await databaseKinds()) {
  describe(`synthetic cases (${kind})`, () => {
    let t: TestDatabase;
    let result: CaseGeneratorResult;
    before(async () => {
      t = await freshDatabase(kind);
      await t.database.transaction((trx) => generateSynthetic(trx, { ...SHAPE_17_AREAS, people: 2000 }));
      result = await generateCases(t.database, { count: COUNT, seed: 7, now: NOW, batchSize: 1000 });
    });
    after(() => t.dispose());

    test('every case row agrees with its timeline, and every event follows the one before', async () => {
      const db = t.database.db;
      const events = await db
        .selectFrom('case_events')
        .select(['case_id', 'seq', 'action', 'from_state', 'to_state', 'owner_unit_id', 'data', 'created_at'])
        .orderBy('case_id')
        .orderBy('seq')
        .execute();
      const byCase = new Map<number, typeof events>();
      for (const e of events) byCase.set(e.case_id, [...(byCase.get(e.case_id) ?? []), e]);
      const cases = await db.selectFrom('cases').selectAll().execute();
      assert.equal(cases.length, COUNT);
      assert.equal(result.cases, COUNT);
      assert.equal(result.events, events.length);
      for (const c of cases) {
        const timeline = byCase.get(c.id) ?? [];
        assert.ok(timeline.length >= 2 && timeline.length <= 8, `${c.number}: ${timeline.length} events`);
        const replayed = replayCase(timeline as unknown as ReplayEvent[]);
        assert.deepEqual(
          [c.state, c.owner_unit_id, c.round, c.supervised, c.rating, c.event_count, c.version],
          [
            replayed.state,
            replayed.ownerUnitId,
            replayed.round,
            replayed.supervised,
            replayed.rating,
            replayed.eventCount,
            replayed.eventCount,
          ],
          c.number,
        );
        assert.equal(timeline[0]?.action, 'intake');
        for (let i = 1; i < timeline.length; i++) {
          assert.ok(timeline[i]!.created_at > timeline[i - 1]!.created_at, `${c.number} event ${i + 1} in order`);
        }
        assert.ok(timeline.at(-1)!.created_at < NOW, `${c.number} ends before now`);
        assert.equal(c.updated_at.getTime(), timeline.at(-1)!.created_at.getTime());
        assert.equal(c.closed_at !== null, c.state === 'closed', c.number);
      }
    });

    test('every reference points at an existing row (the load skips per-row foreign-key checks)', async () => {
      const { rows } = await sql<{ orphans: number }>`
        SELECT (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = c.grid_id)
                  OR NOT EXISTS (SELECT 1 FROM units u WHERE u.id = c.owner_unit_id)
                  OR NOT EXISTS (SELECT 1 FROM units u WHERE u.id = c.territory_unit_id)
                  OR (c.lead_unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = c.lead_unit_id))
                  OR NOT EXISTS (SELECT 1 FROM case_categories k WHERE k.id = c.category_id))
             + (SELECT count(*) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)
                  OR NOT EXISTS (SELECT 1 FROM units u WHERE u.id = e.owner_unit_id)
                  OR (e.actor_unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = e.actor_unit_id)))
             + (SELECT count(*) FROM case_assignments a
                WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id)
                  OR NOT EXISTS (SELECT 1 FROM units u WHERE u.id = a.unit_id AND u.path = a.unit_path)
                  OR NOT EXISTS (SELECT 1 FROM case_events e WHERE e.id = a.event_id AND e.case_id = a.case_id))
             + (SELECT count(*) FROM case_stats_daily s
                WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = s.unit_id AND u.path = s.unit_path))
             + (SELECT count(*) FROM cases c WHERE c.territory_path <> (SELECT path FROM units WHERE id = c.grid_id)
                  OR c.owner_unit_path <> (SELECT path FROM units WHERE id = c.owner_unit_id)) AS orphans`.execute(
        t.database.db,
      );
      assert.equal(Number(rows[0]?.orphans), 0);
    });

    test('a year of cases shaped like a hotline: mostly closed, busy grids, hot categories, some overdue', async () => {
      const db = t.database.db;
      const { rows: s } = await sql<{
        closed: number;
        open_states: string[];
        overdue: number;
        overdue_not_red: number;
        supervised: number;
        dissatisfied: number;
        first: Date;
        top_grid_share: number;
        top5_categories_share: number;
      }>`
        SELECT avg((state = 'closed')::int)::float8 AS closed,
               (SELECT array_agg(DISTINCT state ORDER BY state) FROM cases WHERE state <> 'closed') AS open_states,
               count(*) FILTER (WHERE due_at <= ${NOW} AND closed_at IS NULL)::int AS overdue,
               count(*) FILTER (WHERE due_at <= ${NOW} AND closed_at IS NULL AND colour <> 'red')::int AS overdue_not_red,
               count(*) FILTER (WHERE supervised)::int AS supervised,
               (SELECT count(*) FROM case_events WHERE data->>'rating' = 'dissatisfied')::int AS dissatisfied,
               min(created_at) AS first,
               (SELECT max(n)::float8 / sum(n) FROM (SELECT count(*) AS n FROM cases GROUP BY grid_id) g) AS top_grid_share,
               (SELECT sum(n)::float8 / ${COUNT} FROM (SELECT count(*) AS n FROM cases GROUP BY category_id
                                                        ORDER BY 1 DESC LIMIT 5) k) AS top5_categories_share
        FROM cases`.execute(db);
      const r = s[0]!;
      assert.ok(r.closed > 0.65 && r.closed < 0.75, `closed share ${r.closed}`);
      assert.deepEqual(r.open_states, ['atCommunity', 'handling', 'inGrid', 'resolved', 'whistled']);
      assert.ok(r.overdue > COUNT * 0.03, `overdue ${r.overdue}`);
      assert.equal(r.overdue_not_red, 0);
      assert.ok(r.supervised > 0 && r.dissatisfied > 0);
      assert.ok(NOW.getTime() - r.first.getTime() > 300 * 86_400_000, 'cases go back most of a year');
      assert.ok(r.top_grid_share > 3 / 147, `busiest grid ${r.top_grid_share}`);
      assert.ok(r.top5_categories_share > 0.3, `top five categories ${r.top5_categories_share}`);
      const { rows: order } = await sql<{ back: number }>`
        SELECT count(*) FILTER (WHERE created_at < previous)::int AS back
        FROM (SELECT created_at, lag(created_at) OVER (ORDER BY id) AS previous FROM cases) x`.execute(db);
      assert.equal(order[0]?.back, 0, 'ids follow the time of intake, as real ones do');
      const grid = await db.selectFrom('units').select('id').where('id', '=', result.busiestGridId).executeTakeFirst();
      assert.equal(grid?.id, result.busiestGridId);
    });

    test('each location lies in the case’s grid, and the sweeps find nothing due', async () => {
      const db = t.database.db;
      const sample = await db.selectFrom('cases').select(['grid_id', 'lng', 'lat']).orderBy('id').limit(50).execute();
      for (const c of sample) assert.equal((await locateGrid(db, c.lng!, c.lat!))?.id, c.grid_id);
      const { rows } = await sql<{ due: number }>`
        SELECT count(*)::int AS due FROM cases
        WHERE next_colour_at <= ${NOW} OR next_chase_at IS NOT NULL
           OR (state = 'resolved' AND (visit_due_at <= ${NOW} OR visit_invited_at IS NULL))`.execute(db);
      assert.equal(rows[0]?.due, 0);
    });

    test('the rollups add up to the cases, assignments and events', async () => {
      const { rows } = await sql<{ ok: boolean; detail: string }>`
        WITH s AS (SELECT sum(received) AS received, sum(assigned) AS assigned, sum(responded) AS responded,
                          sum(resolved) AS resolved, sum(visited) AS visited, sum(closed) AS closed,
                          sum(dissatisfied) AS dissatisfied
                   FROM case_stats_daily WHERE dimension = 'territory'),
             h AS (SELECT sum(assigned) AS assigned, sum(resolved) AS resolved, sum(received) AS received
                   FROM case_stats_daily WHERE dimension = 'handler'),
             x AS (SELECT (SELECT count(*) FROM cases) AS received,
                          (SELECT count(*) FROM case_assignments) AS assigned,
                          (SELECT count(*) FROM case_assignments WHERE responded_at IS NOT NULL) AS responded,
                          (SELECT count(*) FROM case_events WHERE action IN ('resolve', 'selfResolve')) AS resolved,
                          (SELECT count(*) FROM case_events WHERE action IN ('visit', 'expireVisit')) AS visited,
                          (SELECT count(*) FROM cases WHERE state = 'closed') AS closed,
                          (SELECT count(*) FROM case_events WHERE data->>'rating' = 'dissatisfied') AS dissatisfied)
        SELECT (s.received, s.assigned, s.responded, s.resolved, s.visited, s.closed, s.dissatisfied)
               = (x.received, x.assigned, x.responded, x.resolved, x.visited, x.closed, x.dissatisfied)
               AND (h.assigned, h.resolved, h.received) = (x.assigned, x.resolved, 0) AS ok,
               concat_ws(' ', s.*, '/', x.*, '/', h.*) AS detail
        FROM s, h, x`.execute(t.database.db);
      assert.ok(rows[0]?.ok, rows[0]?.detail);
      digests.push({ kind, value: await digest(t) });
    });

    test('a list counts up to the cap and then says "more than"; below the cap the count is exact', async () => {
      const db = t.database.db;
      const config = loadConfig({ SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent' });
      const at = await readClock(db, config, NOW);
      const actor = (scope: 'all' | 'subtree', unitPath: string): Actor => ({
        accountId: 0,
        kind: 'staff',
        personId: null,
        displayName: 'count probe',
        username: null,
        grants: [{ roleId: 0, roleCode: 'probe', permissions: new Set(['case.read']), scope, unitId: 0, unitPath }],
        sessionId: 'probe',
        csrfToken: 'probe',
        mustChangePassword: false,
      });
      const page = listCasesQuery.parse({});
      const everything = await listCases(db, actor('all', '/'), page, at);
      assert.ok(COUNT > COUNT_CAP);
      assert.deepEqual([everything.total, everything.totalIsCapped], [COUNT_CAP, true]);
      // The busiest grid holds fewer cases than the cap: its list counts them exactly.
      const grid = await sql<{ path: string; n: number }>`
        SELECT territory_path AS path, count(*)::int AS n FROM cases GROUP BY 1 ORDER BY 2 DESC LIMIT 1`.execute(db);
      const busiest = grid.rows[0]!;
      assert.ok(busiest.n > 1 && busiest.n < COUNT_CAP, `busiest grid has ${busiest.n} cases`);
      const one = await listCases(db, actor('subtree', busiest.path), page, at);
      assert.deepEqual([one.total, one.totalIsCapped], [busiest.n, false]);
    });

    test('the monthly breakdown by category and channel equals a recount of the cases', async () => {
      const recount = await sql<Record<string, unknown>>`
        SELECT c.territory_unit_id AS unit_id, u.path AS unit_path,
               date_trunc('month', c.created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS month, c.case_type,
               coalesce(k.parent_id, k.id, 0) AS category_id, c.channel, count(*)::int AS received
        FROM cases c JOIN units u ON u.id = c.territory_unit_id LEFT JOIN case_categories k ON k.id = c.category_id
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 3, 4, 5, 6`.execute(t.database.db);
      const rollup = await sql<Record<string, unknown>>`
        SELECT unit_id, unit_path, month::text AS month, case_type, category_id, channel, received
        FROM case_stats_breakdown ORDER BY 1, 3, 4, 5, 6`.execute(t.database.db);
      assert.ok(rollup.rows.length > 100, `${rollup.rows.length} rows`);
      assert.deepEqual(rollup.rows, recount.rows);
    });
  });
}

describe('synthetic cases in chunks (embedded)', () => {
  /** What a case is, whatever its id: where, what, when, and how it went. */
  async function shapes(t: TestDatabase) {
    const { rows } = await sql<{ s: string }>`
      SELECT concat_ws(':', grid_id, category_id, created_at, state, rating, due_at, event_count) AS s
      FROM cases ORDER BY 1`.execute(t.database.db);
    return rows.map((r) => r.s);
  }

  test('a load in chunks draws the same cases as one call, and the grid steps are signed by Party members', async () => {
    const whole = await freshDatabase('embedded');
    const chunked = await freshDatabase('embedded');
    try {
      for (const t of [whole, chunked]) {
        await t.database.transaction((trx) => generateSynthetic(trx, { ...SHAPE_17_AREAS, people: 2000 }));
      }
      await generateCases(whole.database, { count: 1200, seed: 7, now: NOW });
      // The chunked load runs without the secondary indexes, as a megacity's does; they come back as they were.
      const indexes = async () =>
        (
          await sql<{ d: string }>`SELECT indexdef AS d FROM pg_indexes
            WHERE tablename IN ('cases', 'case_events', 'case_assignments') ORDER BY indexname`.execute(
            chunked.database.db,
          )
        ).rows.map((r) => r.d);
      const before = await indexes();
      const during = await withoutSecondaryIndexes(
        chunked.database,
        ['cases', 'case_events', 'case_assignments'],
        async () => {
          for (const firstIndex of [0, 500, 1000]) {
            const count = Math.min(500, 1200 - firstIndex);
            await generateCases(chunked.database, { count, seed: 7, now: NOW, firstIndex, vacuum: false });
          }
          return indexes();
        },
      );
      assert.ok(during.length < before.length && during.some((d) => d.includes('UNIQUE')), 'only constraints kept');
      assert.deepEqual(await indexes(), before);
      assert.deepEqual(await shapes(chunked), await shapes(whole));
      const numbers = await sql<{ n: number; d: number }>`
        SELECT count(*)::int AS n, count(DISTINCT number)::int AS d FROM cases`.execute(chunked.database.db);
      assert.deepEqual(numbers.rows[0], { n: 1200, d: 1200 });

      // Past ten million cases the numbers grow a digit instead of being cut (a megacity's year is 20 million).
      await sql`SELECT setval(pg_get_serial_sequence('cases', 'id'), 9999995)`.execute(chunked.database.db);
      await generateCases(chunked.database, { count: 10, seed: 7, now: NOW, firstIndex: 1200, vacuum: false });
      const big = await sql<{ id: number; number: string }>`
        SELECT id::int AS id, number FROM cases WHERE id >= 9999996 ORDER BY id`.execute(chunked.database.db);
      assert.equal(big.rows.length, 10);
      for (const r of big.rows) assert.ok(r.number.endsWith(`-${String(r.id).padStart(7, '0')}`), r.number);
      assert.ok(big.rows.some((r) => r.number.endsWith('-10000000')));

      // Most grid workers are Party members of their community's branch, checked in at their community, and the
      // steps a grid takes carry its grid worker's name.
      const members = await sql<{ workers: number; members: number; checked_in: number }>`
        SELECT count(*)::int AS workers, count(m.person_id)::int AS members,
               count(*) FILTER (WHERE m.check_in_unit_id = g.parent_id)::int AS checked_in
        FROM unit_posts up JOIN units g ON g.id = up.unit_id
        LEFT JOIN party_members m ON m.person_id = up.person_id
        WHERE up.post = 'gridWorker'`.execute(chunked.database.db);
      const m = members.rows[0]!;
      assert.ok(m.members > m.workers * 0.5 && m.members < m.workers * 0.9, JSON.stringify(m));
      assert.equal(m.checked_in, m.members);
      const signed = await sql<{ steps: number; by_worker: number }>`
        SELECT count(*)::int AS steps,
               count(*) FILTER (WHERE e.actor_name = (SELECT p.name FROM unit_posts up JOIN people p ON p.id = up.person_id
                                                      WHERE up.unit_id = e.actor_unit_id AND up.post = 'gridWorker'
                                                      ORDER BY p.id LIMIT 1))::int AS by_worker
        FROM case_events e JOIN units u ON u.id = e.actor_unit_id
        WHERE u.kind = 'grid'`.execute(chunked.database.db);
      assert.ok(signed.rows[0]!.steps > 0);
      assert.equal(signed.rows[0]!.by_worker, signed.rows[0]!.steps);
    } finally {
      await whole.dispose();
      await chunked.dispose();
    }
  });
});

describe('synthetic cases are deterministic', () => {
  test('the same seed and clock give the same rows on every database', () => {
    assert.ok(digests.length >= 1);
    for (const other of digests) assert.deepEqual(other.value, digests[0]!.value, other.kind);
  });
});
