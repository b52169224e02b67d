import { type ExpressionBuilder, sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB, UnitKind } from '../../db/schema.ts';
import { caseCondition } from '../cases/cases.access.ts';
import { STATS_COUNTERS, type StatsCounter, type StatsDimension } from './metrics.tables.ts';

/** A unit a report is about, and whether the actor's scope covers its whole subtree or only the unit itself. */
export interface ReportUnit {
  id: number;
  name: string;
  kind: UnitKind;
  path: string;
  /** False for a 'unit'-scope grant (a department handler): only the unit's own rows are counted. */
  subtree: boolean;
}

export type CounterSums = Record<StatsCounter, number>;

export interface StatsFilter {
  dimension: StatsDimension;
  /** First and last day, inclusive, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  caseType: string | null;
  unit: ReportUnit;
}

export function emptySums(): CounterSums {
  return Object.fromEntries(STATS_COUNTERS.map((c) => [c, 0])) as CounterSums;
}

function statsQuery(q: Queryable, f: StatsFilter) {
  let query = q
    .selectFrom('case_stats_daily')
    .where('dimension', '=', f.dimension)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to);
  query = f.unit.subtree
    ? query.where('unit_path', 'like', `${escapeLike(f.unit.path)}%`)
    : query.where('unit_id', '=', f.unit.id);
  if (f.caseType) query = query.where('case_type', '=', f.caseType);
  return query;
}

const sums = (eb: ExpressionBuilder<DB, 'case_stats_daily'>) =>
  STATS_COUNTERS.map((c) => eb.fn.coalesce(eb.fn.sum<number>(c), sql<number>`0`).as(c));

/** The counters summed over the unit's subtree (or the unit alone) and the days: one index range scan. */
export async function sumStats(q: Queryable, f: StatsFilter): Promise<CounterSums> {
  const row = await statsQuery(q, f).select(sums).executeTakeFirst();
  const out = emptySums();
  if (row) for (const c of STATS_COUNTERS) out[c] = Number(row[c]);
  return out;
}

/** The counters of every unit with rows in the subtree, summed over the days (for rankings). */
export async function sumStatsByUnit(q: Queryable, f: StatsFilter): Promise<Array<{ path: string } & CounterSums>> {
  const rows = await statsQuery(q, f)
    .select((eb) => [eb.ref('unit_path').as('path'), ...sums(eb)])
    .groupBy('unit_path')
    .execute();
  return rows.map((r) => {
    const out = { path: r.path, ...emptySums() };
    for (const c of STATS_COUNTERS) out[c] = Number(r[c]);
    return out;
  });
}

export async function findUnit(q: Queryable, id: number) {
  return q.selectFrom('units').select(['id', 'name', 'kind', 'path']).where('id', '=', id).executeTakeFirst();
}

/** Units of the given kinds in the report unit's subtree that the scope covers, in tree order. */
export async function unitsOfKinds(q: Queryable, within: ReportUnit, kinds: readonly UnitKind[], scope: UnitScope) {
  let query = q
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'path', 'active', 'sort_order'])
    .where('kind', 'in', [...kinds])
    .where((eb) => unitCondition(eb, scope, 'path', 'id'));
  query = within.subtree
    ? query.where('path', 'like', `${escapeLike(within.path)}%`)
    : query.where('id', '=', within.id);
  return query.orderBy('path').execute();
}

export interface CaseSlice {
  actor: Actor;
  within: ReportUnit;
  caseType: string | null;
}

/** Cases whose territory is the report unit's subtree, that the actor may read (metrics.read). */
function sliceConditions<O>(
  query: import('kysely').SelectQueryBuilder<DB, 'cases', O>,
  s: CaseSlice,
): import('kysely').SelectQueryBuilder<DB, 'cases', O> {
  let out = s.within.subtree
    ? query.where('cases.territory_path', 'like', `${escapeLike(s.within.path)}%`)
    : query.where('cases.territory_unit_id', '=', s.within.id);
  if (s.caseType) out = out.where('cases.case_type', '=', s.caseType);
  return out.where((eb) => caseCondition(eb, s.actor, 'metrics.read'));
}

/** The counters of open cases now: overdue = past the time limit now running (response or resolution). */
function openNowCounters(now: Date) {
  return [
    sql<number>`count(*)`.as('open'),
    sql<number>`count(*) FILTER (WHERE cases.due_at < ${now})`.as('overdue'),
    sql<number>`count(*) FILTER (WHERE cases.colour = 'red')`.as('red'),
    sql<number>`count(*) FILTER (WHERE cases.supervised)`.as('supervised'),
  ];
}

/** Open cases now: not closed, and not resolved and waiting for the visit (the covering partial index). */
function openNow(q: Queryable, s: CaseSlice) {
  return sliceConditions(
    q.selectFrom('cases').where('cases.closed_at', 'is', null).where('cases.state', '<>', 'resolved'),
    s,
  );
}

const countsOf = (r: { open: number; overdue: number; red: number; supervised: number }) => ({
  open: Number(r.open),
  overdue: Number(r.overdue),
  red: Number(r.red),
  supervised: Number(r.supervised),
});

/** Open cases now in the slice: how many, past their time limit, red, under supervision. */
export async function currentCounts(q: Queryable, s: CaseSlice, now: Date) {
  return countsOf(await openNow(q, s).select(openNowCounters(now)).executeTakeFirstOrThrow());
}

export interface CategoryCounts {
  categoryId: number | null;
  name: string | null;
  parentName: string | null;
  collected: number;
  resolved: number;
  inProgress: number;
  overdue: number;
}

/**
 * Cases taken in between two instants, by category, with where they stand now (merged duplicates left out):
 * resolved (resolved_at set: waiting for the visit or closed after it), in progress (open, not resolved),
 * overdue (in progress and past the time limit now running). Reads the cases of the type and days only.
 */
export async function casesByCategory(
  q: Queryable,
  s: CaseSlice,
  range: { from: Date | null; to: Date },
  now: Date,
): Promise<CategoryCounts[]> {
  let query = q
    .selectFrom('cases')
    .leftJoin('case_categories as c', 'c.id', 'cases.category_id')
    .leftJoin('case_categories as p', 'p.id', 'c.parent_id')
    .select([
      'cases.category_id as categoryId',
      'c.name as name',
      'p.name as parentName',
      sql<number>`count(*)`.as('collected'),
      sql<number>`count(*) FILTER (WHERE cases.resolved_at IS NOT NULL)`.as('resolved'),
      sql<number>`count(*) FILTER (WHERE cases.closed_at IS NULL AND cases.resolved_at IS NULL)`.as('inProgress'),
      sql<number>`count(*) FILTER (WHERE cases.closed_at IS NULL AND cases.resolved_at IS NULL
                                   AND cases.due_at < ${now})`.as('overdue'),
    ])
    .where('cases.created_at', '<', range.to)
    .where('cases.state', '<>', 'merged')
    .groupBy(['cases.category_id', 'c.name', 'p.name']);
  if (range.from) query = query.where('cases.created_at', '>=', range.from);
  const rows = await sliceConditions(query, s).execute();
  return rows.map((r) => ({
    categoryId: r.categoryId,
    name: r.name,
    parentName: r.parentName,
    collected: Number(r.collected),
    resolved: Number(r.resolved),
    inProgress: Number(r.inProgress),
    overdue: Number(r.overdue),
  }));
}

export async function caseTypeName(q: Queryable, code: string): Promise<string | null> {
  const row = await q.selectFrom('case_types').select('name').where('code', '=', code).executeTakeFirst();
  return row?.name ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// The dashboards' overview.

/** Received, resolved and closed per day over the unit's subtree (territory rollups): one range scan. */
export async function statsByDay(q: Queryable, f: StatsFilter) {
  const rows = await statsQuery(q, f)
    .select((eb) => [
      sql<string>`day::text`.as('day'),
      eb.fn.sum<number>('received').as('received'),
      eb.fn.sum<number>('resolved').as('resolved'),
      eb.fn.sum<number>('closed').as('closed'),
    ])
    .groupBy('day')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    received: Number(r.received),
    resolved: Number(r.resolved),
    closed: Number(r.closed),
  }));
}

/**
 * Cases taken in over whole months (first days of the months, inclusive) by top-level category (0: not
 * classified) and channel, from the monthly breakdown: one index-only range scan.
 */
export async function breakdownByCategoryAndChannel(
  q: Queryable,
  f: { unit: ReportUnit; fromMonth: string; toMonth: string; caseType: string | null },
) {
  let query = q
    .selectFrom('case_stats_breakdown')
    .select((eb) => ['category_id', 'channel', eb.fn.sum<number>('received').as('received')])
    .where('month', '>=', f.fromMonth)
    .where('month', '<=', f.toMonth);
  query = f.unit.subtree
    ? query.where('unit_path', 'like', `${escapeLike(f.unit.path)}%`)
    : query.where('unit_id', '=', f.unit.id);
  if (f.caseType) query = query.where('case_type', '=', f.caseType);
  const rows = await query.groupBy(['category_id', 'channel']).execute();
  return rows.map((r) => ({ categoryId: r.category_id, channel: r.channel, received: Number(r.received) }));
}

export async function categoryNames(q: Queryable, ids: number[]) {
  if (ids.length === 0) return [];
  return q.selectFrom('case_categories').select(['id', 'name', 'name_en']).where('id', 'in', ids).execute();
}

/** The same counts as `currentCounts`, per territory path (where the cases are). */
export async function currentCountsByPath(q: Queryable, s: CaseSlice, now: Date) {
  const rows = await openNow(q, s)
    .select(['cases.territory_path as path', ...openNowCounters(now)])
    .groupBy('cases.territory_path')
    .execute();
  return rows.map((r) => ({ path: r.path, ...countsOf(r) }));
}

/** The unit's children of the given kinds that the scope covers, in display order. */
export async function childUnitsOfKinds(
  q: Queryable,
  parent: ReportUnit,
  kinds: readonly UnitKind[],
  scope: UnitScope,
) {
  if (!parent.subtree) return [];
  return q
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'path', 'active'])
    .where('parent_id', '=', parent.id)
    .where('kind', 'in', [...kinds])
    .where((eb) => unitCondition(eb, scope, 'path', 'id'))
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}
