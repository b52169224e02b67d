import type { Trx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { countSavedFilters, insertSavedFilter, lockAccountFilters, nameTaken } from './saved-filters.repository.ts';
import { type CreateSavedFilterInput, MAX_SAVED_FILTERS_PER_PAGE } from './saved-filters.schema.ts';

/**
 * Saves a named filter of a list page for the account. A name is unique per account and page (409 DUPLICATE);
 * an account keeps at most MAX_SAVED_FILTERS_PER_PAGE per page (409 CONFLICT, reason TOO_MANY).
 */
export async function saveFilter(trx: Trx, accountId: number, input: CreateSavedFilterInput, now: Date) {
  await lockAccountFilters(trx, accountId);
  if (await nameTaken(trx, accountId, input.page, input.name)) {
    throw new AppError('DUPLICATE', `You already have a saved filter named "${input.name}" on this page`, {
      field: 'name',
    });
  }
  if ((await countSavedFilters(trx, accountId, input.page)) >= MAX_SAVED_FILTERS_PER_PAGE) {
    throw new AppError(
      'CONFLICT',
      `At most ${MAX_SAVED_FILTERS_PER_PAGE} saved filters per page: delete one you no longer use first`,
      { reason: 'TOO_MANY', limit: MAX_SAVED_FILTERS_PER_PAGE },
    );
  }
  return insertSavedFilter(trx, accountId, input, now);
}
