import type { Timestamp } from '../../db/schema.ts';

/** Administrators' overrides of the library's holidays and adjusted working days (migration 0110). */
export interface CalendarDaysTable {
  /** 'YYYY-MM-DD'. */
  day: string;
  kind: 'workday' | 'holiday';
  name: string | null;
  updated_by: number | null;
  updated_at: Timestamp;
}

/** Row types of the calendar module's tables (its migrations), for Kysely; merged into DB in db/schema.ts. */
export interface CalendarTables {
  calendar_days: CalendarDaysTable;
}
