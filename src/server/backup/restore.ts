import { createReadStream, existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Database, Trx } from '../db/database.ts';
import { applyMigrations, listMigrations, lockMigrations, MIGRATIONS_DIR, type Migration } from '../db/migrate.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, BackupError, type BackupHeader, type TableCount } from './backup.ts';
import {
  type ColumnInfo,
  ident,
  listEnabledTriggers,
  listForeignKeys,
  listTables,
  publicRelations,
  query,
  type SequenceInfo,
  setNeutralSession,
} from './catalog.ts';

/**
 * `npm run restore`: loads a backup (backup.ts) into an EMPTY database — a new PostgreSQL database or a new
 * DATA_DIR — in one transaction, so a refused, damaged or truncated file leaves nothing behind:
 *
 * 1. refuse a target that has any relation in `public` (never merge into or overwrite live data);
 * 2. apply exactly the migrations the backup was taken at (the code must know each, with the same checksum);
 * 3. switch off the user triggers (append-only guards, derived columns, NOTIFY) and drop the foreign keys, so rows
 *    load as they were, in any order (self-references, cycles); empty the rows the migrations seeded;
 * 4. insert the rows in batches (`INSERT … SELECT $n::text[] cast to each column's type FROM unnest(…)`);
 * 5. set the sequences (creating those made at run time, e.g. the case-number sequences of each year);
 * 6. add the foreign keys back (PostgreSQL checks every row), switch the triggers on again;
 * 7. apply the migrations the code has beyond the backup's: an old backup restores into a newer version.
 *
 * A backup from the embedded database restores into a PostgreSQL server and the other way round.
 */
const BATCH_ROWS = 1000;
const BATCH_CHARS = 4_000_000;

export interface RestoreSummary {
  tables: TableCount[];
  rows: number;
  sequences: number;
  /** Migrations applied after the backup's own (the code is newer than the backup). */
  upgraded: string[];
  ms: number;
}

const damagedGzip = (file: string, error: unknown) =>
  new BackupError(
    `${file} is damaged or incomplete (${(error as Error).message}); nothing was restored. Use another backup file`,
  );

/**
 * Reads the whole file through gunzip once before anything is loaded: gzip's CRC and length sit at the end, so a
 * changed or missing byte would otherwise show only after rows it garbled had reached the database (refused there,
 * but with a constraint error that does not say the file is at fault). About a second per 30 MB of backup.
 */
async function verifyGzip(file: string): Promise<void> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline(createReadStream(file), createGunzip(), discard);
  } catch (error) {
    throw damagedGzip(file, error);
  }
}

/** The lines of a gzip'd file; a damaged or cut-off file fails with a BackupError. */
async function* readLines(file: string): AsyncGenerator<{ line: string; number: number }> {
  const gunzip = createGunzip();
  const piped = pipeline(createReadStream(file), gunzip);
  piped.catch(() => {});
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  try {
    for await (const chunk of gunzip) {
      rest += decoder.write(chunk as Buffer);
      let start = 0;
      for (let end = rest.indexOf('\n', start); end >= 0; end = rest.indexOf('\n', start)) {
        number += 1;
        yield { line: rest.slice(start, end), number };
        start = end + 1;
      }
      rest = rest.slice(start);
    }
    await piped;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw damagedGzip(file, error);
  }
  rest += decoder.end();
  if (rest.length > 0) {
    number += 1;
    yield { line: rest, number };
  }
}

type Line = Record<string, unknown> | Array<string | null>;

function parse(file: string, entry: { line: string; number: number }): Line {
  try {
    const value = JSON.parse(entry.line) as unknown;
    if (value !== null && typeof value === 'object') return value as Line;
  } catch {
    // reported below
  }
  throw new BackupError(`${file} is damaged at line ${entry.number} (not a backup record); nothing was restored`);
}

function checkHeader(file: string, value: Line | undefined, code: Migration[]): BackupHeader {
  const header = value as Partial<BackupHeader> | undefined;
  if (!header || Array.isArray(header) || header.format !== BACKUP_FORMAT) {
    throw new BackupError(`${file} is not a Linli backup (made by npm run backup)`);
  }
  if (header.version !== BACKUP_VERSION) {
    throw new BackupError(
      `${file} is a backup of format version ${header.version}; this Linli reads version ${BACKUP_VERSION}`,
    );
  }
  if (!Array.isArray(header.migrations)) throw new BackupError(`${file} has no migration list in its header`);
  const known = new Map(code.map((m) => [m.name, m.checksum]));
  for (const m of header.migrations) {
    const checksum = known.get(m.name);
    if (checksum === undefined) {
      throw new BackupError(
        `the backup was made by a newer Linli (its schema has migration ${m.name}, unknown here); restore it with that version or newer`,
      );
    }
    if (checksum !== m.checksum) {
      throw new BackupError(`migration ${m.name} differs between the backup and this code (checksum); cannot restore`);
    }
  }
  return header as BackupHeader;
}

interface Loading {
  table: string;
  columns: ColumnInfo[];
  values: Array<Array<string | null>>;
  chars: number;
  rows: number;
  overriding: boolean;
}

/**
 * A data exception (class 22: a value that is not of its column's type) or an integrity violation (class 23: a
 * check, unique or foreign key) while loading means the file's rows do not fit the schema they were taken from:
 * the file is at fault, and says so. Anything else (a lost connection) is not the file's, and is passed on.
 */
function refusedRows(file: string, what: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^2[23]/.test(code)) return error;
  return new BackupError(
    `${file} is damaged: ${what} refused by the schema (${(error as Error).message}); nothing was restored`,
  );
}

async function flush(trx: Trx, file: string, loading: Loading): Promise<void> {
  try {
    await insertBatch(trx, loading);
  } catch (error) {
    throw refusedRows(file, `rows of ${loading.table} are`, error);
  }
}

async function insertBatch(trx: Trx, loading: Loading): Promise<void> {
  const count = loading.values[0]?.length ?? 0;
  if (count === 0) return;
  const names = loading.columns.map((c) => ident(c.name)).join(', ');
  const casts = loading.columns.map((c, i) => `u.c${i}::${c.type}`).join(', ');
  const arrays = loading.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = loading.columns.map((_, i) => `c${i}`).join(', ');
  await query(
    trx,
    `INSERT INTO ${ident(loading.table)} (${names})${loading.overriding ? ' OVERRIDING SYSTEM VALUE' : ''}
     SELECT ${casts} FROM unnest(${arrays}) AS u(${aliases})`,
    loading.values,
  );
  loading.values = loading.columns.map(() => []);
  loading.chars = 0;
}

async function restoreSequences(trx: Trx, sequences: SequenceInfo[]): Promise<void> {
  const existing = new Set(
    (
      await query<{ name: string }>(
        trx,
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'S'`,
      )
    ).map((r) => r.name),
  );
  for (const s of sequences) {
    if (!existing.has(s.name)) {
      const int = (v: string) => {
        if (!/^-?\d+$/.test(v)) throw new BackupError(`sequence ${s.name} has a damaged setting "${v}"`);
        return v;
      };
      if (!['smallint', 'integer', 'bigint'].includes(s.type)) {
        throw new BackupError(`sequence ${s.name} has an unknown type "${s.type}"`);
      }
      await query(
        trx,
        `CREATE SEQUENCE ${ident(s.name)} AS ${s.type} INCREMENT BY ${int(s.increment)} MINVALUE ${int(s.min)}
         MAXVALUE ${int(s.max)} START WITH ${int(s.start)} CACHE ${int(s.cache)} ${s.cycle ? 'CYCLE' : 'NO CYCLE'}`,
      );
      if (s.ownedBy) {
        await query(
          trx,
          `ALTER SEQUENCE ${ident(s.name)} OWNED BY ${ident(s.ownedBy.table)}.${ident(s.ownedBy.column)}`,
        );
      }
    }
    await query(trx, 'SELECT setval($1::regclass, $2::bigint, $3::boolean)', [ident(s.name), s.lastValue, s.isCalled]);
  }
}

export async function restoreBackup(
  database: Database,
  file: string,
  options: { log?: (line: string) => void; migrationsDir?: string } = {},
): Promise<RestoreSummary> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  await verifyGzip(file);
  const code = listMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
  return database.transaction(async (trx) => {
    await lockMigrations(trx);
    const present = await publicRelations(trx);
    if (present.length > 0) {
      throw new BackupError(
        `the target database is not empty (${present.length} tables and sequences, e.g. ${present.slice(0, 3).join(', ')}); ` +
          'restore into a new database (createdb …, then DATABASE_URL) or a new DATA_DIR folder. Nothing was changed',
      );
    }
    await setNeutralSession(trx);
    const lines = readLines(file);
    try {
      return await load(trx, file, lines, code, log, started);
    } finally {
      await lines.return(undefined);
    }
  });
}

async function load(
  trx: Trx,
  file: string,
  lines: AsyncGenerator<{ line: string; number: number }>,
  code: Migration[],
  log: (line: string) => void,
  started: number,
): Promise<RestoreSummary> {
  const next = async () => {
    const { value, done } = await lines.next();
    return done ? undefined : parse(file, value);
  };
  const header = checkHeader(file, await next(), code);
  const backupNames = new Set(header.migrations.map((m) => m.name));
  await applyMigrations(
    trx,
    code.filter((m) => backupNames.has(m.name)),
  );

  // Load as the rows were: no triggers, no foreign keys (added back and checked at the end), no seeded rows.
  const triggers = await listEnabledTriggers(trx);
  for (const t of triggers) await query(trx, `ALTER TABLE ${ident(t.table)} DISABLE TRIGGER ${ident(t.name)}`);
  const foreignKeys = await listForeignKeys(trx);
  for (const fk of foreignKeys) await query(trx, `ALTER TABLE ${ident(fk.table)} DROP CONSTRAINT ${ident(fk.name)}`);
  const schema = new Map((await listTables(trx)).map((t) => [t.name, t]));
  if (schema.size > 0) await query(trx, `TRUNCATE ${[...schema.keys()].map(ident).join(', ')}`);

  const tables: TableCount[] = [];
  let sequences: SequenceInfo[] | null = null;
  let loading: Loading | null = null;
  let total = 0;
  let finished = false;
  for (let record = await next(); record !== undefined; record = await next()) {
    if (finished) throw new BackupError(`${file} has data after its end record; nothing was restored`);
    if (Array.isArray(record)) {
      if (!loading) throw new BackupError(`${file} is damaged: a row outside a table; nothing was restored`);
      if (record.length !== loading.columns.length || record.some((v) => v !== null && typeof v !== 'string')) {
        throw new BackupError(`${file} is damaged: a row of ${loading.table} does not match its columns`);
      }
      for (let i = 0; i < record.length; i++) {
        const value = record[i] as string | null;
        loading.values[i]?.push(value);
        loading.chars += value?.length ?? 0;
      }
      loading.rows += 1;
      if ((loading.values[0]?.length ?? 0) >= BATCH_ROWS || loading.chars >= BATCH_CHARS)
        await flush(trx, file, loading);
      continue;
    }
    if (typeof record.table === 'string') {
      if (loading) throw new BackupError(`${file} is damaged: table ${loading.table} has no end record`);
      const table = schema.get(record.table);
      if (!table) {
        throw new BackupError(
          `the backup has a table ${record.table} that its migrations do not create; cannot restore`,
        );
      }
      const columns = (record.columns as Array<{ name: string }>).map((c) => {
        const column = table.columns.find((tc) => tc.name === c.name && !tc.generated);
        if (!column) throw new BackupError(`the backup's table ${table.name} has a column ${c.name} the schema lacks`);
        return column;
      });
      loading = {
        table: table.name,
        columns,
        values: columns.map(() => []),
        chars: 0,
        rows: 0,
        overriding: table.columns.some((c) => c.identityAlways),
      };
    } else if (typeof record.end === 'string' && record.end !== 'backup') {
      if (!loading || loading.table !== record.end)
        throw new BackupError(`${file} is damaged near table ${record.end}`);
      await flush(trx, file, loading);
      if (loading.rows !== record.rows) {
        throw new BackupError(
          `${file} is damaged: table ${loading.table} should have ${record.rows} rows, has ${loading.rows}`,
        );
      }
      tables.push({ table: loading.table, rows: loading.rows });
      log(`  ${loading.table.padEnd(28)} ${loading.rows.toLocaleString('en-US').padStart(12)}`);
      total += loading.rows;
      loading = null;
    } else if (Array.isArray(record.sequences)) {
      sequences = record.sequences as SequenceInfo[];
    } else if (record.end === 'backup') {
      if (loading || record.rows !== total || record.tables !== tables.length || !sequences) {
        throw new BackupError(`${file} is damaged: its end record does not match what was read; nothing was restored`);
      }
      finished = true;
    } else {
      throw new BackupError(`${file} is damaged: an unknown record; nothing was restored`);
    }
  }
  if (!finished || !sequences) {
    throw new BackupError(`${file} is incomplete (it ends before its end record); nothing was restored`);
  }
  // The rows of schema_migrations came from the file too: they must say what its header said.
  const recorded = (
    await query<{ name: string; checksum: string }>(trx, 'SELECT name, checksum FROM schema_migrations')
  )
    .map(({ name, checksum }) => `${name}:${checksum}`)
    .sort();
  const declared = header.migrations.map(({ name, checksum }) => `${name}:${checksum}`).sort();
  if (recorded.join('\n') !== declared.join('\n')) {
    throw new BackupError(
      `${file} is damaged: its schema_migrations rows do not match its header; nothing was restored`,
    );
  }
  await restoreSequences(trx, sequences);
  for (const fk of foreignKeys) {
    try {
      await query(trx, `ALTER TABLE ${ident(fk.table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    } catch (error) {
      throw refusedRows(file, `rows of ${fk.table} that reference missing rows (${fk.name}) are`, error);
    }
  }
  for (const t of triggers) await query(trx, `ALTER TABLE ${ident(t.table)} ENABLE TRIGGER ${ident(t.name)}`);
  // The newer migrations run in the session's own settings, as they would at a server's start.
  await query(trx, 'RESET ALL');
  const upgraded = await applyMigrations(trx, code);
  return { tables, rows: total, sequences: sequences.length, upgraded, ms: Math.round(performance.now() - started) };
}
