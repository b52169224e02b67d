import { type ExpressionBuilder, sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { ActivitiesTable } from './activities.tables.ts';

/**
 * The writes that move places. Each takes the activity row's lock with its UPDATE and checks the counters in
 * the same statement, so concurrent enrolments queue on the row and each sees the count the previous one left:
 * no read-then-write window, and the table's CHECKs refuse an overbooking even if code got it wrong.
 */

type Eb = ExpressionBuilder<DB & { activities: ActivitiesTable }, 'activities'>;

/** Published, and `now` within the enrolment window (from enrol_from, until enrol_until or else the end). */
function enrolmentOpen(eb: Eb, now: Date) {
  return eb.and([
    eb('status', '=', 'published'),
    eb.or([eb('enrol_from', 'is', null), eb('enrol_from', '<=', now)]),
    eb(sql`coalesce(enrol_until, ends_at)`, '>', now),
  ]);
}

/** Takes one place if one is left: true when taken. */
export async function takePlace(trx: Trx, activityId: number, now: Date): Promise<boolean> {
  const row = await trx
    .updateTable('activities')
    .set((eb) => ({ enrolled_count: eb('enrolled_count', '+', 1) }))
    .where('id', '=', activityId)
    .where((eb) => eb.and([enrolmentOpen(eb, now), eb('enrolled_count', '<', eb.ref('capacity'))]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes a place on the waiting list when every place is taken and the list has room: the waiting-list number
 * handed out (FIFO), or null.
 */
export async function takeWaitingPlace(trx: Trx, activityId: number, now: Date): Promise<number | null> {
  const row = await trx
    .updateTable('activities')
    .set((eb) => ({ waiting_count: eb('waiting_count', '+', 1), waiting_seq: eb('waiting_seq', '+', 1) }))
    .where('id', '=', activityId)
    .where((eb) =>
      eb.and([
        enrolmentOpen(eb, now),
        eb('enrolled_count', '>=', eb.ref('capacity')),
        eb('waiting_count', '<', eb.ref('waitlist_capacity')),
      ]),
    )
    .returning('waiting_seq')
    .executeTakeFirst();
  return row?.waiting_seq ?? null;
}

/**
 * Inserts the resident's live enrolment; undefined when they already hold one (the partial unique index:
 * a concurrent double tap of the same resident waits on it and inserts nothing).
 */
export async function insertEnrolment(
  trx: Trx,
  values: {
    activity_id: number;
    account_id: number;
    person_id: number | null;
    status: 'enrolled' | 'waiting';
    waiting_seq: number | null;
    enrolled_at: Date;
  },
) {
  return trx
    .insertInto('enrolments')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['activity_id', 'account_id']).where(sql<boolean>`status IN ('enrolled', 'waiting')`).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
}

/** Locks the activity row; every change of an activity's enrolments happens while holding it. */
export async function lockActivity(trx: Trx, activityId: number) {
  return trx.selectFrom('activities').selectAll().where('id', '=', activityId).forUpdate().executeTakeFirst();
}

/** Cancels a live enrolment and gives its place (or waiting-list place) back; the activity must be locked. */
export async function releaseEnrolment(
  trx: Trx,
  activityId: number,
  enrolmentId: number,
  status: 'enrolled' | 'waiting',
  now: Date,
): Promise<boolean> {
  const cancelled = await trx
    .updateTable('enrolments')
    .set({ status: 'cancelled', waiting_seq: null, cancelled_at: now })
    .where('id', '=', enrolmentId)
    .where('status', '=', status)
    .returning('id')
    .executeTakeFirst();
  if (!cancelled) return false;
  await trx
    .updateTable('activities')
    .set((eb) =>
      status === 'enrolled'
        ? { enrolled_count: eb('enrolled_count', '-', 1) }
        : { waiting_count: eb('waiting_count', '-', 1) },
    )
    .where('id', '=', activityId)
    .execute();
  return true;
}

/**
 * Moves the first waiting residents (FIFO) into the free places; the activity must be locked. Returns the
 * accounts promoted.
 */
export async function promoteWaiting(trx: Trx, activityId: number, now: Date): Promise<number[]> {
  const activity = await trx
    .selectFrom('activities')
    .select(['capacity', 'enrolled_count', 'waiting_count', 'status'])
    .where('id', '=', activityId)
    .executeTakeFirstOrThrow();
  const free = Math.min(activity.capacity - activity.enrolled_count, activity.waiting_count);
  if (activity.status !== 'published' || free <= 0) return [];
  const promoted = await trx
    .updateTable('enrolments')
    .set({ status: 'enrolled', waiting_seq: null, promoted_at: now })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('enrolments')
        .select('id')
        .where('activity_id', '=', activityId)
        .where('status', '=', 'waiting')
        .orderBy('waiting_seq')
        .limit(free),
    )
    .returning('account_id')
    .execute();
  if (promoted.length === 0) return [];
  await trx
    .updateTable('activities')
    .set((eb) => ({
      enrolled_count: eb('enrolled_count', '+', promoted.length),
      waiting_count: eb('waiting_count', '-', promoted.length),
    }))
    .where('id', '=', activityId)
    .execute();
  return promoted.map((p) => p.account_id);
}

/** The resident accounts holding a live enrolment (enrolled or waiting): whom a cancellation concerns. */
export async function liveEnrolledAccounts(trx: Trx, activityId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('enrolments')
    .select('account_id')
    .where('activity_id', '=', activityId)
    .where('status', 'in', ['enrolled', 'waiting'])
    .orderBy('id')
    .execute();
  return rows.map((r) => r.account_id);
}

/** Writes a notification for residents into the outbox, in the caller's transaction (delivered once). */
export async function notifyResidents(
  trx: Trx,
  topic: 'activity.promoted' | 'activity.cancelled',
  activity: { id: number; title: string },
  accountIds: number[],
  now: Date,
  extra: Record<string, unknown> = {},
) {
  if (accountIds.length === 0) return;
  const action = topic.slice('activity.'.length);
  await trx
    .insertInto('outbox')
    .values({
      topic,
      payload: JSON.stringify({
        recipients: { accountIds, unitIds: [] },
        title: activity.title,
        body: action,
        action,
        activityId: activity.id,
        ...extra,
      }),
      created_at: now,
    })
    .execute();
}
