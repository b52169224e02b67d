import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, unitScope } from '../../access/scope.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { escalationRefused, excessOver, type RoleShape } from '../roles/roles.policy.ts';
import type { GrantRow } from './accounts.repository.ts';

/**
 * Who may do what to staff accounts. Reading needs any of the account's roles in the reader's scope;
 * changing an account needs control of all of it: the actor could have granted every role it holds.
 * Otherwise a street administrator could reset a district administrator's password and sign in as them.
 */

/** Why the actor may not give this role in this unit, or null when they may. */
export function grantRefusal(actor: Actor, role: RoleShape, unit: { id: number; path: string }): AppError | null {
  if (!scopeCoversPath(unitScope(actor, 'account.manage'), unit.id, unit.path)) {
    return new AppError('FORBIDDEN', 'You can grant roles only in units you manage accounts for', {
      unitOutOfScope: true,
    });
  }
  const excess = excessOver(actor, role);
  return excess ? escalationRefused(excess, 'This grant') : null;
}

const shapeOf = (g: GrantRow): RoleShape => ({ permissions: g.permissions, dataScope: g.data_scope });
const unitOf = (g: GrantRow) => ({ id: g.unit_id, path: g.unit_path });

export function mayRevoke(actor: Actor, g: GrantRow): boolean {
  return g.account_id !== actor.accountId && grantRefusal(actor, shapeOf(g), unitOf(g)) === null;
}

/** The actor controls the account when they could have given it every role it holds. */
export function controlsAccount(actor: Actor, grants: GrantRow[]): boolean {
  return grants.every((g) => grantRefusal(actor, shapeOf(g), unitOf(g)) === null);
}

export function requireControl(actor: Actor, grants: GrantRow[]): void {
  if (!controlsAccount(actor, grants)) {
    throw forbidden('This account holds roles you could not grant yourself; ask an administrator above you');
  }
}

export function requireNotSelf(actor: Actor, accountId: number, what: string): void {
  if (actor.accountId === accountId) throw forbidden(`You cannot ${what} your own account`);
}

/** Allowed actions on an account already loaded within the actor's account.manage or account.read scope. */
export function accountActions(actor: Actor, accountId: number, grants: GrantRow[]) {
  const scope = unitScope(actor, 'account.manage');
  const self = actor.accountId === accountId;
  const visible =
    scope.kind === 'all' ||
    (scope.kind === 'some' &&
      ((scope.own && self) || grants.some((g) => scopeCoversPath(scope, g.unit_id, g.unit_path))));
  const control = visible && controlsAccount(actor, grants);
  return {
    update: control,
    disable: control && !self,
    unlock: control && !self,
    resetPassword: control && !self,
    grant: visible && !self,
  };
}
