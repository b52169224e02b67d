import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { transition } from '../modules/cases/case-transition.ts';
import { claimEach, DEFAULT_SWEEP_LIMIT, type SweepDeps } from './sweep.ts';

/**
 * Visit expiry: a resolved case nobody rated by its `visit_due_at` closes with the rating noAnswer
 * (`expireVisit`); the case leaves the 'resolved' state, so nobody claims it again.
 */
export async function sweepVisitExpiry(
  database: Database,
  deps: SweepDeps,
  limit = DEFAULT_SWEEP_LIMIT,
): Promise<number> {
  return claimEach(
    database,
    deps,
    'sweepVisitExpiry',
    limit,
    (trx, now, skip) => {
      // The literal matches the partial index cases_visit_due_idx (visit_due_at) WHERE state = 'resolved'.
      let query = trx
        .selectFrom('cases')
        .select('id')
        .where('state', '=', sql.lit('resolved'))
        .where('visit_due_at', '<=', now);
      if (skip.length) query = query.where('id', 'not in', skip);
      return query.orderBy('visit_due_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
    },
    async (trx, row) => {
      await transition(trx, deps, { kind: 'system' }, row.id, { action: 'expireVisit' });
    },
  );
}
