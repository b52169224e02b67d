import { del, get, type Page, patch, post, qs } from '../../shared/api.ts';
import type { UnitKind } from './units.ts';

export type DataScope = 'all' | 'subtree' | 'unit' | 'own';

export interface Grant {
  id: number;
  roleId: number;
  roleCode: string;
  roleName: string;
  roleNameEn: string | null;
  dataScope: DataScope;
  unitId: number;
  unitName: string;
  unitKind: UnitKind;
  grantedAt: string;
  actions: { revoke: boolean };
}

export interface Account {
  id: number;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  personId: number | null;
  locked: boolean;
  lockedUntil: string | null;
  failedLogins: number;
  mustChangePassword: boolean;
  passwordChangedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  grants: Grant[];
  actions: { update: boolean; disable: boolean; unlock: boolean; resetPassword: boolean; grant: boolean };
}

export interface AccountFilter {
  within?: number;
  q?: string;
  status?: 'active' | 'disabled';
  page: number;
  pageSize: number;
}

export const listAccounts = (filter: AccountFilter) => get<Page<Account>>(`/api/accounts${qs({ ...filter })}`);
export const getAccount = (id: number) => get<{ account: Account }>(`/api/accounts/${id}`).then((b) => b.account);

export interface NewAccount {
  username: string;
  displayName: string;
  personId?: number | null;
  password?: string;
  grants?: Array<{ roleId: number; unitId: number }>;
}

export const createAccount = (input: NewAccount) =>
  post<{ account: Account; temporaryPassword?: string }>('/api/accounts', input);
export const updateAccount = (
  id: number,
  version: number,
  changes: { displayName?: string; status?: Account['status'] },
) => patch<{ account: Account }>(`/api/accounts/${id}`, { version, ...changes }).then((b) => b.account);
export const unlockAccount = (id: number) =>
  post<{ account: Account }>(`/api/accounts/${id}/unlock`).then((b) => b.account);
export const resetPassword = (id: number) =>
  post<{ account: Account; temporaryPassword: string }>(`/api/accounts/${id}/reset-password`);
export const addGrant = (accountId: number, roleId: number, unitId: number) =>
  post<{ grant: Grant }>(`/api/accounts/${accountId}/grants`, { roleId, unitId }).then((b) => b.grant);
export const revokeGrant = (accountId: number, grantId: number) =>
  del<unknown>(`/api/accounts/${accountId}/grants/${grantId}`);

export interface Role {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  permissions: string[];
  dataScope: DataScope;
  builtIn: boolean;
  version: number;
  grantCount: number;
  actions: { update: boolean; grant: boolean };
}

export const listRoles = () => get<{ items: Role[] }>('/api/roles').then((b) => b.items);
export const permissionCatalogue = () =>
  get<{ items: Array<{ code: string; module: string }>; dataScopes: DataScope[] }>('/api/permissions');

export interface RoleInput {
  code?: string;
  name?: string;
  nameEn?: string | null;
  permissions?: string[];
  dataScope?: DataScope;
}

export const createRole = (input: RoleInput) => post<{ role: Role }>('/api/roles', input).then((b) => b.role);
export const updateRole = (id: number, version: number, changes: RoleInput) =>
  patch<{ role: Role }>(`/api/roles/${id}`, { version, ...changes }).then((b) => b.role);
