import { get, type Page, qs } from '../../shared/api.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actorAccountId: number | null;
  actorName: string | null;
  action: string;
  outcome: 'success' | 'failure';
  targetType: string | null;
  targetId: string | null;
  unitId: number | null;
  unitName: string | null;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  /** YYYY-MM-DD, whole days in the server's time zone. */
  from?: string;
  to?: string;
  /** An action code, or a prefix ending in `*`. */
  action?: string;
  outcome?: 'success' | 'failure';
  targetType?: string;
  targetId?: string;
}

/** The actions the server writes, for the filter and for readable labels (`audit.actions.<code>`). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.passwordChange',
  'auth.otpLogin',
  'unit.create',
  'unit.update',
  'unitPost.create',
  'unitPost.delete',
  'grid.boundary',
  'person.create',
  'person.update',
  'person.reveal',
  'carePerson.create',
  'carePerson.update',
  'carePerson.remove',
  'partyOrg.create',
  'partyOrg.update',
  'partyMember.create',
  'partyMember.update',
  'partyMember.remove',
  'account.create',
  'account.update',
  'account.disable',
  'account.enable',
  'account.unlock',
  'account.resetPassword',
  'grant.create',
  'grant.revoke',
  'role.create',
  'role.update',
  'excel.import',
  'excel.export',
  'audit.export',
  'me.updateProfile',
] as const;

export const listAudit = (filter: AuditFilter, page: number, pageSize: number) =>
  get<Page<AuditEntry>>(`/api/audit${qs({ ...filter, page, pageSize })}`);

export const auditExportUrl = (filter: AuditFilter) => `/api/audit/export.xlsx${qs({ ...filter })}`;
