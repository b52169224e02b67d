import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { setEscalateTiming } from './escalate.ts';
import { runExportHttp, runExportRaw } from './export.ts';
import { runH5Load } from './h5.ts';
import { runInstances } from './instances.ts';
import { prepareLive, runNotifyLatency } from './live.ts';
import { benchWebDir, checkWebDir, runPageLoad } from './pages.ts';
import { BENCH_POSTGRES_URL, type DbKind, prepare } from './prepare.ts';
import { READ_WORKLOADS, type ReadWorkload } from './reads.ts';
import { type BenchReport, type DatabaseRun, machine, printTable, updateResultsMarkdown, writeJson } from './report.ts';
import { startServer } from './server.ts';
import { type BenchSize, SIZE_NAMES, SIZES, type SizeName } from './sizes.ts';
import { runSweepWorkload } from './sweep.ts';
import {
  CASE_WORKLOADS,
  RAW_WORKLOADS,
  runRawWorkload,
  runWorkload,
  WORKLOADS,
  type WorkloadName,
} from './workloads.ts';
import { checkWrites, prepareWrites, WRITE_WORKLOADS } from './writes.ts';

/**
 * `npm run bench -- [workload…] [--db embedded|postgres|both] [--people N] [--cases N] [--duration S] [--warmup S]
 *  [--page-runs N]`
 *
 * For each database: a fresh data directory or scratch database with the synthetic "17 areas / 147 grids"
 * territory and N people (and, for the case workloads, N synthetic cases); the raw-SQL sides of the case
 * workloads, each in its own process against the database; then the real server started as a separate process
 * and each workload measured with autocannon from this process. See bench/README.md.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'both' },
    size: { type: 'string', default: 'city' },
    people: { type: 'string' },
    cases: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'page-runs': { type: 'string', default: '10' },
  },
});

const workloads = (positionals.length ? positionals : [...WORKLOADS]) as WorkloadName[];
// --load-only: load (and, with --keep, keep) the database, measure nothing.
const loadOnly = values['load-only'];
for (const w of workloads) {
  if (!WORKLOADS.includes(w)) throw new Error(`unknown workload "${w}"; choose from ${WORKLOADS.join(', ')}`);
}
if (!SIZE_NAMES.includes(values.size as SizeName))
  throw new Error(`unknown size "${values.size}"; choose from ${SIZE_NAMES.join(', ')}`);
const sizeName = values.size as SizeName;
const size: BenchSize = {
  ...SIZES[sizeName],
  people: values.people !== undefined ? Number(values.people) : SIZES[sizeName].people,
};
const people = size.people;
const duration = Number(values.duration);
const warmup = Number(values.warmup);
if (!Number.isInteger(people) || people < 1000) throw new Error('--people must be an integer ≥ 1000');
// Cases are loaded when a case workload runs (the size's, unless --cases says otherwise) or when --cases is given.
const needsCases = loadOnly || workloads.some((w) => CASE_WORKLOADS.includes(w));
const cases = values.cases !== undefined ? Number(values.cases) : needsCases ? size.cases : null;
if (cases !== null && (!Number.isInteger(cases) || cases < 1000)) throw new Error('--cases must be an integer ≥ 1000');
if (!(duration > 0) || !(warmup >= 0)) throw new Error('--duration must be > 0 and --warmup ≥ 0');
const pageRuns = Number(values['page-runs']);
if (!Number.isInteger(pageRuns) || pageRuns < 1) throw new Error('--page-runs must be an integer ≥ 1');
// page-load and h5-load serve the built web apps (dist/web, or LINLI_BENCH_WEB_DIR): checked before any loading.
const webDir = workloads.includes('page-load') || workloads.includes('h5-load') ? benchWebDir() : null;
if (webDir) checkWebDir(webDir);

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

let kinds: DbKind[];
if (values.db === 'both') kinds = (await postgresReachable()) ? ['embedded', 'postgres'] : ['embedded'];
else if (values.db === 'embedded' || values.db === 'postgres') kinds = [values.db];
else throw new Error('--db must be embedded, postgres or both');
if (values.db === 'both' && kinds.length === 1)
  console.warn(`PostgreSQL at ${BENCH_POSTGRES_URL} is unreachable: embedded only`);

const report: BenchReport = {
  startedAt: new Date().toISOString(),
  command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
  settings: {
    size: sizeName,
    shape: size.shapeName,
    people,
    cases,
    durationSeconds: duration,
    warmupSeconds: warmup,
    pageRuns,
    keep: values.keep,
  },
  machine: machine(),
  runs: [],
};

for (const kind of kinds) {
  const what = cases ? ` and ${cases.toLocaleString('en-US')} cases` : '';
  console.log(`\n▶ ${kind}: ${sizeName} (${size.shapeName}), ${people.toLocaleString('en-US')} people${what} …`);
  let lastProgress = performance.now();
  const prepared = await prepare(kind, {
    size,
    cases: cases ?? 0,
    keep: values.keep,
    readWorkloads: workloads.filter((w) => (READ_WORKLOADS as readonly string[]).includes(w)) as ReadWorkload[],
    onProgress: (done, total) => {
      if (performance.now() - lastProgress < 30_000 && done < total) return;
      lastProgress = performance.now();
      console.log(`  cases ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
    },
  });
  const generated = prepared.cases ? `; cases generated in ${prepared.cases.loadSeconds.toFixed(1)} s` : '';
  const how = prepared.reused ? 'reused (loaded earlier' : 'loaded';
  console.log(`  ${how} in ${prepared.loadSeconds.toFixed(1)} s${generated}${prepared.reused ? ')' : ''}`);
  const run: DatabaseRun = {
    database: kind,
    databaseVersion:
      kind === 'embedded' ? `PGlite ${report.machine.pglite}` : `PostgreSQL ${prepared.postgresVersion ?? '?'}`,
    people,
    grids: prepared.synthetic.grids,
    cases: prepared.cases
      ? {
          count: prepared.cases.cases,
          events: prepared.cases.events,
          assignments: prepared.cases.assignments,
          statsRows: prepared.cases.statsRows,
          loadSeconds: Math.round(prepared.cases.loadSeconds * 10) / 10,
        }
      : null,
    loadSeconds: Math.round(prepared.loadSeconds * 10) / 10,
    loadAverage: [],
    measurements: [],
  };
  const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
  if (loadOnly) {
    await prepared.cleanup();
    continue;
  }
  try {
    // The raw sides first: the embedded data directory can only be opened while the server is not running.
    // The reads before intake-raw, whose burst of writes the database is still digesting for a while.
    // The write workloads' sessions, courses and case pool (bench/writes.ts), before the raw sides and the server.
    if (workloads.some((w) => (WRITE_WORKLOADS as readonly string[]).includes(w))) {
      setEscalateTiming(warmup, duration); // bench/escalate.ts: the warm-up's share of its one-use case pools
      await prepareWrites(prepared);
    }
    const writesRaw: WorkloadName[] = ['transitions-raw', 'enrolment-raw'];
    const raw = workloads.filter((w) => RAW_WORKLOADS.includes(w) && w !== 'intake-raw' && !writesRaw.includes(w));
    raw.push(...writesRaw.filter((w) => workloads.includes(w)));
    if (workloads.includes('intake-raw')) raw.push('intake-raw');
    if (raw.length) run.loadAverage = loadAverage();
    for (const workload of raw) {
      run.measurements.push(...(await runRawWorkload(workload, prepared, duration, warmup)));
    }
    // The sweeps (bench/sweep.ts) and the export's SQL alone (bench/export.ts), in processes of their own.
    if (workloads.includes('sweep')) run.measurements.push(...(await runSweepWorkload(prepared)));
    if (workloads.includes('export')) run.measurements.push(...(await runExportRaw(prepared)));
    // notify-latency's residents and sessions, and its raw yardstick, while the data directory is free.
    const live = workloads.includes('notify-latency') ? await prepareLive(prepared, Math.min(duration, 5)) : null;
    // Intake last: the messages its cases leave in the outbox are delivered by the server's background worker
    // for a while afterwards, which would weigh on the workloads measured next.
    const http: WorkloadName[] = workloads.filter(
      (w) =>
        w !== 'intake-raw' &&
        w !== 'intake' &&
        w !== 'h5-load' &&
        w !== 'instances' &&
        w !== 'sweep' &&
        !writesRaw.includes(w),
    );
    if (workloads.includes('intake')) http.push('intake');
    if (http.length) {
      console.log('  starting the server …');
      const server = await startServer(webDir ? { ...prepared.env, WEB_DIR: webDir } : prepared.env);
      if (!raw.length) run.loadAverage = loadAverage();
      try {
        for (const workload of http) {
          if (workload === 'page-load') {
            console.log(`  page-load: ${pageRuns} cold and ${pageRuns} warm loads per page in headless Chromium …`);
            run.measurements.push(...(await runPageLoad(server, prepared.logins, prepared.cases, pageRuns)));
            continue;
          }
          if (workload === 'export') {
            run.measurements.push(...(await runExportHttp(server, prepared)));
            continue;
          }
          if (workload === 'notify-latency' && live) {
            console.log(`  notify-latency: ${warmup} s warm-up, ${duration} s measured …`);
            run.measurements.push(
              ...(await runNotifyLatency(server, prepared.logins, live, duration, warmup, prepared.cases)),
            );
            continue;
          }
          console.log(`  ${workload}: ${warmup} s warm-up, ${duration} s measured …`);
          run.measurements.push(
            ...(await runWorkload(workload, server, prepared.logins, duration, warmup, prepared.cases)),
          );
        }
      } finally {
        await server.stop();
      }
    }
    // The enrolment invariant (never overbooked, counters = rows, gapless waiting list), with the server stopped.
    await checkWrites(prepared, run.measurements);
    // Two instances on one PostgreSQL (bench/instances.ts), on servers of their own once the main one is stopped.
    if (workloads.includes('instances'))
      run.measurements.push(...(await runInstances(prepared, prepared.logins, prepared.cases, duration, warmup)));
    // The H5's first loads last, on a server of their own that logs at info level: the residents sign in with
    // the one-time code the development SMS sender logs (request logs would weigh on the other workloads).
    if (workloads.includes('h5-load') && webDir) {
      console.log(`  h5-load: ${pageRuns} cold loads per page and connection in headless Chromium …`);
      const server = await startServer({ ...prepared.env, WEB_DIR: webDir, LOG_LEVEL: 'info' });
      if (!run.loadAverage.length) run.loadAverage = loadAverage();
      try {
        run.measurements.push(...(await runH5Load(server, pageRuns)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await prepared.cleanup();
  }
  report.runs.push(run);
}

if (loadOnly) process.exit(0);
printTable(report);
console.log(`\nJSON: ${writeJson(report)}`);
// LINLI_BENCH_NO_RESULTS_MD=1: a trial run that must not replace the figures in RESULTS.md.
if (process.env.LINLI_BENCH_NO_RESULTS_MD !== '1') console.log(`Table: ${updateResultsMarkdown(report)}`);
