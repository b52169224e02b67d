import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { ConnectionMutex } from './mutex.ts';

/**
 * Kysely dialect for PGlite. PGlite is one connection shared by the whole process, so every
 * acquisition takes the connection mutex: a transaction holds it from BEGIN to COMMIT/ROLLBACK and
 * concurrent requests queue behind it instead of interleaving their statements inside it.
 */
export class PGliteDialect implements Dialect {
  readonly #pg: PGlite;
  readonly mutex = new ConnectionMutex();
  constructor(pg: PGlite) {
    this.#pg = pg;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pg, this.mutex);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #pg: PGlite;
  readonly #mutex: ConnectionMutex;
  constructor(pg: PGlite, mutex: ConnectionMutex) {
    this.#pg = pg;
    this.#mutex = mutex;
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    return new PGliteConnection(this.#pg, release);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${level}`));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(connection: DatabaseConnection) {
    (connection as PGliteConnection).release();
  }
  async destroy() {
    if (!this.#pg.closed) await this.#pg.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #pg: PGlite;
  readonly release: () => void;
  constructor(pg: PGlite, release: () => void) {
    this.#pg = pg;
    this.release = release;
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters the simple protocol is used, which also runs multi-statement scripts (migrations).
    const result =
      compiled.parameters.length === 0
        ? ((await this.#pg.exec(compiled.sql, { rowMode: 'object' })).at(-1) as Results<R>)
        : await this.#pg.query<R>(compiled.sql, compiled.parameters as unknown[], { rowMode: 'object' });
    const command = compiled.sql.trimStart().slice(0, 6).toLowerCase();
    const writes = command === 'insert' || command === 'update' || command === 'delete' || command === 'merge ';
    return {
      rows: result.rows,
      ...(writes ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    };
  }
  // biome-ignore lint/correctness/useYield: PGlite has no cursors; the whole result arrives at once.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database; page with keyset queries');
  }
}
