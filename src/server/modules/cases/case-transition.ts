import type { Updateable } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Trx } from '../../db/database.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts';
import { claimAttachments } from '../attachments/attachments.service.ts';
import { getWorkCalendar } from '../calendar/calendar.service.ts';
import type { WorkCalendar } from '../calendar/working-time.ts';
import { type CaseStatsChange, recordCaseStats } from '../metrics/case-stats.ts';
import { EFFECTS, type ResidentVisit } from './case-effects.ts';
import { computeColour, orangeAt } from './case-limits.ts';
import { allowedActions, type CaseAction, type CaseState, isOpen, type Relation, TRANSITIONS } from './case-machine.ts';
import { type CaseContext, covers, factsOf, relationsOf, type UnitRef } from './case-relations.ts';
import { loadCaseContext } from './cases.repository.ts';
import type { TransitionInput } from './cases.schema.ts';
import type { AssignmentRole, AssignmentStatus, CasesTable, OutboxPayload } from './cases.tables.ts';

export interface CaseDeps {
  config: Config;
  clock: Clock;
}

/** Who takes the action: a signed-in user, or the system (a sweep). */
export type CaseActorRef = { kind: 'user'; actor: Actor } | { kind: 'system' };

/** Every command the transition function accepts: the API's, and the sweeps' own. */
export type CaseCommand =
  | TransitionInput
  | ResidentVisit
  | { action: 'expireVisit'; version?: number }
  | { action: 'colourChange'; version?: number }
  | { action: 'inviteVisit'; version?: number };

/** What an action does to the case, computed by its effect (case-effects.ts) and written by `transition`. */
export interface Change {
  toState: CaseState;
  set?: Updateable<CasesTable>;
  note?: string | null;
  data?: Record<string, unknown>;
  /** The limit the colour measures from now on; `null` stops the clock (resolved, closed). */
  limit?: { kind: 'response' | 'resolution'; start: Date; due: Date } | null;
  /** New assignments: the unit the case goes to, or the whistled departments. */
  assign?: Array<{
    unit: UnitRef;
    role: AssignmentRole;
    responseDueAt: Date;
    deadline?: Date | null;
    status?: 'checkedIn';
  }>;
  /** Open assignments to finish, with their new status (done when the case moves on, withdrawn when replaced). */
  finish?: Array<{ id: number; status: AssignmentStatus; reason?: string | null; responded?: boolean }>;
  notify?: { accountIds?: number[]; unitIds?: number[]; supervisorsOf?: number[]; phone?: string | null };
  stats?: Omit<CaseStatsChange, 'at' | 'action' | 'caseType' | 'territory'>;
  attachmentIds?: string[];
  /** For sweeps: nothing to record (e.g. the colour has not changed after all). */
  skip?: boolean;
}

export interface EffectEnv {
  trx: Trx;
  deps: CaseDeps;
  now: Date;
  calendar: WorkCalendar;
  ctx: CaseContext;
  who: CaseActorRef;
  relations: ReadonlySet<Relation>;
}

export interface TransitionResult {
  caseId: number;
  eventId: number | null;
  state: CaseState;
  version: number;
}

export function illegalTransition(state: CaseState, action: string, allowed: string[]): AppError {
  return new AppError(
    'ILLEGAL_TRANSITION',
    `"${action}" is not possible while the case is ${state}${allowed.length ? `; possible now: ${allowed.join(', ')}` : ''}`,
    { state, action, allowed },
  );
}

/**
 * The one transition function: every change to a case goes through here — the API, intake and the sweeps.
 * It locks the case (so concurrent transitions queue and the loser sees the new state: 409), checks the
 * state machine and the actor's relation to the case, runs the action's effect and writes the event, the
 * denormalised case row, the assignments, the outbox message and the statistics in the caller's transaction.
 */
export async function transition(
  trx: Trx,
  deps: CaseDeps,
  who: CaseActorRef,
  caseId: number,
  command: CaseCommand,
): Promise<TransitionResult> {
  const actor = who.kind === 'user' ? who.actor : null;
  const ctx = await loadCaseContext(trx, caseId, actor, true);
  if (!ctx) throw notFound('Case');
  if (command.version !== undefined && command.version !== ctx.row.version) throw versionConflict();
  const action = command.action as CaseAction;
  const relations: ReadonlySet<Relation> = actor ? relationsOf(actor, ctx) : new Set<Relation>(['system']);
  const rule = TRANSITIONS[action];
  const permitted = rule.by.some((r) => relations.has(r));
  if (!(rule.from as readonly CaseState[]).includes(ctx.state)) {
    throw illegalTransition(ctx.state, action, allowedActions(ctx.state, relations, factsOf(ctx)));
  }
  if (!permitted) throw forbidden(`You may not ${action} this case`);

  const now = deps.clock.now();
  const calendar = await getWorkCalendar(trx, deps.config, now);
  const env: EffectEnv = { trx, deps, now, calendar, ctx, who, relations };
  const change = await EFFECTS[action](env, command as never);
  if (change.skip) return { caseId, eventId: null, state: ctx.state, version: ctx.row.version };
  if (!(rule.to as readonly CaseState[]).includes(change.toState)) {
    throw new Error(`effect of ${action} led to ${change.toState}, not allowed by the state machine`);
  }
  return writeChange(env, action, change);
}

async function writeChange(env: EffectEnv, action: CaseAction, change: Change): Promise<TransitionResult> {
  const { trx, now, ctx, who, calendar } = env;
  const row = ctx.row;
  const set: Updateable<CasesTable> = { ...change.set };
  const ownerAfter = (set.owner_unit_id as number | undefined) ?? row.owner_unit_id;
  const actingUnitId = actingUnit(env);

  const event = await trx
    .insertInto('case_events')
    .values({
      case_id: row.id,
      seq: row.event_count + 1,
      action,
      from_state: action === 'intake' ? null : ctx.state,
      to_state: change.toState,
      actor_account_id: who.kind === 'user' ? who.actor.accountId : null,
      actor_unit_id: actingUnitId,
      actor_name: who.kind === 'user' ? who.actor.displayName : '系统',
      owner_unit_id: ownerAfter,
      note: change.note ?? null,
      data: JSON.stringify(change.data ?? {}),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditTransition(env, action, change, event.id);

  // Assignments: finish the ones the action closes; an owner still pending responds by acting at all.
  const responded: NonNullable<CaseStatsChange['responded']> = [];
  const finishing = new Map((change.finish ?? []).map((f) => [f.id, f]));
  if (who.kind === 'user' && env.relations.has('owner')) {
    for (const a of ctx.assignments) {
      if (a.role === 'owner' && a.unitId === ctx.owner.id && a.status === 'pending' && !a.respondedAt) {
        if (!finishing.has(a.id)) finishing.set(a.id, { id: a.id, status: 'checkedIn', responded: true });
        else finishing.set(a.id, { ...finishing.get(a.id)!, responded: true });
      }
    }
  }
  for (const f of finishing.values()) {
    const a = ctx.assignments.find((x) => x.id === f.id);
    if (!a) continue;
    const respondsNow = (f.responded ?? false) && !a.respondedAt;
    const inTime = now <= a.responseDueAt;
    await trx
      .updateTable('case_assignments')
      .set({
        status: f.status,
        ...(f.reason !== undefined ? { reason: f.reason } : {}),
        ...(respondsNow ? { responded_at: now, responded_in_time: inTime } : {}),
      })
      .where('id', '=', a.id)
      .execute();
    if (respondsNow) responded.push({ unitId: a.unitId, path: a.unitPath, assignedAt: a.assignedAt, inTime });
  }
  const assigned: NonNullable<CaseStatsChange['assigned']> = [];
  for (const a of change.assign ?? []) {
    // Given to the very unit the acting user works in (a grid worker recording their own case): answered at
    // once. Someone above it (a district admin taking a hotline call) does not answer for the grid.
    const actorCovers =
      who.kind === 'user' && who.actor.grants.some((g) => g.unitId === a.unit.id && g.permissions.has('case.handle'));
    const respondedNow = a.status === 'checkedIn' || (a.role === 'owner' && actorCovers);
    await trx
      .insertInto('case_assignments')
      .values({
        case_id: row.id,
        unit_id: a.unit.id,
        unit_path: a.unit.path,
        role: a.role,
        status: a.status ?? (respondedNow ? 'checkedIn' : 'pending'),
        round: (set.round as number | undefined) ?? row.round,
        assigned_at: now,
        response_due_at: a.responseDueAt,
        responded_at: respondedNow ? now : null,
        responded_in_time: respondedNow ? true : null,
        deadline: a.deadline ?? null,
        event_id: event.id,
      })
      .execute();
    assigned.push({ unitId: a.unit.id, path: a.unit.path, role: a.role });
    if (respondedNow) {
      responded.push({ unitId: a.unit.id, path: a.unit.path, assignedAt: now, inTime: true });
    }
  }

  // The colour clock: which limit runs now, and when the colour next changes by itself.
  if (change.limit !== undefined) {
    if (change.limit === null) {
      Object.assign(set, { limit_kind: null, limit_started_at: null, orange_at: null, due_at: null });
    } else {
      const share = Number(ctx.caseType.orange_share);
      Object.assign(set, {
        limit_kind: change.limit.kind,
        limit_started_at: change.limit.start,
        due_at: change.limit.due,
        orange_at: orangeAt(calendar, change.limit.start, change.limit.due, share),
      });
    }
  }
  // The lead's path travels with its id (worklists find "cases my department leads" by path range).
  if (set.lead_unit_id !== undefined) {
    const leadId = set.lead_unit_id as number | null;
    set.lead_unit_path = leadId
      ? (await trx.selectFrom('units').select('path').where('id', '=', leadId).executeTakeFirstOrThrow()).path
      : null;
  }
  const merged = { ...row, ...set } as typeof row;
  // The colour moves with time only through the colour sweep, which records the change and alerts people; an
  // unrelated action (a note) after the moment has passed must not change it silently. It is recomputed here
  // when the action changes what it is measured against (a new limit, supervision, a manual colour).
  const clockChanged =
    change.limit !== undefined ||
    merged.supervised !== row.supervised ||
    merged.manual_colour !== row.manual_colour ||
    action === 'colourChange';
  const keepColour = !clockChanged && isOpen(change.toState) && change.toState !== 'resolved';
  const { colour, nextColourAt } = keepColour
    ? { colour: row.colour, nextColourAt: row.next_colour_at }
    : computeColour(
        {
          open: isOpen(change.toState),
          frozen: change.toState === 'resolved',
          supervised: merged.supervised,
          manualColour: merged.manual_colour,
          currentColour: row.colour,
          orangeAt: merged.orange_at,
          dueAt: merged.due_at,
        },
        now,
      );
  const updated = await trx
    .updateTable('cases')
    .set({
      ...set,
      state: change.toState,
      colour,
      next_colour_at: nextColourAt,
      event_count: row.event_count + 1,
      // The sweeps' own events (colour, chase, invitation) leave the version alone, so a person acting on what
      // they saw is not refused because time passed; anything that changes the state bumps it.
      version: who.kind === 'system' && change.toState === ctx.state ? row.version : row.version + 1,
      updated_at: now,
      ...(isOpen(change.toState) ? {} : { closed_at: row.closed_at ?? now, next_chase_at: null }),
    })
    .where('id', '=', row.id)
    .returning(['version'])
    .executeTakeFirstOrThrow();

  if (change.attachmentIds?.length && who.kind === 'user') {
    await claimAttachments(trx, who.actor, change.attachmentIds, { caseId: row.id, eventId: event.id });
  }
  if (change.notify) await writeOutbox(env, action, change, event.id);
  const stats: CaseStatsChange = {
    ...change.stats,
    at: now,
    action,
    caseType: row.case_type,
    territory: { unitId: ctx.territory.id, path: ctx.territory.path },
  };
  if (assigned.length) stats.assigned = [...(stats.assigned ?? []), ...assigned];
  if (responded.length) stats.responded = [...(stats.responded ?? []), ...responded];
  if (!isOpen(change.toState) && isOpen(ctx.state)) stats.closed = true;
  if (set.category_id !== undefined && set.category_id !== row.category_id) {
    const to = set.category_id as number | null;
    stats.recategorised = { createdAt: row.created_at, channel: row.channel, from: row.category_id, to };
  }
  await recordCaseStats(trx, stats);
  return { caseId: row.id, eventId: event.id, state: change.toState, version: updated.version };
}

/**
 * Every transition a person takes, and every change of state the system makes (a visit expiring), is also an
 * entry of the audit log, filed under the case's territory so scoped auditors see it; the case's own history
 * (case_events) keeps the details. The sweeps' colour changes, chases and invitations are in the case history
 * only: they change no state, and there are many of them.
 */
async function auditTransition(env: EffectEnv, action: CaseAction, change: Change, eventId: number) {
  const { who, ctx } = env;
  if (who.kind === 'system' && change.toState === ctx.state) return;
  await auditCaseEvent(env.trx, {
    actor: who.kind === 'user' ? who.actor : null,
    action,
    caseId: ctx.row.id,
    number: ctx.row.number,
    territoryId: ctx.territory.id,
    from: action === 'intake' ? null : ctx.state,
    to: change.toState,
    eventId,
  });
}

/** The audit entry of one case event (`case.<action>`), written in the event's transaction; intake uses it too. */
export async function auditCaseEvent(
  trx: Trx,
  e: {
    actor: Actor | null;
    action: string;
    caseId: number;
    number: string;
    territoryId: number;
    from: CaseState | null;
    to: CaseState;
    eventId: number;
  },
) {
  await trx
    .insertInto('audit_log')
    .values({
      actor_account_id: e.actor ? e.actor.accountId : null,
      actor_name: e.actor ? e.actor.displayName : '系统',
      action: `case.${e.action}`,
      target_type: 'case',
      target_id: String(e.caseId),
      unit_id: e.territoryId,
      // The request the transition came in on; sweeps and jobs have none.
      ip: e.actor?.origin?.ip ?? null,
      request_id: e.actor?.origin?.requestId ?? null,
      detail: JSON.stringify({ number: e.number, from: e.from, to: e.to, eventId: Number(e.eventId) }),
    })
    .execute();
}

async function writeOutbox(env: EffectEnv, action: CaseAction, change: Change, eventId: number) {
  const { row } = env.ctx;
  const notify = change.notify!;
  const self = env.who.kind === 'user' ? env.who.actor.accountId : null;
  // Duplicates merged into this case follow it: their reporters hear when it is resolved or closed.
  const followers =
    change.toState === 'resolved' || change.toState === 'closed'
      ? await env.trx
          .selectFrom('cases')
          .select('reporter_account_id')
          .where('merged_into_id', '=', row.id)
          .where('reporter_account_id', 'is not', null)
          .execute()
      : [];
  // Residents who joined with "me too" hear what the reporter hears when it is resolved, closed or merged.
  const supporters =
    row.supporters_count > 0 && (change.toState === 'resolved' || !isOpen(change.toState))
      ? await env.trx.selectFrom('case_supporters').select('account_id').where('case_id', '=', row.id).execute()
      : [];
  const accountIds = [
    ...(notify.accountIds ?? []),
    ...followers.map((f) => f.reporter_account_id as number),
    ...supporters.map((s) => s.account_id),
  ];
  const payload: OutboxPayload = {
    recipients: {
      accountIds: [...new Set(accountIds)].filter((id) => id !== self),
      unitIds: [...new Set(notify.unitIds ?? [])],
    },
    supervisorsOf: notify.supervisorsOf ?? [],
    phone: notify.phone ?? null,
    excludeAccountId: self,
    title: `${row.number} ${row.title}`,
    body: action,
    action,
    caseNumber: row.number,
    state: change.toState,
  };
  await env.trx
    .insertInto('outbox')
    .values({
      topic: `case.${action}`,
      case_id: row.id,
      event_id: eventId,
      payload: JSON.stringify(payload),
      created_at: env.now,
    })
    .execute();
}

/** The unit the actor acts for: the unit of the grant that gives them the relation the action needs. */
function actingUnit(env: EffectEnv): number | null {
  if (env.who.kind !== 'user') return null;
  const actor = env.who.actor;
  const { owner, lead, territory } = env.ctx;
  const grantFor = (permission: string, unit: { id: number; path: string }) =>
    actor.grants.find(
      (g) =>
        g.permissions.has(permission) &&
        (g.scope === 'all' ||
          (g.scope === 'subtree' && unit.path.startsWith(g.unitPath)) ||
          (g.scope === 'unit' && g.unitId === unit.id)),
    )?.unitId ?? null;
  if (env.relations.has('lead') && lead) return grantFor('case.handle', lead);
  if (env.relations.has('owner')) return grantFor('case.handle', owner);
  if (env.relations.has('assist')) {
    const a = env.ctx.assignments.find(
      (x) => x.role === 'assist' && covers(actor, 'case.handle', x.unitId, x.unitPath),
    );
    return a?.unitId ?? null;
  }
  if (env.relations.has('coordinator') || env.relations.has('arbiter')) return grantFor('case.dispatch', owner);
  if (env.relations.has('supervisor'))
    return grantFor('case.supervise', territory) ?? grantFor('case.supervise', owner);
  if (env.relations.has('visitor')) return grantFor('case.visit', territory);
  return null;
}
