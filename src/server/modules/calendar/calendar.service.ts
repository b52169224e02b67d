import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../db/database.ts';
import { type CalendarOverride, type DayKind, WorkCalendar } from './working-time.ts';

/** How long another instance's change to the calendar may go unseen here. */
export const CALENDAR_MAX_STALE_MS = 60_000;

interface CacheState {
  calendar: WorkCalendar | undefined;
  loadedAt: number;
  /** Bumped by every invalidation, so a load that began before a change never caches the old days. */
  generation: number;
}

// One cache per app (keyed by its settings object), so several apps in one process (tests) never share one.
const caches = new WeakMap<Config, CacheState>();

function stateOf(config: Config): CacheState {
  let state = caches.get(config);
  if (!state) {
    state = { calendar: undefined, loadedAt: 0, generation: 0 };
    caches.set(config, state);
  }
  return state;
}

/** Every override, uncached. */
export async function listOverrides(q: Queryable): Promise<CalendarOverride[]> {
  const rows = await q.selectFrom('calendar_days').select(['day', 'kind', 'name']).orderBy('day').execute();
  return rows.map((r) => ({ day: r.day, kind: r.kind, name: r.name }));
}

/** A calendar read from the database now, uncached. */
export async function loadWorkCalendar(q: Queryable, config: Config): Promise<WorkCalendar> {
  return new WorkCalendar({
    overrides: await listOverrides(q),
    workHours: config.workHours,
    timeZone: config.timeZone,
  });
}

/**
 * The working-day calendar for time limits, kept in memory: reloaded (through `q`, so it is safe inside a
 * transaction) when this instance changed a day, or when the copy is more than CALENDAR_MAX_STALE_MS old by
 * `now` (another instance may have changed one). Callers may call it on every transition.
 */
export async function getWorkCalendar(q: Queryable, config: Config, now: Date): Promise<WorkCalendar> {
  const state = stateOf(config);
  const age = Math.abs(now.getTime() - state.loadedAt);
  if (state.calendar && age < CALENDAR_MAX_STALE_MS) return state.calendar;
  const generation = state.generation;
  const calendar = await loadWorkCalendar(q, config);
  if (state.generation === generation) {
    state.calendar = calendar;
    state.loadedAt = now.getTime();
  }
  return calendar;
}

/** Drops the cached calendar; call after the transaction that changed calendar_days has committed. */
export function invalidateWorkCalendar(config: Config): void {
  const state = stateOf(config);
  state.generation += 1;
  state.calendar = undefined;
}

export interface OverrideRow {
  day: string;
  kind: DayKind;
  name: string | null;
  updatedBy: number | null;
  updatedAt: Date;
}

export async function findOverride(q: Queryable, day: string): Promise<OverrideRow | undefined> {
  const row = await q
    .selectFrom('calendar_days')
    .select(['day', 'kind', 'name', 'updated_by', 'updated_at'])
    .where('day', '=', day)
    .executeTakeFirst();
  return row && { day: row.day, kind: row.kind, name: row.name, updatedBy: row.updated_by, updatedAt: row.updated_at };
}

/** Sets (inserts or replaces) the override of one day. */
export async function setOverride(
  q: Queryable,
  day: string,
  value: { kind: DayKind; name: string | null },
  accountId: number,
): Promise<OverrideRow> {
  const row = await q
    .insertInto('calendar_days')
    .values({ day, kind: value.kind, name: value.name, updated_by: accountId })
    .onConflict((oc) =>
      oc
        .column('day')
        .doUpdateSet({ kind: value.kind, name: value.name, updated_by: accountId, updated_at: sql`now()` }),
    )
    .returning(['day', 'kind', 'name', 'updated_by', 'updated_at'])
    .executeTakeFirstOrThrow();
  return { day: row.day, kind: row.kind, name: row.name, updatedBy: row.updated_by, updatedAt: row.updated_at };
}

/** Removes the override of one day; false when there was none. */
export async function removeOverride(q: Queryable, day: string): Promise<boolean> {
  const result = await q.deleteFrom('calendar_days').where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
