import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { UnitScope } from '../../access/scope.ts';
import { unitCondition } from '../../access/scope.ts';
import type { PartyOrgKind } from '../../db/schema.ts';

type AnyEb = ExpressionBuilder<any, any>;

/**
 * Which kinds may hold which: the shape of the Party organisation tree. null means "may be a top
 * organisation". A branch may sit directly under a committee; a group only inside a branch.
 */
export const PARTY_PARENT_KINDS: Record<PartyOrgKind, ReadonlyArray<PartyOrgKind | null>> = {
  committee: [null, 'committee', 'workingCommittee'],
  workingCommittee: [null, 'committee'],
  generalBranch: ['committee', 'workingCommittee'],
  branch: ['committee', 'workingCommittee', 'generalBranch'],
  group: ['branch', 'generalBranch'],
};

/** The kinds whose members are registered directly (committees hold branches, not members). */
export const MEMBER_ORG_KINDS: ReadonlyArray<PartyOrgKind> = ['generalBranch', 'branch', 'group'];

/**
 * The one place that says which Party organisations an actor sees: an organisation is visible when it or
 * one of its ancestors is linked to a unit inside the actor's unit scope for the permission.
 * `pathColumn` is the organisation's materialised path ('/<top id>/…/<own id>/').
 */
export function orgVisible(eb: AnyEb, scope: UnitScope, pathColumn: string): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'none') return sql<SqlBool>`false`;
  return eb.exists(
    eb
      .selectFrom('party_org_units as vis_link')
      .innerJoin('party_orgs as vis_org', 'vis_org.id', 'vis_link.party_org_id')
      .innerJoin('units as vis_unit', 'vis_unit.id', 'vis_link.unit_id')
      .select('vis_link.party_org_id')
      .where(sql<SqlBool>`${sql.ref(pathColumn)} LIKE vis_org.path || '%'`)
      .where((inner) => unitCondition(inner, scope, 'vis_unit.path', 'vis_unit.id')),
  );
}
