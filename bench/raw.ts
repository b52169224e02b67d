import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquireDataDirLock } from '../src/server/db/lock.ts';
import { Random } from '../src/server/demo/random.ts';
import { statsDay, statsMonth } from '../src/server/modules/metrics/case-stats.ts';
import { STATS_COUNTERS } from '../src/server/modules/metrics/metrics.tables.ts';
import { searchVectorText } from '../src/server/modules/search/segment.ts';
import { type IntakeTargets, nextIntake, type QuerySet } from './cases.ts';
import { CASE_CONTEXT_LOCK, TIME_LIMIT } from './raw-escalate.ts';
import { type RawWritesScenario, writesRunner } from './raw-writes.ts';
import { latencySummary } from './tti.ts';

/**
 * The raw side of a comparison, run as its own process (`node bench/raw.ts <config.json>`): the same SQL the
 * app runs for a request, sent straight to the database with the same concurrency, without HTTP, sessions,
 * validation, Kysely or the app's code in between. Prints one line `RESULT {json}`.
 *
 * PostgreSQL: a pg.Pool as large as the app's (DB_POOL_MAX, default 10), `connections` workers sharing it.
 * Embedded: PGlite on the same data directory (the server is not running then); it is one connection, so the
 * workers queue for it one transaction at a time, as the app's requests queue at its connection mutex.
 */
export interface RawConfig {
  kind: 'embedded' | 'postgres';
  databaseUrl?: string;
  dataDir?: string;
  poolMax: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  scenario:
    | {
        type: 'intake';
        /** 'writes': the transaction's writes only; 'statements': every statement the app's transaction runs. */
        variant: 'writes' | 'statements';
        operator: { accountId: number; unitId: number; displayName: string; scopePath: string };
        targets: IntakeTargets;
      }
    | RawWritesScenario
    | {
        type: 'queries';
        set: QuerySet;
        /** Several requests' statements (case ids, search words: bench/reads.ts): each iteration takes the next. */
        sets?: QuerySet[];
      };
}

export interface RawResult {
  requests: number;
  errors: number;
  firstError: string | null;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

type Row = Record<string, unknown>;
interface Conn {
  query(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}
interface RawDb extends Conn {
  transaction<T>(fn: (c: Conn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function openPostgres(url: string, max: number): Promise<RawDb> {
  // The app's pool settings (src/server/db/database.ts): JIT off, so both sides plan and run the same way.
  const pool = new pg.Pool({ connectionString: url, max, options: '-c jit=off' });
  return {
    query: (text, params) => pool.query(text, params as unknown[]),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({ query: (text, params) => client.query(text, params as unknown[]) });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openEmbedded(dataDir: string): Promise<RawDb> {
  const pgDataDir = path.join(dataDir, 'pgdata');
  const lock = acquireDataDirLock(dataDir, pgDataDir);
  const db = await PGlite.create(pgDataDir, { relaxedDurability: false });
  // One connection: a FIFO queue, each caller holding it for a whole transaction (or one statement).
  let tail: Promise<void> = Promise.resolve();
  const hold = async <T>(fn: () => Promise<T>): Promise<T> => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  };
  const query = (text: string, params?: readonly unknown[]) =>
    db.query<Row>(text, params as unknown[], { rowMode: 'object' });
  return {
    query: (text, params) => hold(() => query(text, params)),
    transaction: (fn) =>
      hold(async () => {
        await db.exec('begin');
        try {
          const result = await fn({ query });
          await db.exec('commit');
          return result;
        } catch (error) {
          await db.exec('rollback').catch(() => {});
          throw error;
        }
      }),
    async close() {
      await db.close();
      lock.release();
    },
  };
}

// ------------------------------------------------------------------------------------------------------------
// The statements of the app's intake transaction (case-intake.ts → transition classify), as PostgreSQL logged
// them with log_statement = all for one `POST /api/cases` with a category and a location (2026-11-23; updated
// 2026-11-24 from the driver's own queries after the round trips were cut: case type + category, sequence,
// loadCaseContext and findTimeLimit are one statement each, classify reuses the territory when it is the grid and
// reads the time limit once).

const STATS_COLUMNS = ['unit_id', 'unit_path', 'day', 'case_type', 'dimension', ...STATS_COUNTERS];
const statsUpsert = (rows: number) => {
  const values = Array.from(
    { length: rows },
    (_, r) => `(${STATS_COLUMNS.map((_, c) => `$${r * STATS_COLUMNS.length + c + 1}`).join(', ')})`,
  ).join(', ');
  const set = STATS_COUNTERS.map((c) => `"${c}" = case_stats_daily."${c}" + excluded."${c}"`).join(', ');
  return `insert into "case_stats_daily" (${STATS_COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${values} on conflict ("unit_id", "day", "case_type", "dimension") do update set ${set}`;
};
const statsValues = (
  unitId: number,
  unitPath: string,
  day: string,
  dimension: string,
  counts: Record<string, number>,
) => [unitId, unitPath, day, 'appeal', dimension, ...STATS_COUNTERS.map((c) => counts[c] ?? 0)];

const SQL = {
  // The case type with the chosen category beside it (case-intake.ts).
  caseType:
    'select "case_types".*, (SELECT json_build_object(\'parent_id\', c.parent_id, \'active\', c.active)\n                   FROM case_categories c WHERE c.id = $1) as "intake_category" from "case_types" where "code" = $2 and "active" = $3',
  locateGrid: `SELECT u.id, u.name, c.id AS community_id, c.name AS community_name
     FROM grid_boundaries b
     JOIN units u ON u.id = b.unit_id
     LEFT JOIN units c ON c.id = u.parent_id
     WHERE b.outline @> polygon(box(point($1::float8, $2::float8), point($3::float8, $4::float8)))
       AND b.outline @> point($5::float8, $6::float8)
       AND NOT EXISTS (SELECT 1 FROM unnest(b.holes) AS h (hole)
                       WHERE h.hole @> point($7::float8, $8::float8) AND point($9::float8, $10::float8) <-> path(h.hole) > $11::float8)
       AND u.kind = 'grid' AND u.active
     ORDER BY b.area, u.id
     LIMIT 1`,
  unit: 'select "id", "path", "kind", "name", "parent_id", "active" from "units" where "id" = $1',
  nextNumber: 'SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE nextval($2::text::regclass) END AS n',
  insertCase:
    'insert into "cases" ("number", "case_type", "category_id", "urgency", "channel", "title", "description", "lng", "lat", "location", "address", "grid_id", "territory_unit_id", "territory_path", "reporter_account_id", "reporter_person_id", "reporter_name", "reporter_phone", "confidential", "state", "owner_unit_id", "owner_unit_path", "manual_colour", "colour", "next_chase_at", "search", "event_count", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, cast($26 as tsvector), $27, $28, $29) returning "id"',
  insertIntakeEvent:
    'insert into "case_events" ("case_id", "seq", "action", "from_state", "to_state", "actor_account_id", "actor_unit_id", "actor_name", "owner_unit_id", "data", "created_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning "id"',
  lockCase: CASE_CONTEXT_LOCK,
  categoryFull: 'select "id", "name", "parent_id", "active" from "case_categories" where "id" = $1',
  timeLimit: TIME_LIMIT,
  insertEvent:
    'insert into "case_events" ("case_id", "seq", "action", "from_state", "to_state", "actor_account_id", "actor_unit_id", "actor_name", "owner_unit_id", "note", "data", "created_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning "id"',
  insertAssignment:
    'insert into "case_assignments" ("case_id", "unit_id", "unit_path", "role", "status", "round", "assigned_at", "response_due_at", "responded_at", "responded_in_time", "deadline", "event_id") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
  updateCase:
    'update "cases" set "owner_unit_id" = $1, "owner_unit_path" = $2, "lead_unit_id" = $3, "category_id" = $4, "urgency" = $5, "resolution_due_at" = $6, "dispatched_at" = $7, "limit_kind" = $8, "limit_started_at" = $9, "due_at" = $10, "orange_at" = $11, "state" = $12, "colour" = $13, "next_colour_at" = $14, "event_count" = $15, "version" = $16, "updated_at" = $17 where "id" = $18 returning "version"',
  insertOutbox:
    'insert into "outbox" ("topic", "case_id", "event_id", "payload", "created_at") values ($1, $2, $3, $4, $5)',
  // case-stats.ts recordBreakdown for a new case: +1 under its top-level category and channel this month.
  breakdown: `INSERT INTO case_stats_breakdown AS b (unit_id, unit_path, month, case_type, category_id, channel, received)
    SELECT $1::int, $2::text, $3::date, $4::text, top.id, $5::text, sum(v.delta)
      FROM (VALUES ($6::int, $7::int)) AS v (category_id, delta)
      CROSS JOIN LATERAL (SELECT coalesce((SELECT coalesce(c.parent_id, c.id) FROM case_categories c
                                            WHERE c.id = v.category_id), 0) AS id) top
     GROUP BY top.id
    HAVING sum(v.delta) <> 0
     ORDER BY top.id
    ON CONFLICT (unit_id, month, case_type, category_id, channel)
    DO UPDATE SET received = b.received + excluded.received`,
  statsOne: statsUpsert(1),
  statsTwo: statsUpsert(2),
};

const DAY = 86_400_000;

/** One intake transaction: case, intake event, classify event, owner assignment, outbox, statistics. */
async function intakeRunner(db: RawDb, scenario: Extract<RawConfig['scenario'], { type: 'intake' }>) {
  const { operator, targets, variant } = scenario;
  const grids = new Map(
    (await db.query(`SELECT id, path, name FROM units WHERE kind = 'grid'`)).rows.map((g) => [
      Number(g.id),
      { id: Number(g.id), path: String(g.path), name: String(g.name) },
    ]),
  );
  const categoryNames = new Map(targets.categories.map((c) => [c.id, c.name]));
  const year = Number(new Date().toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }));
  const sequence = `case_number_${year}`;
  await db.query(`CREATE SEQUENCE IF NOT EXISTS ${sequence}`);
  // The search vector is computed in Node by the app (jieba); here once per distinct text, before timing.
  const vectors = new Map<string, string>();
  for (const c of targets.categories) {
    for (const k of c.keywords.length ? c.keywords : [c.name]) {
      const title = `${c.name}：${k}`;
      vectors.set(title, searchVectorText(title, `居民反映小区附近${k}，已经好几天了，希望尽快处理。`));
    }
  }
  const random = new Random(42);
  let counter = 0;
  const full = variant === 'statements';
  const scope = `${operator.scopePath}%`;

  return () =>
    db.transaction(async (c) => {
      const input = nextIntake(random, targets);
      const grid = grids.get(input.gridId)!;
      const now = new Date();
      const day = statsDay(now);
      const category = categoryNames.get(input.categoryId)!;
      counter += 1;
      let number = `RAW-${year}-${process.pid}-${counter}`;
      if (full) {
        await c.query(SQL.caseType, [input.categoryId, 'appeal', true]);
        const p = [input.lng, input.lat];
        await c.query(SQL.locateGrid, [...p, ...p, ...p, ...p, ...p, 1e-6]);
        await c.query(SQL.unit, [grid.id]);
        const n = (await c.query(SQL.nextNumber, [sequence, sequence])).rows[0]!.n;
        number = `RAW-${year}-${String(n).padStart(6, '0')}`;
      }
      const caseId = Number(
        (
          await c.query(SQL.insertCase, [
            number,
            'appeal',
            input.categoryId,
            'normal',
            'hotline',
            input.title,
            input.description,
            input.lng,
            input.lat,
            `(${input.lng},${input.lat})`,
            null,
            grid.id,
            grid.id,
            grid.path,
            null,
            null,
            input.reporter.name,
            input.reporter.phone,
            false,
            'received',
            grid.id,
            grid.path,
            null,
            'green',
            null,
            vectors.get(input.title) ?? '',
            1,
            now,
            now,
          ])
        ).rows[0]!.id,
      );
      await c.query(SQL.insertIntakeEvent, [
        caseId,
        1,
        'intake',
        null,
        'received',
        operator.accountId,
        operator.unitId,
        operator.displayName,
        grid.id,
        JSON.stringify({ channel: 'hotline', territory: { id: grid.id, name: grid.name } }),
        now,
      ]);
      await c.query(SQL.breakdown, [grid.id, grid.path, statsMonth(now), 'appeal', 'hotline', input.categoryId, 1]);
      await c.query(SQL.statsOne, statsValues(grid.id, grid.path, day, 'territory', { received: 1 }));
      if (full) {
        await c.query(SQL.lockCase, [caseId, scope, scope]);
        await c.query(SQL.categoryFull, [input.categoryId]);
        // Once: the transition reuses the limit it read (classify and the move to the grid ask the same).
        await c.query(SQL.timeLimit, ['appeal', input.categoryId, input.categoryId, 'normal', input.categoryId, 1]);
      }
      const due = new Date(now.getTime() + 7 * DAY);
      const orange = new Date(now.getTime() + 5 * DAY);
      const responseDue = new Date(now.getTime() + DAY / 2);
      const eventId = Number(
        (
          await c.query(SQL.insertEvent, [
            caseId,
            2,
            'classify',
            'received',
            'inGrid',
            operator.accountId,
            operator.unitId,
            operator.displayName,
            grid.id,
            null,
            JSON.stringify({
              to: { id: grid.id, kind: 'grid', name: grid.name },
              urgency: 'normal',
              category: { id: input.categoryId, name: category },
            }),
            now,
          ])
        ).rows[0]!.id,
      );
      await c.query(SQL.insertAssignment, [
        caseId,
        grid.id,
        grid.path,
        'owner',
        'pending',
        1,
        now,
        responseDue,
        null,
        null,
        null,
        eventId,
      ]);
      await c.query(SQL.updateCase, [
        grid.id,
        grid.path,
        null,
        input.categoryId,
        'normal',
        due,
        now,
        'resolution',
        now,
        due,
        orange,
        'inGrid',
        'green',
        orange,
        2,
        2,
        now,
        caseId,
      ]);
      await c.query(SQL.insertOutbox, [
        'case.classify',
        caseId,
        eventId,
        JSON.stringify({
          body: 'classify',
          phone: null,
          state: 'inGrid',
          title: `${number} ${input.title}`,
          action: 'classify',
          caseNumber: number,
          recipients: { unitIds: [grid.id], accountIds: [] },
          supervisorsOf: [],
          excludeAccountId: operator.accountId,
        }),
        now,
      ]);
      await c.query(SQL.statsTwo, [
        ...statsValues(grid.id, grid.path, day, 'handler', { assigned: 1 }),
        ...statsValues(grid.id, grid.path, day, 'territory', { assigned: 1 }),
      ]);
    });
}

/** One request's queries (a worklist page and its count, the three-rates sums), as the service sends them. */
function queriesRunner(db: RawDb, set: QuerySet, sets?: QuerySet[]) {
  if (sets?.length) {
    let next = 0;
    const runners = sets.map((s) => queriesRunner(db, s));
    return () => {
      const run = runners[next % runners.length] as () => Promise<void>;
      next += 1;
      return run();
    };
  }
  return async () => {
    if (set.groups) {
      let at = 0;
      for (const size of set.groups) {
        await Promise.all(set.queries.slice(at, at + size).map((q) => db.query(q.sql, q.parameters)));
        at += size;
      }
    } else if (set.parallel) await Promise.all(set.queries.map((q) => db.query(q.sql, q.parameters)));
    else for (const q of set.queries) await db.query(q.sql, q.parameters);
  };
}

/** `connections` workers calling `iteration` back to back for `seconds`; latencies of the calls that finished. */
async function drive(iteration: () => Promise<void>, connections: number, seconds: number): Promise<RawResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await iteration();
          latencies.push(performance.now() - t0);
        } catch (error) {
          // A pool of one-use items used up (bench/raw-escalate.ts): this worker stops, not an error.
          if ((error as { exhausted?: boolean } | null)?.exhausted) break;
          errors += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    errors,
    firstError,
    requestsPerSecond: latencies.length / elapsed,
    latencyMs: latencySummary(latencies),
  };
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as RawConfig;
  const db =
    config.kind === 'postgres'
      ? await openPostgres(config.databaseUrl as string, config.poolMax)
      : await openEmbedded(config.dataDir as string);
  try {
    const iteration =
      config.scenario.type === 'intake'
        ? await intakeRunner(db, config.scenario)
        : config.scenario.type === 'writes'
          ? await writesRunner(db, config.scenario)
          : queriesRunner(db, config.scenario.set, config.scenario.sets);
    if (config.warmupSeconds > 0) await drive(iteration, config.connections, config.warmupSeconds);
    process.stdout.write('MEASURING\n');
    const result = await drive(iteration, config.connections, config.durationSeconds);
    if (config.scenario.type === 'writes') {
      // bench/raw-writes.ts: as for intake below, its messages count as delivered and its pages are written now.
      await db.query(
        'UPDATE outbox SET delivered_at = now(), claimed_at = coalesce(claimed_at, now()) WHERE delivered_at IS NULL',
      );
      await db.query('CHECKPOINT');
    }
    if (config.scenario.type === 'intake') {
      // The raw cases' messages count as delivered, so that the server started afterwards does not spend the
      // HTTP runs delivering them.
      await db.query(
        `UPDATE outbox SET delivered_at = now(), claimed_at = coalesce(claimed_at, now())
         WHERE delivered_at IS NULL AND payload->>'caseNumber' LIKE 'RAW-%'`,
      );
      // And the pages it dirtied are written now, not during the next measurements.
      await db.query('CHECKPOINT');
    }
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
