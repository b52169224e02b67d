import type { CaseState } from './case-machine.ts';

/** An event as stored: the fields a case's derived state is folded from. */
export interface ReplayEvent {
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  owner_unit_id: number;
  data: Record<string, unknown>;
}

/** What the timeline says about a case: the fields kept denormalised on the case row. */
export interface ReplayedCase {
  state: CaseState;
  ownerUnitId: number;
  round: number;
  supervised: boolean;
  returnCount: number;
  rating: string | null;
  eventCount: number;
}

/**
 * Folds a case's events into its current state. The case row keeps these fields denormalised for speed;
 * the tests check that the two always agree, and each event's from_state is the previous event's to_state.
 */
export function replayCase(events: readonly ReplayEvent[]): ReplayedCase {
  if (events.length === 0) throw new Error('a case has at least its intake event');
  let state: string | null = null;
  let round = 1;
  let supervised = false;
  let returnCount = 0;
  let rating: string | null = null;
  let ownerUnitId = 0;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) throw new Error(`event ${e.seq} out of sequence at ${i + 1}`);
    if (i > 0 && e.from_state !== state) throw new Error(`event ${e.seq} starts from ${e.from_state}, not ${state}`);
    state = e.to_state;
    ownerUnitId = e.owner_unit_id;
    if (e.action === 'supervise' || (e.action === 'visit' && e.data.toSupervision === true)) supervised = true;
    if (e.action === 'rehandle') supervised = true;
    if (e.action === 'returnCase') returnCount += 1;
    if (e.action === 'visit' || e.action === 'expireVisit') rating = String(e.data.rating);
    if ((e.action === 'visit' && e.data.reopened === true) || e.action === 'rehandle') round += 1;
  }
  return { state: state as CaseState, ownerUnitId, round, supervised, returnCount, rating, eventCount: events.length };
}
