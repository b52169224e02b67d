import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { computeColour, findTimeLimit, nextChaseAt, type TimeLimit } from './case-limits.ts';
import type { CaseAction, CaseState } from './case-machine.ts';
import { HANDLING_STATES, isOpen } from './case-machine.ts';
import { type CaseContext, covers, type UnitRef } from './case-relations.ts';
import type { Change, EffectEnv } from './case-transition.ts';
import { ancestorOfKind, findUnitRef, loadCaseContext } from './cases.repository.ts';
import type { TransitionInput } from './cases.schema.ts';
import type { CaseRating } from './cases.tables.ts';

type Input<A extends string> = Extract<TransitionInput, { action: A }>;
/** The resident's own rating in the H5, where "was it solved?" may be left unanswered. */
export type ResidentVisit = Omit<Input<'visit'>, 'solved'> & { solved?: boolean | undefined };
type Effect<C> = (env: EffectEnv, command: C) => Promise<Change>;

const GRID_KINDS = ['grid'];
const COMMUNITY_KINDS = ['community', 'village'];
const STREET_KINDS = ['street', 'town'];

/** The handling state of a case owned by a unit of this kind, or null for units that cannot own one. */
function stateForOwner(kind: string): CaseState | null {
  if (GRID_KINDS.includes(kind)) return 'inGrid';
  if (COMMUNITY_KINDS.includes(kind)) return 'atCommunity';
  if (STREET_KINDS.includes(kind)) return 'atStreet';
  return null;
}

/** Time limits already read in this transition (classify asks twice with the same arguments: one round trip). */
const limitsRead = new WeakMap<EffectEnv, Map<string, Promise<TimeLimit>>>();

async function limitsOf(env: EffectEnv, categoryId?: number | null, urgency?: string): Promise<TimeLimit> {
  const { row } = env.ctx;
  const category = categoryId === undefined ? row.category_id : categoryId;
  const level = (urgency ?? row.urgency) as never;
  const key = `${row.case_type}|${category}|${level}`;
  const read = limitsRead.get(env) ?? new Map<string, Promise<TimeLimit>>();
  limitsRead.set(env, read);
  const limit = read.get(key) ?? findTimeLimit(env.trx, row.case_type, category, level);
  read.set(key, limit);
  return limit;
}

const due = (env: EffectEnv, minutes: number) => env.calendar.addWorkingMinutes(env.now, minutes);

/** Unit ids that get the message when the case reaches a unit: the unit itself (its handlers). */
function resolverOf(ctx: CaseContext): UnitRef {
  return ctx.state === 'handling' && ctx.lead ? ctx.lead : ctx.owner;
}

function finishAll(ctx: CaseContext, status: 'done' | 'withdrawn', roles = ['owner', 'lead', 'assist']) {
  return ctx.assignments.filter((a) => roles.includes(a.role)).map((a) => ({ id: a.id, status }));
}

async function activeUnit(env: EffectEnv, id: number, what: string): Promise<UnitRef> {
  const unit = await findUnitRef(env.trx, id);
  const active = unit
    ? await env.trx.selectFrom('units').select('active').where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!unit || !active?.active) throw badRequest(`${what} does not exist`, { field: what, unitId: id });
  return unit;
}

/** Whistled departments hang off the whistling unit or one of its ancestors ("departments at their level"). */
async function departments(env: EffectEnv, leadId: number, assistIds: number[]) {
  if (assistIds.includes(leadId))
    throw badRequest('The lead department cannot also assist', { field: 'assistUnitIds' });
  if (new Set(assistIds).size !== assistIds.length)
    throw badRequest('Assisting departments repeat', { field: 'assistUnitIds' });
  const owner = env.ctx.owner;
  const result: UnitRef[] = [];
  for (const id of [leadId, ...assistIds]) {
    const unit = await activeUnit(env, id, id === leadId ? 'leadUnitId' : 'assistUnitIds');
    const parentPath = unit.path.slice(0, unit.path.slice(0, -1).lastIndexOf('/') + 1);
    if (unit.kind !== 'department' || !owner.path.startsWith(parentPath)) {
      throw badRequest(`${unit.name} is not a department this case can be whistled to`, { unitId: id });
    }
    result.push(unit);
  }
  return result;
}

function futureDeadline(env: EffectEnv, value: string): Date {
  const deadline = new Date(value);
  if (deadline <= env.now) throw badRequest('The deadline must be in the future', { field: 'deadline' });
  return deadline;
}

/** Whistle / redispatch: the lead and assisting departments each get an assignment with a response limit. */
async function whistleTo(
  env: EffectEnv,
  leadUnitId: number,
  assistUnitIds: number[],
  deadline: Date,
  note: string | null,
  replacing: boolean,
): Promise<Change> {
  const [lead, ...assists] = await departments(env, leadUnitId, assistUnitIds);
  const limits = await limitsOf(env);
  const responseDueAt = due(env, limits.responseMinutes);
  return {
    toState: 'whistled',
    set: { lead_unit_id: lead!.id, resolution_due_at: deadline },
    note,
    data: {
      lead: { id: lead!.id, name: lead!.name },
      assists: assists.map((a) => ({ id: a.id, name: a.name })),
      deadline: deadline.toISOString(),
      responseDueAt: responseDueAt.toISOString(),
    },
    assign: [
      { unit: lead!, role: 'lead', responseDueAt, deadline },
      ...assists.map((unit) => ({ unit, role: 'assist' as const, responseDueAt, deadline })),
    ],
    finish: replacing ? finishAll(env.ctx, 'withdrawn', ['lead', 'assist']) : [],
    limit: { kind: 'response', start: env.now, due: responseDueAt },
    notify: { unitIds: [lead!.id, ...assists.map((a) => a.id)] },
  };
}

/** The case goes (back) to a unit that handles it: a new owner assignment and the resolution clock. */
async function moveTo(env: EffectEnv, unit: UnitRef, extra: Partial<Change> = {}): Promise<Change> {
  const state = stateForOwner(unit.kind);
  if (!state) throw badRequest(`${unit.name} cannot hold a case`, { unitId: unit.id });
  const limits = await limitsOf(env);
  return {
    toState: state,
    set: { owner_unit_id: unit.id, owner_unit_path: unit.path, lead_unit_id: null, ...extra.set },
    assign: [{ unit, role: 'owner', responseDueAt: due(env, limits.responseMinutes) }],
    finish: finishAll(env.ctx, 'done'),
    notify: { unitIds: [unit.id] },
    ...omit(extra, 'set'),
    data: { to: { id: unit.id, name: unit.name, kind: unit.kind }, ...extra.data },
  };
}

function omit<T extends object, K extends keyof T>(obj: T, key: K): Omit<T, K> {
  const { [key]: _, ...rest } = obj;
  return rest;
}

/** The reporter may rate, or staff record a phone visit; without either the case closes when resolved. */
function needsVisit(ctx: CaseContext): boolean {
  return ctx.caseType.visit_rule === 'reporter' && (ctx.row.reporter_account_id !== null || !!ctx.row.reporter_phone);
}

async function resolveEffect(env: EffectEnv, result: string, attachmentIds: string[] | undefined): Promise<Change> {
  const { ctx, now } = env;
  const resolver = resolverOf(ctx);
  const visit = needsVisit(ctx);
  const limits = await limitsOf(env);
  const inTime = !ctx.row.resolution_due_at || now <= ctx.row.resolution_due_at;
  return {
    toState: visit ? 'resolved' : 'closed',
    set: {
      resume_state: ctx.state,
      resolved_at: now,
      visit_due_at: visit ? due(env, limits.visitMinutes) : null,
      visit_invited_at: null,
      pending_extension: null,
    },
    note: result,
    data: { resolver: { id: resolver.id, name: resolver.name }, inTime },
    finish: finishAll(ctx, 'done'),
    limit: null,
    attachmentIds,
    notify: { accountIds: ctx.row.reporter_account_id ? [ctx.row.reporter_account_id] : [] },
    stats: { resolved: { unitId: resolver.id, path: resolver.path, inTime } },
  };
}

/** Back to where the case was resolved from, for another round (a dissatisfied visit or a supervisor's order). */
async function reopenTo(env: EffectEnv, extra: Partial<Change>): Promise<Change> {
  const { ctx } = env;
  const back = (ctx.row.resume_state ?? 'inGrid') as CaseState;
  const limits = await limitsOf(env);
  const resolutionDue = due(env, limits.resolutionMinutes);
  const unit = back === 'handling' && ctx.lead ? ctx.lead : ctx.owner;
  return {
    toState: back,
    set: { resolution_due_at: resolutionDue, resolved_at: null, visit_due_at: null, ...extra.set },
    assign: [
      {
        unit,
        role: back === 'handling' ? 'lead' : 'owner',
        responseDueAt: due(env, limits.responseMinutes),
        ...(back === 'handling' ? { status: 'checkedIn' as const } : {}),
      },
    ],
    limit: { kind: 'resolution', start: env.now, due: resolutionDue },
    notify: { unitIds: [unit.id] },
    ...omit(extra, 'set'),
    data: { ...extra.data, to: { id: unit.id, name: unit.name } },
  };
}

const same = (env: EffectEnv): CaseState => env.ctx.state;

export const EFFECTS: Record<CaseAction, Effect<never>> = {
  intake: (async () => {
    throw new Error('intake is written by case-intake.ts');
  }) as Effect<never>,

  classify: (async (env: EffectEnv, c: Input<'classify'>) => {
    const { trx, ctx } = env;
    const category = await trx
      .selectFrom('case_categories')
      .select(['id', 'name', 'parent_id', 'active'])
      .where('id', '=', c.categoryId)
      .executeTakeFirst();
    if (!category?.active || category.parent_id === null) {
      throw badRequest('Choose an active second-level category', { field: 'categoryId' });
    }
    const urgency = c.urgency ?? ctx.row.urgency;
    const limits = await limitsOf(env, category.id, urgency);
    const resolutionDue = due(env, limits.resolutionMinutes);
    const set = { category_id: category.id, urgency, resolution_due_at: resolutionDue, dispatched_at: env.now };
    const data = { category: { id: category.id, name: category.name }, urgency };
    const limit = { kind: 'resolution' as const, start: env.now, due: resolutionDue };
    // Routed from the location: the grid owns it first; outside every grid it waits at the street for dispatch.
    const routesToGrid = ctx.caseType.routes_to_grid;
    // The grid is usually the territory itself, already loaded with the case.
    const target =
      routesToGrid && ctx.row.grid_id
        ? ctx.row.grid_id === ctx.territory.id
          ? ctx.territory
          : await findUnitRef(trx, ctx.row.grid_id)
        : ctx.territory;
    if (!target || (routesToGrid && !ctx.row.grid_id) || !stateForOwner(target.kind)) {
      return {
        toState: 'pendingDispatch',
        set: { ...set, owner_unit_id: ctx.territory.id, owner_unit_path: ctx.territory.path },
        data: { ...data, manualDispatch: true },
        limit,
        notify: { unitIds: [ctx.territory.id] },
      };
    }
    return moveTo(env, target, { set, data, limit });
  }) as Effect<never>,

  dispatch: (async (env: EffectEnv, c: Input<'dispatch'>) => {
    const unit = await activeUnit(env, c.unitId, 'unitId');
    if (env.who.kind !== 'user' || !covers(env.who.actor, 'case.dispatch', unit.id, unit.path)) {
      throw badRequest('You can only dispatch to units in your own area', { field: 'unitId' });
    }
    if (unit.id === env.ctx.owner.id) throw badRequest('The case is already with this unit', { field: 'unitId' });
    const extra: Partial<Change> = { note: c.note ?? null };
    if (!env.ctx.row.resolution_due_at) {
      const limits = await limitsOf(env);
      const resolutionDue = due(env, limits.resolutionMinutes);
      extra.set = { resolution_due_at: resolutionDue, dispatched_at: env.now };
      extra.limit = { kind: 'resolution', start: env.now, due: resolutionDue };
    }
    return moveTo(env, unit, extra);
  }) as Effect<never>,

  selfResolve: (async (env: EffectEnv, c: Input<'selfResolve'>) =>
    resolveEffect(env, c.result, c.attachmentIds)) as Effect<never>,

  resolve: (async (env: EffectEnv, c: Input<'resolve'>) => {
    if (env.ctx.state === 'handling' && !env.relations.has('lead')) {
      throw forbidden('Only the lead department resolves a whistled case');
    }
    return resolveEffect(env, c.result, c.attachmentIds);
  }) as Effect<never>,

  escalate: (async (env: EffectEnv, c: Input<'escalate'>) => {
    const { ctx } = env;
    const kinds = ctx.state === 'inGrid' ? COMMUNITY_KINDS : STREET_KINDS;
    const parentPath = ctx.owner.path.slice(0, ctx.owner.path.slice(0, -1).lastIndexOf('/') + 1);
    const above = parentPath ? await ancestorOfKind(env.trx, parentPath, kinds) : null;
    if (!above) throw conflict('There is no unit above to escalate to');
    return moveTo(env, above, { note: c.reason });
  }) as Effect<never>,

  whistle: (async (env: EffectEnv, c: Input<'whistle'>) =>
    whistleTo(
      env,
      c.leadUnitId,
      c.assistUnitIds,
      futureDeadline(env, c.deadline),
      c.note ?? null,
      false,
    )) as Effect<never>,

  checkIn: (async (env: EffectEnv, c: Input<'checkIn'>) => {
    const { ctx } = env;
    const mine = ctx.assignments.find((a) => a.role === 'lead' && a.unitId === ctx.lead?.id && a.status === 'pending');
    if (!mine) throw conflict('The lead department has already checked in');
    const resolutionDue = ctx.row.resolution_due_at ?? due(env, (await limitsOf(env)).resolutionMinutes);
    return {
      toState: 'handling',
      note: c.note ?? null,
      data: { unit: { id: mine.unitId, name: mine.unitName }, inTime: env.now <= mine.responseDueAt },
      finish: [{ id: mine.id, status: 'checkedIn', responded: true }],
      limit: { kind: 'resolution', start: mine.assignedAt, due: resolutionDue },
      notify: { unitIds: [ctx.owner.id] },
    };
  }) as Effect<never>,

  returnCase: (async (env: EffectEnv, c: Input<'returnCase'>) => {
    const { ctx } = env;
    const mine = ctx.assignments.find((a) => a.role === 'lead' && a.unitId === ctx.lead?.id);
    return {
      toState: 'arbitration',
      set: { return_count: ctx.row.return_count + 1, pending_extension: null },
      note: c.reason,
      data: { unit: ctx.lead ? { id: ctx.lead.id, name: ctx.lead.name } : null },
      finish: mine ? [{ id: mine.id, status: 'returned', reason: c.reason, responded: true }] : [],
      notify: { unitIds: ctx.owner.parentId ? [ctx.owner.parentId, ctx.owner.id] : [ctx.owner.id] },
    };
  }) as Effect<never>,

  assistCheckIn: (async (env: EffectEnv, c: Input<'assistCheckIn'>) =>
    assistAnswer(env, 'checkedIn', c.note ?? null)) as Effect<never>,
  assistReturn: (async (env: EffectEnv, c: Input<'assistReturn'>) =>
    assistAnswer(env, 'returned', c.reason)) as Effect<never>,

  redispatch: (async (env: EffectEnv, c: Input<'redispatch'>) => {
    const current = env.ctx.row.resolution_due_at;
    const deadline = c.deadline ? futureDeadline(env, c.deadline) : current && current > env.now ? current : null;
    if (!deadline) throw badRequest('The old deadline has passed: give a new one', { field: 'deadline' });
    return whistleTo(env, c.leadUnitId, c.assistUnitIds, deadline, c.note, true);
  }) as Effect<never>,

  overrule: (async (env: EffectEnv, c: Input<'overrule'>) => {
    const { ctx } = env;
    if (!ctx.lead) throw conflict('There is no department to overrule');
    const resolutionDue = ctx.row.resolution_due_at ?? due(env, (await limitsOf(env)).resolutionMinutes);
    const due2 = resolutionDue > env.now ? resolutionDue : due(env, (await limitsOf(env)).resolutionMinutes);
    return {
      toState: 'handling',
      set: { resolution_due_at: due2 },
      note: c.note,
      data: { unit: { id: ctx.lead.id, name: ctx.lead.name } },
      assign: [{ unit: ctx.lead, role: 'lead', responseDueAt: env.now, deadline: due2, status: 'checkedIn' }],
      limit: { kind: 'resolution', start: env.now, due: due2 },
      notify: { unitIds: [ctx.lead.id] },
    };
  }) as Effect<never>,

  transfer: (async (env: EffectEnv, c: Input<'transfer'>) => {
    const { ctx } = env;
    const target = await activeUnit(env, c.unitId, 'unitId');
    const departmental = ctx.state === 'whistled' || ctx.state === 'handling';
    const from = departmental ? ctx.lead : ctx.owner;
    if (!from || target.id === from.id) throw badRequest('Choose another unit', { field: 'unitId' });
    if (departmental && !env.relations.has('lead') && !env.relations.has('coordinator')) {
      throw forbidden('Only the lead department transfers it');
    }
    const sameKind = departmental ? target.kind === 'department' : stateForOwner(target.kind) === ctx.state;
    if (!sameKind || target.parentId !== from.parentId) {
      throw badRequest('A case is transferred to a unit of the same kind at the same level', { field: 'unitId' });
    }
    if (!departmental) return moveTo(env, target, { note: c.reason });
    const assists = ctx.assignments.filter((a) => a.role === 'assist').map((a) => a.unitId);
    const deadline =
      ctx.row.resolution_due_at && ctx.row.resolution_due_at > env.now ? ctx.row.resolution_due_at : null;
    const change = await whistleTo(
      env,
      target.id,
      assists.filter((id) => id !== target.id),
      deadline ?? due(env, (await limitsOf(env)).resolutionMinutes),
      c.reason,
      false,
    );
    const old = ctx.assignments
      .filter((a) => a.role === 'lead')
      .map((a) => ({ id: a.id, status: 'withdrawn' as const }));
    const oldAssists = ctx.assignments
      .filter((a) => a.role === 'assist')
      .map((a) => ({ id: a.id, status: 'withdrawn' as const }));
    return {
      ...change,
      finish: [...old, ...oldAssists],
      data: { ...change.data, from: { id: from.id, name: from.name } },
    };
  }) as Effect<never>,

  visit: (async (env: EffectEnv, c: ResidentVisit | Input<'visit'>) => {
    const { ctx, now } = env;
    const resolver = ctx.row.resume_state === 'handling' && ctx.lead ? ctx.lead : ctx.owner;
    const solved = c.solved ?? null;
    const set = {
      rating: c.rating as CaseRating,
      solved,
      rating_comment: c.comment ?? null,
      visited_at: now,
    };
    const data = { rating: c.rating, solved, by: env.relations.has('reporter') ? 'reporter' : 'phone' };
    const stats = {
      visited: {
        rating: c.rating as CaseRating,
        solved,
        resolver: { unitId: resolver.id, path: resolver.path },
      },
    };
    if (c.rating !== 'dissatisfied') {
      return { toState: 'closed', set, note: c.comment ?? null, data, stats, notify: { unitIds: [resolver.id] } };
    }
    if (ctx.row.round >= 2) {
      return {
        toState: 'supervisionReview',
        set: { ...set, supervised: true },
        note: c.comment ?? null,
        data: { ...data, toSupervision: true },
        stats,
        notify: { unitIds: [resolver.id], supervisorsOf: [ctx.territory.id] },
      };
    }
    return reopenTo(env, {
      set: { ...set, round: ctx.row.round + 1 },
      note: c.comment ?? null,
      data: { ...data, reopened: true },
      stats,
    });
  }) as Effect<never>,

  expireVisit: (async (env: EffectEnv) => {
    const { ctx } = env;
    if (!ctx.row.visit_due_at || ctx.row.visit_due_at > env.now) return { toState: same(env), skip: true };
    const resolver = ctx.row.resume_state === 'handling' && ctx.lead ? ctx.lead : ctx.owner;
    return {
      toState: 'closed',
      set: { rating: 'noAnswer', visited_at: env.now },
      data: { rating: 'noAnswer' },
      stats: { visited: { rating: 'noAnswer', solved: null, resolver: { unitId: resolver.id, path: resolver.path } } },
    };
  }) as Effect<never>,

  note: (async (env: EffectEnv, c: Input<'note'>) => ({
    toState: same(env),
    note: c.note,
    attachmentIds: c.attachmentIds,
  })) as Effect<never>,

  requestExtension: (async (env: EffectEnv, c: Input<'requestExtension'>) => {
    if (env.ctx.row.pending_extension) throw conflict('An extension request is already waiting for a decision');
    const request = {
      extraMinutes: c.extraMinutes,
      reason: c.reason,
      requestedBy: env.who.kind === 'user' ? env.who.actor.displayName : '系统',
      requestedAt: env.now.toISOString(),
    };
    return {
      toState: same(env),
      set: { pending_extension: JSON.stringify(request) },
      note: c.reason,
      data: { extraMinutes: c.extraMinutes },
      notify: { supervisorsOf: [env.ctx.territory.id] },
    };
  }) as Effect<never>,

  decideExtension: (async (env: EffectEnv, c: Input<'decideExtension'>) => {
    const { ctx } = env;
    const pending = ctx.row.pending_extension as { extraMinutes: number } | null;
    if (!pending) throw conflict('There is no extension request to decide');
    const units = [ctx.owner.id, ...(ctx.lead ? [ctx.lead.id] : [])];
    if (!c.approve) {
      return {
        toState: same(env),
        set: { pending_extension: null },
        note: c.note ?? null,
        data: { approved: false },
        notify: { unitIds: units },
      };
    }
    const base = ctx.row.resolution_due_at && ctx.row.resolution_due_at > env.now ? ctx.row.resolution_due_at : env.now;
    const newDue = env.calendar.addWorkingMinutes(base, pending.extraMinutes);
    const change: Change = {
      toState: same(env),
      set: { pending_extension: null, resolution_due_at: newDue, extension_count: ctx.row.extension_count + 1 },
      note: c.note ?? null,
      data: { approved: true, extraMinutes: pending.extraMinutes, from: ctx.row.resolution_due_at, to: newDue },
      notify: { unitIds: units },
    };
    if (ctx.row.limit_kind === 'resolution') {
      change.limit = { kind: 'resolution', start: ctx.row.limit_started_at ?? env.now, due: newDue };
    }
    return change;
  }) as Effect<never>,

  supervise: (async (env: EffectEnv, c: Input<'supervise'>) => {
    const { ctx } = env;
    if (ctx.row.supervised) throw conflict('The case is already under supervision');
    return {
      toState: same(env),
      set: { supervised: true },
      note: c.note,
      notify: { unitIds: [ctx.owner.id, ...(ctx.lead ? [ctx.lead.id] : [])] },
    };
  }) as Effect<never>,

  chase: (async (env: EffectEnv, c: Input<'chase'> | { action: 'chase'; note?: string }) => {
    const { ctx } = env;
    const set =
      env.who.kind === 'system' && ctx.row.manual_colour
        ? { next_chase_at: nextChaseAt(ctx.row.manual_colour, env.now) }
        : {};
    return {
      toState: same(env),
      set,
      note: c.note ?? null,
      data: env.who.kind === 'system' ? { cadence: ctx.row.manual_colour } : {},
      notify: { unitIds: [ctx.owner.id, ...(ctx.lead ? [ctx.lead.id] : [])] },
    };
  }) as Effect<never>,

  setColour: (async (env: EffectEnv, c: Input<'setColour'>) => {
    if (!env.ctx.caseType.manual_colour) {
      throw badRequest('Only task-force items carry a manual colour; this one is computed from its time limit');
    }
    return {
      toState: same(env),
      set: { manual_colour: c.colour, next_chase_at: nextChaseAt(c.colour, env.now) },
      note: c.note ?? null,
      data: { from: env.ctx.row.manual_colour, to: c.colour },
    };
  }) as Effect<never>,

  colourChange: (async (env: EffectEnv) => {
    const { ctx } = env;
    const { colour } = computeColour(
      {
        open: isOpen(ctx.state),
        frozen: ctx.state === 'resolved',
        supervised: ctx.row.supervised,
        manualColour: ctx.row.manual_colour,
        currentColour: ctx.row.colour,
        orangeAt: ctx.row.orange_at,
        dueAt: ctx.row.due_at,
      },
      env.now,
    );
    if (colour === ctx.row.colour) {
      // Nothing changed: only move the marker (done by the sweep's claim); no event.
      return { toState: same(env), skip: true };
    }
    return {
      toState: same(env),
      data: { from: ctx.row.colour, to: colour, limit: ctx.row.limit_kind },
      notify:
        colour === 'red'
          ? { unitIds: [ctx.owner.id, ...(ctx.lead ? [ctx.lead.id] : [])], supervisorsOf: [ctx.territory.id] }
          : { unitIds: [ctx.owner.id, ...(ctx.lead ? [ctx.lead.id] : [])] },
    };
  }) as Effect<never>,

  inviteVisit: (async (env: EffectEnv) => {
    const { row } = env.ctx;
    if (row.visit_invited_at) return { toState: same(env), skip: true };
    return {
      toState: same(env),
      set: { visit_invited_at: env.now },
      data: { visitDueAt: row.visit_due_at },
      notify: {
        accountIds: row.reporter_account_id ? [row.reporter_account_id] : [],
        phone: row.reporter_account_id ? null : row.reporter_phone,
      },
    };
  }) as Effect<never>,

  merge: (async (env: EffectEnv, c: Input<'merge'>) => {
    const { ctx } = env;
    if (c.masterId === ctx.row.id) throw badRequest('A case cannot be merged into itself', { field: 'masterId' });
    const actor = env.who.kind === 'user' ? env.who.actor : null;
    const master = await loadCaseContext(env.trx, c.masterId, actor, false);
    if (!master) throw notFound('Master case');
    if (!isOpen(master.state) || master.state === 'resolved') {
      throw badRequest('Merge into an open case that is still being handled', { field: 'masterId' });
    }
    return {
      toState: 'merged',
      set: { merged_into_id: master.row.id },
      note: c.note ?? null,
      data: { master: { id: master.row.id, number: master.row.number } },
      finish: finishAll(ctx, 'withdrawn'),
      limit: null,
      notify: { accountIds: ctx.row.reporter_account_id ? [ctx.row.reporter_account_id] : [] },
    };
  }) as Effect<never>,

  reject: (async (env: EffectEnv, c: Input<'reject'>) => ({
    toState: 'closed',
    note: c.reason,
    data: { rejected: true },
    finish: finishAll(env.ctx, 'withdrawn'),
    limit: null,
    notify: { accountIds: env.ctx.row.reporter_account_id ? [env.ctx.row.reporter_account_id] : [] },
  })) as Effect<never>,

  closeBySupervisor: (async (env: EffectEnv, c: Input<'closeBySupervisor'>) => ({
    toState: 'closed',
    note: c.note,
    finish: finishAll(env.ctx, 'done'),
    limit: null,
    notify: { accountIds: env.ctx.row.reporter_account_id ? [env.ctx.row.reporter_account_id] : [] },
  })) as Effect<never>,

  rehandle: (async (env: EffectEnv, c: Input<'rehandle'>) => {
    if (!(HANDLING_STATES as readonly string[]).includes(env.ctx.row.resume_state ?? '')) {
      throw conflict('There is nowhere to send the case back to');
    }
    return reopenTo(env, { set: { supervised: true, round: env.ctx.row.round + 1 }, note: c.note });
  }) as Effect<never>,
};

async function assistAnswer(env: EffectEnv, status: 'checkedIn' | 'returned', note: string | null): Promise<Change> {
  const actor = env.who.kind === 'user' ? env.who.actor : null;
  const mine = env.ctx.assignments.filter(
    (a) => a.role === 'assist' && a.status === 'pending' && actor && covers(actor, 'case.handle', a.unitId, a.unitPath),
  );
  if (mine.length === 0) throw conflict('Your department has already answered this case');
  return {
    toState: same(env),
    note,
    data: { units: mine.map((a) => ({ id: a.unitId, name: a.unitName })), answer: status },
    finish: mine.map((a) => ({ id: a.id, status, reason: status === 'returned' ? note : null, responded: true })),
    notify: { unitIds: [env.ctx.owner.id, ...(env.ctx.lead ? [env.ctx.lead.id] : [])] },
  };
}
