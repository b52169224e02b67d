import type { Actor } from '../../access/actor.ts';
import { accountActions, mayRevoke } from './accounts.policy.ts';
import type { AccountRow, GrantRow } from './accounts.repository.ts';
import type { AccountDto, GrantDto } from './accounts.schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentGrant(actor: Actor, g: GrantRow): GrantDto {
  return {
    id: g.id,
    roleId: g.role_id,
    roleCode: g.role_code,
    roleName: g.role_name,
    roleNameEn: g.role_name_en,
    dataScope: g.data_scope,
    unitId: g.unit_id,
    unitName: g.unit_name,
    unitKind: g.unit_kind,
    grantedAt: g.granted_at.toISOString(),
    actions: { revoke: mayRevoke(actor, g) },
  };
}

/** Maps an account row to the response: a new column cannot leak, and the password hash is never here. */
export function presentAccount(actor: Actor, a: AccountRow, grants: GrantRow[]): AccountDto {
  const own = grants.filter((g) => g.account_id === a.id);
  const locked = a.locked_until !== null && a.locked_until.getTime() > Date.now();
  return {
    id: a.id,
    username: a.username ?? '',
    displayName: a.display_name,
    status: a.status,
    personId: a.person_id,
    locked,
    lockedUntil: locked ? iso(a.locked_until) : null,
    failedLogins: a.failed_logins,
    mustChangePassword: a.must_change_password,
    passwordChangedAt: iso(a.password_changed_at),
    lastLoginAt: iso(a.last_login_at),
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    version: a.version,
    grants: own.map((g) => presentGrant(actor, g)),
    actions: accountActions(actor, a.id, own),
  };
}
