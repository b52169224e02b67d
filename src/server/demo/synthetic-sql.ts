import { type RawBuilder, sql } from 'kysely';
import type { Database, Trx } from '../db/database.ts';

/**
 * Deterministic "random" numbers for set-based SQL: u(x, k) = frac(x · M_k / 2³²), a Weyl sequence per
 * multiplier. No random(), so the same parameters give the same rows on PGlite and on a PostgreSQL
 * server whatever plan each chooses.
 */
const MULTIPLIERS = [
  2_654_435_761, 2_246_822_519, 3_266_489_917, 668_265_263, 374_761_393, 1_181_783_497, 3_432_918_353,
];

export function unit01(x: RawBuilder<unknown>, k: number): RawBuilder<number> {
  const m = MULTIPLIERS[k % MULTIPLIERS.length] as number;
  return sql<number>`((((${x})::bigint * ${sql.lit(m)}::bigint) % 4294967296) / 4294967296.0)`;
}

/** An integer in [0, n) from u(x, k). */
export function pickIndex(x: RawBuilder<unknown>, k: number, n: number): RawBuilder<number> {
  return sql<number>`floor(${unit01(x, k)} * ${sql.lit(n)})::int`;
}

/** The next free id of a table and, after an insert of explicit ids, moving the sequence past them. */
export async function nextId(trx: Trx, table: string): Promise<number> {
  const { rows } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::int AS id`.execute(
    trx,
  );
  return (rows[0] as { id: number }).id;
}

export async function syncSequence(trx: Trx, table: string): Promise<void> {
  await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT coalesce(max(id), 1) FROM ${sql.table(table)}))`.execute(
    trx,
  );
}

export async function rowCount(trx: Trx, statement: RawBuilder<unknown>): Promise<number> {
  const result = await statement.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** SQL text literal of a JS string array, e.g. ARRAY['a','b']. */
export function textArray(items: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`ARRAY[${sql.join(items.map((i) => sql.lit(i)))}]::text[]`;
}

/**
 * A bulk load without the tables' secondary indexes: they are dropped first and rebuilt once at the end (one
 * sorted build each, instead of one random insert per row into every index, which makes a load of tens of
 * millions of rows slow down as the indexes outgrow memory). Indexes that back a constraint (primary keys,
 * unique constraints) stay, so the load's conflicts are still caught. The indexes are rebuilt even when `load`
 * fails; a process killed in between leaves them missing.
 */
export async function withoutSecondaryIndexes<T>(
  database: Database,
  tables: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT i.indexname AS name, i.indexdef AS definition
    FROM pg_indexes i
    JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
    WHERE i.schemaname = current_schema() AND i.tablename IN (${sql.join(tables.map((t) => sql.lit(t)))})
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
    ORDER BY i.tablename, i.indexname`.execute(database.db);
  for (const index of rows) await sql`DROP INDEX ${sql.id(index.name)}`.execute(database.db);
  try {
    return await load();
  } finally {
    await database.transaction(async (trx) => {
      await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx);
      for (const index of rows) await sql.raw(index.definition).execute(trx);
    });
  }
}
