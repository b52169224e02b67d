import type { Actor } from '../../access/actor.ts';
import { type Permission, SCOPE_RANK } from '../../access/permissions.ts';
import type { DataScope } from '../../db/schema.ts';
import { AppError } from '../../http/errors.ts';

/**
 * The rule against privilege escalation, in one place: nobody hands out (in a role they define, or in a
 * grant) a permission they do not hold themselves, or a data scope broader than the broadest they hold.
 */
export interface RoleShape {
  permissions: readonly string[];
  dataScope: DataScope;
}

export function heldPermissions(actor: Actor): Set<string> {
  const held = new Set<string>();
  for (const grant of actor.grants) for (const p of grant.permissions) held.add(p);
  return held;
}

/** The broadest data scope among the actor's grants, as a SCOPE_RANK value; -1 without grants. */
export function broadestScopeRank(actor: Actor): number {
  return actor.grants.reduce((max, g) => Math.max(max, SCOPE_RANK[g.scope]), -1);
}

export interface Excess {
  missingPermissions: string[];
  broaderScope: boolean;
}

/** What a role would give beyond what the actor holds; null when it gives nothing more. */
export function excessOver(actor: Actor, role: RoleShape): Excess | null {
  const held = heldPermissions(actor);
  const missingPermissions = [...new Set(role.permissions)].filter((p) => !held.has(p)).sort();
  const broaderScope = SCOPE_RANK[role.dataScope] > broadestScopeRank(actor);
  return missingPermissions.length > 0 || broaderScope ? { missingPermissions, broaderScope } : null;
}

export function escalationRefused(excess: Excess, what: string): AppError {
  const reasons = [
    ...(excess.missingPermissions.length
      ? [`permissions you do not hold (${excess.missingPermissions.join(', ')})`]
      : []),
    ...(excess.broaderScope ? ['a data scope broader than any you hold'] : []),
  ];
  return new AppError('FORBIDDEN', `${what} would give ${reasons.join(' and ')}`, excess);
}

export function hasAny(actor: Actor, permissions: Permission[]): boolean {
  const held = heldPermissions(actor);
  return permissions.some((p) => held.has(p));
}
