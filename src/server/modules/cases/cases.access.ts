import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Permission } from '../../access/permissions.ts';
import { type UnitScope, unitCondition, unitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/**
 * The one data-scope rule for cases, used by every query that reads them (lists, detail, search, counts,
 * exports, similar-case suggestions, attachments):
 *  - staff see a case when its territory (grid, or the unit holding it for manual dispatch) is in their scope
 *    for the permission, or when it has been assigned to a unit in their scope (how a department sees what
 *    is whistled to it), or — with 'own' scope — when it is assigned to them;
 *  - residents see the cases they reported and those they joined with "me too" (case_supporters).
 */
export function caseCondition(
  eb: ExpressionBuilder<DB, 'cases'>,
  actor: Actor,
  permission: Permission = 'case.read',
): Expression<SqlBool> {
  if (actor.kind === 'resident') return residentCaseCondition(eb, actor.accountId);
  const scope = unitScope(actor, permission);
  return staffCaseCondition(eb, scope, actor.accountId);
}

/**
 * A resident's cases: reported or joined. One `id IN (… UNION …)` rather than an OR, so PostgreSQL reads the
 * resident's few ids from the two account indexes and then the cases by key, whatever the number of cases.
 */
export function residentCaseCondition(eb: ExpressionBuilder<DB, 'cases'>, accountId: number): Expression<SqlBool> {
  return eb(
    'cases.id',
    'in',
    eb
      .selectFrom('cases as reported')
      .select('reported.id')
      .where('reported.reporter_account_id', '=', accountId)
      .union(eb.selectFrom('case_supporters as s').select('s.case_id as id').where('s.account_id', '=', accountId)),
  );
}

export function staffCaseCondition(
  eb: ExpressionBuilder<DB, 'cases'>,
  scope: UnitScope,
  accountId: number,
): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'none') return sql<SqlBool>`false`;
  const ownCondition = eb('cases.assignee_account_id', '=', accountId);
  const territory = unitCondition(eb, scope, 'cases.territory_path', 'cases.territory_unit_id', ownCondition);
  if (scope.subtreePaths.length === 0 && scope.unitIds.length === 0) return territory;
  const assigned = eb.exists(
    eb
      .selectFrom('case_assignments as a')
      .select(sql`1`.as('one'))
      .whereRef('a.case_id', '=', 'cases.id')
      .where((ab) => unitCondition(ab, scope, 'a.unit_path', 'a.unit_id')),
  );
  return eb.or([territory, assigned]);
}

/** True when the actor may read the case; for checks on records that hang off a case (attachments). */
export async function caseVisibleTo(q: Queryable, actor: Actor, caseId: number): Promise<boolean> {
  const row = await q
    .selectFrom('cases')
    .select('cases.id')
    .where('cases.id', '=', caseId)
    .where((eb) => caseCondition(eb, actor))
    .executeTakeFirst();
  return row !== undefined;
}
