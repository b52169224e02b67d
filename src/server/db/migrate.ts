import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database, Trx } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Plain-SQL migrations, applied in file-name order; a file that has landed is never edited. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

// An arbitrary constant: several instances starting together take turns migrating.
const MIGRATION_LOCK = 7_243_001;

export interface MigrationStatus {
  applied: number;
  pending: string[];
}

async function ensureTable(db: Database['db'] | Trx) {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

/**
 * Applies `dir`'s migrations that are not recorded yet, in one transaction. `upTo` (a migration's file name)
 * stops after that one: a database at an older schema, as the upgrade test and a restore need.
 */
export async function migrate(
  database: Database,
  dir = MIGRATIONS_DIR,
  options: { upTo?: string } = {},
): Promise<string[]> {
  let migrations = listMigrations(dir);
  if (options.upTo !== undefined) {
    const end = migrations.findIndex((m) => m.name === options.upTo);
    if (end < 0) throw new Error(`No migration named ${options.upTo}`);
    migrations = migrations.slice(0, end + 1);
  }
  return database.transaction((trx) => applyMigrations(trx, migrations));
}

/** Inside the caller's transaction: applies those of `migrations` not recorded yet, checking recorded checksums. */
export async function applyMigrations(trx: Trx, migrations: readonly Migration[]): Promise<string[]> {
  const appliedNow: string[] = [];
  await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
  // Under the lock: two servers starting on an empty database would both try to create the table, and
  // CREATE TABLE IF NOT EXISTS is not safe against a concurrent one (a duplicate key in pg_type).
  await ensureTable(trx);
  const rows = await trx.selectFrom('schema_migrations').select(['name', 'checksum']).execute();
  const applied = new Map(rows.map((r) => [r.name, r.checksum]));
  for (const m of migrations) {
    const known = applied.get(m.name);
    if (known !== undefined) {
      if (known !== m.checksum) {
        throw new Error(`Migration ${m.name} was edited after it was applied; add a new migration instead`);
      }
      continue;
    }
    await sql.raw(m.sql).execute(trx);
    await trx.insertInto('schema_migrations').values({ name: m.name, checksum: m.checksum }).execute();
    appliedNow.push(m.name);
  }
  return appliedNow;
}

/** Takes the migration lock in the caller's transaction (a restore holds it, so a server starting waits). */
export async function lockMigrations(trx: Trx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
}

export async function migrationStatus(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const rows = await database.db.selectFrom('schema_migrations').select('name').execute();
  const applied = new Set(rows.map((r) => r.name));
  const pending = listMigrations(dir)
    .map((m) => m.name)
    .filter((n) => !applied.has(n));
  return { applied: applied.size, pending };
}
