import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import type { ConnectionMutex } from './mutex.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
export type Queryable = Db | Trx;

/** Values come back the same from both drivers: int8 as number, date as 'YYYY-MM-DD'. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parsers = {
  [INT8]: (v: string) => Number(v),
  [NUMERIC]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
};

/**
 * Work that must commit or roll back with a request's own writes (the Idempotency-Key record, http/idempotency.ts).
 * A request runs inside `withTransactionHooks`; each `database.transaction` it opens asks `next()`, and when
 * hooks come back, `beforeCommit` runs inside that transaction after its work, with the work's result, and
 * `settled` says afterwards whether the transaction committed.
 */
export interface TransactionHooks {
  beforeCommit(trx: Trx, result: unknown): Promise<void>;
  settled(committed: boolean): void;
}
export interface TransactionHookSource {
  next(): TransactionHooks | undefined;
}
const hookSources = new AsyncLocalStorage<TransactionHookSource>();
export function withTransactionHooks<T>(source: TransactionHookSource, fn: () => T): T {
  return hookSources.run(source, fn);
}

function hooked(
  open: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>,
): <T>(fn: (trx: Trx) => Promise<T>) => Promise<T> {
  return async (fn) => {
    const hooks = hookSources.getStore()?.next();
    if (!hooks) return open(fn);
    let committed = false;
    try {
      const result = await open(async (trx) => {
        const value = await fn(trx);
        await hooks.beforeCommit(trx, value);
        return value;
      });
      committed = true;
      return result;
    } finally {
      hooks.settled(committed);
    }
  };
}

export interface Database {
  readonly kind: 'embedded' | 'postgres';
  readonly db: Db;
  /** Runs `fn` in one transaction. On the embedded database it holds the single connection throughout. */
  transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Human-readable location for logs: a folder or a server address without password. */
  readonly location: string;
  /**
   * Embedded only: calls `onNotify` for each NOTIFY on `channel` (sent at commit by this process's own
   * transactions); resolves to a function that stops listening. On PostgreSQL the notification bus keeps its own
   * LISTEN connection instead.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolMax?: number;
  /** Embedded only: a memory database (tests of things that do not need files). */
  inMemory?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolMax ?? 10);
  return openEmbedded(options);
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // Short OLTP queries: JIT compilation costs more than it saves (measured on the worklists at 1M cases).
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        const parser = parsers[oid as keyof typeof parsers];
        return parser ?? pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (e.g. the server restarting) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // pg-pool listens for errors only on idle clients: a lent-out client whose connection drops between statements
  // (the server restarting, pg_terminate_backend) would emit an unheard 'error' and end the process. With this
  // listener the statement or the next one fails instead, and the broken client leaves the pool on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const location = (() => {
    try {
      const u = new URL(url);
      return `postgres://${u.host}${u.pathname}`;
    } catch {
      return 'postgres';
    }
  })();
  return {
    kind: 'postgres',
    db,
    location,
    transaction: hooked((fn) => db.transaction().execute(fn)),
    close: () => db.destroy(),
  };
}

async function openEmbedded(options: OpenOptions): Promise<Database> {
  const pgDataDir = path.join(options.dataDir, 'pgdata');
  let lock: DataDirLock | undefined;
  if (!options.inMemory) lock = acquireDataDirLock(options.dataDir, pgDataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(options.inMemory ? undefined : pgDataDir, { parsers, relaxedDurability: false });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const dialect = new PGliteDialect(pglite);
  const mutex: ConnectionMutex = dialect.mutex;
  const db = new Kysely<DB>({ dialect });
  let closed = false;
  return {
    kind: 'embedded',
    db,
    location: options.inMemory ? 'memory' : pgDataDir,
    transaction: hooked((fn) => db.transaction().execute((trx) => mutex.runHolding(() => fn(trx)))),
    async listen(channel, onNotify) {
      const holding = async <T>(fn: () => Promise<T>): Promise<T> => {
        const release = await mutex.lock();
        try {
          return await mutex.runHolding(fn);
        } finally {
          release();
        }
      };
      // PGlite calls back while the committing transaction still holds the connection: hand the work on outside it.
      const unlisten = await holding(() =>
        pglite.listen(channel, () => mutex.runOutside(() => setImmediate(onNotify))),
      );
      return () => holding(() => unlisten());
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}
