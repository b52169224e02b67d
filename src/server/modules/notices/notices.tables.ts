import type { ColumnType, Generated } from 'kysely';

/** Row types of migrations/20261124_0200_notices.sql, for Kysely; merged into DB in db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type NoticeStatus = 'published' | 'withdrawn';

export interface NoticesTable {
  id: Generated<number>;
  unit_id: number;
  title: string;
  body: string;
  urgent: Generated<boolean>;
  pinned: Generated<boolean>;
  status: Generated<NoticeStatus>;
  published_at: Timestamp;
  withdrawn_at: NullableTimestamp;
  pushed_at: NullableTimestamp;
  created_by: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NoticeReadsTable {
  notice_id: number;
  account_id: number;
  read_at: Timestamp;
}

export interface NoticesTables {
  notices: NoticesTable;
  notice_reads: NoticeReadsTable;
}
