import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../test/e2e/support.ts';
import type { RunningServer } from './server.ts';
import { distribution } from './tti.ts';
import type { Measurement } from './workloads.ts';

/**
 * The `h5-load` workload: the resident H5's first load on a phone over a throttled mobile connection, in
 * headless Chromium with a fresh browser context per load (empty HTTP cache, no service worker yet). Two pages:
 *  - `/h5/signin` for a first-time visitor (no session): ready when the sign-in form is shown;
 *  - `/h5/` for a signed-in resident with a registered home: ready when the home page says data-ready="true"
 *    (its own data — me, my grid's card, my latest case — has arrived).
 * The connection is one of Chrome DevTools' presets, and the CPU is slowed 4× (as Lighthouse does for a
 * mid-range phone). See bench/README.md ("H5 first load").
 */

/** Chrome DevTools' network presets (front_end/core/sdk/NetworkManager.ts), in bytes per second and ms. */
export const CONNECTIONS = {
  'fast-3g': {
    downloadThroughput: (1.6 * 1000 * 1000 * 0.9) / 8,
    uploadThroughput: (750 * 1000 * 0.9) / 8,
    latency: 562.5,
  },
  'slow-3g': { downloadThroughput: (500 * 1000 * 0.8) / 8, uploadThroughput: (500 * 1000 * 0.8) / 8, latency: 2000 },
} as const;
export type ConnectionName = keyof typeof CONNECTIONS;
const CPU_SLOWDOWN = 4;
const PHONE = { width: 390, height: 844 };
const READY_TIMEOUT_MS = 120_000;

interface PageSpec {
  key: 'signin' | 'home';
  path: string;
  selector: string;
  signedIn: boolean;
}

const PAGES: PageSpec[] = [
  { key: 'signin', path: '/h5/signin', selector: '[data-testid="signin-page"]', signedIn: false },
  { key: 'home', path: '/h5/', selector: '[data-testid="h5-home"][data-ready="true"]', signedIn: true },
];

export interface H5LoadSample {
  ready: boolean;
  notReady: string | null;
  readyMs: number | null;
  fcpMs: number | null;
  /** Bytes transferred (headers and bodies, the document included) by requests finished by the ready moment. */
  transferredBytes: number;
  /** Requests finished by the ready moment, and of those the API ones. */
  requests: number;
  apiRequests: number;
  consoleErrors: number;
}

/** In the page, before its scripts: the first moment the selector matches. */
function installProbe(selector: string) {
  const g = globalThis as any;
  const state = { readyAt: null as number | null };
  g.__linliH5 = state;
  const observer = new g.MutationObserver(() => {
    if (state.readyAt === null && g.document.querySelector(selector)) {
      state.readyAt = g.performance.now();
      observer.disconnect();
    }
  });
  observer.observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
}

/**
 * A resident account with a registered home, signed in through the API in the given context: the one-time code
 * comes from the server's log (the development SMS sender), the home is the first entrance found by walking
 * the place picker's tree from the top.
 */
async function signInResident(context: BrowserContext, server: RunningServer, phone: string): Promise<void> {
  const base = server.baseUrl;
  const api = context.request;
  const since = server.output().length;
  const sent = await api.post(`${base}/api/auth/otp`, { data: { phone }, headers: { 'x-forwarded-for': ip() } });
  if (sent.status() !== 200) throw new Error(`code request failed: ${sent.status()} ${await sent.text()}`);
  const code = await codeFromOutput(server, phone, since);
  const verified = await api.post(`${base}/api/auth/otp/verify`, {
    data: { phone, code },
    headers: { 'x-forwarded-for': ip() },
  });
  if (verified.status() !== 200) throw new Error(`sign-in failed: ${verified.status()} ${await verified.text()}`);
  const csrf = (await verified.json()).session.csrfToken as string;
  // Down the tree, always into the first place that has children; the deepest place one may live in (an
  // entrance of the demo territory, the grid of the synthetic one) becomes the home.
  const HOME_KINDS = ['entrance', 'building', 'compound', 'grid'];
  let parentId: number | null = null;
  let home: number | null = null;
  for (let depth = 0; depth < 12; depth++) {
    const url = `${base}/api/places${parentId === null ? '' : `?parentId=${parentId}`}`;
    const items = (await (await api.get(url)).json()).items as Array<{
      id: number;
      kind: string;
      hasChildren: boolean;
    }>;
    const livable = items.find((p) => HOME_KINDS.includes(p.kind));
    if (livable) home = livable.id;
    const next = items.find((p) => p.hasChildren);
    if (!next) break;
    parentId = next.id;
  }
  if (home === null) throw new Error('no place to live in under the place picker');
  const saved = await api.put(`${base}/api/me/profile`, {
    data: { name: '测试居民', unitId: home },
    headers: { 'x-csrf-token': csrf },
  });
  if (saved.status() !== 200) throw new Error(`profile failed: ${saved.status()} ${await saved.text()}`);
}

let ipCounter = 0;
const ip = () => {
  ipCounter += 1;
  return `10.251.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

async function codeFromOutput(server: RunningServer, phone: string, since: number): Promise<string> {
  const pattern = new RegExp(`sign-in code for ${phone}: (\\d{6})`, 'g');
  for (let i = 0; i < 100; i++) {
    const found = [...server.output().slice(since).matchAll(pattern)].at(-1);
    if (found?.[1]) return found[1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sign-in code for ${phone} in the server log`);
}

async function loadOnce(context: BrowserContext, spec: PageSpec, base: string, net: ConnectionName) {
  const page: Page = await context.newPage();
  let consoleErrors = 0;
  page.on('pageerror', () => {
    consoleErrors += 1;
  });
  page.on('console', (message) => {
    // An API answering 4xx is an expected answer (no session yet: 401), which Chromium also logs as an error.
    const text = message.text();
    const api = new URL(message.location().url || base).pathname.startsWith('/api/');
    if (text.startsWith('Failed to load resource') && /status of 4\d\d/.test(text) && api) return;
    if (message.type() === 'error') consoleErrors += 1;
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...CONNECTIONS[net] });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const empty = (notReady: string): H5LoadSample => ({
    ready: false,
    notReady,
    readyMs: null,
    fcpMs: null,
    transferredBytes: 0,
    requests: 0,
    apiRequests: 0,
    consoleErrors,
  });
  try {
    await page.goto(`${base}${spec.path}`, { waitUntil: 'commit', timeout: READY_TIMEOUT_MS });
    try {
      await page.waitForFunction(() => (globalThis as any).__linliH5?.readyAt != null, undefined, {
        timeout: READY_TIMEOUT_MS,
        polling: 100,
      });
    } catch {
      return empty(`no ${spec.selector} within ${READY_TIMEOUT_MS / 1000} s (at ${new URL(page.url()).pathname})`);
    }
    const m = await page.evaluate(() => {
      const p = (globalThis as any).performance;
      const until = (globalThis as any).__linliH5.readyAt as number;
      const navigation = p.getEntriesByType('navigation')[0];
      const fcp = p.getEntriesByName('first-contentful-paint')[0];
      let bytes = navigation?.transferSize ?? 0;
      let requests = 1;
      let api = 0;
      for (const entry of p.getEntriesByType('resource')) {
        if (entry.responseEnd > until) continue;
        bytes += entry.transferSize ?? 0;
        requests += 1;
        if (new URL(entry.name).pathname.startsWith('/api/')) api += 1;
      }
      return { until, fcp: fcp ? (fcp.startTime as number) : null, bytes: bytes as number, requests, api };
    });
    return {
      ready: true,
      notReady: null,
      readyMs: Math.round(m.until),
      fcpMs: m.fcp === null ? null : Math.round(m.fcp),
      transferredBytes: m.bytes,
      requests: m.requests,
      apiRequests: m.api,
      consoleErrors,
    } satisfies H5LoadSample;
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
}

const n = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');

/** Cold loads of the sign-in page and the signed-in home page on each connection preset, one at a time. */
export async function runH5Load(server: RunningServer, runs: number): Promise<Measurement[]> {
  const browser: Browser = await launchBrowser();
  const version = `Chromium ${browser.version()}`;
  const out: Measurement[] = [];
  let phoneSeq = 0;
  try {
    for (const net of Object.keys(CONNECTIONS) as ConnectionName[]) {
      for (const spec of PAGES) {
        server.resetRss();
        const started = performance.now();
        const samples: H5LoadSample[] = [];
        for (let i = 0; i < runs; i++) {
          const context = await browser.newContext({
            viewport: PHONE,
            deviceScaleFactor: 3,
            isMobile: true,
            hasTouch: true,
            locale: 'zh-CN',
            serviceWorkers: 'block',
          });
          try {
            await context.addInitScript(installProbe, spec.selector);
            if (spec.signedIn) {
              phoneSeq += 1;
              await signInResident(context, server, `139${String(90_000_000 + phoneSeq).padStart(8, '0')}`);
            }
            samples.push(await loadOnce(context, spec, server.baseUrl, net));
          } finally {
            await context.close();
          }
          if (!samples.at(-1)?.ready) break;
        }
        const ready = samples.filter((s) => s.ready);
        const of = (pick: (s: H5LoadSample) => number | null) =>
          distribution(ready.map(pick).filter((v): v is number => v !== null));
        const readyMs = of((s) => s.readyMs);
        const fcp = of((s) => s.fcpMs);
        const kib = of((s) => Math.round((s.transferredBytes / 1024) * 10) / 10);
        const requests = of((s) => s.requests);
        const errors = samples.reduce((sum, s) => sum + s.consoleErrors, 0);
        const who = spec.signedIn ? 'a signed-in resident with a registered home' : 'a first-time visitor';
        const description =
          `GET ${spec.path} as ${who} in headless ${version} at ${PHONE.width}×${PHONE.height}, ` +
          `${net} (DevTools preset) and CPU ÷${CPU_SLOWDOWN}, cold (fresh context, no cache, no service worker): ` +
          (ready.length === 0
            ? `NOT READY (${samples[0]?.notReady ?? 'no load'})`
            : `${ready.length} of ${runs} loads ready; ready p50 / max ${n(readyMs.p50)} / ${n(readyMs.max)} ms, ` +
              `FCP p50 ${n(fcp.p50)} ms; transferred by ready ${n(kib.p50)} KiB (max ${n(kib.max)}) ` +
              `in ${n(requests.p50)} requests` +
              (errors ? `; ${errors} console error(s)` : ''));
        console.log(`  h5-load:${spec.key}:${net}: ${description.slice(description.indexOf(': ') + 2)}`);
        const rss = server.rss();
        out.push({
          workload: `h5-load:${spec.key}:${net}`,
          via: 'browser',
          description,
          connections: 1,
          durationSeconds: Math.round((performance.now() - started) / 100) / 10,
          requestsPerSecond: 0,
          latencyMs: { p50: readyMs.p50, p95: readyMs.p95, p99: readyMs.p99, max: readyMs.max },
          requests: samples.length,
          errors: samples.length - ready.length,
          timeouts: samples.filter((s) => !s.ready).length,
          non2xx: 0,
          rssPeakMiB: Math.round(rss.peakMiB),
          rssEndMiB: Math.round(rss.lastMiB),
          h5Load: { transferredKiB: kib, fcpMs: fcp, requests, samples },
        });
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
