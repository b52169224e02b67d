import type { Database } from '../db/database.ts';
import { ident, listSequences, listTables, query, setNeutralSession } from './catalog.ts';

/**
 * Per table: the row count and a checksum of the rows' text (`row::text` in neutral session settings, so the
 * same rows give the same sum on PGlite and on a PostgreSQL server). The checksum is the sum over rows of each
 * row's md5 read as two 64-bit numbers: independent of row order (no sort, one pass, flat memory on tables of
 * millions of rows) and sensitive to every value, a missing, extra or duplicated row. `(sequences)` covers
 * every sequence's position. Used by the backup drill and the tests to compare a database with its restore.
 */
export interface TableChecksum {
  table: string;
  rows: number;
  checksum: string;
}

const ROW = 'linli_checksum_row';

export async function tableChecksums(database: Database): Promise<TableChecksum[]> {
  return database.transaction(async (trx) => {
    await query(trx, 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await setNeutralSession(trx);
    const result: TableChecksum[] = [];
    for (const table of await listTables(trx)) {
      const [row] = await query<{ rows: string; a: string; b: string }>(
        trx,
        `SELECT count(*)::text AS rows,
                coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
                coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
           FROM (SELECT md5(${ROW}::text) AS h FROM ${ident(table.name)} AS ${ROW}) AS hashes`,
      );
      result.push({ table: table.name, rows: Number(row?.rows ?? 0), checksum: `${row?.a}:${row?.b}` });
    }
    const sequences = await listSequences(trx);
    result.push({
      table: '(sequences)',
      rows: sequences.length,
      checksum: sequences.map((s) => `${s.name}=${s.lastValue}${s.isCalled ? '' : '(not called)'}`).join(','),
    });
    return result;
  });
}

/** Each row's md5 by its primary key's text: to tell which rows differ when a table's checksums do not agree. */
export async function rowDigests(database: Database, tableName: string): Promise<Map<string, string>> {
  return database.transaction(async (trx) => {
    await setNeutralSession(trx);
    const table = (await listTables(trx)).find((t) => t.name === tableName);
    if (!table) return new Map();
    const key = table.primaryKey.length ? `ROW(${table.primaryKey.map(ident).join(', ')})::text` : `${ROW}::text`;
    const rows = await query<{ k: string; h: string }>(
      trx,
      `SELECT ${key} AS k, md5(${ROW}::text) AS h FROM ${ident(table.name)} AS ${ROW}`,
    );
    return new Map(rows.map((r) => [r.k, r.h]));
  });
}
