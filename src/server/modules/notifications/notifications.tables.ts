import type { ColumnType, Generated } from 'kysely';

/** Row types of migrations/20261123_0140_notifications.sql, for Kysely; merged into DB in db/schema.ts. */
type BigId = Generated<number>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface NotificationsTable {
  id: BigId;
  account_id: number;
  outbox_id: number;
  topic: string;
  case_id: number | null;
  call_request_id: number | null;
  title: string;
  body: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export type DeliveryChannel = 'sms' | 'wechat';
export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface NotificationDeliveriesTable {
  id: BigId;
  outbox_id: number;
  account_id: number | null;
  channel: DeliveryChannel;
  recipient: string;
  template: string;
  status: Generated<DeliveryStatus>;
  error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface NotificationsTables {
  notifications: NotificationsTable;
  notification_deliveries: NotificationDeliveriesTable;
}
