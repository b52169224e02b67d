import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import { generateSynthetic, type SyntheticResult } from '../src/server/demo/synthetic.ts';
import { createSyntheticLogins, type SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { hashPassword } from '../src/server/modules/auth/password.ts';
import { type CaseSetup, caseSetup, type GeneratedCases, type LoadProgress, loadCases } from './cases.ts';
import type { ReadWorkload } from './reads.ts';
import type { BenchSize } from './sizes.ts';

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
  /** A kept database from an earlier run (`--keep`): loadSeconds is that run's. */
  reused: boolean;
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

export interface PrepareOptions {
  size: BenchSize;
  /** Synthetic cases to load (0: none). */
  cases: number;
  /**
   * Keep the database after the run under a name made from the size (PostgreSQL: database
   * `linli_bench_keep_<shape>_<people>_<cases>`; embedded: `bench/.data/<same>`), and reuse it when it is already
   * there and complete: a megacity is loaded once. The workloads that write (intake, transitions, enrolment)
   * leave their rows in it.
   */
  keep: boolean;
  /** The read workloads that will run (bench/reads.ts): their requests and SQL are captured only for them. */
  readWorkloads?: readonly ReadWorkload[];
  onProgress?: (done: number, total: number) => void;
}

/** What a loaded database holds, stored in it (table bench_prepared) so that a kept database can be reused. */
interface StoredLoad {
  synthetic: SyntheticResult;
  logins: SyntheticLogin[];
  generated: GeneratedCases | null;
  loadSeconds: number;
  /** While the cases load (with --keep): the chunks committed so far. */
  progress?: LoadProgress;
}

const KEEP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.data');

function keepName(options: PrepareOptions): string {
  const { size, cases } = options;
  return `linli_bench_keep_${size.shapeName.replace(/[^a-z0-9]/g, '')}_${size.people}_${cases}`;
}

/**
 * A data directory or database, migrated and loaded with the size's territory shape, its residents and the
 * bench's staff accounts (password: the demo password), and — when `cases` is above 0 — that many synthetic
 * cases with the case workloads' accounts; or, with `keep`, the kept one from an earlier run. The database is
 * closed again so that the server process can open it.
 */
export async function prepare(kind: DbKind, options: PrepareOptions): Promise<Prepared> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let postgresVersion: string | null = null;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  const name = options.keep ? keepName(options) : `linli_bench_${process.pid}_${Date.now().toString(36)}`;
  if (kind === 'embedded') {
    let dataDir: string;
    if (options.keep) {
      dataDir = path.join(KEEP_DIR, name);
      mkdirSync(dataDir, { recursive: true });
    } else dataDir = mkdtempSync(path.join(os.tmpdir(), 'linli-bench-'));
    database = await openDatabase({ dataDir });
    env = { DATA_DIR: dataDir };
    cleanup = async () => {
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    };
  } else {
    const exists = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
    if (!exists.rowCount) await adminQuery(`CREATE DATABASE ${name}`);
    const url = withDatabase(BENCH_POSTGRES_URL, name);
    postgresVersion = String((await adminQuery('SHOW server_version')).rows[0]?.server_version ?? '');
    database = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), poolMax: 2 });
    env = { DATABASE_URL: url, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'linli-bench-pg-')) };
    cleanup = async () => {
      if (!options.keep) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(env.DATA_DIR as string, { recursive: true, force: true });
    };
  }
  try {
    const loaded = await load(database, options);
    return { kind, env, ...loaded, postgresVersion, cleanup };
  } catch (error) {
    await database.close().catch(() => {});
    await cleanup();
    throw error;
  }
}

async function storedLoad(database: Awaited<ReturnType<typeof openDatabase>>): Promise<StoredLoad | null> {
  const table = await sql<{ t: string | null }>`SELECT to_regclass('bench_prepared')::text AS t`.execute(database.db);
  if (!table.rows[0]?.t) return null;
  const row = await sql<{ data: StoredLoad }>`SELECT data FROM bench_prepared WHERE id = 1`.execute(database.db);
  return row.rows[0]?.data ?? null;
}

async function store(database: Awaited<ReturnType<typeof openDatabase>>, stored: StoredLoad): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS bench_prepared (id int PRIMARY KEY, data jsonb NOT NULL)`.execute(database.db);
  await sql`INSERT INTO bench_prepared VALUES (1, ${JSON.stringify(stored)}::jsonb)
            ON CONFLICT (id) DO UPDATE SET data = excluded.data`.execute(database.db);
}

async function load(database: Awaited<ReturnType<typeof openDatabase>>, options: PrepareOptions) {
  try {
    let stored = options.keep ? await storedLoad(database) : null;
    // A kept load cut short (the process stopped between two committed chunks of cases) resumes where it was.
    const resuming = stored?.progress && !stored.generated ? stored.progress : null;
    const reused = stored !== null && !resuming;
    if (reused) console.log('  reusing the kept database (loaded by an earlier run)');
    else if (resuming) console.log(`  resuming the kept load after ${resuming.done.toLocaleString('en-US')} cases`);
    else if (options.keep) {
      const units = await sql<{ t: string | null }>`SELECT to_regclass('units')::text AS t`.execute(database.db);
      if (units.rows[0]?.t) {
        const any = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM units LIMIT 1) x`.execute(
          database.db,
        );
        if (any.rows[0]?.n)
          throw new Error('the kept database holds an unfinished load (no bench_prepared row): drop it and run again');
      }
    }
    // Migrations the kept database has not had yet (e.g. a new index) are applied either way.
    await migrate(database);
    if (!stored || resuming) {
      const started = performance.now();
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      let current: StoredLoad;
      if (stored && resuming) current = stored;
      else {
        const loaded = await database.transaction(async (trx) => {
          const synthetic = await generateSynthetic(trx, { ...options.size.shape, people: options.size.people });
          return { synthetic, logins: await createSyntheticLogins(trx, synthetic.rootPath, passwordHash) };
        });
        current = { synthetic: loaded.synthetic, logins: loaded.logins, generated: null, loadSeconds: 0 };
      }
      const secondsBefore = current.loadSeconds;
      const cases =
        options.cases > 0
          ? await loadCases(database, current.synthetic.rootPath, options.cases, passwordHash, {
              onProgress: options.onProgress,
              resume: resuming ?? undefined,
              // With --keep, each committed chunk is recorded, so that a load cut short can resume.
              onChunk: options.keep
                ? (progress) =>
                    store(database, {
                      ...current,
                      progress,
                      loadSeconds: secondsBefore + (performance.now() - started) / 1000,
                    })
                : undefined,
            })
          : null;
      stored = {
        synthetic: current.synthetic,
        logins: [...current.logins, ...(cases?.logins ?? [])],
        generated: cases?.generated ?? null,
        loadSeconds: secondsBefore + (performance.now() - started) / 1000,
      };
      await store(database, stored);
    }
    const cases = stored.generated
      ? await caseSetup(database, stored.synthetic.rootPath, stored.generated, stored.logins, options.readWorkloads)
      : null;
    // Write the load's dirty pages out now, not during the measurements (a checkpoint flushing gigabytes makes
    // every commit's fsync wait).
    await sql`CHECKPOINT`.execute(database.db);
    return {
      synthetic: stored.synthetic,
      logins: stored.logins,
      cases,
      loadSeconds: stored.loadSeconds,
      reused,
    };
  } finally {
    await database.close();
  }
}
