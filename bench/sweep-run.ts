import { readFileSync } from 'node:fs';
import { CompiledQuery, type Kysely } from 'kysely';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { DEFAULT_SWEEP_LIMIT, type Sweep, type SweepDeps } from '../src/server/jobs/sweep.ts';
import { sweepCallbackOverdue } from '../src/server/jobs/sweep-callback-overdue.ts';
import { sweepCaseColours } from '../src/server/jobs/sweep-case-colours.ts';
import { sweepChases } from '../src/server/jobs/sweep-chases.ts';
import { sweepVisitExpiry } from '../src/server/jobs/sweep-visit-expiry.ts';
import { sweepVisitInvitations } from '../src/server/jobs/sweep-visit-invitations.ts';
import { loadGrants } from '../src/server/modules/auth/session.service.ts';
import { caseExportBatches, EXPORT_MAX_ROWS, exportCasesQuery } from '../src/server/modules/cases/case-export.ts';
import { OPEN_STATES } from '../src/server/modules/cases/case-machine.ts';
import type { ExportRawResult, SweepPlan, SweepRunConfig, SweepRunResult } from './sweep.ts';
import { latencySummary } from './tti.ts';

/**
 * The sweep and export-SQL sides, each run as its own process (`node bench/sweep-run.ts <config.json>`) against
 * the prepared database while the server is not running (the embedded data directory has one user at a time).
 * It calls the app's own code: the sweeps with the deps the workers give them (config, system clock, a log),
 * and the export's keyset batches. Prints one line `RESULT {json}`.
 */
const config = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as SweepRunConfig;
const env = {
  ...process.env,
  ...(config.kind === 'postgres' ? { DATABASE_URL: config.databaseUrl } : { DATA_DIR: config.dataDir }),
};
const appConfig = loadConfig(env);
// As main.ts: the list's days are local days.
process.env.TZ ??= appConfig.timeZone;
const database = await openDatabase({
  databaseUrl: config.kind === 'postgres' ? config.databaseUrl : undefined,
  dataDir: config.dataDir ?? appConfig.dataDir,
  poolMax: 10,
});

let failures = 0;
const deps: SweepDeps = {
  config: appConfig,
  clock: systemClock,
  log: {
    error() {
      failures += 1;
    },
  },
};

const SWEEPS: Array<{ name: string; sweep: Sweep; claim: (db: Kysely<any>, now: Date) => CompiledQuery }> = [
  {
    name: 'caseColours',
    sweep: sweepCaseColours,
    claim: (db, now) =>
      db
        .selectFrom('cases')
        .select(['id', 'state', 'supervised', 'manual_colour', 'colour', 'orange_at', 'due_at'])
        .where('next_colour_at', '<=', now)
        .orderBy('next_colour_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .compile(),
  },
  {
    name: 'chases',
    sweep: sweepChases,
    claim: (db, now) =>
      db
        .selectFrom('cases')
        .select(['id', 'state', 'manual_colour'])
        .where('next_chase_at', '<=', now)
        .orderBy('next_chase_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .compile(),
  },
  {
    name: 'visitInvitations',
    sweep: sweepVisitInvitations,
    claim: (_db, now) =>
      CompiledQuery.raw(
        `select "id" from "cases" where "state" = 'resolved' and "visit_invited_at" is null and "resolved_at" <= $1 ` +
          `order by "resolved_at" limit 1 for update skip locked`,
        [now],
      ),
  },
  {
    name: 'visitExpiry',
    sweep: sweepVisitExpiry,
    claim: (_db, now) =>
      CompiledQuery.raw(
        `select "id" from "cases" where "state" = 'resolved' and "visit_due_at" <= $1 ` +
          `order by "visit_due_at" limit 1 for update skip locked`,
        [now],
      ),
  },
  {
    name: 'callbackOverdue',
    sweep: sweepCallbackOverdue,
    claim: (_db, now) =>
      CompiledQuery.raw(
        `select "id" from "call_requests" where "status" = 'waiting' and "overdue_at" is null and ` +
          `"callback_due_at" <= $1 order by "callback_due_at" limit 1 for update skip locked`,
        [now],
      ),
  },
];

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** EXPLAIN (ANALYZE) of a claim query, in a transaction of its own (it locks the row it finds until COMMIT). */
async function explain(db: Database, query: CompiledQuery): Promise<SweepPlan> {
  return db.db.transaction().execute(async (trx) => {
    const result = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
      CompiledQuery.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, [...query.parameters]),
    );
    const raw = result.rows[0]?.['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{
      Plan: PlanNode;
      'Execution Time': number;
    }>;
    const path: string[] = [];
    let node: PlanNode | undefined = plan[0]?.Plan;
    let scan = '';
    let relation: string | null = null;
    while (node) {
      const what = node['Index Name'] ?? node['Relation Name'];
      path.push(what ? `${node['Node Type']} (${what})` : node['Node Type']);
      if (/Scan/.test(node['Node Type'])) {
        scan = node['Node Type'];
        relation = node['Relation Name'] ?? null;
      }
      node = node.Plans?.[0];
    }
    return {
      executionMs: Math.round((plan[0]?.['Execution Time'] ?? 0) * 1000) / 1000,
      plan: path.join(' → '),
      indexRangeScan: /Index/.test(scan),
      relation,
      relationRows: null,
    };
  });
}

async function explainThenRollback(query: CompiledQuery): Promise<SweepPlan> {
  try {
    const plan = await explain(database, query);
    // A sequential scan is the planner's choice for a table of a few rows: say how many.
    if (!plan.indexRangeScan && plan.relation && /^[a-z_]+$/.test(plan.relation)) {
      const { rows } = await database.db.executeQuery<{ n: string }>(
        CompiledQuery.raw(`SELECT count(*) AS n FROM ${plan.relation}`),
      );
      plan.relationRows = Number(rows[0]?.n ?? 0);
    }
    return plan;
  } catch (error) {
    const failed = `EXPLAIN failed: ${String(error)}`;
    return { executionMs: -1, plan: failed, indexRangeScan: false, relation: null, relationRows: null };
  }
}

/** One run of a sweep until it has nothing left (as the worker does: a run that used its limit is followed at once). */
async function drain(sweep: Sweep, cap: number): Promise<number> {
  let total = 0;
  while (total < cap) {
    const n = await sweep(database, deps, DEFAULT_SWEEP_LIMIT);
    total += n;
    if (n < DEFAULT_SWEEP_LIMIT) break;
  }
  return total;
}

async function sweepMode(): Promise<SweepRunResult> {
  if (config.mode !== 'sweep') throw new Error('not sweep');
  const { rows } = await database.db
    .selectFrom('cases')
    .select((eb) => [
      eb.fn.countAll<string>().as('all'),
      eb.fn.countAll<string>().filterWhere('state', 'in', OPEN_STATES).as('open'),
    ])
    .execute()
    .then((r) => ({ rows: r }));
  const allCases = Number(rows[0]?.all ?? 0);
  const openCases = Number(rows[0]?.open ?? 0);
  // Whatever is due now (the generator's markers, time passing since the load) is processed first, so that the
  // idle passes find nothing to do.
  const started = performance.now();
  const drained: Record<string, number> = {};
  for (const s of SWEEPS) drained[s.name] = await drain(s.sweep, config.drainCap);
  const drainSeconds = (performance.now() - started) / 1000;
  console.error(`  drained ${JSON.stringify(drained)} in ${drainSeconds.toFixed(1)} s; ${openCases} open cases`);

  const idlePlans: Record<string, SweepPlan> = {};
  for (const s of SWEEPS) idlePlans[s.name] = await explainThenRollback(s.claim(database.db, new Date()));

  // (a) nothing due: one pass = every sweep once.
  const passes: number[] = [];
  const perSweep: Record<string, number[]> = Object.fromEntries(SWEEPS.map((s) => [s.name, []]));
  let idleProcessed = 0;
  for (let i = 0; i < config.passes + 3; i++) {
    const t0 = performance.now();
    for (const s of SWEEPS) {
      const t = performance.now();
      idleProcessed += await s.sweep(database, deps, DEFAULT_SWEEP_LIMIT);
      if (i >= 3) perSweep[s.name]!.push(performance.now() - t);
    }
    if (i >= 3) passes.push(performance.now() - t0); // the first 3 passes warm up
  }

  // (b) K due: the colour markers of K random open cases set to the past, then the colour sweep run until done.
  const due: SweepRunResult['due'] = [];
  for (const k of config.dueCounts) {
    if (k > openCases) {
      due.push({ k, skipped: `only ${openCases} open cases` });
      continue;
    }
    const fraction = Math.min(1, (k * 1.5) / openCases);
    await database.transaction(async (trx) => {
      await trx
        .updateTable('cases')
        .set({ next_colour_at: new Date(Date.now() - 60_000) })
        .where(
          'id',
          'in',
          trx
            .selectFrom('cases')
            .select('id')
            .where('state', 'in', OPEN_STATES)
            .where((eb) => eb(eb.fn('random'), '<', fraction))
            .limit(k),
        )
        .execute();
    });
    const marked = await database.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('next_colour_at', '<=', new Date())
      .executeTakeFirstOrThrow();
    const plan = await explainThenRollback(SWEEPS[0]!.claim(database.db, new Date()));
    const failedBefore = failures;
    const t0 = performance.now();
    let processed = 0;
    const runs: number[] = [];
    for (;;) {
      const t = performance.now();
      const n = await sweepCaseColours(database, deps, DEFAULT_SWEEP_LIMIT);
      runs.push(performance.now() - t);
      processed += n;
      if (n < DEFAULT_SWEEP_LIMIT) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    due.push({
      k,
      marked: Number(marked.n),
      processed,
      failed: failures - failedBefore,
      seconds,
      itemsPerSecond: processed / seconds,
      perItemMs: processed ? (seconds * 1000) / processed : 0,
      runsMs: latencySummary(runs),
      runsAllMs: runs.map((v) => Math.round(v)),
      plan,
    });
    console.error(`  due ${k}: ${processed} processed in ${seconds.toFixed(2)} s`);
  }
  return {
    mode: 'sweep',
    allCases,
    openCases,
    drained,
    drainSeconds,
    passes: latencySummary(passes),
    passCount: passes.length,
    idleProcessed,
    perSweepMs: Object.fromEntries(Object.entries(perSweep).map(([k, v]) => [k, latencySummary(v)])),
    idlePlans,
    due,
    failures,
  };
}

/** The export's SQL alone: the app's keyset batches (caseExportBatches, through Kysely), no HTTP and no Excel. */
async function exportMode(): Promise<ExportRawResult> {
  if (config.mode !== 'export') throw new Error('not export');
  const account = await database.db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('username', '=', config.username)
    .executeTakeFirstOrThrow();
  const actor = {
    accountId: account.id,
    kind: 'staff' as const,
    personId: null,
    displayName: account.display_name,
    username: config.username,
    grants: await loadGrants(database.db, account.id),
    sessionId: 'bench',
    csrfToken: 'bench',
    mustChangePassword: false,
  };
  const scopePath = actor.grants[0]!.unitPath;
  // Cases in the account's scope by day of intake (local days would shift a few rows: the export says its count).
  const days = await database.db
    .selectFrom('cases')
    .select((eb) => [
      eb.fn<string>('to_char', [eb.ref('created_at'), eb.val('YYYY-MM-DD')]).as('day'),
      eb.fn.countAll<string>().as('n'),
    ])
    .where('territory_path', 'like', `${scopePath}%`)
    .groupBy('day')
    .orderBy('day', 'desc')
    .execute();
  const inScope = days.reduce((s, d) => s + Number(d.n), 0);
  // And by territory (grids), summed up to every unit of the scope: a street or a community may come closer.
  const byPath = await database.db
    .selectFrom('cases')
    .select((eb) => ['territory_path', eb.fn.countAll<string>().as('n')])
    .where('territory_path', 'like', `${scopePath}%`)
    .groupBy('territory_path')
    .execute();
  const units = await database.db
    .selectFrom('units')
    .select(['id', 'path'])
    .where('path', 'like', `${scopePath}%`)
    .where('active', '=', true)
    .execute();
  const candidates: Array<{ filter: { from?: string; unitId?: string }; n: number }> = [];
  let running = 0;
  for (const d of days) {
    running += Number(d.n);
    candidates.push({ filter: { from: d.day }, n: running });
  }
  for (const u of units) {
    const n = byPath.reduce((s, r) => (r.territory_path.startsWith(u.path) ? s + Number(r.n) : s), 0);
    if (n > 0) candidates.push({ filter: { unitId: String(u.id) }, n });
  }
  const targets: ExportRawResult['targets'] = [];
  for (const want of config.rowTargets) {
    // The filter (a `from` day, or a unit) that selects the fewest cases at or above `want`; all the scope's
    // cases when it holds fewer.
    const best = candidates.filter((c) => c.n >= want).sort((a, b) => a.n - b.n)[0];
    const filter = best ? best.filter : {};
    const sum = best ? best.n : inScope;
    const expected = Math.min(sum, EXPORT_MAX_ROWS);
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run < config.runs; run++) {
      const t0 = performance.now();
      rows = 0;
      for await (const batch of caseExportBatches(database.db, actor, exportCasesQuery.parse(filter), new Date())) {
        rows += batch.length;
        if (rows >= EXPORT_MAX_ROWS) break;
      }
      times.push(performance.now() - t0);
    }
    targets.push({ want, filter, expectedRows: expected, sqlRows: Math.min(rows, EXPORT_MAX_ROWS), sqlMs: times });
    console.error(`  export SQL for ${want}: ${rows} rows, ${times.map((t) => t.toFixed(0)).join('/')} ms`);
  }
  return { mode: 'export', inScope, targets };
}

try {
  const result = config.mode === 'sweep' ? await sweepMode() : await exportMode();
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  await database.close();
}
