import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import { EXPORT_MAX_ROWS } from '../src/server/modules/cases/case-export.ts';
import type { Prepared } from './prepare.ts';
import { type RunningServer, readRssMiB } from './server.ts';
import { type ExportRawResult, runSweepProcess } from './sweep.ts';
import { latencySummary } from './tti.ts';
import type { Measurement } from './workloads.ts';

/**
 * `export`: the streaming case export GET /api/cases/export.xlsx as the district admin (the district
 * supervisor has no data.export), with a `from` day chosen so that ~10,000 and ~100,000 (EXPORT_MAX_ROWS) cases
 * match; each export run one at a time, timed to the last byte, the server's RSS peak during it minus its RSS
 * before, and the file read back with ExcelJS's streaming reader to check its rows. The raw yardstick (before
 * the server starts, in bench/sweep-run.ts): the export's keyset batches alone (the app's caseExportBatches).
 */
export const EXPORT_USER = 'district.admin';
export const EXPORT_ROW_TARGETS = [10_000, EXPORT_MAX_ROWS];
export const EXPORT_RUNS = 3;

/** The raw side's result, per database, for the HTTP side that follows. */
const rawResults = new Map<string, ExportRawResult>();

const n = (v: number) => v.toLocaleString('en-US');
const r2 = (v: number) => Math.round(v * 100) / 100;
const label = (want: number) => (want >= 1000 ? `${want / 1000}k` : String(want));

/** Before the server starts: pick the filters and time the export's SQL alone. */
export async function runExportRaw(prepared: Prepared): Promise<Measurement[]> {
  console.log(`  export:sql: the export's keyset batches for ${EXPORT_ROW_TARGETS.map(n).join(' / ')} rows …`);
  const { result, rssPeakMiB } = await runSweepProcess<ExportRawResult>(prepared, {
    mode: 'export',
    username: EXPORT_USER,
    rowTargets: EXPORT_ROW_TARGETS,
    runs: EXPORT_RUNS,
  });
  rawResults.set(prepared.env.DATA_DIR ?? prepared.env.DATABASE_URL ?? prepared.kind, result);
  return result.targets.map((t) => {
    const seconds = t.sqlMs.reduce((s, v) => s + v, 0) / 1000;
    const short = t.sqlRows < t.want ? ` (only ${n(t.sqlRows)} cases in scope can be exported)` : '';
    return {
      workload: `export:${label(t.want)}:sql`,
      via: 'raw',
      description:
        `the export's SQL alone for ${n(t.want)} rows${short}: caseExportBatches (keyset batches of 1,000, the ` +
        `list's WHERE, through Kysely) as ${EXPORT_USER}, filter ${JSON.stringify(t.filter)}, read to the end; ` +
        `${EXPORT_RUNS} runs one at a time (req/s = rows/s; latency = one full read)`,
      connections: 1,
      durationSeconds: r2(seconds),
      requestsPerSecond: seconds > 0 ? (t.sqlRows * t.sqlMs.length) / seconds : 0,
      latencyMs: latencySummary(t.sqlMs),
      requests: t.sqlMs.length,
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      rssPeakMiB: prepared.kind === 'embedded' ? Math.round(rssPeakMiB) : null,
      rssEndMiB: null,
      export: { ...t, inScope: result.inScope },
    } satisfies Measurement;
  });
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.254.0.1' },
    body: JSON.stringify({ username: EXPORT_USER, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${EXPORT_USER} failed: ${response.status}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('linli_sid='));
  if (!cookie) throw new Error(`no session cookie for ${EXPORT_USER}`);
  return cookie.split(';')[0] as string;
}

/** Data rows of a workbook (header and the "cut" line left out), read with ExcelJS's streaming reader. */
async function countRows(file: string): Promise<{ rows: number; cut: boolean }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
  });
  let rows = 0;
  let cut = false;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      if (row.number === 1) continue;
      const first = row.getCell(1).value;
      if (typeof first === 'string' && first.startsWith('导出已截断')) cut = true;
      else rows += 1;
    }
  }
  return { rows, cut };
}

/** With the server running: each export `EXPORT_RUNS` times, one at a time. */
export async function runExportHttp(server: RunningServer, prepared: Prepared): Promise<Measurement[]> {
  const raw = rawResults.get(prepared.env.DATA_DIR ?? prepared.env.DATABASE_URL ?? prepared.kind);
  if (!raw) throw new Error('export: the raw side did not run');
  const cookie = await signIn(server.baseUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linli-bench-export-'));
  const out: Measurement[] = [];
  try {
    for (const t of raw.targets) {
      const query = new URLSearchParams(t.filter).toString();
      const url = `/api/cases/export.xlsx${query ? `?${query}` : ''}`;
      console.log(`  export:${label(t.want)}: GET ${url} ×${EXPORT_RUNS} (${n(t.sqlRows)} rows expected) …`);
      const times: number[] = [];
      const growth: number[] = [];
      const before: number[] = [];
      const peaks: number[] = [];
      let bytes = 0;
      let failed = 0;
      let verdict = '';
      for (let run = 0; run < EXPORT_RUNS; run++) {
        const file = path.join(dir, `export-${run}.xlsx`);
        const rssBefore = readRssMiB(server.pid) ?? 0;
        server.resetRss();
        const t0 = performance.now();
        const response = await fetch(`${server.baseUrl}${url}`, { headers: { cookie } });
        if (response.status !== 200 || !response.body) {
          failed += 1;
          verdict = `FAIL: ${response.status} ${await response.text()}`;
          continue;
        }
        let size = 0;
        const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
        body.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        await pipeline(body, createWriteStream(file));
        const ms = performance.now() - t0;
        const { peakMiB } = server.rss();
        times.push(ms);
        before.push(rssBefore);
        peaks.push(peakMiB);
        growth.push(Math.max(0, peakMiB - rssBefore));
        bytes = size;
        const read = await countRows(file);
        if (read.rows !== t.sqlRows) {
          failed += 1;
          verdict = `FAIL: the workbook has ${n(read.rows)} data rows, ${n(t.sqlRows)} expected`;
        } else if (!verdict) {
          verdict = `a valid .xlsx with ${n(read.rows)} data rows${read.cut ? ' and the "export cut" line' : ''}`;
        }
        rmSync(file, { force: true });
      }
      console.log(
        `  export:${label(t.want)}: ${times.map((v) => v.toFixed(0)).join(' / ')} ms, ${n(bytes)} bytes, RSS ` +
          `+${growth.map((g) => g.toFixed(0)).join(' / ')} MiB over ${before.map((b) => b.toFixed(0)).join(' / ')}; ${verdict}`,
      );
      const seconds = times.reduce((s, v) => s + v, 0) / 1000;
      const short = t.sqlRows < t.want ? ` (only ${n(t.sqlRows)} cases in scope can be exported)` : '';
      out.push({
        workload: `export:${label(t.want)}`,
        via: 'http',
        description:
          `GET ${url} as ${EXPORT_USER}, ${n(t.want)} rows wanted${short}: time to last byte (req/s = rows/s), ` +
          `${n(bytes)} bytes, server RSS peak during the export minus before: ` +
          `${growth.map((g) => `+${g.toFixed(0)}`).join(' / ')} MiB; ${verdict}`,
        connections: 1,
        durationSeconds: r2(seconds),
        requestsPerSecond: seconds > 0 ? (t.sqlRows * times.length) / seconds : 0,
        latencyMs: latencySummary(times),
        requests: times.length,
        errors: failed,
        timeouts: 0,
        non2xx: 0,
        rssPeakMiB: Math.round(Math.max(0, ...peaks)),
        rssEndMiB: Math.round(readRssMiB(server.pid) ?? 0),
        export: {
          url,
          rows: t.sqlRows,
          bytes,
          timesMs: times.map((v) => Math.round(v)),
          rssBeforeMiB: before.map(Math.round),
          rssPeakMiB: peaks.map(Math.round),
          rssGrowthMiB: growth.map(Math.round),
          verdict,
        },
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
