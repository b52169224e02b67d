import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { maskPhone } from '../http/privacy.ts';
import { ancestorOfKind } from '../modules/cases/cases.repository.ts';
import type { OutboxPayload } from '../modules/cases/cases.tables.ts';
import { claimEach, DEFAULT_SWEEP_LIMIT, type SweepDeps } from './sweep.ts';

const COMMUNITY_KINDS = ['community', 'village'];

/**
 * One-tap calls 一键呼叫 not called back by their `callback_due_at`: marked overdue once (compare-and-set on
 * `overdue_at IS NULL`) and announced once through the outbox (topic `callRequest.overdue`) to the grid's
 * staff and its community.
 */
export async function sweepCallbackOverdue(
  database: Database,
  deps: SweepDeps,
  limit = DEFAULT_SWEEP_LIMIT,
): Promise<number> {
  return claimEach(
    database,
    deps,
    'sweepCallbackOverdue',
    limit,
    (trx, now, skip) => {
      // The literals match the partial index call_requests_overdue_idx (callback_due_at)
      // WHERE status = 'waiting' AND overdue_at IS NULL.
      let query = trx
        .selectFrom('call_requests')
        .select('id')
        .where('status', '=', sql.lit('waiting'))
        .where('overdue_at', 'is', null)
        .where('callback_due_at', '<=', now);
      if (skip.length) query = query.where('id', 'not in', skip);
      return query.orderBy('callback_due_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
    },
    async (trx, { id }, now) => {
      const marked = await trx
        .updateTable('call_requests')
        .set({ overdue_at: now })
        .where('id', '=', id)
        .where('overdue_at', 'is', null)
        .where('status', '=', 'waiting')
        .returning(['id', 'phone', 'grid_id', 'territory_unit_id', 'territory_path', 'callback_due_at'])
        .executeTakeFirst();
      if (!marked) return;
      const community = await ancestorOfKind(trx, marked.territory_path, COMMUNITY_KINDS);
      const unitIds = [...new Set([marked.grid_id ?? marked.territory_unit_id, ...(community ? [community.id] : [])])];
      const payload: OutboxPayload = {
        recipients: { accountIds: [], unitIds },
        title: `#${marked.id} ${maskPhone(marked.phone)}`,
        body: 'overdue',
        action: 'overdue',
        callRequestId: marked.id,
        callbackDueAt: marked.callback_due_at.toISOString(),
        gridId: marked.grid_id,
        supervisorsOf: [],
        phone: null,
        excludeAccountId: null,
      };
      await trx
        .insertInto('outbox')
        .values({
          topic: 'callRequest.overdue',
          call_request_id: marked.id,
          payload: JSON.stringify(payload),
          created_at: now,
        })
        .execute();
    },
  );
}
