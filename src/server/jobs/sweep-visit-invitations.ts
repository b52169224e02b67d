import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { transition } from '../modules/cases/case-transition.ts';
import { claimEach, DEFAULT_SWEEP_LIMIT, type SweepDeps } from './sweep.ts';

/**
 * Visit invitations 回访邀请: a resolved case whose reporter has not been invited yet gets `inviteVisit` (an
 * event, and a message to the reporter's account or phone); the transition sets `visit_invited_at`.
 */
export async function sweepVisitInvitations(
  database: Database,
  deps: SweepDeps,
  limit = DEFAULT_SWEEP_LIMIT,
): Promise<number> {
  return claimEach(
    database,
    deps,
    'sweepVisitInvitations',
    limit,
    (trx, now, skip) => {
      // The literals match the partial index cases_visit_invite_idx (resolved_at) WHERE state = 'resolved' AND
      // visit_invited_at IS NULL.
      let query = trx
        .selectFrom('cases')
        .select('id')
        .where('state', '=', sql.lit('resolved'))
        .where('visit_invited_at', 'is', null)
        .where('resolved_at', '<=', now);
      if (skip.length) query = query.where('id', 'not in', skip);
      return query.orderBy('resolved_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
    },
    async (trx, row) => {
      await transition(trx, deps, { kind: 'system' }, row.id, { action: 'inviteVisit' });
    },
  );
}
