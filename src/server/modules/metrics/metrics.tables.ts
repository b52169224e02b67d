/** Row types of the metrics module's tables (migrations/20261123_0130_case_stats.sql), for Kysely. */
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

export interface MetricsTables {
  case_stats_daily: CaseStatsDailyTable;
}
