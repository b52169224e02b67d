import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { READ_KEYS } from './reads.ts';
import { SIZES, type SizeName } from './sizes.ts';
import type { Measurement } from './workloads.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface CasesLoaded {
  count: number;
  events: number;
  assignments: number;
  statsRows: number | null;
  /** Time the case generator took (part of loadSeconds). */
  loadSeconds: number;
}

export interface DatabaseRun {
  database: 'embedded' | 'postgres';
  databaseVersion: string;
  people: number;
  grids: number;
  /** The synthetic cases loaded for the case workloads; null when none ran. */
  cases: CasesLoaded | null;
  loadSeconds: number;
  /** 1-, 5- and 15-minute load averages when the measurements started: other work on the machine skews them. */
  loadAverage: number[];
  measurements: Measurement[];
}

export interface BenchReport {
  startedAt: string;
  /** As typed; each figure's own command (with every setting spelled out) is in RESULTS.md. */
  command: string;
  settings: {
    /** The named size (--size) and its territory shape; absent in reports written before sizes existed. */
    size?: string;
    shape?: string;
    /** The database was kept (--keep), and maybe reused from an earlier run. */
    keep?: boolean;
    people: number;
    cases: number | null;
    durationSeconds: number;
    warmupSeconds: number;
    /** Cold and warm loads per page of the page-load workload (absent in reports written before it existed). */
    pageRuns?: number;
  };
  machine: ReturnType<typeof machine>;
  runs: DatabaseRun[];
}

export function machine() {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    pglite: packageVersion('@electric-sql/pglite'),
  };
}

function packageVersion(name: string): string {
  try {
    const file = path.join(BENCH_DIR, '..', 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const n = (v: number, digits = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Latencies: whole milliseconds, with a decimal below 10 ms (raw SQL answers in a fraction of one); "—" for none
 * (a page that never became interactive). */
const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : n(v, v < 10 ? 1 : 0));

const HEADER = [
  'database',
  'workload',
  'conn',
  'req/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'errors',
  'non-2xx',
  'RSS peak MiB',
];

function row(run: DatabaseRun, m: Measurement): string[] {
  return [
    run.database,
    m.workload,
    String(m.connections),
    // Page loads have no request rate: their latencies are times to interactive, one load at a time.
    m.via === 'browser' ? '—' : n(m.requestsPerSecond, 1),
    ms(m.latencyMs.p50),
    ms(m.latencyMs.p95),
    ms(m.latencyMs.p99),
    String(m.errors),
    String(m.non2xx),
    m.rssPeakMiB === null ? '—' : String(m.rssPeakMiB),
  ];
}

export function printTable(report: BenchReport) {
  const rows = report.runs.flatMap((run) => run.measurements.map((m) => row(run, m)));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${line(HEADER)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  for (const run of report.runs) {
    console.log(
      `${run.database}: ${run.databaseVersion}, ${loadedText(run)}; load average ${run.loadAverage.join(' ')}`,
    );
    for (const line of comparisons(run.database, new Map(run.measurements.map((m) => [m.workload, row(run, m)])))) {
      console.log(`  ${line}`);
    }
    for (const m of run.measurements.filter((m) => m.via === 'browser')) {
      console.log(`  ${run.database} ${m.workload}: ${m.description}`);
    }
  }
}

function loadedText(run: DatabaseRun): string {
  const cases = run.cases
    ? `, ${n(run.cases.count)} cases (${n(run.cases.events)} events, ${n(run.cases.assignments)} assignments${
        run.cases.statsRows === null ? '' : `, ${n(run.cases.statsRows)} rollup rows`
      }; generated in ${n(run.cases.loadSeconds, 1)} s)`
    : '';
  return `${n(run.people)} people over ${run.grids} grids${cases}, loaded in ${n(run.loadSeconds, 1)} s`;
}

const num = (cell: string | undefined) => Number((cell ?? '').replaceAll(',', ''));

const ERRORS = HEADER.indexOf('errors');
const NON_2XX = HEADER.indexOf('non-2xx');

/**
 * A comparison's warning when either side had failed requests (non-2xx answers, errors or timeouts): its rate
 * and latencies then mix in failures (a 404 is quicker than an enrolment), so the figures are not comparable.
 */
function notComparable(...sides: Array<string[] | undefined>): string {
  const non2xx = sides.reduce((sum, cells) => sum + (num(cells?.[NON_2XX]) || 0), 0);
  const errors = sides.reduce((sum, cells) => sum + (num(cells?.[ERRORS]) || 0), 0);
  const failed = [non2xx ? `${n(non2xx)} non-2xx` : '', errors ? `${n(errors)} errors` : ''].filter(Boolean);
  return failed.length ? ` ⚠ (${failed.join(', ')}: not comparable)` : '';
}

/**
 * The case loop's comparisons, from table rows (workload → cells as in HEADER): the API against the raw database
 * for the intake transaction, and the app's latency against its SQL's for the worklists and three-rates.
 */
function comparisons(database: string, rows: Map<string, string[]>): string[] {
  const out: string[] = [];
  // The write transactions: intake, and the transitions (chase; escalate: bench/escalate.ts) and enrolment of
  // bench/writes.ts.
  for (const [workload, rawBase] of [
    ['intake', 'intake-raw'],
    ['transitions', 'transitions-raw'],
    ['transitions:escalate', 'transitions-raw:escalate'],
    ['enrolment', 'enrolment-raw'],
  ]) {
    for (const [suffix, load] of [
      ['', '50 connections'],
      [':single', 'one connection'],
    ]) {
      const api = rows.get(`${workload}${suffix}`);
      for (const raw of [`${rawBase}:writes`, `${rawBase}:statements`]) {
        const r = rows.get(`${raw}${suffix}`);
        if (api && r) {
          out.push(
            `${database} ${workload}, ${load}: API ${api[3]} req/s (p50 / p99 ${api[4]} / ${api[6]} ms) vs ${raw} ${r[3]} tx/s ` +
              `(${r[4]} / ${r[6]} ms): API/raw = ${(num(api[3]) / num(r[3])).toFixed(2)}${notComparable(api, r)}`,
          );
        }
      }
    }
  }
  for (const key of [
    'worklist:toHandle',
    'worklist:overdue',
    'three-rates:year',
    'three-rates:month',
    ...Object.values(READ_KEYS).flat(),
  ]) {
    for (const [suffix, load] of [
      [':single', 'one connection'],
      ['', '10 connections'],
    ]) {
      const app = rows.get(`${key}${suffix}`);
      const sql = rows.get(`${key}:sql${suffix}`);
      if (app || sql) {
        out.push(
          `${database} ${key}, ${load}: p50 / p99 ${app ? `${app[4]} / ${app[6]} ms through the API` : 'not measured through the API'}, ` +
            `${sql ? `${sql[4]} / ${sql[6]} ms` : 'not measured'} for its SQL alone${notComparable(app, sql)}`,
        );
      }
    }
  }
  // Full-text search's target is on p95 (< 200 ms).
  for (const suffix of [':single', '']) {
    const app = rows.get(`search:district${suffix}`);
    const sql = rows.get(`search:district:sql${suffix}`);
    if (app || sql) {
      out.push(
        `${database} search:district${suffix}, p95 (target < 200 ms): ${app ? `${app[5]} ms through the API` : 'not measured through the API'}, ` +
          `${sql ? `${sql[5]} ms` : 'not measured'} for its SQL alone${notComparable(app, sql)}`,
      );
    }
  }
  return out;
}

export function writeJson(report: BenchReport): string {
  const dir = path.join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  // Arrays of plain values on one line, as the formatter (biome) writes them, so `biome check .` stays clean.
  const json = JSON.stringify(report, null, 2).replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, items: string) =>
    items ? `[${items.split(/,\s*/).join(', ')}]` : '[]',
  );
  writeFileSync(file, `${json}\n`);
  return file;
}

/** The command that measures exactly this figure again, every setting spelled out. */
function exactCommand(report: BenchReport, run: DatabaseRun, m: Measurement): string {
  const { people, durationSeconds, warmupSeconds, size, keep } = report.settings;
  const workload = m.workload.split(':')[0] as string;
  const named = size && size in SIZES ? SIZES[size as SizeName] : null;
  let what = named ? ` --size ${size}` : '';
  if (!named || named.people !== people) what += ` --people ${people}`;
  if (run.cases && (!named || named.cases !== run.cases.count)) what += ` --cases ${run.cases.count}`;
  if (keep) what += ' --keep';
  if (m.via === 'browser') {
    return `npm run bench -- ${workload} --db ${run.database}${what} --page-runs ${report.settings.pageRuns ?? 10}`;
  }
  return `npm run bench -- ${workload} --db ${run.database}${what} --duration ${durationSeconds} --warmup ${warmupSeconds}`;
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';
const MD_HEADER = [...HEADER, 'people', 'cases', 'date', 'command'];

/** A Markdown table laid out as the formatter (biome) lays it out: padded cells, numbers right-aligned. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const right = (i: number) => i >= 2 && i < header.length - 2;
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)];
}

/** A table row's key: database, size (its cases column) and workload; rows of other sizes stay beside them. */
const rowKey = (database: string, cases: string, workload: string) => `${database}|${cases}|${workload}`;

/** Sizes in the order of their case counts ("—": no cases loaded). */
const byCases = (a: string, b: string) => (num(a) || 0) - (num(b) || 0);

/** The case loop's comparisons from the whole table (this run's rows and those kept from earlier runs). */
function caseSummary(kept: Map<string, string[]>): string[] {
  const lines: string[] = [];
  for (const database of ['embedded', 'postgres']) {
    const sizes = new Map<string, Map<string, string[]>>();
    for (const [key, cells] of kept) {
      const [db, cases, workload] = key.split('|') as [string, string, string];
      if (db !== database) continue;
      if (!sizes.has(cases)) sizes.set(cases, new Map());
      sizes.get(cases)?.set(workload, cells);
    }
    for (const cases of [...sizes.keys()].sort(byCases)) {
      const label = sizes.size > 1 ? `${database} (${cases} cases)` : database;
      lines.push(...comparisons(label, sizes.get(cases) as Map<string, string[]>).map((l) => `- ${l}`));
    }
  }
  return lines.length ? ['Case loop, API against the database alone (from the rows above):', '', ...lines, ''] : [];
}

/**
 * Rewrites the table in bench/RESULTS.md: the rows of this run replace earlier rows for the same database, size
 * (number of cases) and workload, other rows stay (a megacity run keeps the city's), and the machine line is the
 * one this run used.
 */
export function updateResultsMarkdown(report: BenchReport): string {
  const file = path.join(BENCH_DIR, 'RESULTS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${START}\n${END}\n`;
  const [before, rest] = text.includes(START) ? (text.split(START) as [string, string]) : [`${text}\n`, `\n${END}\n`];
  const [block, after] = rest.includes(END) ? (rest.split(END) as [string, string]) : [rest, '\n'];
  const kept = new Map<string, string[]>();
  // The run line of each database and the description of each row, kept from earlier runs like the rows.
  const runLines = new Map<string, string>();
  const descriptions = new Map<string, string>();
  for (const lineText of block.split('\n')) {
    // "- postgres: …" (rows of one size) or "- postgres, 20,000,000 cases: …".
    const runLine = /^- (embedded|postgres)(?:, ([\d,]+|—) cases)?: (.*)$/.exec(lineText);
    if (runLine) runLines.set(`${runLine[1]}|${runLine[2] ?? ''}`, runLine[3] as string);
    const described = /^- (embedded|postgres) `([^`]+)`: /.exec(lineText);
    if (described) descriptions.set(`${described[1]}|${described[2]}`, lineText);
    const cells = lineText.split('|').map((c) => c.trim());
    // Rows written before the cases column existed have one cell fewer: no cases.
    if (cells.length === MD_HEADER.length + 1) cells.splice(MD_HEADER.length - 1, 0, '—');
    if (cells.length < MD_HEADER.length + 2 || cells[1] === 'database' || /^[-:]+$/.test(cells[1] ?? '')) continue;
    kept.set(rowKey(cells[1] as string, cells[MD_HEADER.length - 2] as string, cells[2] as string), cells.slice(1, -1));
  }
  // A run line without its size (written when the table held one size per database) belongs to the one size
  // its rows have.
  for (const [key, text] of [...runLines]) {
    const [database, cases] = key.split('|') as [string, string];
    if (cases) continue;
    runLines.delete(key);
    const sizes = new Set([...kept.keys()].filter((k) => k.startsWith(`${database}|`)).map((k) => k.split('|')[1]));
    if (sizes.size === 1) runLines.set(`${database}|${[...sizes][0]}`, text);
  }
  const date = report.startedAt.slice(0, 10);
  for (const run of report.runs) {
    const cases = run.cases ? n(run.cases.count) : '—';
    runLines.set(
      `${run.database}|${cases}`,
      `${run.databaseVersion}; ${loadedText(run)}; load average before measuring ${run.loadAverage.join(' ')}`,
    );
    for (const m of run.measurements) {
      descriptions.set(`${run.database}|${m.workload}`, `- ${run.database} \`${m.workload}\`: ${m.description}`);
      const cells = [...row(run, m), n(run.people), cases, date, `\`${exactCommand(report, run, m)}\``];
      kept.set(rowKey(run.database, cases, m.workload), cells);
    }
  }
  const order = (key: string) => key.split('|') as [string, string, string];
  const sorted = [...kept.entries()].sort(([a], [b]) => {
    const [da, ca, wa] = order(a);
    const [db, cb, wb] = order(b);
    return da.localeCompare(db) || byCases(ca, cb) || wa.localeCompare(wb);
  });
  const rows = sorted.map(([, v]) => v);
  const described = [...new Set(sorted.map(([key]) => `${order(key)[0]}|${order(key)[2]}`))];
  const mc = report.machine;
  const table = [
    '',
    `Machine of the latest run: ${mc.nproc} CPUs (${mc.cpuModel}), ${mc.memoryGiB} GiB RAM, Node ${mc.node}, ${mc.os}, PGlite ${mc.pglite}.`,
    '',
    ...[...runLines.entries()]
      .sort(([a], [b]) => order(a)[0].localeCompare(order(b)[0]) || byCases(order(a)[1], order(b)[1]))
      .map(([key, line]) => `- ${order(key)[0]}, ${order(key)[1]} cases: ${line}`),
    '',
    ...markdownTable(MD_HEADER, rows),
    '',
    ...caseSummary(kept),
    'Scenarios:',
    '',
    ...described.flatMap((key) => (descriptions.has(key) ? [descriptions.get(key) as string] : [])),
    '',
  ].join('\n');
  writeFileSync(file, `${before}${START}${table}${END}${after}`);
  return file;
}
