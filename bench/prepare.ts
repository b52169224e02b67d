import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import { generateSynthetic, SHAPE_17_AREAS, type SyntheticResult } from '../src/server/demo/synthetic.ts';
import { createSyntheticLogins, type SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { hashPassword } from '../src/server/modules/auth/password.ts';
import { type CaseSetup, prepareCases } from './cases.ts';

export type DbKind = 'embedded' | 'postgres';

/** The server the postgres runs use; the bench creates a linli_bench_* database there and drops it after. */
export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Prepared {
  kind: DbKind;
  /** Environment for the server process: DATA_DIR or DATABASE_URL. */
  env: Record<string, string>;
  synthetic: SyntheticResult;
  logins: SyntheticLogin[];
  loadSeconds: number;
  /** The synthetic cases and what the case workloads need; null when no cases were asked for. */
  cases: CaseSetup | null;
  postgresVersion: string | null;
  cleanup(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A fresh data directory or scratch database, migrated and loaded with the "17 areas / 147 grids" shape
 * with `people` residents and the bench's staff accounts (password: the demo password), and — when `cases`
 * is above 0 — that many synthetic cases with the case workloads' accounts. The database is closed again so
 * that the server process can open it.
 */
export async function prepare(kind: DbKind, people: number, cases = 0): Promise<Prepared> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let postgresVersion: string | null = null;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  if (kind === 'embedded') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linli-bench-'));
    database = await openDatabase({ dataDir });
    env = { DATA_DIR: dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  } else {
    const name = `linli_bench_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = withDatabase(BENCH_POSTGRES_URL, name);
    postgresVersion = String((await adminQuery('SHOW server_version')).rows[0]?.server_version ?? '');
    database = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), poolMax: 2 });
    env = { DATABASE_URL: url, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'linli-bench-pg-')) };
    cleanup = async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(env.DATA_DIR as string, { recursive: true, force: true });
    };
  }
  try {
    const started = performance.now();
    const loaded = await load(database, people, cases);
    return { kind, env, ...loaded, loadSeconds: (performance.now() - started) / 1000, postgresVersion, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function load(database: Awaited<ReturnType<typeof openDatabase>>, people: number, cases: number) {
  try {
    await migrate(database);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const loaded = await database.transaction(async (trx) => {
      const synthetic = await generateSynthetic(trx, { ...SHAPE_17_AREAS, people });
      return { synthetic, logins: await createSyntheticLogins(trx, synthetic.rootPath, passwordHash) };
    });
    const caseSetup = cases > 0 ? await prepareCases(database, loaded.synthetic.rootPath, cases, passwordHash) : null;
    // Write the load's dirty pages out now, not during the measurements (a checkpoint flushing gigabytes makes
    // every commit's fsync wait).
    await sql`CHECKPOINT`.execute(database.db);
    return {
      synthetic: loaded.synthetic,
      logins: [...loaded.logins, ...(caseSetup?.logins ?? [])],
      cases: caseSetup,
    };
  } finally {
    await database.close();
  }
}
