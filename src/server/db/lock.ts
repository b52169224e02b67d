import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * Linli's own lock on DATA_DIR. PGlite must never be opened by two processes (the files get corrupted),
 * and a process killed with SIGKILL leaves PostgreSQL's postmaster.pid behind, on which the next open
 * hangs or aborts. The lock file records the holder; a live holder makes us refuse with its identity,
 * a dead one is cleared together with the stale postmaster.pid.
 */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  procStart: string | null;
}

export class DataDirLockedError extends Error {
  readonly dataDir: string;
  readonly holder: LockHolder;
  constructor(dataDir: string, holder: LockHolder) {
    super(
      `DATA_DIR ${dataDir} is in use by another Linli process (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}). ` +
        'Stop that process first, or point DATA_DIR at another folder.',
    );
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

const LOCK_FILE = 'linli.lock';

/** Start time of a process in clock ticks since boot, to tell a reused pid from the original holder. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // cannot tell: be safe and treat as alive
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const start = procStart(holder.pid);
  return holder.procStart === null || start === null || start === holder.procStart;
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

export interface DataDirLock {
  release(): void;
  /** True when the previous holder had died and its lock was cleared. */
  recovered: boolean;
}

export function acquireDataDirLock(dataDir: string, pgDataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    procStart: procStart(process.pid),
  };
  let recovered = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // Written whole to a private file, then linked into place: the lock never exists half-written.
      const mine = `${file}.${process.pid}`;
      writeFileSync(mine, JSON.stringify(me), { mode: 0o600 });
      try {
        linkSync(mine, file);
      } finally {
        rmSync(mine, { force: true });
      }
      if (recovered) {
        // The previous holder died without closing PostgreSQL: its pid file would make the next open hang.
        rmSync(path.join(pgDataDir, 'postmaster.pid'), { force: true });
      }
      return {
        recovered,
        release() {
          const current = readHolder(file);
          if (current && current.pid === me.pid && current.startedAt === me.startedAt) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
    // Dead holder (or an unreadable lock): move it aside atomically so only one contender clears it.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
      rmSync(aside, { force: true });
      recovered = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const holder = readHolder(file);
  throw new DataDirLockedError(dataDir, holder ?? { pid: 0, host: 'unknown', startedAt: 'unknown', procStart: null });
}
