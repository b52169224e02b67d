import type { Database } from '../db/database.ts';
import { computeColour } from '../modules/cases/case-limits.ts';
import { type CaseState, isOpen, TRANSITIONS } from '../modules/cases/case-machine.ts';
import { transition } from '../modules/cases/case-transition.ts';
import { claimEach, DEFAULT_SWEEP_LIMIT, type SweepDeps } from './sweep.ts';

/**
 * Colours: every case whose `next_colour_at` has come gets a `colourChange` (green → orange → red, an event
 * that notifies its units, and the supervisors when it turns red). The transition records nothing when the
 * colour has not changed after all (the limit moved since the marker was set); then the sweep moves the marker
 * to the next moment the colour changes, or clears it.
 */
export async function sweepCaseColours(
  database: Database,
  deps: SweepDeps,
  limit = DEFAULT_SWEEP_LIMIT,
): Promise<number> {
  return claimEach(
    database,
    deps,
    'sweepCaseColours',
    limit,
    (trx, now, skip) => {
      let query = trx
        .selectFrom('cases')
        .select(['id', 'state', 'supervised', 'manual_colour', 'colour', 'orange_at', 'due_at'])
        .where('next_colour_at', '<=', now);
      if (skip.length) query = query.where('id', 'not in', skip);
      return query.orderBy('next_colour_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
    },
    async (trx, row, now) => {
      const state = row.state as CaseState;
      if ((TRANSITIONS.colourChange.from as readonly CaseState[]).includes(state)) {
        const result = await transition(trx, deps, { kind: 'system' }, row.id, { action: 'colourChange' });
        // Written: the transition set the colour and the next marker itself.
        if (result.eventId !== null) return;
      }
      const { nextColourAt } = computeColour(
        {
          open: isOpen(state),
          frozen: state === 'resolved',
          supervised: row.supervised,
          manualColour: row.manual_colour,
          currentColour: row.colour,
          orangeAt: row.orange_at,
          dueAt: row.due_at,
        },
        now,
      );
      // Only ever forward: a marker still due would be claimed again at once.
      const next = nextColourAt && nextColourAt > now ? nextColourAt : null;
      await trx.updateTable('cases').set({ next_colour_at: next }).where('id', '=', row.id).execute();
    },
  );
}
