import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, unitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { statsDay } from './case-stats.ts';
import {
  type CounterSums,
  casesByCategory,
  caseTypeName,
  currentCounts,
  emptySums,
  findUnit,
  type ReportUnit,
  sumStats,
  sumStatsByUnit,
  unitsOfKinds,
} from './metrics.repository.ts';
import type {
  Bulletin,
  Counts,
  Formulas,
  LeagueTable,
  Ledger,
  LedgerCounts,
  RankingLevel,
  RankingRow,
  Rankings,
  Rates,
} from './metrics.schema.ts';
import { MAX_RANGE_DAYS } from './metrics.schema.ts';
import { STATS_COUNTERS, type StatsDimension } from './metrics.tables.ts';

export interface MetricsSettings {
  partlySatisfiedWeight: number;
  rankingMinVolume: number;
}

// ---------------------------------------------------------------------------------------------------------
// Periods: days in Asia/Shanghai; weeks run Monday–Sunday.

export type PeriodKind = 'week' | 'month' | 'year';
export interface Period {
  kind: PeriodKind | 'range';
  from: string;
  to: string;
  label: string;
}

const asUtc = (day: string) => new Date(`${day}T00:00:00Z`);
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => ymd(new Date(asUtc(day).getTime() + n * 86_400_000));

/** A real calendar day (z.iso.date checks the shape; this checks e.g. 2026-02-30 does not exist). */
export function checkDay(day: string, field: string): string {
  if (ymd(asUtc(day)) !== day) throw badRequest(`${day} is not a day of the calendar`, { field });
  return day;
}

export function periodOf(kind: PeriodKind, day: string): Period {
  const d = asUtc(day);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  if (kind === 'week') {
    const from = addDays(day, -((d.getUTCDay() + 6) % 7));
    const to = addDays(from, 6);
    return { kind, from, to, label: `${zhDay(from)}—${zhDay(to)}` };
  }
  if (kind === 'month') {
    const from = ymd(new Date(Date.UTC(y, m, 1)));
    const to = ymd(new Date(Date.UTC(y, m + 1, 0)));
    return { kind, from, to, label: `${y}年${m + 1}月` };
  }
  return { kind, from: `${y}-01-01`, to: `${y}-12-31`, label: `${y}年` };
}

/** The days from `from` to `to` (inclusive), checked: real days, in order, at most MAX_RANGE_DAYS. */
export function rangePeriod(from: string, to: string): Period {
  checkDay(from, 'from');
  checkDay(to, 'to');
  if (from > to) throw badRequest('from must not be after to', { field: 'from' });
  const days = (asUtc(to).getTime() - asUtc(from).getTime()) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS) throw badRequest(`At most ${MAX_RANGE_DAYS} days at a time`, { field: 'from' });
  return { kind: 'range', from, to, label: from === to ? zhDay(from) : `${zhDay(from)}—${zhDay(to)}` };
}

/** A period, or — when `from` and `to` are given — a range of days. */
function periodOrRange(
  input: { period: PeriodKind; date?: string | undefined; from?: string | undefined; to?: string | undefined },
  now: Date,
): Period {
  if (input.from !== undefined || input.to !== undefined) {
    if (input.from === undefined || input.to === undefined) {
      throw badRequest('Give both from and to', { field: input.from === undefined ? 'from' : 'to' });
    }
    if (input.date !== undefined) throw badRequest('Give either a date or a range (from, to)', { field: 'date' });
    return rangePeriod(input.from, input.to);
  }
  return periodOf(input.period, checkDay(input.date ?? today(now), 'date'));
}

function zhDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The instant a day starts in Asia/Shanghai (no daylight saving since 1991). */
export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

export function today(now: Date): string {
  return statsDay(now);
}

// ---------------------------------------------------------------------------------------------------------
// Rates and formulas.

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const ratio = (num: number, den: number) => (den === 0 ? null : round4(num / den));

export function countsOf(s: CounterSums): Counts {
  return {
    received: s.received,
    assigned: s.assigned,
    responded: s.responded,
    respondedInTime: s.responded_in_time,
    resolved: s.resolved,
    resolvedInTime: s.resolved_in_time,
    visited: s.visited,
    answered: s.satisfied + s.partly_satisfied + s.dissatisfied,
    solved: s.solved,
    satisfied: s.satisfied,
    partlySatisfied: s.partly_satisfied,
    dissatisfied: s.dissatisfied,
    noAnswer: s.no_answer,
    closed: s.closed,
  };
}

export function ratesOf(c: Counts, weight: number): Rates {
  return {
    responseRate: ratio(c.respondedInTime, c.assigned),
    resolutionRate: ratio(c.solved, c.answered),
    satisfactionRate: ratio(c.satisfied + weight * c.partlySatisfied, c.answered),
  };
}

/** Composite score of a ranking: the mean of the rates that are not null (null when none is). */
export function scoreOf(r: Rates): number | null {
  const present = [r.responseRate, r.resolutionRate, r.satisfactionRate].filter((x): x is number => x !== null);
  return present.length === 0 ? null : round4(present.reduce((a, b) => a + b, 0) / present.length);
}

/** The formulas, exactly as computed, for the responses, the OpenAPI descriptions and the Excel note rows. */
export function formulasFor(weight: number): Formulas {
  return {
    responseRate: {
      zh:
        '响应率 = 统计期内派发的任务中在响应时限内签收或首次处理的数量 ÷ 统计期内派发的任务数' +
        '（按派发日统计；派发指派给网格/社区/街道、吹哨给牵头和协办部门、重办；无派发时为空）',
      en:
        'responseRate = assignments given in the period that were answered (checked in or first acted on) within ' +
        'their response limit ÷ assignments given in the period (counted on the day of assignment; an assignment ' +
        'is a dispatch to a grid/community/street, a whistle to a lead or assisting department, or a reopening; ' +
        'null when there is none)',
    },
    resolutionRate: {
      zh: '解决率 = 统计期内回访答复“已解决”的数量 ÷ 统计期内有答复的回访数（未答复不计入；无答复时为空）',
      en:
        'resolutionRate = return visits in the period answering solved = yes ÷ return visits in the period with ' +
        'an answer (noAnswer excluded; null when there is none)',
    },
    satisfactionRate: {
      zh:
        `满意率 = (满意数 + ${weight} × 基本满意数) ÷ 有答复的回访数（满意 + 基本满意 + 不满意；` +
        '未答复不计入；无答复时为空）',
      en:
        `satisfactionRate = (satisfied + ${weight} × partlySatisfied) ÷ return visits in the period with an answer ` +
        '(satisfied + partlySatisfied + dissatisfied; noAnswer excluded; null when there is none)',
    },
    score: {
      zh: '综合得分 = 三率中有值者的算术平均；得分相同者名次相同',
      en: 'score = the mean of the three rates that are not null; equal scores share a rank',
    },
    volume: {
      zh: '件数：辖区（街道、社区、网格）为统计期内受理的案件数，部门为统计期内派给本部门的任务数；不足最低件数的单位单列，不参与排名',
      en:
        'volume: for places (streets, communities, grids) the cases taken in during the period, for departments ' +
        'the assignments given to them; units below the minimum volume are listed apart and never ranked',
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Which unit a report is about.

const LEVEL_KINDS: Record<RankingLevel, readonly UnitKind[]> = {
  street: ['street', 'town'],
  community: ['community', 'village'],
  grid: ['grid'],
  department: ['department'],
};

/** The level ranked below a unit when none is asked for. */
function childLevel(kind: UnitKind): RankingLevel | null {
  if (kind === 'city' || kind === 'district') return 'street';
  if (kind === 'street' || kind === 'town') return 'community';
  if (kind === 'community' || kind === 'village') return 'grid';
  return null;
}

export function dimensionOf(kind: UnitKind): StatsDimension {
  return kind === 'department' ? 'handler' : 'territory';
}

/**
 * The unit a report is about: the one asked for, or the unit of my first metrics.read grant. Outside my
 * metrics.read scope it does not exist (404).
 */
export async function reportUnit(q: Queryable, actor: Actor, unitId: number | undefined): Promise<ReportUnit> {
  const scope = unitScope(actor, 'metrics.read');
  const id = unitId ?? actor.grants.find((g) => g.permissions.has('metrics.read'))?.unitId;
  const unit = id === undefined ? undefined : await findUnit(q, id);
  if (!unit || !scopeCoversPath(scope, unit.id, unit.path)) throw notFound('Unit');
  const subtree =
    scope.kind === 'all' || (scope.kind === 'some' && scope.subtreePaths.some((p) => unit.path.startsWith(p)));
  return { id: unit.id, name: unit.name, kind: unit.kind, path: unit.path, subtree };
}

const unitRef = (u: { id: number; name: string; kind: UnitKind }) => ({ id: u.id, name: u.name, kind: u.kind });

async function checkCaseType(q: Queryable, caseType: string | undefined): Promise<string | null> {
  if (!caseType) return null;
  if (!(await caseTypeName(q, caseType))) throw badRequest('Unknown case type', { field: 'caseType' });
  return caseType;
}

// ---------------------------------------------------------------------------------------------------------
// Reports.

export async function threeRates(
  q: Queryable,
  actor: Actor,
  settings: MetricsSettings,
  input: {
    unitId?: number | undefined;
    period: PeriodKind;
    date?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    caseType?: string | undefined;
    dimension?: StatsDimension | undefined;
  },
  now: Date,
) {
  const unit = await reportUnit(q, actor, input.unitId);
  const caseType = await checkCaseType(q, input.caseType);
  const period = periodOrRange(input, now);
  const dimension = input.dimension ?? dimensionOf(unit.kind);
  const counts = countsOf(await sumStats(q, { dimension, from: period.from, to: period.to, caseType, unit }));
  const w = settings.partlySatisfiedWeight;
  return {
    unit: unitRef(unit),
    dimension,
    period,
    caseType,
    counts,
    rates: ratesOf(counts, w),
    partlySatisfiedWeight: w,
    formulas: formulasFor(w),
  };
}

interface RankingInput {
  level?: RankingLevel | undefined;
  within?: number | undefined;
  caseType?: string | undefined;
  minVolume?: number | undefined;
}

/** Ranks rows by score (desc); equal scores share a rank (1, 2, 2, 4); units with no rate come last, unranked. */
function rank(rows: Omit<RankingRow, 'rank'>[]): RankingRow[] {
  const sorted = [...rows].sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) || b.volume - a.volume || a.unit.name.localeCompare(b.unit.name, 'zh-CN'),
  );
  return sorted.map((row) => ({
    ...row,
    rank: row.score === null ? null : 1 + sorted.filter((o) => o.score !== null && o.score > row.score!).length,
  }));
}

async function rankingFor(
  q: Queryable,
  actor: Actor,
  settings: MetricsSettings,
  within: ReportUnit,
  level: RankingLevel,
  period: Pick<Period, 'from' | 'to'>,
  caseType: string | null,
  minVolume: number,
): Promise<{ rows: RankingRow[]; belowMinimum: RankingRow[]; dimension: StatsDimension }> {
  const dimension: StatsDimension = level === 'department' ? 'handler' : 'territory';
  const scope = unitScope(actor, 'metrics.read');
  const units = await unitsOfKinds(q, within, LEVEL_KINDS[level], scope);
  const byPath = new Map(units.map((u) => [u.path, emptySums()]));
  const rows = await sumStatsByUnit(q, { dimension, from: period.from, to: period.to, caseType, unit: within });
  for (const row of rows) {
    // Add the row to every ranked unit it lies under (the unit itself or an ancestor): walk its path's prefixes.
    let end = row.path.indexOf('/', 1);
    while (end !== -1) {
      const acc = byPath.get(row.path.slice(0, end + 1));
      if (acc) for (const c of STATS_COUNTERS) acc[c] += row[c];
      end = row.path.indexOf('/', end + 1);
    }
  }
  const w = settings.partlySatisfiedWeight;
  const entries = units
    .map((u) => {
      const counts = countsOf(byPath.get(u.path)!);
      const rates = ratesOf(counts, w);
      const volume = dimension === 'handler' ? counts.assigned : counts.received;
      return { active: u.active, unit: unitRef(u), volume, counts, rates, score: scoreOf(rates) };
    })
    // A deactivated unit stays in the table for the periods it had cases.
    .filter((e) => e.active || e.volume > 0 || e.counts.visited > 0)
    .map(({ active: _, ...e }) => e);
  const eligible = entries.filter((e) => e.volume >= minVolume);
  const below = entries
    .filter((e) => e.volume < minVolume)
    .sort((a, b) => b.volume - a.volume || a.unit.name.localeCompare(b.unit.name, 'zh-CN'))
    .map((e) => ({ ...e, rank: null }));
  return { rows: rank(eligible), belowMinimum: below, dimension };
}

function levelOrDefault(within: ReportUnit, level: RankingLevel | undefined): RankingLevel {
  const chosen = level ?? childLevel(within.kind);
  if (!chosen) throw badRequest(`Choose a level to rank below ${within.name}`, { field: 'level' });
  return chosen;
}

export async function rankings(
  q: Queryable,
  actor: Actor,
  settings: MetricsSettings,
  input: RankingInput & {
    period: PeriodKind;
    date?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
  now: Date,
): Promise<Rankings> {
  const within = await reportUnit(q, actor, input.within);
  const caseType = await checkCaseType(q, input.caseType);
  const level = levelOrDefault(within, input.level);
  const period = periodOrRange(input, now);
  const minVolume = input.minVolume ?? settings.rankingMinVolume;
  const result = await rankingFor(q, actor, settings, within, level, period, caseType, minVolume);
  return {
    level,
    within: unitRef(within),
    dimension: result.dimension,
    period,
    caseType,
    minVolume,
    rows: result.rows,
    belowMinimum: result.belowMinimum,
    partlySatisfiedWeight: settings.partlySatisfiedWeight,
    formulas: formulasFor(settings.partlySatisfiedWeight),
  };
}

/** 一月一晾晒: the month's ranking with each unit's rank and score of the month before. */
export async function leagueTable(
  q: Queryable,
  actor: Actor,
  settings: MetricsSettings,
  input: RankingInput & { month?: string | undefined },
  now: Date,
): Promise<LeagueTable> {
  const month = input.month ?? today(now).slice(0, 7);
  const current = await rankings(q, actor, settings, { ...input, period: 'month', date: `${month}-01` }, now);
  const previousPeriod = periodOf('month', addDays(current.period.from, -1));
  const within = await reportUnit(q, actor, input.within);
  const previous = await rankingFor(
    q,
    actor,
    settings,
    within,
    current.level,
    previousPeriod,
    current.caseType,
    current.minVolume,
  );
  const before = new Map([...previous.rows, ...previous.belowMinimum].map((r) => [r.unit.id, r]));
  const withChange = (row: RankingRow) => {
    const p = before.get(row.unit.id);
    return {
      ...row,
      previous: p ? { rank: p.rank, score: p.score } : null,
      rankChange: p?.rank != null && row.rank !== null ? p.rank - row.rank : null,
      scoreChange: p?.score != null && row.score !== null ? round4(row.score - p.score) : null,
    };
  };
  return {
    ...current,
    month,
    previousPeriod,
    rows: current.rows.map(withChange),
    belowMinimum: current.belowMinimum.map(withChange),
  };
}

/** 一周一通报: the week's counts and rates, where things stand now, the top categories and the best and worst units. */
export async function bulletin(
  q: Queryable,
  actor: Actor,
  settings: MetricsSettings,
  input: {
    week?: string | undefined;
    within?: number | undefined;
    caseType?: string | undefined;
    minVolume?: number | undefined;
  },
  now: Date,
): Promise<Bulletin> {
  const unit = await reportUnit(q, actor, input.within);
  if (unit.kind === 'department') {
    throw badRequest('A bulletin covers a territory; departments are compared in the rankings', { field: 'within' });
  }
  const caseType = await checkCaseType(q, input.caseType);
  const period = periodOf('week', checkDay(input.week ?? today(now), 'week'));
  const w = settings.partlySatisfiedWeight;
  const counts = countsOf(
    await sumStats(q, { dimension: 'territory', from: period.from, to: period.to, caseType, unit }),
  );
  const slice = { actor, within: unit, caseType };
  const current = await currentCounts(q, slice, now);
  const categories = await casesByCategory(
    q,
    slice,
    { from: startOfDay(period.from), to: startOfDay(addDays(period.to, 1)) },
    now,
  );
  const topCategories = categories
    .sort((a, b) => b.collected - a.collected || (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN'))
    .slice(0, 5)
    .map((c) => ({
      category: c.categoryId === null ? null : { id: c.categoryId, name: c.name ?? '', parentName: c.parentName },
      received: c.collected,
    }));
  const level = childLevel(unit.kind);
  const minVolume = input.minVolume ?? settings.rankingMinVolume;
  let ranking: Bulletin['ranking'] = null;
  if (level) {
    const ranked = (await rankingFor(q, actor, settings, unit, level, period, caseType, minVolume)).rows.filter(
      (r) => r.rank !== null,
    );
    // Up to three at each end, never the same unit at both (a lone ranked unit is only the best).
    const n = Math.min(3, Math.floor(ranked.length / 2));
    ranking = {
      level,
      minVolume,
      best: ranked.slice(0, ranked.length === 1 ? 1 : n),
      worst: ranked.slice(ranked.length - n).reverse(),
    };
  }
  return {
    unit: unitRef(unit),
    period,
    caseType,
    counts,
    rates: ratesOf(counts, w),
    resolvedLate: counts.resolved - counts.resolvedInTime,
    now: { asOf: now.toISOString(), ...current },
    topCategories,
    ranking,
    partlySatisfiedWeight: w,
    formulas: formulasFor(w),
  };
}

export const LEDGER_FORMULAS = {
  resolutionRate: {
    zh: '办结率 = 已办结数 ÷ 收集数（收集数为统计期内受理的该类案件，不含被合并的重复件；已办结指已办理完毕，含待回访；收集数为0时为空）',
    en:
      'resolutionRate = resolved ÷ collected (collected: cases of the type taken in during the period, merged ' +
      'duplicates left out; resolved: handled to the end, waiting for the visit or closed after it; null when ' +
      'nothing was collected)',
  },
  overdue: {
    zh: '超期 = 办理中且已超过当前时限（响应或办理时限）的案件数（按查询时刻统计）',
    en: 'overdue = cases in progress that are past the time limit now running (response or resolution), as of now',
  },
};

/** 台账: cases of one type taken in over a range of days, by category, with where each stands now. */
export async function ledger(
  q: Queryable,
  actor: Actor,
  input: { caseType: string; within?: number | undefined; from?: string | undefined; to?: string | undefined },
  now: Date,
): Promise<Ledger> {
  const unit = await reportUnit(q, actor, input.within);
  if (unit.kind === 'department') {
    throw badRequest('A ledger covers a territory: choose a street, community or district', { field: 'within' });
  }
  const typeName = await caseTypeName(q, input.caseType);
  if (!typeName) throw badRequest('Unknown case type', { field: 'caseType' });
  const from = input.from === undefined ? null : checkDay(input.from, 'from');
  const to = checkDay(input.to ?? today(now), 'to');
  if (from && from > to) throw badRequest('from must not be after to', { field: 'from' });
  const rows = await casesByCategory(
    q,
    { actor, within: unit, caseType: input.caseType },
    { from: from ? startOfDay(from) : null, to: startOfDay(addDays(to, 1)) },
    now,
  );
  const withRate = (c: Omit<LedgerCounts, 'resolutionRate' | 'closedUnresolved'>): LedgerCounts => ({
    collected: c.collected,
    resolved: c.resolved,
    resolutionRate: ratio(c.resolved, c.collected),
    inProgress: c.inProgress,
    overdue: c.overdue,
    closedUnresolved: c.collected - c.resolved - c.inProgress,
  });
  const total = rows.reduce(
    (t, r) => ({
      collected: t.collected + r.collected,
      resolved: t.resolved + r.resolved,
      inProgress: t.inProgress + r.inProgress,
      overdue: t.overdue + r.overdue,
    }),
    { collected: 0, resolved: 0, inProgress: 0, overdue: 0 },
  );
  return {
    unit: unitRef(unit),
    caseType: input.caseType,
    caseTypeName: typeName,
    period: { from, to, label: from ? `${zhDay(from)}—${zhDay(to)}` : `截至${zhDay(to)}` },
    asOf: now.toISOString(),
    rows: rows
      .sort((a, b) => b.collected - a.collected || (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN'))
      .map((r) => ({
        category: r.categoryId === null ? null : { id: r.categoryId, name: r.name ?? '', parentName: r.parentName },
        ...withRate(r),
      })),
    total: withRate(total),
    formulas: LEDGER_FORMULAS,
  };
}
