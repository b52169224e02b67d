import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real server (`src/server/main.ts`) as a child process on a given DATA_DIR, for lock and crash tests. */
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/server/main.ts');
const READY = /http:\/\/127\.0\.0\.1:(\d+)\/console\//;
export const START_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

export interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

export function spawnServer(dataDir: string, env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      TZ: 'Asia/Shanghai',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      WEB_DIR: '/nonexistent',
      SESSION_SECRET: 'lock-test-secret-lock-test-secret-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => text, exited };
}

/** Starts the server and waits (bounded) until it prints its address; a hang or an early exit fails. */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const started = spawnServer(dataDir, env);
  const { child, output, exited } = started;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms; output:\n${output()}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const match = READY.exec(output());
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready; output:\n${output()}`));
    });
  });
  if (child.pid === undefined) throw new Error('server process has no pid');
  return { child, pid: child.pid, port, base: `http://127.0.0.1:${port}`, output, exited };
}

/** Ends a server we started, by its own pid; waits for the exit. */
export async function stopServer(server: Started | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill(signal);
  await server.exited;
}

/** A minimal HTTP client over fetch that keeps the session cookie and CSRF token. */
export class HttpClient {
  readonly base: string;
  cookie = '';
  csrf = '';
  constructor(base: string) {
    this.base = base;
  }
  async call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('linli_sid='));
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (json?.session?.csrfToken) this.csrf = json.session.csrfToken;
    return { status: response.status, json };
  }
}
