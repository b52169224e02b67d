import type { DataScope } from '../db/schema.ts';
import { forbidden } from '../http/errors.ts';
import type { Permission } from './permissions.ts';

export interface Grant {
  roleId: number;
  roleCode: string;
  permissions: ReadonlySet<string>;
  scope: DataScope;
  unitId: number;
  unitPath: string;
}

/** Who is making the request: loaded once per request from the session. */
export interface Actor {
  accountId: number;
  kind: 'staff' | 'resident';
  personId: number | null;
  displayName: string;
  username: string | null;
  grants: Grant[];
  sessionId: string;
  csrfToken: string;
  /** Signed in with a temporary password: only the auth routes (change password, sign out) are open. */
  mustChangePassword: boolean;
  /** Where the request came from, for audit entries written deep in a service (case transitions). */
  origin?: RequestOrigin;
}

export interface RequestOrigin {
  ip: string;
  requestId: string;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.grants.some((g) => g.permissions.has(permission));
}

/** Checks the permission exists somewhere in the actor's grants; the record-level check is the SQL scope. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) throw forbidden();
}

export function permissionsOf(actor: Actor): string[] {
  const all = new Set<string>();
  for (const g of actor.grants) for (const p of g.permissions) all.add(p);
  return [...all].sort();
}
