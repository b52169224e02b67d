import type { Selectable } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { ListNotificationsQuery, NotificationDto } from './notifications.schema.ts';
import type { NotificationsTable } from './notifications.tables.ts';

type Row = Selectable<NotificationsTable>;

export function presentNotification(r: Row): NotificationDto {
  return {
    id: r.id,
    topic: r.topic,
    title: r.title,
    body: r.body,
    caseId: r.case_id,
    callRequestId: r.call_request_id,
    data: r.data ?? {},
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
  };
}

/** One account's inbox, newest first; every query here is bound to that account. */
export async function listNotifications(q: Queryable, accountId: number, query: ListNotificationsQuery) {
  let base = q.selectFrom('notifications').where('account_id', '=', accountId);
  if (query.unread) base = base.where('read_at', 'is', null);
  const rows = await base
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { items: rows.map(presentNotification), total: Number(total.n) };
}

export async function countUnread(q: Queryable, accountId: number): Promise<number> {
  const row = await q
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the account's entries read (keeping the first read time); undefined when it is not theirs. */
export async function markRead(q: Queryable, accountId: number, id: number, now: Date): Promise<Row | undefined> {
  const updated = await q
    .updateTable('notifications')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (updated) return updated;
  return q
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function markAllRead(q: Queryable, accountId: number, now: Date): Promise<number> {
  const result = await q
    .updateTable('notifications')
    .set({ read_at: now })
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
