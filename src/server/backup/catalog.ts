import { CompiledQuery } from 'kysely';
import type { Queryable } from '../db/database.ts';

/**
 * What a backup reads from and a restore writes into: the tables, columns, primary keys, foreign keys, triggers
 * and sequences of the `public` schema, read from the catalogue (the same on PGlite and a PostgreSQL server).
 */
export interface ColumnInfo {
  name: string;
  /** `format_type`, e.g. `integer`, `text[]`, `numeric(4,1)`: the cast a value's text goes through on restore. */
  type: string;
  /** Generated columns are computed by the database: never backed up, never inserted. */
  generated: boolean;
  /** GENERATED ALWAYS AS IDENTITY: an insert with its value needs OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
  /** Has a collation (text-like): ordered with COLLATE "C" where the order must not depend on the database. */
  collatable: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
}

export interface SequenceInfo {
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** The column that owns the sequence (identity or serial), when there is one. */
  ownedBy: { table: string; column: string } | null;
  lastValue: string;
  isCalled: boolean;
}

export interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function query<R>(q: Queryable, text: string, parameters: readonly unknown[] = []): Promise<R[]> {
  const result = await q.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
  return result.rows;
}

/**
 * Every later text rendering of values is made in these settings, so a value's text is the same whichever
 * database or session made it (timestamps in UTC, ISO dates, shortest exact floats).
 */
export async function setNeutralSession(q: Queryable): Promise<void> {
  for (const setting of [
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    'SET LOCAL extra_float_digits = 1',
    "SET LOCAL bytea_output = 'hex'",
  ]) {
    await query(q, setting);
  }
}

export async function listTables(q: Queryable): Promise<TableInfo[]> {
  const rows = await query<{
    table: string;
    column: string;
    type: string;
    generated: boolean;
    identity_always: boolean;
    collatable: boolean;
    pk_position: number | null;
  }>(
    q,
    `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type,
            a.attgenerated <> '' AS generated, a.attidentity = 'a' AS identity_always,
            a.attcollation <> 0 AS collatable,
            array_position(pk.conkey, a.attnum) AS pk_position
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
  );
  const tables = new Map<string, TableInfo & { pk: Array<[number, string]> }>();
  for (const row of rows) {
    let table = tables.get(row.table);
    if (!table) {
      table = { name: row.table, columns: [], primaryKey: [], pk: [] };
      tables.set(row.table, table);
    }
    table.columns.push({
      name: row.column,
      type: row.type,
      generated: row.generated,
      identityAlways: row.identity_always,
      collatable: row.collatable,
    });
    if (row.pk_position !== null) table.pk.push([Number(row.pk_position), row.column]);
  }
  return [...tables.values()].map(({ pk, ...table }) => ({
    ...table,
    primaryKey: pk.sort((a, b) => a[0] - b[0]).map(([, name]) => name),
  }));
}

/** Names of the relations in `public` (tables, views, sequences…): a restore target must have none. */
export async function publicRelations(q: Queryable): Promise<string[]> {
  const rows = await query<{ name: string }>(
    q,
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

export async function listSequences(q: Queryable): Promise<SequenceInfo[]> {
  const rows = await query<{
    name: string;
    type: string;
    start: string;
    increment: string;
    min: string;
    max: string;
    cache: string;
    cycle: boolean;
    owner_table: string | null;
    owner_column: string | null;
  }>(
    q,
    `SELECT c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
            s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
            s.seqcache::text AS cache, s.seqcycle AS cycle, t.relname AS owner_table, a.attname AS owner_column
       FROM pg_sequence s
       JOIN pg_class c ON c.oid = s.seqrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                            AND d.refclassid = 'pg_class'::regclass
       LEFT JOIN pg_class t ON t.oid = d.refobjid
       LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE n.nspname = 'public'
      ORDER BY c.relname`,
  );
  const sequences: SequenceInfo[] = [];
  for (const row of rows) {
    const [state] = await query<{ last_value: string; is_called: boolean }>(
      q,
      `SELECT last_value::text AS last_value, is_called FROM ${ident(row.name)}`,
    );
    sequences.push({
      name: row.name,
      type: row.type,
      start: row.start,
      increment: row.increment,
      min: row.min,
      max: row.max,
      cache: row.cache,
      cycle: row.cycle,
      ownedBy: row.owner_table && row.owner_column ? { table: row.owner_table, column: row.owner_column } : null,
      lastValue: state?.last_value ?? row.start,
      isCalled: state?.is_called ?? false,
    });
  }
  return sequences;
}

export async function listForeignKeys(q: Queryable): Promise<ForeignKey[]> {
  return query<ForeignKey>(
    q,
    `SELECT t.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k
       JOIN pg_class t ON t.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND k.contype = 'f'
      ORDER BY t.relname, k.conname`,
  );
}

/** User triggers that are enabled (a restore switches exactly these off while loading, then on again). */
export async function listEnabledTriggers(q: Queryable): Promise<Array<{ table: string; name: string }>> {
  return query(
    q,
    `SELECT c.relname AS "table", g.tgname AS name
       FROM pg_trigger g
       JOIN pg_class c ON c.oid = g.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT g.tgisinternal AND g.tgenabled = 'O'
      ORDER BY 1, 2`,
  );
}
