/**
 * The case state machine, written once as data. `TRANSITIONS` says, for every action, the states it may be
 * taken from, the states it may lead to and who may take it (by their relation to the case). The one
 * transition function (case-transition.ts) reads this table; the API's allowed actions are computed from it;
 * nothing else decides whether a transition is allowed.
 *
 * Default flow of a resident appeal (PRODUCT.md, "The case loop"):
 *   received ─classify→ inGrid ─selfResolve→ resolved ─visit→ closed
 *                         └escalate→ atCommunity ─whistle→ whistled ─checkIn→ handling ─resolve→ resolved
 *                                     └escalate→ atStreet     └returnCase→ arbitration ─redispatch / overrule→
 *   resolved ─visit(dissatisfied, round 1)→ back where it was resolved (round 2)
 *            ─visit(dissatisfied, round 2)→ supervisionReview ─closeBySupervisor→ closed | rehandle→ …
 */

export const CASE_STATES = [
  'received',
  'pendingDispatch',
  'inGrid',
  'atCommunity',
  'atStreet',
  'whistled',
  'arbitration',
  'handling',
  'resolved',
  'supervisionReview',
  'closed',
  'merged',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States where someone is working on the case (its time limits run). */
export const HANDLING_STATES = [
  'inGrid',
  'atCommunity',
  'atStreet',
  'handling',
] as const satisfies readonly CaseState[];
/** Archived states: nothing more happens to the case; it is never deleted. */
export const TERMINAL_STATES = ['closed', 'merged'] as const satisfies readonly CaseState[];
export const OPEN_STATES = CASE_STATES.filter(
  (s) => !(TERMINAL_STATES as readonly string[]).includes(s),
) as readonly CaseState[];
/** Open and not yet resolved: where supervision, chases and colours apply. */
export const ACTIVE_STATES = OPEN_STATES.filter((s) => s !== 'resolved') as readonly CaseState[];

/**
 * How an actor stands to a case; computed from their grants and the case's units (case-relations.ts).
 *  - owner: may handle in the owning unit (case.handle over it)
 *  - coordinator: may dispatch for the owning unit (case.dispatch over it)
 *  - arbiter: case.dispatch from a unit strictly above the owning unit (the street over a community)
 *  - lead / assist: case.handle over the whistled lead / an assisting department
 *  - supervisor: case.supervise over the case's territory or owner
 *  - visitor: case.visit over the territory (records a phone return visit)
 *  - reporter: the resident who reported it
 *  - system: the background sweeps
 */
export const RELATIONS = [
  'owner',
  'coordinator',
  'arbiter',
  'lead',
  'assist',
  'supervisor',
  'visitor',
  'reporter',
  'system',
] as const;
export type Relation = (typeof RELATIONS)[number];

export interface TransitionRule {
  from: readonly CaseState[];
  /** Every state the action may lead to; `from` states are included when the action leaves the state as it is. */
  to: readonly CaseState[];
  by: readonly Relation[];
}

const ROUTED = ['inGrid', 'atCommunity', 'atStreet', 'pendingDispatch'] as const satisfies readonly CaseState[];
const BEFORE_HANDLING = ['received', 'pendingDispatch'] as const satisfies readonly CaseState[];

export const TRANSITIONS = {
  intake: { from: [], to: ['received'], by: ['owner', 'reporter'] },
  classify: { from: ['received'], to: ROUTED, by: ['owner', 'coordinator'] },
  dispatch: {
    from: ['pendingDispatch', 'atCommunity', 'atStreet'],
    to: ['inGrid', 'atCommunity', 'atStreet'],
    by: ['coordinator'],
  },
  selfResolve: { from: ['inGrid'], to: ['resolved', 'closed'], by: ['owner'] },
  escalate: { from: ['inGrid', 'atCommunity'], to: ['atCommunity', 'atStreet'], by: ['owner'] },
  whistle: { from: ['atCommunity', 'atStreet'], to: ['whistled'], by: ['owner', 'coordinator'] },
  checkIn: { from: ['whistled'], to: ['handling'], by: ['lead'] },
  returnCase: { from: ['whistled', 'handling'], to: ['arbitration'], by: ['lead'] },
  assistCheckIn: { from: ['whistled', 'handling'], to: ['whistled', 'handling'], by: ['assist'] },
  assistReturn: { from: ['whistled', 'handling'], to: ['whistled', 'handling'], by: ['assist'] },
  redispatch: { from: ['arbitration'], to: ['whistled'], by: ['arbiter'] },
  overrule: { from: ['arbitration'], to: ['handling'], by: ['arbiter'] },
  transfer: {
    from: ['inGrid', 'atCommunity', 'whistled', 'handling'],
    to: ['inGrid', 'atCommunity', 'whistled'],
    by: ['owner', 'coordinator', 'lead'],
  },
  resolve: { from: ['atCommunity', 'atStreet', 'handling'], to: ['resolved', 'closed'], by: ['owner', 'lead'] },
  visit: {
    from: ['resolved'],
    to: ['closed', ...HANDLING_STATES, 'supervisionReview'],
    by: ['reporter', 'visitor'],
  },
  expireVisit: { from: ['resolved'], to: ['closed'], by: ['system'] },
  note: {
    from: OPEN_STATES,
    to: OPEN_STATES,
    by: ['owner', 'coordinator', 'lead', 'assist', 'supervisor'],
  },
  requestExtension: { from: HANDLING_STATES, to: HANDLING_STATES, by: ['owner', 'lead'] },
  decideExtension: { from: HANDLING_STATES, to: HANDLING_STATES, by: ['supervisor'] },
  supervise: { from: ACTIVE_STATES, to: ACTIVE_STATES, by: ['supervisor'] },
  chase: { from: ACTIVE_STATES, to: ACTIVE_STATES, by: ['supervisor', 'coordinator', 'system'] },
  setColour: { from: ACTIVE_STATES, to: ACTIVE_STATES, by: ['supervisor', 'coordinator'] },
  colourChange: { from: ACTIVE_STATES, to: ACTIVE_STATES, by: ['system'] },
  inviteVisit: { from: ['resolved'], to: ['resolved'], by: ['system'] },
  merge: {
    from: [...BEFORE_HANDLING, 'inGrid', 'atCommunity', 'atStreet'],
    to: ['merged'],
    by: ['owner', 'coordinator'],
  },
  reject: { from: BEFORE_HANDLING, to: ['closed'], by: ['owner', 'coordinator'] },
  closeBySupervisor: { from: ['supervisionReview'], to: ['closed'], by: ['supervisor'] },
  rehandle: { from: ['supervisionReview'], to: HANDLING_STATES, by: ['supervisor'] },
} as const satisfies Record<string, TransitionRule>;

export type CaseAction = keyof typeof TRANSITIONS;
export const CASE_ACTIONS = Object.keys(TRANSITIONS) as CaseAction[];

/** Actions people take through the API (the rest are taken by intake or the sweeps). */
export const USER_ACTIONS = CASE_ACTIONS.filter(
  (a) => a !== 'intake' && !(TRANSITIONS[a].by as readonly Relation[]).every((r) => r === 'system'),
) as CaseAction[];

export function ruleFor(action: CaseAction): TransitionRule {
  return TRANSITIONS[action];
}

/** Facts of the case beyond its state that decide whether an action makes sense now. */
export interface CaseFacts {
  pendingExtension: boolean;
  supervised: boolean;
  /** The case type carries a manual colour (task-force items). */
  manualColour: boolean;
  hasLead: boolean;
}

/** Per action, what the facts must say (case-effects.ts refuses the same requests with 409 / 400). */
const GUARDS: Partial<Record<CaseAction, (f: CaseFacts) => boolean>> = {
  requestExtension: (f) => !f.pendingExtension,
  decideExtension: (f) => f.pendingExtension,
  supervise: (f) => !f.supervised,
  setColour: (f) => f.manualColour,
  overrule: (f) => f.hasLead,
};

/**
 * The actions the given relations allow from the state (what the UI shows as buttons); with the case's facts,
 * also leaving out those the case's own facts rule out (no extension to decide, already supervised …).
 */
export function allowedActions(state: CaseState, relations: ReadonlySet<Relation>, facts?: CaseFacts): CaseAction[] {
  return USER_ACTIONS.filter((action) => {
    const rule: TransitionRule = TRANSITIONS[action];
    const guard = GUARDS[action];
    return rule.from.includes(state) && rule.by.some((r) => relations.has(r)) && (!facts || !guard || guard(facts));
  });
}

export function isOpen(state: CaseState): boolean {
  return !(TERMINAL_STATES as readonly string[]).includes(state);
}
