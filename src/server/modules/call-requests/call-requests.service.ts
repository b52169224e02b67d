import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { badRequest, conflict, forbidden, notFound, versionConflict } from '../../http/errors.ts';
import { getWorkCalendar } from '../calendar/calendar.service.ts';
import { intakeCase } from '../cases/case-intake.ts';
import type { CaseDeps } from '../cases/case-transition.ts';
import type { ReadClock } from '../cases/cases.presenter.ts';
import { ancestorOfKind } from '../cases/cases.repository.ts';
import type { OutboxPayload } from '../cases/cases.tables.ts';
import { handles, presentForStaff, presentMine } from './call-requests.presenter.ts';
import {
  callersOf,
  findInScope,
  findOfResident,
  findResidentHome,
  findWaitingOf,
  insertWaiting,
  listInScope,
  listOfResident,
  lockInScope,
} from './call-requests.repository.ts';
import type { ConvertCallRequestInput, ListCallRequestsQuery } from './call-requests.schema.ts';

async function writeOutbox(
  trx: Trx,
  topic: string,
  values: { callRequestId: number; caseId?: number | null; payload: OutboxPayload; at: Date },
) {
  await trx
    .insertInto('outbox')
    .values({
      topic,
      call_request_id: values.callRequestId,
      case_id: values.caseId ?? null,
      payload: JSON.stringify(values.payload),
      created_at: values.at,
    })
    .execute();
}

/**
 * 一键呼叫: places the resident's call with the grid of their home (or, for a home above every grid, the
 * community or street holding it), due back within CALLBACK_MINUTES working minutes. One waiting request per
 * resident: a second tap answers the one already waiting (`created: false`).
 */
export async function placeCallRequest(
  trx: Trx,
  deps: CaseDeps,
  actor: Actor,
  note: string | undefined,
): Promise<{ id: number; created: boolean }> {
  const waiting = await findWaitingOf(trx, actor.accountId);
  if (waiting) return { id: waiting.id, created: false };

  const home = await findResidentHome(trx, actor.accountId);
  if (home.person_id === null || home.unit_path === null) {
    throw badRequest('Complete your address first, so we know which grid worker should call you', {
      field: 'address',
    });
  }
  const territory =
    (await ancestorOfKind(trx, home.unit_path, ['grid'])) ??
    (await ancestorOfKind(trx, home.unit_path, ['community', 'village', 'street', 'town']));
  if (!territory) {
    throw badRequest('Your address does not belong to a grid yet; complete your address first', {
      field: 'address',
    });
  }
  const phone = home.phone ?? home.person_phone;
  if (!phone) throw badRequest('Your account has no phone number to call back', { field: 'phone' });

  const now = deps.clock.now();
  const calendar = await getWorkCalendar(trx, deps.config, now);
  const callbackDueAt = calendar.addWorkingMinutes(now, deps.config.callbackMinutes);
  const inserted = await insertWaiting(trx, {
    resident_account_id: actor.accountId,
    person_id: home.person_id,
    phone,
    grid_id: territory.kind === 'grid' ? territory.id : null,
    territory_unit_id: territory.id,
    territory_path: territory.path,
    note: note ?? null,
    status: 'waiting',
    callback_due_at: callbackDueAt,
    created_at: now,
  });
  if (!inserted) {
    // Another tap of the same resident got there first (it waited on the unique index): answer that one.
    const other = await findWaitingOf(trx, actor.accountId);
    if (!other) throw conflict('Your call request is being placed; try again');
    return { id: other.id, created: false };
  }
  await writeOutbox(trx, 'callRequest.created', {
    callRequestId: inserted.id,
    at: now,
    payload: {
      recipients: { accountIds: [], unitIds: [territory.id] },
      title: `callRequest ${inserted.id}`,
      body: 'created',
      action: 'created',
      callRequestId: inserted.id,
      callbackDueAt: callbackDueAt.toISOString(),
    },
  });
  return { id: inserted.id, created: true };
}

/** One of the resident's own requests, with who will call back. */
export async function myCallRequest(q: Queryable, actor: Actor, id: number) {
  const row = await findOfResident(q, id, actor.accountId);
  if (!row) throw notFound('Call request');
  const callers = await callersOf(q, [row.territory_unit_id]);
  return presentMine(row, callers.get(row.territory_unit_id) ?? []);
}

export async function myCallRequests(q: Queryable, actor: Actor, page: number, pageSize: number) {
  const { items, total } = await listOfResident(q, actor.accountId, page, pageSize);
  const callers = await callersOf(
    q,
    items.map((r) => r.territory_unit_id),
  );
  return {
    items: items.map((r) => presentMine(r, callers.get(r.territory_unit_id) ?? [])),
    total,
    page,
    pageSize,
  };
}

/** The 待回拨 worklist: requests whose grid lies in the actor's case.read scope. */
export async function listCallRequests(q: Queryable, actor: Actor, f: ListCallRequestsQuery, at: ReadClock) {
  const scope = unitScope(actor, 'case.read');
  let withinPath: string | null = null;
  if (f.unitId !== undefined) {
    const unit = await q.selectFrom('units').select('path').where('id', '=', f.unitId).executeTakeFirst();
    if (!unit) return { items: [], total: 0, page: f.page, pageSize: f.pageSize };
    withinPath = unit.path;
  }
  const { items, total } = await listInScope(q, scope, f, withinPath, at.now);
  return { items: items.map((r) => presentForStaff(actor, r, at)), total, page: f.page, pageSize: f.pageSize };
}

export async function callRequestDetail(q: Queryable, actor: Actor, id: number, at: ReadClock) {
  const row = await findInScope(q, id, unitScope(actor, 'case.read'));
  if (!row) throw notFound('Call request');
  return presentForStaff(actor, row, at);
}

/**
 * Locks a request for a convert or close: out of scope is missing (404); readers who do not call back may not
 * (403); one already converted or closed is a conflict (409), so of two concurrent ones exactly one wins.
 */
async function lockForHandling(trx: Trx, actor: Actor, id: number, version: number) {
  const row = await lockInScope(trx, id, unitScope(actor, 'case.read'));
  if (!row) throw notFound('Call request');
  if (!handles(actor, row)) throw forbidden('Only the grid worker over this grid may call back and record the result');
  if (row.status !== 'waiting') {
    throw conflict(`This call request is already ${row.status}`, { status: row.status, caseId: row.case_id });
  }
  if (row.version !== version) throw versionConflict();
  return row;
}

/**
 * After the call, the grid worker records the case for the resident: intake (classified and dispatched at
 * once with a category) in this same transaction, the resident as reporter — so they follow and rate it in
 * the H5 — and the request marked converted.
 */
export async function convertCallRequest(
  trx: Trx,
  deps: CaseDeps,
  actor: Actor,
  id: number,
  input: ConvertCallRequestInput,
): Promise<{ caseId: number }> {
  const row = await lockForHandling(trx, actor, id, input.version);
  const account = await trx
    .selectFrom('accounts')
    .select('display_name')
    .where('id', '=', row.resident_account_id)
    .executeTakeFirstOrThrow();
  const person = row.person_id
    ? await trx.selectFrom('people').select('name').where('id', '=', row.person_id).executeTakeFirst()
    : undefined;
  const result = await intakeCase(trx, deps, actor, {
    caseType: 'appeal',
    channel: 'call',
    title: input.title,
    description: input.description,
    categoryId: input.categoryId,
    urgency: input.urgency,
    location: input.location,
    address: input.address,
    unitId: row.grid_id ?? row.territory_unit_id,
    reporter: {
      accountId: row.resident_account_id,
      personId: row.person_id,
      name: person?.name ?? account.display_name,
      phone: row.phone,
    },
    confidential: input.confidential,
    attachmentIds: input.attachmentIds,
  });
  const now = deps.clock.now();
  await trx
    .updateTable('call_requests')
    .set({
      status: 'converted',
      called_back_at: now,
      called_back_by: actor.accountId,
      case_id: result.caseId,
      version: sql`version + 1`,
    })
    .where('id', '=', row.id)
    .execute();
  const c = await trx
    .selectFrom('cases')
    .select(['number', 'title'])
    .where('id', '=', result.caseId)
    .executeTakeFirstOrThrow();
  await writeOutbox(trx, 'callRequest.calledBack', {
    callRequestId: row.id,
    caseId: result.caseId,
    at: now,
    payload: {
      recipients: { accountIds: [row.resident_account_id], unitIds: [] },
      title: `${c.number} ${c.title}`,
      body: 'converted',
      action: 'converted',
      callRequestId: row.id,
      caseNumber: c.number,
    },
  });
  return { caseId: result.caseId };
}

/** After the call, nothing to record as a case: closed with the reason, which the resident sees. */
export async function closeCallRequest(
  trx: Trx,
  deps: CaseDeps,
  actor: Actor,
  id: number,
  input: { reason: string; version: number },
): Promise<void> {
  const row = await lockForHandling(trx, actor, id, input.version);
  const now = deps.clock.now();
  await trx
    .updateTable('call_requests')
    .set({
      status: 'closed',
      called_back_at: now,
      called_back_by: actor.accountId,
      close_reason: input.reason,
      version: sql`version + 1`,
    })
    .where('id', '=', row.id)
    .execute();
  await writeOutbox(trx, 'callRequest.calledBack', {
    callRequestId: row.id,
    at: now,
    payload: {
      recipients: { accountIds: [row.resident_account_id], unitIds: [] },
      title: `callRequest ${row.id}`,
      body: 'closed',
      action: 'closed',
      callRequestId: row.id,
      reason: input.reason,
    },
  });
}
