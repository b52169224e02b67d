import type { Trx } from '../../db/database.ts';
import type { CaseRating } from '../cases/cases.tables.ts';

/** A unit as the statistics see it: its id and materialised path (for subtree sums). */
export interface StatsUnit {
  unitId: number;
  path: string;
}

/**
 * What one case event changes in the statistics. The case service fills this in the same transaction as the
 * event; `recordCaseStats` keeps the rollups that 三率, rankings, bulletins and ledgers read.
 */
export interface CaseStatsChange {
  at: Date;
  action: string;
  caseType: string;
  /** Where the problem is (the grid, or the unit holding it for manual dispatch). */
  territory: StatsUnit;
  /** A new case was taken in. */
  received?: boolean;
  /** Units the case was just given to (dispatch to a grid/community/street, whistle to departments). */
  assigned?: Array<StatsUnit & { role: 'owner' | 'lead' | 'assist' }>;
  /** Assignments that just responded (checked in or first acted), and whether within the response limit. */
  responded?: Array<StatsUnit & { assignedAt: Date; inTime: boolean }>;
  /** The case was resolved by this unit, within its resolution limit or not. */
  resolved?: StatsUnit & { inTime: boolean };
  /** A return visit was recorded for the result of `resolver`. `noAnswer` is not a rating and is not rated. */
  visited?: { rating: CaseRating; solved: boolean | null; resolver: StatsUnit };
  /** The case was closed (archived). */
  closed?: boolean;
}

/** Updates the statistics rollups for one event. (Filled in by the metrics module.) */
export async function recordCaseStats(_trx: Trx, _change: CaseStatsChange): Promise<void> {}
