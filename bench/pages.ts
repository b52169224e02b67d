import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import type { SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { launchBrowser } from '../test/e2e/support.ts';
import type { CaseSetup } from './cases.ts';
import type { RunningServer } from './server.ts';
import { distribution, interactiveAt, type LongTask, QUIET_MS } from './tti.ts';
import type { Measurement } from './workloads.ts';

/**
 * The `page-load` workload: time to interactive of console pages in Debian's headless Chromium, against the
 * bench server with the synthetic cases. See bench/README.md ("Page loads") for the definition.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The built web apps the bench server serves for `page-load`: LINLI_BENCH_WEB_DIR, or dist/web. */
export function benchWebDir(): string {
  return process.env.LINLI_BENCH_WEB_DIR ? path.resolve(process.env.LINLI_BENCH_WEB_DIR) : path.join(ROOT, 'dist/web');
}

/** Fails early (before loading a database) when the web apps are not built; warns when dist/web looks stale. */
export function checkWebDir(webDir: string): void {
  const index = path.join(webDir, 'console/index.html');
  if (!existsSync(index)) {
    throw new Error(
      `page-load needs the built console at ${webDir}: \`npm run bench\` builds dist/web (scripts/setup.mjs --web); ` +
        'when running bench/run.ts directly, run `npm run build:web` or point LINLI_BENCH_WEB_DIR at a build',
    );
  }
  if (!process.env.LINLI_BENCH_WEB_DIR && newestMtime(path.join(ROOT, 'web')) > statSync(index).mtimeMs) {
    console.warn(`  warning: ${webDir} is older than web/: the pages measured are not the current sources`);
  }
}

/** The newest modification time under a directory (as scripts/setup.mjs judges whether dist/web is stale). */
function newestMtime(dir: string): number {
  let best = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    best = Math.max(best, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return best;
}

/** A page to load and the account that loads it. */
interface PageSpec {
  key: 'worklist' | 'analytics';
  path: string;
  testId: string;
  username: string;
  who: string;
}

function pageSpecs(logins: SyntheticLogin[], setup: CaseSetup): PageSpec[] {
  const worker = logins.find((l) => l.role === 'gridWorker' && l.unitId === setup.busiestGridId);
  const leader = logins.find((l) => l.role === 'leader' && l.unitId === setup.districtId);
  if (!worker) throw new Error('no bench login for the grid worker of the busiest grid');
  if (!leader) throw new Error('no bench login for a district leader');
  return [
    {
      key: 'worklist',
      path: '/console/worklist',
      testId: 'worklist-page',
      username: worker.username,
      who: `${worker.username} (the grid worker of the busiest grid)`,
    },
    {
      key: 'analytics',
      path: '/console/analytics',
      testId: 'analytics-page',
      username: leader.username,
      who: `${leader.username} (a leader of the district, metrics.read)`,
    },
  ];
}

/** How long one load may take to become ready (and then quiet) before it counts as not ready. */
const READY_TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1366, height: 768 };

/** What one measured load saw (ms since navigation start). */
export interface PageLoadSample {
  ready: boolean;
  /** Why the load did not become interactive; null when it did. */
  notReady: string | null;
  ttiMs: number | null;
  readyMs: number | null;
  fcpMs: number | null;
  domContentLoadedMs: number | null;
  longTasks: number;
  /** API requests issued between navigation start and TTI (an open event stream included). */
  apiRequests: number;
  /** API answers other than 2xx during the load. */
  apiNon2xx: number;
  /** Bytes transferred (headers and bodies, the document included) by the requests that finished by TTI. */
  transferredBytes: number;
  /** JavaScript errors and console.error calls during the load. */
  consoleErrors: number;
}

export interface PageLoadDetails {
  page: string;
  username: string;
  mode: 'cold' | 'warm';
  browser: string;
  /** Loads asked for, measured (not skipped), and interactive. */
  runs: number;
  measured: number;
  ready: number;
  /** The reason of the first load that did not become interactive; the remaining loads are then skipped. */
  notReady: string | null;
  ttiMs: ReturnType<typeof distribution>;
  readyMs: ReturnType<typeof distribution>;
  fcpMs: ReturnType<typeof distribution>;
  domContentLoadedMs: ReturnType<typeof distribution>;
  apiRequests: ReturnType<typeof distribution>;
  transferredKiB: ReturnType<typeof distribution>;
  samples: PageLoadSample[];
}

/** In the page, before its own scripts: long tasks and the first moment the root says data-ready="true". */
function installProbe(selector: string) {
  const g = globalThis as any;
  const state = { readyAt: null as number | null, longTasks: [] as Array<[number, number]>, probe: true };
  g.__linliBench = state;
  try {
    new g.PerformanceObserver((list: any) => {
      for (const entry of list.getEntries()) state.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    state.probe = false;
  }
  const observer = new g.MutationObserver(() => {
    if (state.readyAt === null && g.document.querySelector(selector)) {
      state.readyAt = g.performance.now();
      observer.disconnect();
    }
  });
  observer.observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
}

interface ProbeState {
  now: number;
  readyAt: number | null;
  longTasks: Array<[number, number]>;
  probe: boolean;
}

/** Times to a tenth of a millisecond (the browser's clock is coarser anyway). */
const tenth = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ipCounter = 0;
/** Signs the context in through the API: the session cookie lands in the context's cookie jar. */
async function signIn(context: BrowserContext, baseUrl: string, username: string): Promise<void> {
  ipCounter += 1;
  const response = await context.request.post(`${baseUrl}/api/auth/login`, {
    data: { username, password: DEMO_PASSWORD },
    // A different client address per sign-in (TRUST_PROXY=true), so the per-IP limit of 30 a minute never applies.
    headers: { 'x-forwarded-for': `10.250.${(ipCounter >> 8) & 255}.${ipCounter & 255}` },
  });
  if (response.status() !== 200) {
    throw new Error(`sign-in of ${username} failed: ${response.status()} ${await response.text()}`);
  }
}

async function newContext(browser: Browser, spec: PageSpec, baseUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  await context.addInitScript(installProbe, `[data-testid="${spec.testId}"][data-ready="true"]`);
  await signIn(context, baseUrl, spec.username);
  return context;
}

/** One navigation in a new page of the context, measured until interactive (or the timeout). */
async function loadOnce(context: BrowserContext, spec: PageSpec, baseUrl: string): Promise<PageLoadSample> {
  const page = await context.newPage();
  const requestTimes: number[] = [];
  let apiNon2xx = 0;
  let consoleErrors = 0;
  const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
  page.on('request', (request) => {
    if (isApi(request.url())) requestTimes.push(Date.now());
  });
  page.on('response', (response) => {
    if (isApi(response.url()) && (response.status() < 200 || response.status() > 299)) apiNon2xx += 1;
  });
  page.on('pageerror', () => {
    consoleErrors += 1;
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors += 1;
  });
  const state = () =>
    page.evaluate(() => {
      const g = globalThis as any;
      const s = g.__linliBench;
      return { now: g.performance.now(), readyAt: s.readyAt, longTasks: s.longTasks, probe: s.probe } as ProbeState;
    });
  const empty = (notReady: string): PageLoadSample => ({
    ready: false,
    notReady,
    ttiMs: null,
    readyMs: null,
    fcpMs: null,
    domContentLoadedMs: null,
    longTasks: 0,
    apiRequests: requestTimes.length,
    apiNon2xx,
    transferredBytes: 0,
    consoleErrors,
  });
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    await page.goto(`${baseUrl}${spec.path}`, { waitUntil: 'commit', timeout: READY_TIMEOUT_MS });
    try {
      await page.waitForFunction(() => (globalThis as any).__linliBench?.readyAt != null, undefined, {
        timeout: Math.max(1, deadline - Date.now()),
        polling: 100,
      });
    } catch {
      const seen = await page
        .evaluate((testId) => {
          const root = (globalThis as any).document.querySelector(`[data-testid="${testId}"]`);
          return root ? `data-ready="${root.getAttribute('data-ready')}"` : null;
        }, spec.testId)
        .catch(() => null);
      const where = new URL(page.url()).pathname;
      return empty(
        seen === null
          ? `no [data-testid="${spec.testId}"] within ${READY_TIMEOUT_MS / 1000} s (at ${where})`
          : `[data-testid="${spec.testId}"] still ${seen} after ${READY_TIMEOUT_MS / 1000} s (at ${where})`,
      );
    }
    // Ready: now wait for a quiet window of QUIET_MS without a long task. A long task's entry arrives after the
    // task, so an answer is taken once it is the same on two looks in a row.
    let confirmed: number | null = null;
    let s = await state();
    if (!s.probe) return empty('this Chromium does not report long tasks (PerformanceObserver "longtask")');
    for (;;) {
      const tasks: LongTask[] = s.longTasks.map(([start, duration]) => ({ start, duration }));
      const at = interactiveAt(s.readyAt as number, tasks);
      if (s.now >= at + QUIET_MS) {
        if (confirmed === at) break;
        confirmed = at;
        await sleep(50);
      } else {
        confirmed = null;
        if (Date.now() > deadline) {
          return empty(`ready, but the main thread had no quiet ${QUIET_MS} ms within ${READY_TIMEOUT_MS / 1000} s`);
        }
        await sleep(at + QUIET_MS - s.now + 10);
      }
      s = await state();
    }
    const tti = confirmed as number;
    const metrics = await page.evaluate((until) => {
      const p = (globalThis as any).performance;
      const navigation = p.getEntriesByType('navigation')[0];
      const fcp = p.getEntriesByName('first-contentful-paint')[0];
      let bytes = navigation?.transferSize ?? 0;
      for (const entry of p.getEntriesByType('resource')) {
        if (entry.startTime <= until && entry.responseEnd <= until) bytes += entry.transferSize ?? 0;
      }
      return {
        timeOrigin: p.timeOrigin as number,
        fcp: fcp ? (fcp.startTime as number) : null,
        dcl: navigation ? (navigation.domContentLoadedEventEnd as number) : null,
        bytes: bytes as number,
      };
    }, tti);
    return {
      ready: true,
      notReady: null,
      ttiMs: tenth(tti),
      readyMs: tenth(s.readyAt),
      fcpMs: tenth(metrics.fcp),
      domContentLoadedMs: tenth(metrics.dcl),
      longTasks: s.longTasks.filter(([start]) => start <= tti).length,
      apiRequests: requestTimes.filter((t) => t <= metrics.timeOrigin + tti).length,
      apiNon2xx,
      transferredBytes: metrics.bytes,
      consoleErrors,
    };
  } finally {
    await page.close();
  }
}

function details(
  spec: PageSpec,
  mode: 'cold' | 'warm',
  browser: string,
  runs: number,
  samples: PageLoadSample[],
): PageLoadDetails {
  const ready = samples.filter((s) => s.ready);
  const of = (pick: (s: PageLoadSample) => number | null) =>
    distribution(ready.map(pick).filter((v): v is number => v !== null));
  return {
    page: spec.path,
    username: spec.username,
    mode,
    browser,
    runs,
    measured: samples.length,
    ready: ready.length,
    notReady: samples.find((s) => !s.ready)?.notReady ?? null,
    ttiMs: of((s) => s.ttiMs),
    readyMs: of((s) => s.readyMs),
    fcpMs: of((s) => s.fcpMs),
    domContentLoadedMs: of((s) => s.domContentLoadedMs),
    apiRequests: of((s) => s.apiRequests),
    transferredKiB: of((s) => tenth(s.transferredBytes / 1024)),
    samples,
  };
}

const n = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');

/** The figures of a page-load row in words, for the terminal and RESULTS.md's scenario lines. */
export function pageLoadSummary(d: PageLoadDetails): string {
  const how =
    d.mode === 'cold'
      ? 'a fresh browser context per load (cold cache), signed in through the API'
      : 'one signed-in browser context reused (warm cache, after one unmeasured load), a new tab per load';
  const head = `GET ${d.page} as ${d.username} in headless ${d.browser} at ${VIEWPORT.width}×${VIEWPORT.height}, ${how}`;
  if (d.ready === 0) return `${head}: NOT READY, no figures (${d.notReady ?? 'no load measured'})`;
  const errors = d.samples.reduce((sum, s) => sum + s.consoleErrors, 0);
  return (
    `${head}: ${d.ready} of ${d.runs} loads interactive; ` +
    `TTI p50 / p95 / max ${n(d.ttiMs.p50)} / ${n(d.ttiMs.p95)} / ${n(d.ttiMs.max)} ms, ` +
    `data-ready ${n(d.readyMs.p50)} / ${n(d.readyMs.p95)} / ${n(d.readyMs.max)} ms, ` +
    `FCP ${n(d.fcpMs.p50)} / ${n(d.fcpMs.p95)} / ${n(d.fcpMs.max)} ms, ` +
    `DOMContentLoaded ${n(d.domContentLoadedMs.p50)} / ${n(d.domContentLoadedMs.p95)} / ${n(d.domContentLoadedMs.max)} ms; ` +
    `API requests ${n(d.apiRequests.p50)} (max ${n(d.apiRequests.max)}), ` +
    `transferred ${n(d.transferredKiB.p50)} KiB (max ${n(d.transferredKiB.max)}) per load (median)` +
    (errors ? `; ${errors} console error(s)` : '') +
    (d.notReady ? `; not ready: ${d.notReady}` : '')
  );
}

/**
 * Loads each page `runs` times cold (a fresh context per load) and `runs` times warm (one context, after an
 * unmeasured first load), one load at a time, sampling the server's RSS per page and mode. When a load does not
 * become interactive, the rest of that page and mode is skipped and the row says why (never a made-up figure).
 */
export async function runPageLoad(
  server: RunningServer,
  logins: SyntheticLogin[],
  cases: CaseSetup | null,
  runs: number,
): Promise<Measurement[]> {
  if (!cases) throw new Error('page-load needs synthetic cases (--cases)');
  const browser = await launchBrowser();
  const version = `Chromium ${browser.version()}`;
  const out: Measurement[] = [];
  try {
    for (const spec of pageSpecs(logins, cases)) {
      for (const mode of ['cold', 'warm'] as const) {
        server.resetRss();
        const started = performance.now();
        const samples: PageLoadSample[] = [];
        if (mode === 'cold') {
          for (let i = 0; i < runs; i++) {
            const context = await newContext(browser, spec, server.baseUrl);
            try {
              samples.push(await loadOnce(context, spec, server.baseUrl));
            } finally {
              await context.close();
            }
            if (!samples.at(-1)?.ready) break;
          }
        } else {
          const context = await newContext(browser, spec, server.baseUrl);
          try {
            const first = await loadOnce(context, spec, server.baseUrl);
            if (!first.ready) samples.push(first);
            else {
              for (let i = 0; i < runs; i++) {
                samples.push(await loadOnce(context, spec, server.baseUrl));
                if (!samples.at(-1)?.ready) break;
              }
            }
          } finally {
            await context.close();
          }
        }
        const seconds = (performance.now() - started) / 1000;
        const rss = server.rss();
        const d = details(spec, mode, version, runs, samples);
        const summary = pageLoadSummary(d);
        console.log(`  page-load:${spec.key}:${mode}: ${summary.slice(summary.indexOf(': ') + 2)}`);
        out.push({
          workload: `page-load:${spec.key}:${mode}`,
          via: 'browser',
          description: summary.replace(`as ${spec.username}`, `as ${spec.who}`),
          connections: 1,
          durationSeconds: Math.round(seconds * 10) / 10,
          requestsPerSecond: 0,
          latencyMs: { p50: d.ttiMs.p50, p95: d.ttiMs.p95, p99: d.ttiMs.p99, max: d.ttiMs.max },
          requests: samples.length,
          errors: samples.length - d.ready,
          timeouts: samples.filter((s) => !s.ready).length,
          non2xx: samples.reduce((sum, s) => sum + s.apiNon2xx, 0),
          rssPeakMiB: Math.round(rss.peakMiB),
          rssEndMiB: Math.round(rss.lastMiB),
          pageLoad: d,
        });
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
