import type { Selectable } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Permission } from '../../access/permissions.ts';
import type { CaseFacts, CaseState, Relation } from './case-machine.ts';
import type { AssignmentRole, AssignmentStatus, CasesTable, CaseTypesTable } from './cases.tables.ts';

export type CaseRow = Selectable<CasesTable>;

export interface UnitRef {
  id: number;
  path: string;
  kind: string;
  name: string;
  parentId: number | null;
}

export interface AssignmentRef {
  id: number;
  unitId: number;
  unitPath: string;
  unitName: string;
  role: AssignmentRole;
  status: AssignmentStatus;
  round: number;
  assignedAt: Date;
  responseDueAt: Date;
  respondedAt: Date | null;
}

/** A case loaded for a transition or for its detail: the row and the units it stands in. */
export interface CaseContext {
  row: CaseRow;
  state: CaseState;
  caseType: Selectable<CaseTypesTable>;
  owner: UnitRef;
  lead: UnitRef | null;
  territory: UnitRef;
  /** Assignments still open (pending or checked in). */
  assignments: AssignmentRef[];
}

/** The facts of the case the state machine's guards read. */
export function factsOf(ctx: CaseContext): CaseFacts {
  return {
    pendingExtension: ctx.row.pending_extension !== null,
    supervised: ctx.row.supervised,
    manualColour: ctx.caseType.manual_colour,
    hasLead: ctx.lead !== null,
  };
}

/** Whether any of the actor's grants for the permission covers the unit (by its id and path). */
export function covers(actor: Actor, permission: Permission, unitId: number, unitPath: string): boolean {
  return actor.grants.some(
    (g) =>
      g.permissions.has(permission) &&
      (g.scope === 'all' ||
        (g.scope === 'subtree' && unitPath.startsWith(g.unitPath)) ||
        (g.scope === 'unit' && g.unitId === unitId)),
  );
}

/** Covered from strictly above: the grant's unit is an ancestor of the unit, not the unit itself. */
function coversFromAbove(actor: Actor, permission: Permission, unitPath: string): boolean {
  return actor.grants.some(
    (g) =>
      g.permissions.has(permission) &&
      (g.scope === 'all' || (g.scope === 'subtree' && unitPath.startsWith(g.unitPath) && unitPath !== g.unitPath)),
  );
}

/** How the actor stands to the case (see RELATIONS in case-machine.ts). */
export function relationsOf(actor: Actor, ctx: CaseContext): Set<Relation> {
  const relations = new Set<Relation>();
  if (actor.kind === 'resident') {
    if (ctx.row.reporter_account_id === actor.accountId) relations.add('reporter');
    return relations;
  }
  const { owner, lead, territory } = ctx;
  if (covers(actor, 'case.handle', owner.id, owner.path)) relations.add('owner');
  if (covers(actor, 'case.dispatch', owner.id, owner.path)) relations.add('coordinator');
  if (coversFromAbove(actor, 'case.dispatch', owner.path)) relations.add('arbiter');
  if (lead && covers(actor, 'case.handle', lead.id, lead.path)) relations.add('lead');
  if (ctx.assignments.some((a) => a.role === 'assist' && covers(actor, 'case.handle', a.unitId, a.unitPath))) {
    relations.add('assist');
  }
  if (
    covers(actor, 'case.supervise', territory.id, territory.path) ||
    covers(actor, 'case.supervise', owner.id, owner.path)
  ) {
    relations.add('supervisor');
  }
  if (covers(actor, 'case.visit', territory.id, territory.path)) relations.add('visitor');
  return relations;
}
