import type { ColumnType, Generated } from 'kysely';
import type { ActivitiesTables } from '../modules/activities/activities.tables.ts';
import type { AttachmentsTables } from '../modules/attachments/attachments.tables.ts';
import type { CalendarTables } from '../modules/calendar/calendar.tables.ts';
import type { CaseTables } from '../modules/cases/cases.tables.ts';
import type { MetricsTables } from '../modules/metrics/metrics.tables.ts';
import type { NoticesTables } from '../modules/notices/notices.tables.ts';
import type { NotificationsTables } from '../modules/notifications/notifications.tables.ts';
import type { SavedFiltersTables } from '../modules/saved-filters/saved-filters.tables.ts';

/** Row types of the tables in migrations/, for Kysely. Keep in step with the SQL (a wrong column fails the integration tests). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Id = Generated<number>;

export type UnitKind =
  | 'city'
  | 'district'
  | 'street'
  | 'town'
  | 'community'
  | 'village'
  | 'grid'
  | 'compound'
  | 'building'
  | 'entrance'
  | 'department';

export interface UnitsTable {
  id: Id;
  parent_id: number | null;
  kind: UnitKind;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  sort_order: Generated<number>;
  phone: string | null;
  address: string | null;
  description: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GridBoundariesTable {
  unit_id: number;
  geojson: ColumnType<unknown, string, string>;
  outline: string;
  holes: ColumnType<string[], string | undefined, string>;
  area: number;
  updated_at: Timestamp;
}

export interface PeopleTable {
  id: Id;
  name: string;
  gender: 'male' | 'female' | null;
  birth_date: string | null;
  phone: string | null;
  id_number: string | null;
  unit_id: number | null;
  /** Maintained by a trigger from units.path (migration 0040); never written by the application. */
  unit_path: Generated<string | null>;
  address: string | null;
  is_resident: Generated<boolean>;
  note: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type UnitPost =
  | 'gridWorker'
  | 'gridHead'
  | 'buildingHead'
  | 'entranceHead'
  | 'departmentLiaison'
  | 'secretary'
  | 'director';

export interface UnitPostsTable {
  id: Id;
  unit_id: number;
  person_id: number;
  post: UnitPost;
  services: string | null;
  created_at: Timestamp;
}

export interface CarePersonsTable {
  person_id: number;
  kinds: string[];
  note: string | null;
  visit_cycle_days: number | null;
  responsible_person_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PartyOrgKind = 'committee' | 'workingCommittee' | 'generalBranch' | 'branch' | 'group';

export interface PartyOrgsTable {
  id: Id;
  parent_id: number | null;
  kind: PartyOrgKind;
  name: string;
  path: string;
  secretary_person_id: number | null;
  established_on: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartyOrgUnitsTable {
  party_org_id: number;
  unit_id: number;
}

export interface PartyMembersTable {
  person_id: number;
  party_org_id: number;
  status: Generated<'full' | 'probationary'>;
  joined_on: string | null;
  check_in_unit_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DataScope = 'all' | 'subtree' | 'unit' | 'own';

export interface RolesTable {
  id: Id;
  code: string;
  name: string;
  name_en: string | null;
  permissions: string[];
  data_scope: DataScope;
  built_in: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountsTable {
  id: Id;
  kind: 'staff' | 'resident';
  username: string | null;
  phone: string | null;
  password_hash: string | null;
  person_id: number | null;
  display_name: string;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  must_change_password: Generated<boolean>;
  password_changed_at: Date | null;
  last_login_at: Date | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleGrantsTable {
  id: Id;
  account_id: number;
  role_id: number;
  unit_id: number;
  granted_by: number | null;
  granted_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  account_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface OtpChallengesTable {
  id: Id;
  phone: string;
  code_hash: string;
  ip: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_account_id: number | null;
  actor_name: string | null;
  action: string;
  outcome: Generated<'success' | 'failure'>;
  target_type: string | null;
  target_id: string | null;
  unit_id: number | null;
  ip: string | null;
  request_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** migrations/20261124_0230_idempotency_keys.sql: see http/idempotency.ts. */
export interface IdempotencyKeysTable {
  account_id: number;
  key: string;
  method: string;
  route: string;
  fingerprint: string;
  reference: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DB
  extends CaseTables,
    CalendarTables,
    AttachmentsTables,
    MetricsTables,
    NotificationsTables,
    SavedFiltersTables,
    ActivitiesTables,
    NoticesTables {
  units: UnitsTable;
  grid_boundaries: GridBoundariesTable;
  people: PeopleTable;
  unit_posts: UnitPostsTable;
  care_persons: CarePersonsTable;
  party_orgs: PartyOrgsTable;
  party_org_units: PartyOrgUnitsTable;
  party_members: PartyMembersTable;
  roles: RolesTable;
  accounts: AccountsTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  otp_challenges: OtpChallengesTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  idempotency_keys: IdempotencyKeysTable;
}
