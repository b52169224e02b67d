import { once } from 'node:events';
import { closeSync, createWriteStream, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Database, Trx } from '../db/database.ts';
import { ident, listSequences, listTables, query, setNeutralSession, type TableInfo } from './catalog.ts';

/**
 * `npm run backup`: a logical, database-neutral backup in pure Node, the same from PGlite and a PostgreSQL
 * server. The file is gzip'd JSON lines:
 *
 *   {"format":"linli-backup","version":1,"createdAt":…,"source":…,"migrations":[{name,checksum}…]}
 *   {"table":"units","columns":[{"name":"id","type":"integer"}…],"primaryKey":["id"]}
 *   ["1",null,"city",…]                                   one line per row, each value as PostgreSQL text
 *   {"end":"units","rows":123}
 *   … every table of the schema …
 *   {"sequences":[{name,type,start,increment,min,max,cache,cycle,ownedBy,lastValue,isCalled}…]}
 *   {"end":"backup","tables":37,"rows":4567}
 *
 * It is read in one REPEATABLE READ snapshot (consistent across tables while the server keeps writing to a
 * PostgreSQL server), each table in primary-key order in keyset pages, so memory stays flat whatever the size.
 * Generated columns are left out (the database computes them again). The file appears under its name only when
 * complete (written beside it, flushed to disk, renamed), readable by its owner only: it holds personal data.
 */
export const BACKUP_FORMAT = 'linli-backup';
export const BACKUP_VERSION = 1;
const PAGE_ROWS = 2000;

/** A refusal or a damaged file: the command prints the message and exits 2, nothing written. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: { kind: Database['kind']; server: string };
  migrations: Array<{ name: string; checksum: string }>;
}

export interface TableCount {
  table: string;
  rows: number;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  tables: TableCount[];
  rows: number;
  sequences: number;
  migrations: number;
  ms: number;
}

/** Keyset page: the rows after `after` (the last key of the previous page) in primary-key order. */
function pageQuery(table: TableInfo, columns: string[], after: string[] | null): { text: string; params: string[] } {
  const types = new Map(table.columns.map((c) => [c.name, c.type]));
  const select = [
    ...columns.map((c, i) => `${ident(c)}::text AS c${i}`),
    ...table.primaryKey.map((c, i) => `${ident(c)}::text AS k${i}`),
  ].join(', ');
  const keys = table.primaryKey.map(ident).join(', ');
  const where = after
    ? ` WHERE (${keys}) > (${table.primaryKey.map((c, i) => `$${i + 1}::${types.get(c)}`).join(', ')})`
    : '';
  return {
    text: `SELECT ${select} FROM ${ident(table.name)}${where} ORDER BY ${keys} LIMIT ${PAGE_ROWS}`,
    params: after ?? [],
  };
}

/** Reads a table's rows in primary-key order, a page at a time; `onPage` gets the page's rows, values as text. */
async function readTable(
  trx: Trx,
  table: TableInfo,
  columns: string[],
  onPage: (rows: Array<Array<string | null>>) => Promise<void>,
): Promise<number> {
  if (table.primaryKey.length === 0) {
    throw new BackupError(`table ${table.name} has no primary key; Linli's backup reads every table in key order`);
  }
  let after: string[] | null = null;
  let count = 0;
  for (;;) {
    const { text, params } = pageQuery(table, columns, after);
    const rows = await query<Record<string, string | null>>(trx, text, params);
    await onPage(rows.map((row) => columns.map((_, i) => row[`c${i}`] ?? null)));
    count += rows.length;
    if (rows.length < PAGE_ROWS) return count;
    const last = rows[rows.length - 1] as Record<string, string | null>;
    after = table.primaryKey.map((_, i) => last[`k${i}`] as string);
  }
}

export async function writeBackup(
  database: Database,
  file: string,
  options: { log?: (line: string) => void } = {},
): Promise<BackupSummary> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const target = path.resolve(file);
  if (existsSync(target)) throw new BackupError(`${target} exists already; choose a new file name`);
  if (!existsSync(path.dirname(target))) throw new BackupError(`folder ${path.dirname(target)} does not exist`);
  const partial = `${target}.partial-${process.pid}`;
  const gzip = createGzip({ level: 6 });
  const written = pipeline(gzip, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
  written.catch(() => {});
  const writeText = async (text: string) => {
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  const write = (value: unknown) => writeText(`${JSON.stringify(value)}\n`);
  // A page of rows is written in one go: one line per row.
  const writeRows = (rows: Array<Array<string | null>>) =>
    rows.length ? writeText(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`) : Promise.resolve();
  try {
    const counts = await database.transaction(async (trx) => {
      await query(trx, 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await setNeutralSession(trx);
      const known = await query<{ present: boolean }>(
        trx,
        `SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present`,
      );
      if (!known[0]?.present)
        throw new BackupError('the database has no schema_migrations table: not a Linli database');
      const migrations = await query<{ name: string; checksum: string }>(
        trx,
        'SELECT name, checksum FROM schema_migrations ORDER BY name',
      );
      const [server] = await query<{ version: string }>(trx, 'SELECT version() AS version');
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        source: { kind: database.kind, server: server?.version ?? 'unknown' },
        migrations,
      };
      await write(header);
      const tables: TableCount[] = [];
      for (const table of await listTables(trx)) {
        const columns = table.columns.filter((c) => !c.generated);
        await write({
          table: table.name,
          columns: columns.map((c) => ({ name: c.name, type: c.type })),
          primaryKey: table.primaryKey,
        });
        const rows = await readTable(
          trx,
          table,
          columns.map((c) => c.name),
          writeRows,
        );
        await write({ end: table.name, rows });
        tables.push({ table: table.name, rows });
        log(`  ${table.name.padEnd(28)} ${rows.toLocaleString('en-US').padStart(12)}`);
      }
      const sequences = await listSequences(trx);
      await write({ sequences });
      const total = tables.reduce((sum, t) => sum + t.rows, 0);
      await write({ end: 'backup', tables: tables.length, rows: total });
      return { tables, total, sequences: sequences.length, migrations: migrations.length };
    });
    gzip.end();
    await written;
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, target);
    try {
      const dir = openSync(path.dirname(target), 'r');
      fsyncSync(dir);
      closeSync(dir);
    } catch {
      // a folder that cannot be opened for fsync (some file systems): the rename is still atomic
    }
    return {
      file: target,
      bytes: statSync(target).size,
      tables: counts.tables,
      rows: counts.total,
      sequences: counts.sequences,
      migrations: counts.migrations,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => {});
    rmSync(partial, { force: true });
    throw error;
  }
}
