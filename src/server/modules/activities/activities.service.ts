import { randomBytes } from 'node:crypto';
import { sql, type Updateable } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, type UnitScope, unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { AppError, conflict, notFound, versionConflict } from '../../http/errors.ts';
import { findUnit } from '../units/units.repository.ts';
import { presentActivity, presentAttendee } from './activities.presenter.ts';
import {
  findActivityInScope,
  findAttendee,
  listActivitiesInScope,
  listAttendees,
  lockActivityInScope,
} from './activities.repository.ts';
import {
  CHECK_IN_OPENS_MINUTES,
  type CreateActivityInput,
  type ListActivitiesQuery,
  ORGANISER_UNIT_KINDS,
  type UpdateActivityInput,
} from './activities.schema.ts';
import type { ActivitiesTable } from './activities.tables.ts';
import { liveEnrolledAccounts, notifyResidents, promoteWaiting } from './enrolments.repository.ts';

/** Where the actor runs activities: the organiser unit must lie in this scope, else the activity is missing. */
export const activityScope = (actor: Actor): UnitScope => unitScope(actor, 'activity.manage');

/** A fresh check-in code: 96 random bits, URL-safe. */
export const newCheckInCode = () => randomBytes(12).toString('base64url');

function invalid(path: string, message: string) {
  return new AppError('VALIDATION_FAILED', 'The request is not valid', [{ in: 'body', path, message }]);
}

/** The organiser unit: in my scope (else 404, as if it did not exist) and of a kind that organises. */
async function organiserUnit(q: Queryable, actor: Actor, unitId: number) {
  const unit = await findUnit(q, unitId);
  if (!unit || !scopeCoversPath(activityScope(actor), unit.id, unit.path)) throw notFound('Unit');
  if (!(ORGANISER_UNIT_KINDS as readonly string[]).includes(unit.kind)) {
    throw invalid('unitId', `activities are organised by one of: ${ORGANISER_UNIT_KINDS.join(', ')}`);
  }
  return unit;
}

interface Times {
  startsAt: Date;
  endsAt: Date;
  enrolFrom: Date | null;
  enrolUntil: Date | null;
}

/** The rules between the times (also CHECKs in the table): refused with the field they concern. */
function checkTimes(t: Times) {
  if (t.endsAt <= t.startsAt) throw invalid('endsAt', 'must be after startsAt');
  if (t.enrolFrom && t.enrolFrom >= t.endsAt) throw invalid('enrolFrom', 'must be before endsAt');
  if (t.enrolUntil && t.enrolUntil > t.endsAt) throw invalid('enrolUntil', 'must not be after endsAt');
  if (t.enrolFrom && t.enrolUntil && t.enrolUntil <= t.enrolFrom)
    throw invalid('enrolUntil', 'must be after enrolFrom');
}

const dateOrNull = (v: string | null | undefined) => (v ? new Date(v) : null);

export async function listActivities(q: Queryable, actor: Actor, f: ListActivitiesQuery, now: Date) {
  const scope = activityScope(actor);
  let withinPath: string | null = null;
  if (f.unitId !== undefined) {
    const unit = await findUnit(q, f.unitId);
    if (!unit || !scopeCoversPath(scope, unit.id, unit.path)) throw notFound('Unit');
    withinPath = unit.path;
  }
  const { items, total } = await listActivitiesInScope(q, scope, f, withinPath, now);
  return { items: items.map((r) => presentActivity(r, now)), total, page: f.page, pageSize: f.pageSize };
}

export async function activityDetail(q: Queryable, actor: Actor, id: number, now: Date) {
  const row = await findActivityInScope(q, id, activityScope(actor));
  if (!row) throw notFound('Activity');
  return presentActivity(row, now);
}

export async function createActivity(trx: Trx, actor: Actor, input: CreateActivityInput, now: Date) {
  const unit = await organiserUnit(trx, actor, input.unitId);
  const times = {
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
    enrolFrom: dateOrNull(input.enrolFrom),
    enrolUntil: dateOrNull(input.enrolUntil),
  };
  checkTimes(times);
  const row = await trx
    .insertInto('activities')
    .values({
      unit_id: unit.id,
      kind: input.kind,
      title: input.title,
      description: input.description,
      venue: input.venue,
      starts_at: times.startsAt,
      ends_at: times.endsAt,
      enrol_from: times.enrolFrom,
      enrol_until: times.enrolUntil,
      capacity: input.capacity,
      waitlist_capacity: input.waitlistCapacity,
      contact_phone: input.contactPhone ?? null,
      service_hours: input.serviceHours ?? null,
      check_in_code: newCheckInCode(),
      created_by: actor.accountId,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'unit_id'])
    .executeTakeFirstOrThrow();
  return row;
}

/** Locks the activity in my scope: missing and out of scope are the same 404. */
async function lockInScope(trx: Trx, actor: Actor, id: number) {
  const row = await lockActivityInScope(trx, id, activityScope(actor));
  if (!row) throw notFound('Activity');
  return row;
}

/**
 * Edits an activity. Capacity may not drop below the places taken (409), nor the waiting list below the
 * residents on it; a raised capacity moves the first waiting residents up at once and notifies them.
 */
export async function updateActivity(trx: Trx, actor: Actor, id: number, input: UpdateActivityInput, now: Date) {
  const current = await lockInScope(trx, actor, id);
  if (current.version !== input.version) throw versionConflict();
  if (current.status !== 'published') throw conflict('A cancelled activity cannot be edited', { reason: 'cancelled' });
  const unitId = input.unitId === undefined ? current.unit_id : (await organiserUnit(trx, actor, input.unitId)).id;
  const times = {
    startsAt: input.startsAt === undefined ? current.starts_at : new Date(input.startsAt),
    endsAt: input.endsAt === undefined ? current.ends_at : new Date(input.endsAt),
    enrolFrom: input.enrolFrom === undefined ? current.enrol_from : dateOrNull(input.enrolFrom),
    enrolUntil: input.enrolUntil === undefined ? current.enrol_until : dateOrNull(input.enrolUntil),
  };
  checkTimes(times);
  const capacity = input.capacity ?? current.capacity;
  const waitlistCapacity = input.waitlistCapacity ?? current.waitlist_capacity;
  if (capacity < current.enrolled_count) {
    throw conflict(`${current.enrolled_count} residents hold a place: the capacity cannot be lower`, {
      reason: 'belowEnrolled',
      enrolled: current.enrolled_count,
    });
  }
  if (waitlistCapacity < current.waiting_count) {
    throw conflict(`${current.waiting_count} residents are waiting: the waiting list cannot be shorter`, {
      reason: 'belowWaiting',
      waiting: current.waiting_count,
    });
  }
  const changes: Updateable<ActivitiesTable> = {
    unit_id: unitId,
    kind: input.kind ?? current.kind,
    title: input.title ?? current.title,
    description: input.description ?? current.description,
    venue: input.venue ?? current.venue,
    starts_at: times.startsAt,
    ends_at: times.endsAt,
    enrol_from: times.enrolFrom,
    enrol_until: times.enrolUntil,
    capacity,
    waitlist_capacity: waitlistCapacity,
    contact_phone: input.contactPhone === undefined ? current.contact_phone : input.contactPhone,
    service_hours: input.serviceHours === undefined ? current.service_hours : input.serviceHours,
  };
  await trx
    .updateTable('activities')
    .set({ ...changes, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .execute();
  const promoted = await promoteWaiting(trx, id, now);
  await notifyResidents(trx, 'activity.promoted', { id, title: input.title ?? current.title }, promoted, now);
  return { promoted: promoted.length, unitId };
}

/** Cancels an activity with the reason; everyone enrolled or waiting is notified (activity.cancelled). */
export async function cancelActivity(
  trx: Trx,
  actor: Actor,
  id: number,
  input: { version: number; reason: string },
  now: Date,
) {
  const current = await lockInScope(trx, actor, id);
  if (current.version !== input.version) throw versionConflict();
  if (current.status === 'cancelled') throw conflict('The activity is already cancelled', { reason: 'cancelled' });
  if (current.ends_at <= now) throw conflict('The activity has already ended', { reason: 'ended' });
  await trx
    .updateTable('activities')
    .set({
      status: 'cancelled',
      cancel_reason: input.reason,
      cancelled_at: now,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  const residents = await liveEnrolledAccounts(trx, id);
  await notifyResidents(trx, 'activity.cancelled', current, residents, now, { reason: input.reason });
  return { notified: residents.length, unitId: current.unit_id };
}

export async function attendance(
  q: Queryable,
  actor: Actor,
  id: number,
  f: { status?: 'enrolled' | 'waiting' | 'cancelled' | undefined; page: number; pageSize: number },
) {
  const activity = await findActivityInScope(q, id, activityScope(actor));
  if (!activity) throw notFound('Activity');
  const { items, total, counts } = await listAttendees(q, id, f);
  return { items: items.map(presentAttendee), total, page: f.page, pageSize: f.pageSize, counts };
}

/**
 * Staff check a resident in by hand (no phone at hand): enrolled residents only, from an hour before the start
 * (staff may record attendance after the end). A second check-in answers the first unchanged.
 */
export async function staffCheckIn(trx: Trx, actor: Actor, id: number, enrolmentId: number, now: Date) {
  const activity = await lockInScope(trx, actor, id);
  const attendee = await findAttendee(trx, id, enrolmentId);
  if (!attendee) throw notFound('Enrolment');
  if (attendee.status !== 'enrolled') {
    throw conflict('Only residents with a place can check in', { reason: 'notEnrolled' });
  }
  if (attendee.checked_in_at) return { attendee: presentAttendee(attendee), changed: false, unitId: activity.unit_id };
  const opens = activity.starts_at.getTime() - CHECK_IN_OPENS_MINUTES * 60_000;
  if (activity.status !== 'published' || now.getTime() < opens) {
    throw conflict('Check-in opens an hour before the start', { reason: 'notOpen' });
  }
  await trx
    .updateTable('enrolments')
    .set({ checked_in_at: now, checked_in_by: actor.accountId })
    .where('id', '=', enrolmentId)
    .where('checked_in_at', 'is', null)
    .execute();
  const updated = await findAttendee(trx, id, enrolmentId);
  if (!updated) throw notFound('Enrolment');
  return { attendee: presentAttendee(updated), changed: true, unitId: activity.unit_id };
}

/** The activity's check-in code (for the QR code at the venue). */
export async function currentCheckInCode(q: Queryable, actor: Actor, id: number) {
  const row = await findActivityInScope(q, id, activityScope(actor));
  if (!row) throw notFound('Activity');
  return { code: row.check_in_code, unitId: row.unit_id };
}

/** A new check-in code: the old QR code (e.g. a photo passed around) stops working. */
export async function rotateCheckInCode(trx: Trx, actor: Actor, id: number) {
  const row = await lockInScope(trx, actor, id);
  const code = newCheckInCode();
  await trx.updateTable('activities').set({ check_in_code: code }).where('id', '=', id).execute();
  return { code, unitId: row.unit_id };
}
