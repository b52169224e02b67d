import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BENCH_POSTGRES_URL, type DbKind, prepare } from './prepare.ts';
import { type BenchReport, type DatabaseRun, machine, printTable, updateResultsMarkdown, writeJson } from './report.ts';
import { startServer } from './server.ts';
import { runWorkload, WORKLOADS, type WorkloadName } from './workloads.ts';

/**
 * `npm run bench -- [workload…] [--db embedded|postgres|both] [--people N] [--duration S] [--warmup S]`
 *
 * For each database: a fresh data directory or scratch database with the synthetic "17 areas / 147 grids"
 * territory and N people, the real server started as a separate process, then each workload measured with
 * autocannon from this process. See bench/README.md.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'both' },
    people: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
  },
});

const workloads = (positionals.length ? positionals : [...WORKLOADS]) as WorkloadName[];
for (const w of workloads) {
  if (!WORKLOADS.includes(w)) throw new Error(`unknown workload "${w}"; choose from ${WORKLOADS.join(', ')}`);
}
const people = Number(values.people);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
if (!Number.isInteger(people) || people < 1000) throw new Error('--people must be an integer ≥ 1000');
if (!(duration > 0) || !(warmup >= 0)) throw new Error('--duration must be > 0 and --warmup ≥ 0');

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
  settings: { people, durationSeconds: duration, warmupSeconds: warmup },
  machine: machine(),
  runs: [],
};

for (const kind of kinds) {
  console.log(`\n▶ ${kind}: loading ${people.toLocaleString('en-US')} people …`);
  const prepared = await prepare(kind, people);
  console.log(`  loaded in ${prepared.loadSeconds.toFixed(1)} s; starting the server …`);
  const run: DatabaseRun = {
    database: kind,
    databaseVersion:
      kind === 'embedded' ? `PGlite ${report.machine.pglite}` : `PostgreSQL ${prepared.postgresVersion ?? '?'}`,
    people,
    grids: prepared.synthetic.grids,
    loadSeconds: Math.round(prepared.loadSeconds * 10) / 10,
    loadAverage: [],
    measurements: [],
  };
  const server = await startServer(prepared.env);
  run.loadAverage = os.loadavg().map((l) => Math.round(l * 100) / 100);
  try {
    for (const workload of workloads) {
      console.log(`  ${workload}: ${warmup} s warm-up, ${duration} s measured …`);
      run.measurements.push(...(await runWorkload(workload, server, prepared.logins, duration, warmup)));
    }
  } finally {
    await server.stop();
    await prepared.cleanup();
  }
  report.runs.push(run);
}

printTable(report);
console.log(`\nJSON: ${writeJson(report)}`);
console.log(`Table: ${updateResultsMarkdown(report)}`);
