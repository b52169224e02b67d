/**
 * Browser-test support: the REAL server (src/server/main.ts) on a random port with a fresh data folder and
 * the demo data, Debian's Chromium driven by playwright-core, console-error collection and screenshots.
 * The web apps must be built (`npm test` builds them; while developing run `npm run build:web`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
/** Every demo staff account has this password (src/server/demo/demo-data.ts). */
export const DEMO_PASSWORD = 'Linli@2026';

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const READY_LINE = /http:\/\/([\w.-]+):(\d+)\/console\//;

/** Spawns `node src/server/main.ts` with PORT=0, a fresh DATA_DIR and DEMO_DATA=true; resolves once it listens. */
/** The built web apps the browser tests serve: dist/web, or LINLI_E2E_WEB_DIR (a build of one's own). */
const WEB_DIR = process.env.LINLI_E2E_WEB_DIR || path.join(ROOT, 'dist/web');

export async function startServer(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<RunningServer> {
  if (!existsSync(path.join(WEB_DIR, 'console/index.html'))) {
    throw new Error('dist/web is not built: run `npm run build:web` first (npm test does it for you)');
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      WEB_DIR,
      TZ: 'Asia/Shanghai',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[2]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${output}`));
    });
  });

  return {
    baseUrl,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless; no background traffic, so the tests never touch the internet. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** JavaScript errors, console.error calls and failed resources (5xx; 4xx only off the API, see below). */
  errors: string[];
}

/**
 * A fresh context (own cookies and storage) and page at a desk-sized 1366×768 window (or a phone's, via
 * options), recording everything that would be a console error. An API answering 4xx is an expected answer
 * the page shows to the user (a wrong password, a session not yet started), which Chromium still logs as
 * "Failed to load resource"; those are kept out of `errors`. Anything else fails the test.
 */
export async function openPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<WatchedPage> {
  // Reduced motion: the console then turns its animations off, so no dropdown or map moves under a click.
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    reducedMotion: 'reduce',
    ...options,
  });
  // Live toasts (bottom right, 8 s each) arrive whenever something happens to a case the account sees, the
  // server's background sweeps included: after 17:30 Beijing time the demo cases' deadlines pass and their colours
  // change, and a stack of 亮灯变化 toasts sat over the grid the map test clicks. They stay visible
  // (console-worklist waits for one) but let clicks through, their container included.
  await context.addInitScript({
    content: `document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent =
        '.ant-notification:has([data-testid="live-toast"]), .ant-notification:has([data-testid="live-toast"]) * ' +
        '{ pointer-events: none !important; }';
      document.head.appendChild(style);
    });`,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location().url;
    if (text.startsWith('Failed to load resource') && /status of 4\d\d/.test(text) && isApi(where)) return;
    errors.push(`console.error: ${text}${where ? ` (${where})` : ''}`);
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    // A navigation away cancels in-flight requests; that is not an error of the page.
    if (failure.includes('ERR_ABORTED')) return;
    errors.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  return { context, page, errors };
}

function isApi(url: string): boolean {
  try {
    return new URL(url).pathname.startsWith('/api/');
  } catch {
    return false;
  }
}

/** Waits until the page has no request in flight and no Ant Design spinner showing. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning, .ant-skeleton-active').first().waitFor({ state: 'detached' });
}

/** Saves a full-page screenshot to test-results/<name>.png (gitignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Throws with every recorded console error, so a test fails when the page logged any. */
export function assertNoConsoleErrors(watched: Pick<WatchedPage, 'errors'>, label = 'page'): void {
  if (watched.errors.length) {
    throw new Error(`${label} logged ${watched.errors.length} console error(s):\n${watched.errors.join('\n')}`);
  }
}
