import { timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../access/actor.ts';
import type { Clock } from '../../clock.ts';
import type { Database, Queryable, Trx } from '../../db/database.ts';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.ts';
import { residentHome } from '../me/me.repository.ts';
import { presentMyEnrolment, presentResidentActivity } from './activities.presenter.ts';
import {
  findEnrolmentById,
  findForResident,
  findLatestEnrolment,
  findMyEnrolment,
  listForResident,
  listMyEnrolments,
  type ResidentActivityRow,
} from './activities.repository.ts';
import { CHECK_IN_OPENS_MINUTES } from './activities.schema.ts';
import {
  insertEnrolment,
  lockActivity,
  notifyResidents,
  promoteWaiting,
  releaseEnrolment,
  takePlace,
  takeWaitingPlace,
} from './enrolments.repository.ts';

/** Refusals the H5 explains, by `details.reason`. */
const closed = () => conflict('Enrolment is closed for this activity', { reason: 'closed' });
const full = () => conflict('All places and the waiting list are taken', { reason: 'full' });

/** A concurrent tap of the same resident enrolled first: this transaction rolls back and answers that one. */
class AlreadyEnrolled extends Error {}

async function openActivity(q: Queryable, actor: Actor, id: number) {
  const home = await residentHome(q, actor.accountId);
  const row = await findForResident(q, id, actor.accountId, home.unitIds);
  if (!row) throw notFound('Activity');
  return { row, home };
}

function enrolmentWindowOpen(
  a: Pick<ResidentActivityRow, 'status' | 'enrol_from' | 'enrol_until' | 'ends_at'>,
  now: Date,
): boolean {
  if (a.status !== 'published') return false;
  if (a.enrol_from && now < a.enrol_from) return false;
  return now < (a.enrol_until ?? a.ends_at);
}

export async function listOpenActivities(
  q: Queryable,
  actor: Actor,
  f: { kind?: string | undefined; when: 'upcoming' | 'past'; page: number; pageSize: number },
  now: Date,
) {
  const home = await residentHome(q, actor.accountId);
  const { items, total } = await listForResident(q, actor.accountId, home.unitIds, f, now);
  return { items: items.map(presentResidentActivity), total, page: f.page, pageSize: f.pageSize };
}

export async function myEnrolments(
  q: Queryable,
  actor: Actor,
  f: { when: 'upcoming' | 'past'; page: number; pageSize: number },
  now: Date,
) {
  const { items, total } = await listMyEnrolments(q, actor.accountId, f, now);
  return {
    items: items.map((r) => ({ activity: presentResidentActivity(r) })),
    total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export async function residentActivity(q: Queryable, actor: Actor, id: number) {
  const { row } = await openActivity(q, actor, id);
  return presentResidentActivity(row);
}

async function enrolIn(trx: Trx, actor: Actor, id: number, now: Date) {
  const { row, home } = await openActivity(trx, actor, id);
  if (row.e_status) return { created: false };
  if (!enrolmentWindowOpen(row, now)) throw closed();
  // A cancellation may free a place between the two guarded updates: then try the place again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let waitingSeq: number | null = null;
    const placed = await takePlace(trx, id, now);
    if (!placed) waitingSeq = await takeWaitingPlace(trx, id, now);
    if (placed || waitingSeq !== null) {
      const inserted = await insertEnrolment(trx, {
        activity_id: id,
        account_id: actor.accountId,
        person_id: home.personId,
        status: placed ? 'enrolled' : 'waiting',
        waiting_seq: waitingSeq,
        enrolled_at: now,
      });
      if (!inserted) throw new AlreadyEnrolled();
      return { created: true };
    }
    const fresh = await trx
      .selectFrom('activities')
      .select(['status', 'enrol_from', 'enrol_until', 'ends_at', 'capacity', 'enrolled_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (!enrolmentWindowOpen(fresh, now)) throw closed();
    if (fresh.enrolled_count >= fresh.capacity) break;
  }
  throw full();
}

/**
 * Enrols the resident: a place while places remain, else the waiting list while it has room, else 409 full.
 * One transaction; a resident already enrolled or waiting gets that enrolment back (`created: false`).
 */
export async function enrol(database: Database, clock: Clock, actor: Actor, id: number) {
  let created: boolean;
  try {
    ({ created } = await database.transaction((trx) => enrolIn(trx, actor, id, clock.now())));
  } catch (error) {
    if (!(error instanceof AlreadyEnrolled)) throw error;
    created = false;
  }
  const mine = await findMyEnrolment(database.db, id, actor.accountId);
  if (!mine) throw conflict('Your enrolment changed meanwhile; reload and try again');
  return { enrolment: presentMyEnrolment(mine), created };
}

/**
 * Cancels the resident's enrolment before the start; a freed place goes to the first on the waiting list, who
 * is notified (activity.promoted). Cancelling again answers the cancelled enrolment.
 */
export async function cancelEnrolment(trx: Trx, clock: Clock, actor: Actor, id: number) {
  await openActivity(trx, actor, id);
  const now = clock.now();
  const activity = await lockActivity(trx, id);
  if (!activity) throw notFound('Activity');
  const mine = await findMyEnrolment(trx, id, actor.accountId);
  if (!mine) {
    const latest = await findLatestEnrolment(trx, id, actor.accountId);
    if (latest?.status === 'cancelled') return presentMyEnrolment(latest);
    throw notFound('Enrolment');
  }
  if (activity.status !== 'published' || now >= activity.starts_at) throw closed();
  const status = mine.status === 'enrolled' ? 'enrolled' : 'waiting';
  await releaseEnrolment(trx, id, mine.id, status, now);
  if (status === 'enrolled') {
    const promoted = await promoteWaiting(trx, id, now);
    await notifyResidents(trx, 'activity.promoted', activity, promoted, now);
  }
  return presentMyEnrolment(await findEnrolmentById(trx, mine.id));
}

function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The check-in window: from CHECK_IN_OPENS_MINUTES before the start until the end. */
export function checkInOpen(a: { status: string; starts_at: Date; ends_at: Date }, now: Date): boolean {
  const opens = a.starts_at.getTime() - CHECK_IN_OPENS_MINUTES * 60_000;
  return a.status === 'published' && now.getTime() >= opens && now.getTime() <= a.ends_at.getTime();
}

/** Check-in by the code of the venue's QR code; a second check-in answers the first unchanged. */
export async function checkIn(trx: Trx, clock: Clock, actor: Actor, id: number, code: string) {
  const { row } = await openActivity(trx, actor, id);
  if (!sameCode(row.check_in_code, code)) {
    throw badRequest('This check-in code is not the one shown at the venue', { reason: 'code' });
  }
  const mine = await findMyEnrolment(trx, id, actor.accountId);
  if (mine?.status !== 'enrolled') {
    throw conflict('Only residents with a place can check in', { reason: 'notEnrolled' });
  }
  if (mine.checked_in_at) return presentMyEnrolment(mine);
  const now = clock.now();
  if (!checkInOpen(row, now)) {
    throw new AppError('CONFLICT', 'Check-in opens an hour before the start and closes at the end', {
      reason: 'notOpen',
      opensAt: new Date(row.starts_at.getTime() - CHECK_IN_OPENS_MINUTES * 60_000).toISOString(),
      closesAt: row.ends_at.toISOString(),
    });
  }
  await trx
    .updateTable('enrolments')
    .set({ checked_in_at: now })
    .where('id', '=', mine.id)
    .where('status', '=', 'enrolled')
    .where('checked_in_at', 'is', null)
    .execute();
  return presentMyEnrolment(await findEnrolmentById(trx, mine.id));
}
