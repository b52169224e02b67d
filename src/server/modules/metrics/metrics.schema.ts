import { z } from 'zod';
import { CHANNELS } from '../cases/cases.schema.ts';
import { queryId } from '../people/refs.schema.ts';
import { unitKind } from '../units/units.schema.ts';

export const PERIOD_KINDS = ['week', 'month', 'year'] as const;
export const RANKING_LEVELS = ['street', 'community', 'grid', 'department'] as const;
export type RankingLevel = (typeof RANKING_LEVELS)[number];
export const DIMENSIONS = ['territory', 'handler'] as const;

const day = z.iso
  .date()
  .refine((v) => v >= '2000-01-01' && v <= '2099-12-31', 'a day from 2000 to 2099')
  .meta({ description: 'A day, YYYY-MM-DD (Asia/Shanghai), from 2000 to 2099' });
const month = z
  .string()
  .regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM, from 2000 to 2099')
  .meta({ description: 'A month, YYYY-MM' });
const caseType = z
  .string()
  .regex(/^[a-z][A-Za-z]{1,31}$/)
  .optional()
  .meta({ description: 'Only cases of this type (appeal, enterprise, inspection, task); all types when absent' });
const within = queryId
  .optional()
  .meta({ description: 'The unit whose subtree is reported (in my metrics.read scope); my own unit when absent' });
const level = z
  .enum(RANKING_LEVELS)
  .optional()
  .meta({ description: 'Which units are ranked; the level below `within` when absent' });
const minVolume = z.coerce
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .optional()
  .meta({ description: 'Units with fewer cases (volume) in the period are listed in belowMinimum, unranked' });

/** The longest range of days a report takes (two years). */
export const MAX_RANGE_DAYS = 731;
const rangeFrom = day.optional().meta({
  description: `With \`to\`: the first day of a range of days, instead of a period (at most ${MAX_RANGE_DAYS})`,
});
const rangeTo = day.optional().meta({ description: 'With `from`: the last day of the range (inclusive)' });

export const threeRatesQuery = z.strictObject({
  unitId: within,
  period: z.enum(PERIOD_KINDS).default('month'),
  date: day.optional().meta({ description: 'A day in the period (weeks run Monday–Sunday); today when absent' }),
  from: rangeFrom,
  to: rangeTo,
  caseType,
  dimension: z
    .enum(DIMENSIONS)
    .optional()
    .meta({ description: 'territory for places, handler for departments when absent' }),
});

export const rankingsQuery = z.strictObject({
  level,
  within,
  period: z.enum(PERIOD_KINDS).default('month'),
  date: day.optional(),
  from: rangeFrom,
  to: rangeTo,
  caseType,
  minVolume,
});

export const bulletinQuery = z.strictObject({
  week: day.optional().meta({ description: 'A day in the week (Monday–Sunday); this week when absent' }),
  within,
  caseType,
  minVolume,
});

export const leagueTableQuery = z.strictObject({
  month: month.optional().meta({ description: 'The month, YYYY-MM; this month when absent' }),
  within,
  level,
  caseType,
  minVolume,
});

export const ledgerQuery = z.strictObject({
  caseType: z
    .string()
    .regex(/^[a-z][A-Za-z]{1,31}$/)
    .default('enterprise'),
  within,
  from: day.optional().meta({ description: 'First day of intake counted; from the beginning when absent' }),
  to: day.optional().meta({ description: 'Last day of intake counted; today when absent' }),
});

const text = z.object({ zh: z.string(), en: z.string() });
export const formulas = z.object({
  responseRate: text,
  resolutionRate: text,
  satisfactionRate: text,
  score: text,
  volume: text,
});
export type Formulas = z.infer<typeof formulas>;

export const counts = z.object({
  received: z.number().int(),
  assigned: z.number().int(),
  responded: z.number().int(),
  respondedInTime: z.number().int(),
  resolved: z.number().int(),
  resolvedInTime: z.number().int(),
  visited: z.number().int(),
  /** Visits with an answer: satisfied + partlySatisfied + dissatisfied. */
  answered: z.number().int(),
  solved: z.number().int(),
  satisfied: z.number().int(),
  partlySatisfied: z.number().int(),
  dissatisfied: z.number().int(),
  noAnswer: z.number().int(),
  closed: z.number().int(),
});
export type Counts = z.infer<typeof counts>;

export const rates = z.object({
  responseRate: z.number().nullable(),
  resolutionRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
});
export type Rates = z.infer<typeof rates>;

export const period = z.object({
  kind: z.enum([...PERIOD_KINDS, 'range']),
  from: z.string(),
  to: z.string(),
  label: z.string(),
});

const unitRef = z.object({ id: z.number().int(), name: z.string(), kind: unitKind });

export const threeRatesResponse = z.object({
  unit: unitRef,
  dimension: z.enum(DIMENSIONS),
  period,
  caseType: z.string().nullable(),
  counts,
  rates,
  partlySatisfiedWeight: z.number(),
  formulas,
});

export const rankingRow = z.object({
  rank: z.number().int().nullable(),
  unit: unitRef,
  volume: z.number().int(),
  counts,
  rates,
  score: z.number().nullable(),
});
export type RankingRow = z.infer<typeof rankingRow>;

export const rankingsResponse = z.object({
  level: z.enum(RANKING_LEVELS),
  within: unitRef,
  dimension: z.enum(DIMENSIONS),
  period,
  caseType: z.string().nullable(),
  minVolume: z.number().int(),
  rows: z.array(rankingRow),
  belowMinimum: z.array(rankingRow),
  partlySatisfiedWeight: z.number(),
  formulas,
});
export type Rankings = z.infer<typeof rankingsResponse>;

export const leagueRow = rankingRow.extend({
  previous: z.object({ rank: z.number().int().nullable(), score: z.number().nullable() }).nullable(),
  /** Places moved up since last month (positive: better); null when not ranked in both months. */
  rankChange: z.number().int().nullable(),
  scoreChange: z.number().nullable(),
});

export const leagueTableResponse = rankingsResponse.extend({
  month: z.string(),
  previousPeriod: period,
  rows: z.array(leagueRow),
  belowMinimum: z.array(leagueRow),
});
export type LeagueTable = z.infer<typeof leagueTableResponse>;

const categoryRef = z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable() }).nullable();

export const bulletinResponse = z.object({
  unit: unitRef,
  period,
  caseType: z.string().nullable(),
  counts,
  rates,
  /** Resolved in the week after the resolution deadline. */
  resolvedLate: z.number().int(),
  /** At `asOf`: open cases past the time limit now running, red cases and cases under supervision. */
  now: z.object({
    asOf: z.string(),
    open: z.number().int(),
    overdue: z.number().int(),
    red: z.number().int(),
    supervised: z.number().int(),
  }),
  topCategories: z.array(z.object({ category: categoryRef, received: z.number().int() })),
  ranking: z
    .object({
      level: z.enum(RANKING_LEVELS),
      minVolume: z.number().int(),
      best: z.array(rankingRow),
      worst: z.array(rankingRow),
    })
    .nullable(),
  partlySatisfiedWeight: z.number(),
  formulas,
});
export type Bulletin = z.infer<typeof bulletinResponse>;

const ledgerCounts = z.object({
  collected: z.number().int(),
  resolved: z.number().int(),
  resolutionRate: z.number().nullable(),
  inProgress: z.number().int(),
  overdue: z.number().int(),
  closedUnresolved: z.number().int(),
});
export type LedgerCounts = z.infer<typeof ledgerCounts>;

export const ledgerResponse = z.object({
  unit: unitRef,
  caseType: z.string(),
  caseTypeName: z.string(),
  /** Intake days counted (inclusive); from null: since the first case. */
  period: z.object({ from: z.string().nullable(), to: z.string(), label: z.string() }),
  asOf: z.string(),
  rows: z.array(ledgerCounts.extend({ category: categoryRef })),
  total: ledgerCounts,
  formulas: z.object({ resolutionRate: text, overdue: text }),
});
export type Ledger = z.infer<typeof ledgerResponse>;

export const overviewQuery = z.strictObject({
  unitId: within,
  from: day.optional().meta({ description: 'The first day counted; the first day of the month of `to` when absent' }),
  to: day
    .optional()
    .meta({ description: `The last day counted (inclusive); today when absent. At most ${MAX_RANGE_DAYS} days` }),
  caseType,
});

const dayCounts = { received: z.number().int(), resolved: z.number().int(), closed: z.number().int() };
const openNow = z.number().int().meta({ description: 'Open now: not closed and not resolved (waiting for the visit)' });

export const overviewResponse = z.object({
  unit: unitRef,
  caseType: z.string().nullable(),
  /** The days asked for: over time, by unit and by grid count these days. */
  period,
  /** The whole months around the period: by category and by channel count these (monthly rollups). */
  months: period,
  totals: z.object(dayCounts),
  /** Every day of the period, zeros included. */
  overTime: z.array(z.object({ day: z.string(), ...dayCounts })),
  /** Received in `months` by top-level category (null: not classified yet), most first. */
  byCategory: z.array(
    z.object({
      category: z.object({ id: z.number().int(), name: z.string(), nameEn: z.string() }).nullable(),
      received: z.number().int(),
    }),
  ),
  /** Received in `months` by channel, most first. */
  byChannel: z.array(z.object({ channel: z.enum(CHANNELS), received: z.number().int() })),
  /** The unit's child places (streets, communities, grids) in my scope. */
  byUnit: z.array(z.object({ unit: unitRef, received: z.number().int(), resolved: z.number().int(), open: openNow })),
  /** Cases held by the unit itself, in none of its children (e.g. outside every grid); null when none. */
  direct: z.object({ received: z.number().int(), resolved: z.number().int(), open: openNow }).nullable(),
  /** Every grid of the subtree in my scope, for the heat map. */
  byGrid: z.array(
    z.object({
      unit: z.object({ id: z.number().int(), name: z.string() }),
      received: z.number().int(),
      open: openNow,
    }),
  ),
  now: z.object({
    asOf: z.string(),
    open: openNow,
    overdue: z.number().int(),
    red: z.number().int(),
    supervised: z.number().int(),
  }),
});
export type Overview = z.infer<typeof overviewResponse>;
