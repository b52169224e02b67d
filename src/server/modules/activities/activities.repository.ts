import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { ListActivitiesQuery } from './activities.schema.ts';
import type { ActivitiesTable } from './activities.tables.ts';

type Eb = ExpressionBuilder<DB & { a: ActivitiesTable; u: DB['units'] }, 'a' | 'u'>;

/** An activity with its organiser, its creator and how many are checked in: everything the presenters show. */
export function selectActivities(q: Queryable) {
  return q
    .selectFrom('activities as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .leftJoin('accounts as c', 'c.id', 'a.created_by')
    .selectAll('a')
    .select([
      'u.name as organiser_name',
      'u.kind as organiser_kind',
      'u.path as organiser_path',
      'c.display_name as creator_name',
      (eb) =>
        eb
          .selectFrom('enrolments as ci')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('ci.activity_id', '=', 'a.id')
          .where('ci.status', '=', 'enrolled')
          .where('ci.checked_in_at', 'is not', null)
          .as('checked_in'),
    ]);
}

export type ActivityRow = Awaited<ReturnType<ReturnType<typeof selectActivities>['executeTakeFirstOrThrow']>>;

/** The one scope condition of activities: the organiser unit within the staff member's activity.manage scope. */
export function activityInScope(eb: Eb, scope: UnitScope): Expression<SqlBool> {
  return unitCondition(eb, scope, 'u.path', 'u.id');
}

export async function findActivityInScope(q: Queryable, id: number, scope: UnitScope) {
  return selectActivities(q)
    .where('a.id', '=', id)
    .where((eb) => activityInScope(eb, scope))
    .executeTakeFirst();
}

/** Locks the activity row (in scope), so edits, cancellations and enrolments of it queue behind each other. */
export async function lockActivityInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('activities as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .selectAll('a')
    .where('a.id', '=', id)
    .where((eb) => activityInScope(eb, scope))
    .forUpdate('a')
    .executeTakeFirst();
}

export async function listActivitiesInScope(
  q: Queryable,
  scope: UnitScope,
  f: ListActivitiesQuery,
  withinPath: string | null,
  now: Date,
) {
  const where = (eb: Eb) => {
    const and = [activityInScope(eb, scope)];
    if (f.kind) and.push(eb('a.kind', '=', f.kind));
    if (f.status) and.push(eb('a.status', '=', f.status));
    if (withinPath !== null) and.push(eb('u.path', 'like', `${escapeLike(withinPath)}%`));
    if (f.when === 'upcoming') and.push(eb('a.ends_at', '>', now));
    if (f.when === 'past') and.push(eb('a.ends_at', '<=', now));
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      and.push(eb.or([eb('a.title', 'ilike', like), eb('a.venue', 'ilike', like)]));
    }
    return eb.and(and);
  };
  let rows = selectActivities(q).where(where);
  rows = f.when === 'past' ? rows.orderBy('a.starts_at', 'desc') : rows.orderBy('a.starts_at');
  const [items, count] = await Promise.all([
    rows
      .orderBy('a.id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q
      .selectFrom('activities as a')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Waiting ones up to this one: the 1-based position of a waiting enrolment (`e`) in its activity's list. */
const position = sql<number | null>`CASE WHEN e.status = 'waiting' THEN (
    SELECT count(*)::int FROM enrolments w
     WHERE w.activity_id = e.activity_id AND w.status = 'waiting' AND w.waiting_seq <= e.waiting_seq) END`;

/** Activities as a resident sees them: with their organiser and the resident's live enrolment, if any. */
function selectForResident(q: Queryable, accountId: number) {
  return q
    .selectFrom('activities as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .leftJoin('enrolments as e', (join) =>
      join
        .onRef('e.activity_id', '=', 'a.id')
        .on('e.account_id', '=', accountId)
        .on('e.status', 'in', ['enrolled', 'waiting']),
    )
    .selectAll('a')
    .select([
      'u.name as organiser_name',
      'u.kind as organiser_kind',
      'e.status as e_status',
      'e.enrolled_at as e_enrolled_at',
      'e.checked_in_at as e_checked_in_at',
      position.as('e_position'),
    ]);
}

export type ResidentActivityRow = Awaited<ReturnType<ReturnType<typeof selectForResident>['executeTakeFirstOrThrow']>>;

/**
 * Open to the resident: organised by a unit on their home path, or one they are enrolled in (they keep
 * seeing it after moving house).
 */
function openTo(eb: ExpressionBuilder<DB & { a: ActivitiesTable }, 'a'>, accountId: number, homeUnitIds: number[]) {
  const mine = eb.exists(
    eb
      .selectFrom('enrolments as m')
      .select(sql`1`.as('one'))
      .whereRef('m.activity_id', '=', 'a.id')
      .where('m.account_id', '=', accountId),
  );
  return homeUnitIds.length ? eb.or([eb('a.unit_id', 'in', homeUnitIds), mine]) : mine;
}

export async function findForResident(q: Queryable, id: number, accountId: number, homeUnitIds: number[]) {
  return selectForResident(q, accountId)
    .where('a.id', '=', id)
    .where((eb) => openTo(eb, accountId, homeUnitIds))
    .executeTakeFirst();
}

type ActivityFilter = (eb: ExpressionBuilder<DB & { a: ActivitiesTable }, 'a'>) => Expression<SqlBool>;

/** One page of activities as a resident sees them, soonest first when upcoming, latest first when past. */
async function residentPage(
  q: Queryable,
  accountId: number,
  where: ActivityFilter,
  f: { when: 'upcoming' | 'past'; page: number; pageSize: number },
) {
  const [items, count] = await Promise.all([
    selectForResident(q, accountId)
      .where(where)
      .orderBy('a.starts_at', f.when === 'upcoming' ? 'asc' : 'desc')
      .orderBy('a.id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q
      .selectFrom('activities as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Published activities of the units on the resident's home path; upcoming soonest first, past latest first. */
export async function listForResident(
  q: Queryable,
  accountId: number,
  homeUnitIds: number[],
  f: { kind?: string | undefined; when: 'upcoming' | 'past'; page: number; pageSize: number },
  now: Date,
) {
  if (homeUnitIds.length === 0) return { items: [], total: 0 };
  const where = (eb: ExpressionBuilder<DB & { a: ActivitiesTable }, 'a'>) => {
    const and = [eb('a.unit_id', 'in', homeUnitIds), eb('a.status', '=', 'published')];
    if (f.kind) and.push(eb('a.kind', '=', f.kind as ActivitiesTable['kind']));
    and.push(f.when === 'upcoming' ? eb('a.ends_at', '>', now) : eb('a.ends_at', '<=', now));
    return eb.and(and);
  };
  return residentPage(q, accountId, where, f);
}

/** The activities I hold a live enrolment in (enrolled or waiting), cancelled activities included. */
export async function listMyEnrolments(
  q: Queryable,
  accountId: number,
  f: { when: 'upcoming' | 'past'; page: number; pageSize: number },
  now: Date,
) {
  const where = (eb: ExpressionBuilder<DB & { a: ActivitiesTable }, 'a'>) =>
    eb.and([
      f.when === 'upcoming' ? eb('a.ends_at', '>', now) : eb('a.ends_at', '<=', now),
      eb.exists(
        eb
          .selectFrom('enrolments as m')
          .select(sql`1`.as('one'))
          .whereRef('m.activity_id', '=', 'a.id')
          .where('m.account_id', '=', accountId)
          .where('m.status', 'in', ['enrolled', 'waiting']),
      ),
    ]);
  return residentPage(q, accountId, where, f);
}

/** A resident's enrolment in an activity as MyEnrolment needs it: the live one, else null. */
export async function findMyEnrolment(q: Queryable, activityId: number, accountId: number) {
  return q
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.status', 'e.enrolled_at', 'e.checked_in_at', 'e.cancelled_at', position.as('position')])
    .where('e.activity_id', '=', activityId)
    .where('e.account_id', '=', accountId)
    .where('e.status', 'in', ['enrolled', 'waiting'])
    .executeTakeFirst();
}

/** The resident's latest enrolment in the activity, whatever its status. */
export async function findLatestEnrolment(q: Queryable, activityId: number, accountId: number) {
  return q
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.status', 'e.enrolled_at', 'e.checked_in_at', 'e.cancelled_at', position.as('position')])
    .where('e.activity_id', '=', activityId)
    .where('e.account_id', '=', accountId)
    .orderBy('e.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type MyEnrolmentRow = NonNullable<Awaited<ReturnType<typeof findLatestEnrolment>>>;

export async function findEnrolmentById(q: Queryable, id: number) {
  return q
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.status', 'e.enrolled_at', 'e.checked_in_at', 'e.cancelled_at', position.as('position')])
    .where('e.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The attendance list of one activity: enrolled first (by sign-up), then the waiting list in order, then the rest. */
function selectAttendees(q: Queryable, activityId: number) {
  return q
    .selectFrom('enrolments as e')
    .innerJoin('accounts as ac', 'ac.id', 'e.account_id')
    .leftJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('accounts as cb', 'cb.id', 'e.checked_in_by')
    .select([
      'e.id',
      'e.status',
      'e.enrolled_at',
      'e.promoted_at',
      'e.checked_in_at',
      'e.checked_in_by',
      'e.cancelled_at',
      'cb.display_name as checked_in_by_name',
      sql<string>`coalesce(p.name, ac.display_name)`.as('name'),
      sql<string | null>`coalesce(ac.phone, p.phone)`.as('phone'),
      position.as('position'),
    ])
    .where('e.activity_id', '=', activityId);
}

export type AttendeeRow = Awaited<ReturnType<ReturnType<typeof selectAttendees>['executeTakeFirstOrThrow']>>;

const STATUS_ORDER = sql`CASE e.status WHEN 'enrolled' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END`;

export async function listAttendees(
  q: Queryable,
  activityId: number,
  f: { status?: 'enrolled' | 'waiting' | 'cancelled' | undefined; page: number; pageSize: number },
) {
  let rows = selectAttendees(q, activityId);
  if (f.status) rows = rows.where('e.status', '=', f.status);
  const [items, count, counts] = await Promise.all([
    rows
      .orderBy(STATUS_ORDER)
      .orderBy('e.waiting_seq')
      .orderBy('e.enrolled_at')
      .orderBy('e.id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q
      .selectFrom('enrolments as e')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('e.activity_id', '=', activityId)
      .$if(Boolean(f.status), (qb) => qb.where('e.status', '=', f.status as 'enrolled'))
      .executeTakeFirstOrThrow(),
    countAttendance(q, activityId),
  ]);
  return { items, total: Number(count.n), counts };
}

/** Every line of the attendance, for the export (at most capacity + waiting list + the cancelled ones). */
export async function allAttendees(q: Queryable, activityId: number) {
  return selectAttendees(q, activityId)
    .orderBy(STATUS_ORDER)
    .orderBy('e.waiting_seq')
    .orderBy('e.enrolled_at')
    .orderBy('e.id')
    .execute();
}

export async function findAttendee(q: Queryable, activityId: number, enrolmentId: number) {
  return selectAttendees(q, activityId).where('e.id', '=', enrolmentId).executeTakeFirst();
}

export async function countAttendance(q: Queryable, activityId: number) {
  const row = await q
    .selectFrom('enrolments')
    .select([
      sql<number>`count(*) FILTER (WHERE status = 'enrolled')::int`.as('enrolled'),
      sql<number>`count(*) FILTER (WHERE status = 'waiting')::int`.as('waiting'),
      sql<number>`count(*) FILTER (WHERE status = 'enrolled' AND checked_in_at IS NOT NULL)::int`.as('checkedIn'),
      sql<number>`count(*) FILTER (WHERE status = 'cancelled')::int`.as('cancelled'),
    ])
    .where('activity_id', '=', activityId)
    .executeTakeFirstOrThrow();
  return {
    enrolled: Number(row.enrolled),
    waiting: Number(row.waiting),
    checkedIn: Number(row.checkedIn),
    cancelled: Number(row.cancelled),
  };
}
