import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Everything a drill starts (servers, databases, clusters, folders) registers its undoing here, so it is undone
 * at the end, on failure and on Ctrl-C. `sync` is the last resort when the process exits without the async step.
 */
interface Cleanup {
  name: string;
  run(): Promise<void>;
  sync(): void;
}
const cleanups: Cleanup[] = [];

export function onCleanup(name: string, run: () => Promise<void>, sync: () => void = () => {}): () => Promise<void> {
  const entry: Cleanup = { name, run, sync };
  cleanups.push(entry);
  return async () => {
    const at = cleanups.indexOf(entry);
    if (at < 0) return;
    cleanups.splice(at, 1);
    await entry.run();
  };
}

/** Undoes everything still registered, newest first; a failing step is reported and the others still run. */
export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const entry = cleanups.pop()!;
    try {
      await withTimeout(entry.run(), 60_000, `cleanup ${entry.name}`);
    } catch (error) {
      console.error(`cleanup ${entry.name} failed: ${(error as Error).message}`);
      try {
        entry.sync();
      } catch {
        // nothing more to do
      }
    }
  }
}

process.on('exit', () => {
  for (const entry of cleanups.reverse()) {
    try {
      entry.sync();
    } catch {
      // best effort on the way out
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up …`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no result within ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP port nobody listens on now (from `from` upwards when given, else any the kernel picks). */
export async function freePort(from?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(null));
      probe.listen(port, '127.0.0.1', () => {
        const address = probe.address();
        const chosen = typeof address === 'object' && address ? address.port : null;
        probe.close(() => resolve(chosen));
      });
    });
  if (from === undefined) {
    const port = await tryPort(0);
    if (port) return port;
    throw new Error('no free port');
  }
  for (let port = from; port < from + 200; port++) {
    if (await tryPort(port)) return port;
  }
  throw new Error(`no free port from ${from}`);
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  onCleanup(
    `remove ${dir}`,
    async () => rmSync(dir, { recursive: true, force: true }),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return dir;
}

const PG_BIN = process.env.LINLI_DRILL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresBinaries(): string | null {
  return existsSync(path.join(PG_BIN, 'initdb')) && existsSync(path.join(PG_BIN, 'pg_ctl')) ? PG_BIN : null;
}

/**
 * A throw-away PostgreSQL cluster of our own (never the shared server): its own data folder, port and socket
 * folder, trust authentication, run as the `postgres` user when we are root (PostgreSQL refuses to run as root).
 */
export interface Cluster {
  port: number;
  url(database: string): string;
  /** `pg_ctl stop -m immediate`: every server process ends at once without a checkpoint, as in a crash. */
  crash(): void;
  start(): void;
  stop(): void;
}

export async function createCluster(binaries: string): Promise<Cluster> {
  const dir = tempDir('linli-drill-cluster-');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root but there is no postgres user to run the cluster as');
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const port = await freePort(55432);
  const run = (tool: string, args: string[], timeoutMs = 90_000) => {
    const command = asRoot ? 'runuser' : path.join(binaries, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(binaries, tool), ...args] : args;
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: timeoutMs, cwd: dir });
    if (result.status !== 0) {
      throw new Error(`${tool} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
    }
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`;
  let running = false;
  const cluster: Cluster = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      run('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', options]);
      running = true;
    },
    crash() {
      run('pg_ctl', ['stop', '-m', 'immediate', '-w', '-t', '30', '-D', data]);
      running = false;
    },
    stop() {
      if (!running) return;
      running = false;
      run('pg_ctl', ['stop', '-m', 'immediate', '-w', '-t', '30', '-D', data]);
    },
  };
  // Registered after tempDir's removal, so it runs first (newest first).
  onCleanup(
    `stop cluster on port ${port}`,
    async () => cluster.stop(),
    () => cluster.stop(),
  );
  return cluster;
}
