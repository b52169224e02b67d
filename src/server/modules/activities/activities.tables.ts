import type { ColumnType, Generated } from 'kysely';

/** Row types of migrations/20261124_0210_activities.sql, for Kysely; merged into DB in db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ActivityKind = 'course' | 'partyClass' | 'volunteer' | 'activity';
export type ActivityStatus = 'published' | 'cancelled';
export type EnrolmentStatus = 'enrolled' | 'waiting' | 'cancelled';

export interface ActivitiesTable {
  id: Generated<number>;
  unit_id: number;
  kind: ActivityKind;
  title: string;
  description: Generated<string>;
  venue: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  enrol_from: NullableTimestamp;
  enrol_until: NullableTimestamp;
  capacity: number;
  waitlist_capacity: Generated<number>;
  enrolled_count: Generated<number>;
  waiting_count: Generated<number>;
  waiting_seq: Generated<number>;
  status: Generated<ActivityStatus>;
  cancel_reason: string | null;
  cancelled_at: NullableTimestamp;
  contact_phone: string | null;
  service_hours: number | null;
  check_in_code: string;
  created_by: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EnrolmentsTable {
  id: Generated<number>;
  activity_id: number;
  account_id: number;
  person_id: number | null;
  status: EnrolmentStatus;
  waiting_seq: number | null;
  enrolled_at: Timestamp;
  promoted_at: NullableTimestamp;
  checked_in_at: NullableTimestamp;
  checked_in_by: number | null;
  cancelled_at: NullableTimestamp;
}

export interface ActivitiesTables {
  activities: ActivitiesTable;
  enrolments: EnrolmentsTable;
}
