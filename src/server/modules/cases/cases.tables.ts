import type { ColumnType, Generated } from 'kysely';
import type { Id, Timestamp } from '../../db/schema.ts';

/** Row types of migrations/20261123_0100_cases.sql, for Kysely. */
type BigId = Generated<number>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type CaseUrgency = 'normal' | 'urgent' | 'critical';
export type CaseChannel = 'h5' | 'call' | 'hotline' | 'patrol' | 'enterpriseVisit' | 'inspection' | 'task';
export type CaseColour = 'red' | 'orange' | 'green';
export type CaseRating = 'satisfied' | 'partlySatisfied' | 'dissatisfied' | 'noAnswer';

export interface CaseTypesTable {
  code: string;
  name: string;
  name_en: string;
  routes_to_grid: Generated<boolean>;
  visit_rule: Generated<'reporter' | 'none'>;
  manual_colour: Generated<boolean>;
  orange_share: Generated<number>;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export interface CaseCategoriesTable {
  id: Id;
  parent_id: number | null;
  code: string;
  name: string;
  name_en: string;
  keywords: Generated<string[]>;
  department_id: number | null;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  version: Generated<number>;
}

export interface TimeLimitsTable {
  id: Id;
  case_type: string;
  category_id: number | null;
  urgency: CaseUrgency | null;
  response_minutes: number;
  resolution_minutes: number;
  visit_minutes: number;
  version: Generated<number>;
}

export interface CasesTable {
  id: BigId;
  number: string;
  case_type: string;
  category_id: number | null;
  urgency: Generated<CaseUrgency>;
  channel: CaseChannel;
  title: string;
  description: string;
  lng: number | null;
  lat: number | null;
  location: ColumnType<unknown, string | null, string | null> | null;
  address: string | null;
  grid_id: number | null;
  territory_unit_id: number;
  territory_path: string;
  reporter_account_id: number | null;
  reporter_person_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  confidential: Generated<boolean>;
  state: string;
  owner_unit_id: number;
  owner_unit_path: string;
  assignee_account_id: number | null;
  lead_unit_id: number | null;
  lead_unit_path: Generated<string | null>;
  resume_state: string | null;
  round: Generated<number>;
  return_count: Generated<number>;
  extension_count: Generated<number>;
  pending_extension: ColumnType<unknown, string | null, string | null> | null;
  supervised: Generated<boolean>;
  manual_colour: CaseColour | null;
  colour: Generated<CaseColour>;
  limit_kind: 'response' | 'resolution' | null;
  limit_started_at: NullableTimestamp;
  orange_at: NullableTimestamp;
  due_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  next_colour_at: NullableTimestamp;
  next_chase_at: NullableTimestamp;
  visit_due_at: NullableTimestamp;
  visit_invited_at: NullableTimestamp;
  rating: CaseRating | null;
  solved: boolean | null;
  rating_comment: string | null;
  visited_at: NullableTimestamp;
  merged_into_id: number | null;
  /** Residents who joined the case with "me too" (case_supporters), kept in step with that table. */
  supporters_count: Generated<number>;
  search: ColumnType<unknown, string | null, string | null> | null;
  event_count: Generated<number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  dispatched_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export interface CaseEventsTable {
  id: BigId;
  case_id: number;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_account_id: number | null;
  actor_unit_id: number | null;
  actor_name: string;
  owner_unit_id: number;
  note: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
}

/** migrations/20261124_0190_case_supporters.sql: residents who joined a case with "me too" (附议). */
export interface CaseSupportersTable {
  case_id: number;
  account_id: number;
  created_at: Generated<Date>;
}

export type AssignmentRole = 'owner' | 'lead' | 'assist';
export type AssignmentStatus = 'pending' | 'checkedIn' | 'returned' | 'withdrawn' | 'done';

export interface CaseAssignmentsTable {
  id: BigId;
  case_id: number;
  unit_id: number;
  unit_path: string;
  role: AssignmentRole;
  status: Generated<AssignmentStatus>;
  round: Generated<number>;
  assigned_at: Timestamp;
  response_due_at: Timestamp;
  responded_at: NullableTimestamp;
  responded_in_time: boolean | null;
  deadline: NullableTimestamp;
  reason: string | null;
  event_id: number;
}

export interface CallRequestsTable {
  id: BigId;
  resident_account_id: number;
  person_id: number | null;
  phone: string;
  grid_id: number | null;
  territory_unit_id: number;
  territory_path: string;
  note: string | null;
  status: Generated<'waiting' | 'converted' | 'closed'>;
  callback_due_at: Timestamp;
  called_back_at: NullableTimestamp;
  called_back_by: number | null;
  case_id: number | null;
  close_reason: string | null;
  overdue_at: NullableTimestamp;
  version: Generated<number>;
  created_at: Timestamp;
}

export interface OutboxPayload {
  recipients: { accountIds: number[]; unitIds: number[] };
  /** i18n-free summary for senders: the case number and title, and what happened (the event action). */
  title: string;
  body: string;
  [key: string]: unknown;
}

export interface OutboxTable {
  id: BigId;
  topic: string;
  case_id: number | null;
  call_request_id: number | null;
  event_id: number | null;
  payload: Json<OutboxPayload>;
  created_at: Generated<Date>;
  claimed_at: NullableTimestamp;
  claimed_by: string | null;
  delivered_at: NullableTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface CaseTables {
  case_types: CaseTypesTable;
  case_categories: CaseCategoriesTable;
  time_limits: TimeLimitsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_assignments: CaseAssignmentsTable;
  case_supporters: CaseSupportersTable;
  call_requests: CallRequestsTable;
  outbox: OutboxTable;
}
