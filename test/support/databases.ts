import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/server/db/database.ts';
import { migrate } from '../../src/server/db/migrate.ts';

/**
 * The databases every integration test runs on: the embedded one always, the PostgreSQL server whenever
 * one answers at TEST_DATABASE_URL. With LINLI_REQUIRE_POSTGRES=1 (set by .ci/run) an unreachable server
 * is an error, not a silent skip.
 */
export type DbKind = 'embedded' | 'postgres';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

let serverReachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  serverReachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      if (process.env.LINLI_REQUIRE_POSTGRES === '1') {
        throw new Error(`LINLI_REQUIRE_POSTGRES=1 but ${TEST_DATABASE_URL} is unreachable: ${String(error)}`);
      }
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return serverReachable;
}

export async function databaseKinds(): Promise<DbKind[]> {
  return (await postgresReachable()) ? ['embedded', 'postgres'] : ['embedded'];
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase {
  database: Database;
  /** Drops what the test created (the scratch database on the server). */
  dispose(): Promise<void>;
  url?: string;
}

/**
 * A fresh, migrated database of the given kind: in-memory PGlite, or a scratch database on the server.
 * `migrate: false` leaves it empty (a restore target, or a test that applies only some migrations).
 */
export async function freshDatabase(
  kind: DbKind,
  options: { dataDir?: string; migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'embedded') {
    const database = await openDatabase({
      dataDir: options.dataDir ?? '/nonexistent',
      inMemory: options.dataDir === undefined,
    });
    if (options.migrate !== false) await migrate(database);
    return { database, dispose: () => database.close() };
  }
  const name = `linli_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(TEST_DATABASE_URL, name);
  const database = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent', poolMax: 5 });
  if (options.migrate !== false) await migrate(database);
  return {
    database,
    url,
    async dispose() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
