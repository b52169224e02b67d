import { runBenchProcess } from './child.ts';
import type { Prepared } from './prepare.ts';
import type { Measurement } from './workloads.ts';

/**
 * `sweep`: the background sweeps (src/server/jobs) against the prepared database, in their own process
 * (bench/sweep-run.ts) while the server is not running: (a) nothing due — one pass of every sweep, timed over
 * many passes; (b) K due — the colour markers of K random open cases set to the past, then the colour sweep run
 * (200 items a run, runs back to back as the worker does) until none is left; (c) EXPLAIN (ANALYZE) of the claim
 * queries: execution time and plan (an index range scan on the marker). See bench/README.md.
 */

export interface SweepPlan {
  executionMs: number;
  /** The plan's nodes from the top down the first child: e.g. Limit → LockRows → Index Scan (cases_next_colour_idx). */
  plan: string;
  indexRangeScan: boolean;
  /** The scanned table, and its rows when the scan is not an index scan. */
  relation: string | null;
  relationRows: number | null;
}

type Summary = { p50: number; p95: number; p99: number; max: number };

export type SweepRunConfig = {
  kind: 'embedded' | 'postgres';
  databaseUrl?: string;
  dataDir?: string;
} & (
  | { mode: 'sweep'; passes: number; dueCounts: number[]; drainCap: number }
  | { mode: 'export'; username: string; rowTargets: number[]; runs: number }
);

export interface SweepRunResult {
  mode: 'sweep';
  allCases: number;
  openCases: number;
  /** Items due before the measurements (processed first, so that the idle passes find nothing). */
  drained: Record<string, number>;
  drainSeconds: number;
  passes: Summary;
  passCount: number;
  /** Items the idle passes processed after all (markers that came due meanwhile). */
  idleProcessed: number;
  perSweepMs: Record<string, Summary>;
  idlePlans: Record<string, SweepPlan>;
  due: Array<
    | { k: number; skipped: string }
    | {
        k: number;
        marked: number;
        processed: number;
        failed: number;
        seconds: number;
        itemsPerSecond: number;
        perItemMs: number;
        runsMs: Summary;
        /** Every run of ≤200 items in order: a cost that grew as the backlog drained would show here. */
        runsAllMs: number[];
        plan: SweepPlan;
      }
  >;
  failures: number;
}

export interface ExportRawResult {
  mode: 'export';
  /** Cases in the exporting account's scope. */
  inScope: number;
  targets: Array<{
    want: number;
    filter: { from?: string; unitId?: string };
    expectedRows: number;
    sqlRows: number;
    sqlMs: number[];
  }>;
}

export const SWEEP_PASSES = 50;
export const SWEEP_DUE_COUNTS = [100, 1_000, 10_000];
/** At most this many items per sweep are processed before the measurements (a freshly loaded megacity has many due). */
const DRAIN_CAP = 200_000;

/** Runs bench/sweep-run.ts as its own process against the prepared database, sampling its RSS. */
export function runSweepProcess<R>(
  prepared: Prepared,
  config: Record<string, unknown>,
): Promise<{ result: R; rssPeakMiB: number }> {
  return runBenchProcess<R>(
    'sweep-run.ts',
    {
      kind: prepared.kind,
      ...(prepared.kind === 'postgres'
        ? { databaseUrl: prepared.env.DATABASE_URL }
        : { dataDir: prepared.env.DATA_DIR }),
      ...config,
    },
    { env: { LOG_LEVEL: 'warn' } },
  );
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const n = (v: number) => v.toLocaleString('en-US');

function measurement(
  workload: string,
  description: string,
  requests: number,
  seconds: number,
  latencyMs: Summary,
  rssPeakMiB: number | null,
  sweep: Record<string, unknown>,
): Measurement {
  return {
    workload,
    via: 'raw',
    description,
    connections: 1,
    durationSeconds: r2(seconds),
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    latencyMs,
    requests,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    rssPeakMiB,
    rssEndMiB: null,
    sweep,
  };
}

/** The `sweep` workload: rows `sweep:idle`, `sweep:due-<K>` and `sweep:claim-…` (EXPLAIN ANALYZE) per database. */
export async function runSweepWorkload(prepared: Prepared): Promise<Measurement[]> {
  console.log(`  sweep: drain what is due, ${SWEEP_PASSES} idle passes, then ${SWEEP_DUE_COUNTS.join(' / ')} due …`);
  const { result, rssPeakMiB } = await runSweepProcess<SweepRunResult>(prepared, {
    mode: 'sweep',
    passes: SWEEP_PASSES,
    dueCounts: SWEEP_DUE_COUNTS,
    drainCap: DRAIN_CAP,
  });
  const rss = prepared.kind === 'embedded' ? Math.round(rssPeakMiB) : null;
  const open = `${n(result.openCases)} open of ${n(result.allCases)} cases`;
  const out: Measurement[] = [];
  const passSeconds = (result.passes.p50 * result.passCount) / 1000;
  out.push(
    measurement(
      'sweep:idle',
      `one pass of the 5 sweeps (caseColours, chases, visitInvitations, visitExpiry, callbackOverdue) with nothing ` +
        `due, ${result.passCount} passes (req/s = passes/s; latency = one pass); ${open}; per sweep p50 ` +
        Object.entries(result.perSweepMs)
          .map(([k, v]) => `${k} ${v.p50} ms`)
          .join(', ') +
        `; drained first: ${Object.entries(result.drained)
          .map(([k, v]) => `${k} ${n(v)}`)
          .join(', ')} in ${result.drainSeconds.toFixed(1)} s`,
      result.passCount,
      passSeconds,
      result.passes,
      rss,
      {
        openCases: result.openCases,
        allCases: result.allCases,
        drained: result.drained,
        drainSeconds: r2(result.drainSeconds),
        idleProcessed: result.idleProcessed,
        perSweepMs: result.perSweepMs,
      },
    ),
  );
  for (const due of result.due) {
    if (!('processed' in due)) {
      console.log(`  sweep:due-${due.k}: skipped (${due.skipped})`);
      continue;
    }
    out.push(
      measurement(
        `sweep:due-${due.k}`,
        `colour sweep over ${n(due.k)} due (next_colour_at of random open cases set to the past; ${n(due.marked)} ` +
          `due in all): ${n(due.processed)} processed in ${due.seconds.toFixed(2)} s, ${due.perItemMs.toFixed(2)} ms ` +
          `an item (req/s = items/s; latency = one run of ≤200 items); ${open}; claim: ${due.plan.plan}, ` +
          `${due.plan.executionMs} ms`,
        due.processed,
        due.seconds,
        due.runsMs,
        rss,
        { ...due, openCases: result.openCases },
      ),
    );
    if (due.failed) console.warn(`  sweep:due-${due.k}: ${due.failed} items failed`);
  }
  for (const [name, plan] of Object.entries(result.idlePlans)) {
    const verdict = plan.indexRangeScan
      ? 'index range scan'
      : plan.relationRows !== null && plan.relationRows < 1000
        ? `a sequential scan of ${plan.relation}'s ${n(plan.relationRows)} rows: the planner's choice for so small a table`
        : 'FAIL: not an index scan';
    out.push(
      measurement(
        `sweep:claim-${name}`,
        `EXPLAIN (ANALYZE) of the ${name} claim query with nothing due: ${plan.plan} (${verdict}); latency = its ` +
          `execution time; ${open}`,
        1,
        0, // no rate: one EXPLAIN (req/s shows 0)
        { p50: plan.executionMs, p95: plan.executionMs, p99: plan.executionMs, max: plan.executionMs },
        null,
        { ...plan, openCases: result.openCases },
      ),
    );
    console.log(`  claim ${name}: ${plan.executionMs} ms, ${plan.plan} (${verdict})`);
  }
  for (const due of result.due) {
    if ('plan' in due)
      console.log(
        `  claim caseColours with ${n(due.marked)} due: ${due.plan.executionMs} ms, ${due.plan.plan}` +
          (due.plan.indexRangeScan ? '' : ' FAIL: not an index scan'),
      );
  }
  return out;
}
