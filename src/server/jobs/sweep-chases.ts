import type { Database } from '../db/database.ts';
import { nextChaseAt } from '../modules/cases/case-limits.ts';
import { type CaseState, TRANSITIONS } from '../modules/cases/case-machine.ts';
import { transition } from '../modules/cases/case-transition.ts';
import { claimEach, DEFAULT_SWEEP_LIMIT, type SweepDeps } from './sweep.ts';

/**
 * Chases 催办 of task-force items with a manual colour: red weekly, orange fortnightly, green monthly. The
 * `chase` transition records the event, notifies the owning (and lead) unit and sets the next `next_chase_at`.
 * A marker found on a case that takes no chase now is moved on (resolved: a cadence later) or cleared.
 */
export async function sweepChases(database: Database, deps: SweepDeps, limit = DEFAULT_SWEEP_LIMIT): Promise<number> {
  return claimEach(
    database,
    deps,
    'sweepChases',
    limit,
    (trx, now, skip) => {
      let query = trx.selectFrom('cases').select(['id', 'state', 'manual_colour']).where('next_chase_at', '<=', now);
      if (skip.length) query = query.where('id', 'not in', skip);
      return query.orderBy('next_chase_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
    },
    async (trx, row, now) => {
      const chaseable = (TRANSITIONS.chase.from as readonly CaseState[]).includes(row.state as CaseState);
      if (chaseable && row.manual_colour) {
        await transition(trx, deps, { kind: 'system' }, row.id, { action: 'chase' });
        return;
      }
      // Waiting for its visit: no chase now, but the cadence goes on should the visit reopen it. Otherwise the
      // case takes no more chases (archived, or no manual colour): the marker goes.
      const next = row.state === 'resolved' && row.manual_colour ? nextChaseAt(row.manual_colour, now) : null;
      await trx.updateTable('cases').set({ next_chase_at: next }).where('id', '=', row.id).execute();
    },
  );
}
