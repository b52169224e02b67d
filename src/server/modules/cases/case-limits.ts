import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { WorkCalendar } from '../calendar/working-time.ts';
import type { CaseColour, CaseUrgency } from './cases.tables.ts';

export interface TimeLimit {
  responseMinutes: number;
  resolutionMinutes: number;
  visitMinutes: number;
}

/**
 * The time limit for a case type, category and urgency: the most specific rule wins — the category over its
 * parent over any category, then a given urgency over any urgency. Every type has a catch-all rule
 * (migration 0100); a type without one is a configuration error.
 */
export async function findTimeLimit(
  q: Queryable,
  caseType: string,
  categoryId: number | null,
  urgency: CaseUrgency,
): Promise<TimeLimit> {
  // The category's parent is read inside the same statement: one round trip.
  const parentId = sql<number | null>`(SELECT parent_id FROM case_categories WHERE id = ${categoryId ?? -1})`;
  const row = await q
    .selectFrom('time_limits')
    .select(['response_minutes', 'resolution_minutes', 'visit_minutes'])
    .where('case_type', '=', caseType)
    .where((eb) =>
      eb.or([
        eb('category_id', 'is', null),
        eb('category_id', '=', categoryId ?? -1),
        ...(categoryId ? [eb('category_id', '=', parentId)] : []),
      ]),
    )
    .where((eb) => eb.or([eb('urgency', 'is', null), eb('urgency', '=', urgency)]))
    .orderBy(sql`CASE WHEN category_id = ${categoryId ?? -1} THEN 0 WHEN category_id IS NOT NULL THEN 1 ELSE 2 END`)
    .orderBy(sql`CASE WHEN urgency IS NULL THEN 1 ELSE 0 END`)
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error(`no time limit configured for case type ${caseType}`);
  return {
    responseMinutes: row.response_minutes,
    resolutionMinutes: row.resolution_minutes,
    visitMinutes: row.visit_minutes,
  };
}

/** The moment the colour of a limit turns orange: when `share` of its working time is used. */
export function orangeAt(calendar: WorkCalendar, start: Date, due: Date, share: number): Date {
  const total = calendar.workingMinutesBetween(start, due);
  return calendar.addWorkingMinutes(start, Math.floor(total * share));
}

export interface ColourInput {
  open: boolean;
  /** Resolved, waiting for the visit: the handling limits no longer run, so the colour stands still. */
  frozen: boolean;
  supervised: boolean;
  manualColour: CaseColour | null;
  currentColour: CaseColour;
  orangeAt: Date | null;
  dueAt: Date | null;
}

/**
 * The colour of a case at `now`, and when it next changes by itself (for the colour sweep): red when overdue or
 * under supervision, orange once the configured share of the time is used, green otherwise. A manual colour
 * (task-force items) stands until changed by hand.
 */
export function computeColour(c: ColourInput, now: Date): { colour: CaseColour; nextColourAt: Date | null } {
  if (!c.open || c.frozen) return { colour: c.currentColour, nextColourAt: null };
  if (c.supervised) return { colour: 'red', nextColourAt: null };
  if (c.manualColour) return { colour: c.manualColour, nextColourAt: null };
  if (!c.dueAt) return { colour: 'green', nextColourAt: null };
  if (now >= c.dueAt) return { colour: 'red', nextColourAt: null };
  if (c.orangeAt && now >= c.orangeAt) return { colour: 'orange', nextColourAt: c.dueAt };
  return { colour: 'green', nextColourAt: c.orangeAt ?? c.dueAt };
}

/** Chase cadence of a manual colour: red weekly, orange fortnightly, green monthly (calendar days). */
export const CHASE_CADENCE_DAYS: Record<CaseColour, number> = { red: 7, orange: 14, green: 30 };

export function nextChaseAt(colour: CaseColour, from: Date): Date {
  return new Date(from.getTime() + CHASE_CADENCE_DAYS[colour] * 86_400_000);
}
