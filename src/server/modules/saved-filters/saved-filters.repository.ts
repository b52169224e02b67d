import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { SavedFilterDto, SavedFilterPage, SavedFilterQuery } from './saved-filters.schema.ts';

interface Row {
  id: number;
  page: SavedFilterPage;
  name: string;
  query: SavedFilterQuery;
  created_at: Date;
}

export function presentSavedFilter(r: Row): SavedFilterDto {
  return { id: r.id, page: r.page, name: r.name, query: r.query, createdAt: r.created_at.toISOString() };
}

const COLUMNS = ['id', 'page', 'name', 'query', 'created_at'] as const;

/** The account's filters of one page, oldest first (the order they were saved in). */
export async function listSavedFilters(q: Queryable, accountId: number, page: SavedFilterPage) {
  const rows = await q
    .selectFrom('saved_filters')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('page', '=', page)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(presentSavedFilter);
}

/**
 * Serialises the saves of one account, so that two saves at once cannot both pass the per-page limit. Held
 * until the transaction ends.
 */
export async function lockAccountFilters(q: Queryable, accountId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('saved_filters'), ${accountId}::int)`.execute(q);
}

export async function countSavedFilters(q: Queryable, accountId: number, page: SavedFilterPage): Promise<number> {
  const row = await q
    .selectFrom('saved_filters')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('page', '=', page)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function nameTaken(q: Queryable, accountId: number, page: SavedFilterPage, name: string) {
  const row = await q
    .selectFrom('saved_filters')
    .select('id')
    .where('account_id', '=', accountId)
    .where('page', '=', page)
    .where('name', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertSavedFilter(
  q: Queryable,
  accountId: number,
  input: { page: SavedFilterPage; name: string; query: SavedFilterQuery },
  now: Date,
) {
  const row = await q
    .insertInto('saved_filters')
    .values({
      account_id: accountId,
      page: input.page,
      name: input.name,
      query: JSON.stringify(input.query),
      created_at: now,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return presentSavedFilter(row);
}

/** Deletes one of the account's own filters; someone else's id deletes nothing (the caller answers 404). */
export async function deleteSavedFilter(q: Queryable, accountId: number, id: number) {
  const row = await q
    .deleteFrom('saved_filters')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? presentSavedFilter(row) : null;
}
