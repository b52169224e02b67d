/** Row types of the metrics module's tables (migrations/20261123_0130_case_stats.sql, 20261124_0180_case_stats_breakdown.sql), for Kysely. */
export type StatsDimension = 'territory' | 'handler';

/** The counters of one rollup row, in the order of the table's columns. */
export const STATS_COUNTERS = [
  'received',
  'assigned',
  'responded',
  'responded_in_time',
  'resolved',
  'resolved_in_time',
  'visited',
  'solved',
  'satisfied',
  'partly_satisfied',
  'dissatisfied',
  'no_answer',
  'closed',
] as const;
export type StatsCounter = (typeof STATS_COUNTERS)[number];

export interface CaseStatsDailyTable extends Record<StatsCounter, number> {
  unit_id: number;
  unit_path: string;
  /** 'YYYY-MM-DD', the day in Asia/Shanghai. */
  day: string;
  case_type: string;
  dimension: StatsDimension;
}

/** Cases taken in by top-level category and channel, per territory unit and month (migration 0180). */
export interface CaseStatsBreakdownTable {
  unit_id: number;
  unit_path: string;
  /** 'YYYY-MM-01', the first day of the month of intake in Asia/Shanghai. */
  month: string;
  case_type: string;
  /** The top-level category; 0 = not classified yet. */
  category_id: number;
  channel: string;
  received: number;
}

export interface MetricsTables {
  case_stats_daily: CaseStatsDailyTable;
  case_stats_breakdown: CaseStatsBreakdownTable;
}
