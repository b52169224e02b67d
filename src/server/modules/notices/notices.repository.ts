import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type ListNoticesQuery, URGENT_TOPIC } from './notices.schema.ts';
import type { NoticesTable } from './notices.tables.ts';

type Eb = ExpressionBuilder<DB & { n: NoticesTable; u: DB['units'] }, 'n' | 'u'>;

/**
 * Where a resident counts as living under a unit: their person's unit path starts with the unit's path. Paths
 * are digits and slashes, so "starts with '/1/5/'" is the range ['/1/5/', '/1/50') — which the people index on
 * (unit_path COLLATE "C") serves, also when the unit's path comes from a column.
 */
const UNDER = (unitPath: unknown) =>
  sql<SqlBool>`(p.unit_path >= ${unitPath} AND p.unit_path < (left(${unitPath}, -1) || '0'))`;

/** Active resident accounts whose home lies under the unit `u` (the audience of a notice addressed to it). */
const audienceOf = sql<number>`(SELECT count(*)::int FROM accounts a JOIN people p ON p.id = a.person_id
  WHERE a.kind = 'resident' AND a.status = 'active' AND ${UNDER(sql.ref('u.path'))})`;

/** A notice with its unit, its creator, its audience size and read count: everything the staff presenter shows. */
export function selectNotices(q: Queryable) {
  return q
    .selectFrom('notices as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .leftJoin('accounts as c', 'c.id', 'n.created_by')
    .selectAll('n')
    .select([
      'u.name as unit_name',
      'u.kind as unit_kind',
      'u.path as unit_path',
      'c.display_name as creator_name',
      audienceOf.as('audience'),
      (eb) =>
        eb
          .selectFrom('notice_reads as r')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('r.notice_id', '=', 'n.id')
          .as('read_count'),
    ]);
}

export type NoticeRow = Awaited<ReturnType<ReturnType<typeof selectNotices>['executeTakeFirstOrThrow']>>;

/** The one scope condition of notices: the audience unit within the staff member's notice.manage scope. */
function noticeInScope(eb: Eb, scope: UnitScope): Expression<SqlBool> {
  return unitCondition(eb, scope, 'u.path', 'u.id');
}

export async function findNoticeInScope(q: Queryable, id: number, scope: UnitScope) {
  return selectNotices(q)
    .where('n.id', '=', id)
    .where((eb) => noticeInScope(eb, scope))
    .executeTakeFirst();
}

/** Locks the notice row (in scope) so that edits and withdrawals of one notice queue behind each other. */
export async function lockNoticeInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('notices as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .selectAll('n')
    .where('n.id', '=', id)
    .where((eb) => noticeInScope(eb, scope))
    .forUpdate('n')
    .executeTakeFirst();
}

export async function listNoticesInScope(
  q: Queryable,
  scope: UnitScope,
  f: ListNoticesQuery,
  withinPath: string | null,
) {
  const where = (eb: Eb) => {
    const and = [noticeInScope(eb, scope)];
    if (f.status) and.push(eb('n.status', '=', f.status));
    if (withinPath !== null) and.push(eb('u.path', 'like', `${escapeLike(withinPath)}%`));
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      and.push(eb.or([eb('n.title', 'ilike', like), eb('n.body', 'ilike', like)]));
    }
    return eb.and(and);
  };
  const [items, count] = await Promise.all([
    selectNotices(q)
      .where(where)
      .orderBy('n.published_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q
      .selectFrom('notices as n')
      .innerJoin('units as u', 'u.id', 'n.unit_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * Writes the urgent push of a notice: ONE outbox message whose recipients are the active resident accounts
 * living under the unit, gathered by the same statement (no list travels through the application). The
 * deliverer fans it out to their inboxes, their live streams and SMS. Returns how many residents it names.
 */
export async function writeUrgentPush(
  q: Queryable,
  n: { id: number; title: string; body: string; unitPath: string; unitName: string },
  now: Date,
): Promise<number> {
  const result = await sql<{ recipients: number }>`
    INSERT INTO outbox (topic, payload, created_at)
    SELECT ${URGENT_TOPIC}::text,
           jsonb_build_object(
             'recipients', jsonb_build_object(
               'accountIds', coalesce(jsonb_agg(a.id ORDER BY a.id), '[]'::jsonb),
               'unitIds', '[]'::jsonb),
             'title', ${n.title}::text,
             'body', 'urgent',
             'action', 'urgent',
             'noticeId', ${n.id}::int,
             'unitName', ${n.unitName}::text,
             'summary', left(${n.body}::text, 120)),
           ${now}::timestamptz
      FROM accounts a JOIN people p ON p.id = a.person_id
     WHERE a.kind = 'resident' AND a.status = 'active' AND ${UNDER(n.unitPath)}
    RETURNING jsonb_array_length(payload -> 'recipients' -> 'accountIds') AS recipients`.execute(q);
  return Number(result.rows[0]?.recipients ?? 0);
}

// ——— Resident side ———

/** Published notices of the units on the home path, with whether this resident has read each. */
function selectForResident(q: Queryable, accountId: number, homeIds: number[]) {
  return q
    .selectFrom('notices as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .leftJoin('notice_reads as r', (join) => join.onRef('r.notice_id', '=', 'n.id').on('r.account_id', '=', accountId))
    .where('n.unit_id', 'in', homeIds)
    .where('n.status', '=', 'published');
}

const residentColumns = [
  'n.id',
  'n.title',
  'n.urgent',
  'n.pinned',
  'n.published_at',
  'n.unit_id',
  'u.name as unit_name',
  'u.kind as unit_kind',
  'r.read_at',
] as const;

/** Pinned first, then newest first; `unread` leaves out those already opened. */
export async function listForResident(
  q: Queryable,
  accountId: number,
  homeIds: number[],
  f: { unread?: boolean | undefined; page: number; pageSize: number },
) {
  if (homeIds.length === 0) return { items: [], total: 0 };
  let base = selectForResident(q, accountId, homeIds);
  if (f.unread) base = base.where('r.notice_id', 'is', null);
  const [items, count] = await Promise.all([
    base
      .select(residentColumns)
      .select(sql<string>`left(n.body, 120)`.as('summary'))
      .orderBy('n.pinned', 'desc')
      .orderBy('n.published_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export type ResidentNoticeRow = Awaited<ReturnType<typeof listForResident>>['items'][number];

export async function findForResident(q: Queryable, accountId: number, homeIds: number[], id: number) {
  if (homeIds.length === 0) return undefined;
  return selectForResident(q, accountId, homeIds)
    .select(residentColumns)
    .select('n.body')
    .where('n.id', '=', id)
    .executeTakeFirst();
}

export async function countUnreadForResident(q: Queryable, accountId: number, homeIds: number[]): Promise<number> {
  if (homeIds.length === 0) return 0;
  const row = await selectForResident(q, accountId, homeIds)
    .where('r.notice_id', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Records that the resident opened the notice (the first time counts) and marks the inbox entry of its urgent
 * push read as well, so the two unread counts agree.
 */
export async function markNoticeRead(q: Queryable, accountId: number, noticeId: number, now: Date) {
  await q
    .insertInto('notice_reads')
    .values({ notice_id: noticeId, account_id: accountId, read_at: now })
    .onConflict((oc) => oc.columns(['notice_id', 'account_id']).doNothing())
    .execute();
  await q
    .updateTable('notifications')
    .set({ read_at: now })
    .where('account_id', '=', accountId)
    .where('topic', '=', URGENT_TOPIC)
    .where('read_at', 'is', null)
    .where(sql`data ->> 'noticeId'`, '=', String(noticeId))
    .execute();
}

/** Marks every published notice of the home path read (and the urgent pushes' inbox entries); how many. */
export async function markAllNoticesRead(q: Queryable, accountId: number, homeIds: number[], now: Date) {
  if (homeIds.length === 0) return 0;
  const result = await q
    .insertInto('notice_reads')
    .columns(['notice_id', 'account_id', 'read_at'])
    .expression((eb) =>
      eb
        .selectFrom('notices as n')
        .select(['n.id', sql<number>`${accountId}::int`.as('account_id'), sql<Date>`${now}::timestamptz`.as('read_at')])
        .where('n.unit_id', 'in', homeIds)
        .where('n.status', '=', 'published'),
    )
    .onConflict((oc) => oc.columns(['notice_id', 'account_id']).doNothing())
    .executeTakeFirst();
  await q
    .updateTable('notifications')
    .set({ read_at: now })
    .where('account_id', '=', accountId)
    .where('topic', '=', URGENT_TOPIC)
    .where('read_at', 'is', null)
    .execute();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
