import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, type UnitScope, unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { AppError, conflict, notFound, versionConflict } from '../../http/errors.ts';
import { residentHome } from '../me/me.repository.ts';
import { findUnit } from '../units/units.repository.ts';
import { presentNotice, presentResidentNotice, presentResidentSummary } from './notices.presenter.ts';
import {
  countUnreadForResident,
  findForResident,
  findNoticeInScope,
  listForResident,
  listNoticesInScope,
  lockNoticeInScope,
  markAllNoticesRead,
  markNoticeRead,
  writeUrgentPush,
} from './notices.repository.ts';
import {
  AUDIENCE_UNIT_KINDS,
  type CreateNoticeInput,
  type ListNoticesQuery,
  type MyNoticesQuery,
  type UpdateNoticeInput,
} from './notices.schema.ts';

/** Where the actor publishes notices: the audience unit must lie in this scope, else the notice is missing. */
export const noticeScope = (actor: Actor): UnitScope => unitScope(actor, 'notice.manage');

function invalid(path: string, message: string) {
  return new AppError('VALIDATION_FAILED', 'The request is not valid', [{ in: 'body', path, message }]);
}

/** The audience unit: in my scope (else 404, as if it did not exist) and of a kind residents live under. */
async function audienceUnit(q: Queryable, actor: Actor, unitId: number) {
  const unit = await findUnit(q, unitId);
  if (!unit || !scopeCoversPath(noticeScope(actor), unit.id, unit.path)) throw notFound('Unit');
  if (!(AUDIENCE_UNIT_KINDS as readonly string[]).includes(unit.kind)) {
    throw invalid('unitId', `notices are addressed to one of: ${AUDIENCE_UNIT_KINDS.join(', ')}`);
  }
  return unit;
}

export async function listNotices(q: Queryable, actor: Actor, f: ListNoticesQuery) {
  const scope = noticeScope(actor);
  let withinPath: string | null = null;
  if (f.unitId !== undefined) {
    const unit = await findUnit(q, f.unitId);
    if (!unit || !scopeCoversPath(scope, unit.id, unit.path)) throw notFound('Unit');
    withinPath = unit.path;
  }
  const { items, total } = await listNoticesInScope(q, scope, f, withinPath);
  return { items: items.map(presentNotice), total, page: f.page, pageSize: f.pageSize };
}

export async function noticeDetail(q: Queryable, actor: Actor, id: number) {
  const row = await findNoticeInScope(q, id, noticeScope(actor));
  if (!row) throw notFound('Notice');
  return presentNotice(row);
}

/** Publishes a notice; an urgent one is pushed in the same transaction. `pushed`: the residents it reaches. */
export async function publishNotice(trx: Trx, actor: Actor, input: CreateNoticeInput, now: Date) {
  const unit = await audienceUnit(trx, actor, input.unitId);
  const row = await trx
    .insertInto('notices')
    .values({
      unit_id: unit.id,
      title: input.title,
      body: input.body,
      urgent: input.urgent,
      pinned: input.pinned,
      published_at: now,
      pushed_at: input.urgent ? now : null,
      created_by: actor.accountId,
      created_at: now,
      updated_at: now,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const pushed = input.urgent
    ? await writeUrgentPush(
        trx,
        { id: row.id, title: input.title, body: input.body, unitPath: unit.path, unitName: unit.name },
        now,
      )
    : 0;
  return { id: row.id, unitId: unit.id, pushed };
}

/** Locks the notice in my scope: missing and out of scope are the same 404. */
async function lockInScope(trx: Trx, actor: Actor, id: number) {
  const row = await lockNoticeInScope(trx, id, noticeScope(actor));
  if (!row) throw notFound('Notice');
  return row;
}

/**
 * Replaces a published notice's audience, text and flags. A notice made urgent now is pushed now — once in its
 * life (pushed_at), so urgent → not urgent → urgent does not message everybody twice.
 */
export async function updateNotice(trx: Trx, actor: Actor, id: number, input: UpdateNoticeInput, now: Date) {
  const current = await lockInScope(trx, actor, id);
  if (current.version !== input.version) throw versionConflict();
  if (current.status !== 'published') throw conflict('A withdrawn notice cannot be edited', { reason: 'withdrawn' });
  const unit = await audienceUnit(trx, actor, input.unitId);
  const push = input.urgent && current.pushed_at === null;
  await trx
    .updateTable('notices')
    .set({
      unit_id: unit.id,
      title: input.title,
      body: input.body,
      urgent: input.urgent,
      pinned: input.pinned,
      pushed_at: push ? now : current.pushed_at,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  const pushed = push
    ? await writeUrgentPush(
        trx,
        { id, title: input.title, body: input.body, unitPath: unit.path, unitName: unit.name },
        now,
      )
    : 0;
  const before = {
    unitId: current.unit_id,
    title: current.title,
    body: current.body,
    urgent: current.urgent,
    pinned: current.pinned,
  };
  const changed = (Object.keys(before) as Array<keyof typeof before>).filter((field) => before[field] !== input[field]);
  return { unitId: unit.id, previousUnitId: current.unit_id, pushed, changed };
}

/** Withdraws a published notice: residents no longer see it (opening it is 404). */
export async function withdrawNotice(trx: Trx, actor: Actor, id: number, version: number, now: Date) {
  const current = await lockInScope(trx, actor, id);
  if (current.version !== version) throw versionConflict();
  if (current.status !== 'published') throw conflict('The notice is already withdrawn', { reason: 'withdrawn' });
  await trx
    .updateTable('notices')
    .set({ status: 'withdrawn', withdrawn_at: now, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .execute();
  return { unitId: current.unit_id };
}

// ——— Resident side ———

export async function myNotices(q: Queryable, actor: Actor, f: MyNoticesQuery) {
  const homeIds = (await residentHome(q, actor.accountId)).unitIds;
  const [{ items, total }, unreadCount] = await Promise.all([
    listForResident(q, actor.accountId, homeIds, f),
    countUnreadForResident(q, actor.accountId, homeIds),
  ]);
  return { items: items.map(presentResidentSummary), total, page: f.page, pageSize: f.pageSize, unreadCount };
}

/** One published notice of my home path, which opening marks read; any other (or withdrawn) is 404. */
export async function openMyNotice(trx: Trx, actor: Actor, id: number, now: Date) {
  const homeIds = (await residentHome(trx, actor.accountId)).unitIds;
  const row = await findForResident(trx, actor.accountId, homeIds, id);
  if (!row) throw notFound('Notice');
  await markNoticeRead(trx, actor.accountId, id, now);
  return {
    notice: presentResidentNotice(row, true),
    unreadCount: await countUnreadForResident(trx, actor.accountId, homeIds),
  };
}

export async function myUnreadNotices(q: Queryable, actor: Actor) {
  const homeIds = (await residentHome(q, actor.accountId)).unitIds;
  return { unreadCount: await countUnreadForResident(q, actor.accountId, homeIds) };
}

export async function readAllMyNotices(trx: Trx, actor: Actor, now: Date) {
  const homeIds = (await residentHome(trx, actor.accountId)).unitIds;
  const marked = await markAllNoticesRead(trx, actor.accountId, homeIds, now);
  return { marked, unreadCount: 0 };
}
