/**
 * The raw side of `transitions:escalate` (bench/escalate.ts), run in bench/raw.ts's process through
 * bench/raw-writes.ts's `writesRunner`: the statements the app's transaction sends for `POST
 * /api/cases/:id/transitions {action: escalate}` by a grid worker on an `inGrid` case, as PostgreSQL logged them
 * (log_statement = all) on 2026-11-24, updated the same day for the one-statement case context and time limit. If case-transition.ts / case-effects.ts change their statements, update
 * them here.
 *
 * `writes`: the writes and the reads they need (the case locked, its open assignments to finish, the community
 * above); `statements`: the reads as the app sends them (the case locked with its type, units and open assignments
 * in one statement, the community above, the time limit with the category's parent inside). Neither has the session lookup, the working calendar (cached by the app after its first request)
 * or the read of the response after COMMIT. The response time limit is computed outside the database (the app does
 * it in Node from the working calendar): here now + 1 day.
 *
 * Each case is escalated once; when the pool is used up the iteration throws an error marked `exhausted`, and
 * bench/raw.ts's `drive` stops that worker (not counted as an error).
 */

import { STATS_COUNTERS } from '../src/server/modules/metrics/metrics.tables.ts';
export interface RawEscalateScenario {
  type: 'writes';
  workload: 'escalate';
  variant: 'writes' | 'statements';
  cases: number[];
  /** For each case, its grid worker (index into `workers`). */
  workerOf: number[];
  workers: Array<{ accountId: number; unitId: number; displayName: string }>;
  reason: string;
  /** The warm-up's seconds and the cases it may use (then it waits for its end): the rest are the measured run's. */
  warmupSeconds: number;
  warmupCases: number;
}

type Row = Record<string, unknown>;
interface Conn {
  query(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}
interface RawDb extends Conn {
  transaction<T>(fn: (c: Conn) => Promise<T>): Promise<T>;
}

const list = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
const STATS_COLUMNS = STATS_COUNTERS;

/**
 * loadCaseContext (cases.repository.ts) as the app sends it since 2026-11-24: the case row locked, with its type,
 * units and open assignments as JSON columns (`ctx_assignments`: id, unitId, role, status …) in one statement.
 */
export const CASE_CONTEXT_LOCK =
  'select "cases".*, (SELECT row_to_json(ct) FROM case_types ct WHERE ct.code = cases.case_type) as "ctx_case_type", (SELECT json_agg(json_build_object(\'id\', u.id, \'path\', u.path, \'kind\', u.kind, \'name\', u.name,\n          \'parentId\', u.parent_id)) FROM units u\n         WHERE u.id IN (cases.owner_unit_id, cases.territory_unit_id, cases.lead_unit_id)) as "ctx_units", (SELECT json_agg(json_build_object(\'id\', a.id, \'unitId\', a.unit_id,\n          \'unitPath\', a.unit_path, \'unitName\', u.name, \'role\', a.role, \'status\', a.status, \'round\', a.round,\n          \'assignedAt\', a.assigned_at, \'responseDueAt\', a.response_due_at, \'respondedAt\', a.responded_at)\n          ORDER BY a.id)\n          FROM case_assignments a JOIN units u ON u.id = a.unit_id\n         WHERE a.case_id = cases.id AND a.status IN (\'pending\', \'checkedIn\')) as "ctx_assignments" from "cases" where "cases"."id" = $1 and ("cases"."territory_path" like $2 or exists (select 1 as "one" from "case_assignments" as "a" where "a"."case_id" = "cases"."id" and "a"."unit_path" like $3)) for update';

/** findTimeLimit (case-limits.ts): the category's parent read inside the statement ($3 is the category id). */
export const TIME_LIMIT =
  'select "response_minutes", "resolution_minutes", "visit_minutes" from "time_limits" where "case_type" = $1 and ("category_id" is null or "category_id" = $2 or "category_id" = (SELECT parent_id FROM case_categories WHERE id = $3)) and ("urgency" is null or "urgency" = $4) order by CASE WHEN category_id = $5 THEN 0 WHEN category_id IS NOT NULL THEN 1 ELSE 2 END, CASE WHEN urgency IS NULL THEN 1 ELSE 0 END limit $6';

const ESCALATE = {
  lockCase:
    'select "cases".* from "cases" where "cases"."id" = $1 and ("cases"."territory_path" like $2 or exists (select 1 as "one" from "case_assignments" as "a" where "a"."case_id" = "cases"."id" and "a"."unit_path" like $3)) for update',
  openAssignments:
    'select "a"."id", "a"."unit_id", "a"."unit_path", "u"."name" as "unit_name", "a"."role", "a"."status", "a"."round", "a"."assigned_at", "a"."response_due_at", "a"."responded_at" from "case_assignments" as "a" inner join "units" as "u" on "u"."id" = "a"."unit_id" where "a"."case_id" = $1 and "a"."status" in ($2, $3) order by "a"."id"',
  above: (n: number) =>
    `select "id", "path", "kind", "name", "parent_id" from "units" where "id" in (${list(1, n)}) and "kind" in ($${n + 1}, $${n + 2}) order by "depth" desc limit $${n + 3}`,
  insertEvent:
    'insert into "case_events" ("case_id", "seq", "action", "from_state", "to_state", "actor_account_id", "actor_unit_id", "actor_name", "owner_unit_id", "note", "data", "created_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning "id"',
  finishAssignment: 'update "case_assignments" set "status" = $1 where "id" = $2',
  insertAssignment:
    'insert into "case_assignments" ("case_id", "unit_id", "unit_path", "role", "status", "round", "assigned_at", "response_due_at", "responded_at", "responded_in_time", "deadline", "event_id") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
  updateCase:
    'update "cases" set "owner_unit_id" = $1, "owner_unit_path" = $2, "lead_unit_id" = $3, "lead_unit_path" = $4, "state" = $5, "colour" = $6, "next_colour_at" = $7, "event_count" = $8, "version" = $9, "updated_at" = $10 where "id" = $11 returning "version"',
  insertOutbox:
    'insert into "outbox" ("topic", "case_id", "event_id", "payload", "created_at") values ($1, $2, $3, $4, $5)',
  stats:
    `insert into "case_stats_daily" ("unit_id", "unit_path", "day", "case_type", "dimension", ${STATS_COLUMNS.map((c) => `"${c}"`).join(', ')}) ` +
    `values (${list(1, 18)}), (${list(19, 18)}) on conflict ("unit_id", "day", "case_type", "dimension") do update set ` +
    STATS_COLUMNS.map((c) => `"${c}" = case_stats_daily."${c}" + excluded."${c}"`).join(', '),
};

/** The day of the statistics: the date in Asia/Shanghai (UTC+8, no daylight saving), as the app's time zone. */
const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
/** One statistics row adding 1 to `assigned`. */
const assignedRow = (unitId: number, path: string, day: string, caseType: string, dimension: string) => [
  unitId,
  path,
  day,
  caseType,
  dimension,
  ...STATS_COLUMNS.map((c) => (c === 'assigned' ? 1 : 0)),
];

export class PoolExhausted extends Error {
  readonly exhausted = true;
  constructor(used: number) {
    super(`the pool of ${used} cases is used up`);
  }
}

export async function escalateRunner(db: RawDb, s: RawEscalateScenario): Promise<() => Promise<void>> {
  const full = s.variant === 'statements';
  // The grid workers' scope paths (the app has them from the session's grants, before the transaction).
  const paths = new Map(
    (await db.query('SELECT id, path FROM units WHERE id = ANY($1::int[])', [s.workers.map((w) => w.unitId)])).rows.map(
      (r) => [Number(r.id), String(r.path)],
    ),
  );
  let next = 0;
  // bench/raw.ts drives the warm-up right after this returns, then the measured run.
  const warmupEnd = performance.now() + s.warmupSeconds * 1000;
  return async () => {
    if (performance.now() < warmupEnd && next >= s.warmupCases) {
      // The warm-up's share is used: wait for its end, so that the measured run starts with the rest.
      await new Promise((resolve) => setTimeout(resolve, warmupEnd - performance.now()));
      throw new PoolExhausted(s.warmupCases);
    }
    const i = next++;
    if (i >= s.cases.length) throw new PoolExhausted(s.cases.length);
    const id = s.cases[i]!;
    const worker = s.workers[s.workerOf[i]!]!;
    const scope = `${paths.get(worker.unitId)}%`;
    return db.transaction(async (c) => {
      const now = new Date();
      const row = (await c.query(full ? CASE_CONTEXT_LOCK : ESCALATE.lockCase, [id, scope, scope])).rows[0];
      if (!row) throw new Error(`case ${id} not found`);
      if (row.state !== 'inGrid') throw new Error(`case ${id} is ${row.state}, not inGrid`);
      const ownerPath = String(row.owner_unit_path);
      const caseType = String(row.case_type);
      // `statements`: the open assignments came with the case (as the app reads them); `writes`: read them.
      const open = full
        ? ((row.ctx_assignments as Array<Record<string, unknown>> | null) ?? [])
        : (await c.query(ESCALATE.openAssignments, [id, 'pending', 'checkedIn'])).rows;
      const parentPath = ownerPath.slice(0, ownerPath.slice(0, -1).lastIndexOf('/') + 1);
      const ancestors = parentPath.split('/').filter(Boolean).map(Number);
      const above = (await c.query(ESCALATE.above(ancestors.length), [...ancestors, 'community', 'village', 1]))
        .rows[0];
      if (!above) throw new Error(`case ${id}: no community above`);
      const community = { id: Number(above.id), path: String(above.path), name: String(above.name) };
      if (full) {
        const category = row.category_id === null ? null : Number(row.category_id);
        await c.query(TIME_LIMIT, [caseType, category, category ?? -1, row.urgency, category, 1]);
      }
      const events = Number(row.event_count);
      const eventId = (
        await c.query(ESCALATE.insertEvent, [
          id,
          events + 1,
          'escalate',
          'inGrid',
          'atCommunity',
          worker.accountId,
          worker.unitId,
          worker.displayName,
          community.id,
          s.reason,
          JSON.stringify({ to: { id: community.id, kind: String(above.kind), name: community.name } }),
          now,
        ])
      ).rows[0]!.id;
      for (const a of open) await c.query(ESCALATE.finishAssignment, ['done', a.id]);
      await c.query(ESCALATE.insertAssignment, [
        id,
        community.id,
        community.path,
        'owner',
        'pending',
        Number(row.round),
        now,
        new Date(now.getTime() + 86_400_000),
        null,
        null,
        null,
        eventId,
      ]);
      await c.query(ESCALATE.updateCase, [
        community.id,
        community.path,
        null,
        null,
        'atCommunity',
        row.colour,
        row.next_colour_at,
        events + 1,
        Number(row.version) + 1,
        now,
        id,
      ]);
      await c.query(ESCALATE.insertOutbox, [
        'case.escalate',
        id,
        eventId,
        JSON.stringify({
          body: 'escalate',
          phone: null,
          state: 'atCommunity',
          title: `${row.number} ${row.title}`,
          action: 'escalate',
          caseNumber: row.number,
          recipients: { unitIds: [community.id], accountIds: [] },
          supervisorsOf: [],
          excludeAccountId: worker.accountId,
        }),
        now,
      ]);
      const day = shanghaiDay(now);
      await c.query(ESCALATE.stats, [
        ...assignedRow(community.id, community.path, day, caseType, 'handler'),
        ...assignedRow(Number(row.territory_unit_id), String(row.territory_path), day, caseType, 'territory'),
      ]);
    });
  };
}
