import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { CaseRating } from '../cases/cases.tables.ts';
import { STATS_COUNTERS, type StatsCounter, type StatsDimension } from './metrics.tables.ts';

/** A unit as the statistics see it: its id and materialised path (for subtree sums). */
export interface StatsUnit {
  unitId: number;
  path: string;
}

/**
 * What one case event changes in the statistics. The case service fills this in the same transaction as the
 * event; `recordCaseStats` keeps the daily rollups (case_stats_daily) that 三率, rankings, bulletins and
 * league tables read. Every part is counted in the territory dimension (against `territory`) and, where a
 * unit did the work, in the handler dimension (against that unit).
 */
export interface CaseStatsChange {
  /** When the event happened; its day in Asia/Shanghai is the day the counts land on. */
  at: Date;
  action: string;
  caseType: string;
  /** Where the problem is (the grid, or the unit holding it for manual dispatch). */
  territory: StatsUnit;
  /** A new case was taken in (territory: received). */
  received?: boolean;
  /** Units the case was just given to (dispatch to a grid/community/street, whistle to departments): assigned. */
  assigned?: Array<StatsUnit & { role: 'owner' | 'lead' | 'assist' }>;
  /**
   * Assignments that just responded (checked in or first acted), and whether within the response limit.
   * Counted on the day of `assignedAt` (the assignment's own row), so the response rate compares the same
   * assignments in its numerator and denominator.
   */
  responded?: Array<StatsUnit & { assignedAt: Date; inTime: boolean }>;
  /** The case was resolved by this unit, within its resolution limit or not. */
  resolved?: StatsUnit & { inTime: boolean };
  /** A return visit was recorded for the result of `resolver`. `noAnswer` is not a rating and is not rated. */
  visited?: { rating: CaseRating; solved: boolean | null; resolver: StatsUnit };
  /** The case was archived: closed, or merged into another (territory: closed). */
  closed?: boolean;
  /**
   * With `received`: the new case's channel and category (second-level, or none yet), counted in the monthly
   * breakdown (case_stats_breakdown) under its top-level category.
   */
  intake?: { channel: string; categoryId: number | null };
  /**
   * The case's category changed (classify): in the breakdown it moves from the old top-level category to the
   * new one (nothing when both have the same parent), in the month it was taken in.
   */
  recategorised?: { createdAt: Date; channel: string; from: number | null; to: number | null };
}

/** Rollup days are days in this time zone (the week, month and year of reports too). */
export const STATS_TIME_ZONE = 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: STATS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The 'YYYY-MM-DD' day of an instant in Asia/Shanghai. */
export function statsDay(at: Date): string {
  return dayFormat.format(at);
}

/** The 'YYYY-MM-01' first day of the month of an instant in Asia/Shanghai (the breakdown's month). */
export function statsMonth(at: Date): string {
  return `${statsDay(at).slice(0, 7)}-01`;
}

const RATING_COUNTER: Record<CaseRating, StatsCounter> = {
  satisfied: 'satisfied',
  partlySatisfied: 'partly_satisfied',
  dissatisfied: 'dissatisfied',
  noAnswer: 'no_answer',
};

interface PendingRow {
  unitId: number;
  path: string;
  day: string;
  dimension: StatsDimension;
  counts: Partial<Record<StatsCounter, number>>;
}

/** The rollup rows one event touches, with what to add to each (rows merged, so one upsert touches a row once). */
export function statsRows(change: CaseStatsChange): PendingRow[] {
  const rows = new Map<string, PendingRow>();
  const add = (unit: StatsUnit, dimension: StatsDimension, at: Date, counters: StatsCounter[]) => {
    const day = statsDay(at);
    const key = `${unit.unitId}|${day}|${dimension}`;
    let row = rows.get(key);
    if (!row) {
      row = { unitId: unit.unitId, path: unit.path, day, dimension, counts: {} };
      rows.set(key, row);
    }
    for (const c of counters) row.counts[c] = (row.counts[c] ?? 0) + 1;
  };
  const both = (handler: StatsUnit, at: Date, counters: StatsCounter[]) => {
    add(change.territory, 'territory', at, counters);
    add(handler, 'handler', at, counters);
  };
  if (change.received) add(change.territory, 'territory', change.at, ['received']);
  for (const a of change.assigned ?? []) both(a, change.at, ['assigned']);
  for (const r of change.responded ?? []) {
    both(r, r.assignedAt, r.inTime ? ['responded', 'responded_in_time'] : ['responded']);
  }
  if (change.resolved) {
    both(change.resolved, change.at, change.resolved.inTime ? ['resolved', 'resolved_in_time'] : ['resolved']);
  }
  if (change.visited) {
    const { rating, solved, resolver } = change.visited;
    const counters: StatsCounter[] = ['visited', RATING_COUNTER[rating]];
    if (rating !== 'noAnswer' && solved === true) counters.push('solved');
    both(resolver, change.at, counters);
  }
  if (change.closed) add(change.territory, 'territory', change.at, ['closed']);
  // One order for every transaction, so two events upserting the same rows lock them in the same order.
  return [...rows.values()].sort(
    (a, b) => a.unitId - b.unitId || a.day.localeCompare(b.day) || a.dimension.localeCompare(b.dimension),
  );
}

/**
 * Updates the statistics rollups for one event: one upsert that adds the event's counts to each touched
 * (unit, day, case type, dimension) row, in the caller's transaction — the counts commit or roll back with
 * the event.
 */
export async function recordCaseStats(trx: Trx, change: CaseStatsChange): Promise<void> {
  await recordBreakdown(trx, change);
  const rows = statsRows(change);
  if (rows.length === 0) return;
  const values = rows.map((r) => {
    const row = {
      unit_id: r.unitId,
      unit_path: r.path,
      day: r.day,
      case_type: change.caseType,
      dimension: r.dimension,
    } as Record<string, unknown>;
    for (const c of STATS_COUNTERS) row[c] = r.counts[c] ?? 0;
    return row as never;
  });
  const set = Object.fromEntries(
    STATS_COUNTERS.map((c) => [c, sql`case_stats_daily.${sql.ref(c)} + excluded.${sql.ref(c)}`]),
  );
  await trx
    .insertInto('case_stats_daily')
    .values(values)
    .onConflict((oc) => oc.columns(['unit_id', 'day', 'case_type', 'dimension']).doUpdateSet(set as never))
    .execute();
}

/**
 * The monthly breakdown by top-level category and channel (case_stats_breakdown): +1 for a new case, −1/+1
 * when a change of category moves it to another top-level category. One statement: the categories' parents
 * are looked up in it, the moves netted (a move within one top-level category writes nothing) and the touched
 * rows upserted in category order (so concurrent transactions lock them in the same order).
 */
async function recordBreakdown(trx: Trx, change: CaseStatsChange): Promise<void> {
  let moves: Array<[number | null, number]>;
  let at: Date;
  let channel: string;
  if (change.received && change.intake) {
    moves = [[change.intake.categoryId, 1]];
    at = change.at;
    channel = change.intake.channel;
  } else if (change.recategorised && change.recategorised.from !== change.recategorised.to) {
    moves = [
      [change.recategorised.from, -1],
      [change.recategorised.to, 1],
    ];
    at = change.recategorised.createdAt;
    channel = change.recategorised.channel;
  } else {
    return;
  }
  const values = sql.join(moves.map(([id, delta]) => sql`(${id}::int, ${delta}::int)`));
  await sql`
    INSERT INTO case_stats_breakdown AS b (unit_id, unit_path, month, case_type, category_id, channel, received)
    SELECT ${change.territory.unitId}::int, ${change.territory.path}::text, ${statsMonth(at)}::date,
           ${change.caseType}::text, top.id, ${channel}::text, sum(v.delta)
      FROM (VALUES ${values}) AS v (category_id, delta)
      CROSS JOIN LATERAL (SELECT coalesce((SELECT coalesce(c.parent_id, c.id) FROM case_categories c
                                            WHERE c.id = v.category_id), 0) AS id) top
     GROUP BY top.id
    HAVING sum(v.delta) <> 0
     ORDER BY top.id
    ON CONFLICT (unit_id, month, case_type, category_id, channel)
    DO UPDATE SET received = b.received + excluded.received`.execute(trx);
}
