import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { servedHeapArgs } from '../src/server/serve.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** Peak and latest resident set size since the last reset, in MiB. */
  rss(): { peakMiB: number; lastMiB: number };
  resetRss(): void;
  stop(): Promise<void>;
  /** The server's standard output so far (only with LOG_LEVEL given by the caller; otherwise empty). */
  output(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** VmRSS of a process from /proc, in MiB (Linux). */
export function readRssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Extra Node options for the server process only, e.g. `LINLI_BENCH_SERVER_NODE_ARGS='--cpu-prof
 * --cpu-prof-dir=/tmp/prof'` to profile it under a workload (Node refuses --cpu-prof in NODE_OPTIONS).
 * They come after the served heap limits (src/server/serve.ts), so `--max-old-space-size=…` here replaces
 * the served one (V8 takes the last).
 */
const SERVER_NODE_ARGS = (process.env.LINLI_BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

/**
 * Starts the real server as a separate process (`node <served heap limits> src/server/main.ts`, as
 * `npm run serve` does) with its own port and the
 * prepared database, waits until /api/health answers 200, and samples its RSS every 100 ms.
 *
 * TRUST_PROXY=true lets the login workload present a different X-Forwarded-For per request, as clients
 * behind a reverse proxy do; otherwise the per-IP sign-in limit (30 a minute) would be all it measures.
 */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const nodeArgs = [...servedHeapArgs(), ...SERVER_NODE_ARGS, 'src/server/main.ts'];
  const child: ChildProcess = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      TRUST_PROXY: 'true',
      SESSION_SECRET: 'bench-session-secret-bench-session-secret',
      // No web apps unless the caller passes WEB_DIR (the page-load workload serves the built console).
      WEB_DIR: env.WEB_DIR ?? path.join(ROOT, 'nonexistent-web-dir'),
    },
    stdio: ['ignore', env.LOG_LEVEL ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid as number;
  let peak = 0;
  let last = 0;
  const sample = () => {
    const rss = readRssMiB(pid);
    if (rss !== null) {
      last = rss;
      peak = Math.max(peak, rss);
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    baseUrl,
    pid,
    rss: () => ({ peakMiB: peak, lastMiB: last }),
    output: () => stdout,
    resetRss() {
      peak = 0;
      sample();
    },
    async stop() {
      clearInterval(timer);
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
