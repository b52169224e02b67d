import { del, get, type Page, patch, post, put, qs } from '../../shared/api.ts';
import type { UnitRef } from './units.ts';

export const PARTY_ORG_KINDS = ['committee', 'workingCommittee', 'generalBranch', 'branch', 'group'] as const;
export type PartyOrgKind = (typeof PARTY_ORG_KINDS)[number];
export type MemberStatus = 'full' | 'probationary';

export interface PartyOrg {
  id: number;
  parentId: number | null;
  kind: PartyOrgKind;
  name: string;
  path: string;
  depth: number;
  secretary: { id: number; name: string } | null;
  establishedOn: string | null;
  units: UnitRef[];
  childCount: number;
  memberCount: number;
  version: number;
}

export interface PartyOrgDetail extends PartyOrg {
  ancestors: Array<{ id: number; name: string; kind: PartyOrgKind }>;
  actions: { manage: boolean };
}

export interface Member {
  personId: number;
  partyOrg: { id: number; name: string; kind: PartyOrgKind };
  status: MemberStatus;
  joinedOn: string | null;
  checkInUnit: UnitRef | null;
  version: number;
  person: {
    id: number;
    name: string;
    gender: 'male' | 'female' | null;
    phone: string | null;
    unit: UnitRef | null;
  };
}

/** My top organisations (no parentId), children of one, or a name search. */
export async function listPartyOrgs(filter: { parentId?: number; q?: string }): Promise<PartyOrg[]> {
  const items: PartyOrg[] = [];
  for (let page = 1; ; page++) {
    const result = await get<Page<PartyOrg>>(`/api/party-orgs${qs({ ...filter, page, pageSize: 200 })}`);
    items.push(...result.items);
    if (result.items.length === 0 || items.length >= result.total || filter.q) return items;
  }
}

export const getPartyOrg = (id: number) =>
  get<{ partyOrg: PartyOrgDetail }>(`/api/party-orgs/${id}`).then((b) => b.partyOrg);

export interface PartyOrgInput {
  name?: string;
  parentId?: number | null;
  kind?: PartyOrgKind;
  secretaryPersonId?: number | null;
  establishedOn?: string | null;
  unitIds?: number[];
}

export const createPartyOrg = (input: PartyOrgInput & { parentId: number | null; kind: PartyOrgKind; name: string }) =>
  post<{ partyOrg: PartyOrgDetail }>('/api/party-orgs', input).then((b) => b.partyOrg);
export const updatePartyOrg = (id: number, version: number, changes: PartyOrgInput) =>
  patch<{ partyOrg: PartyOrgDetail }>(`/api/party-orgs/${id}`, { version, ...changes }).then((b) => b.partyOrg);

export interface MemberFilter {
  status?: MemberStatus;
  includeSubOrgs?: boolean;
  q?: string;
  page: number;
  pageSize: number;
}

export const listMembers = (orgId: number, filter: MemberFilter) =>
  get<Page<Member>>(`/api/party-orgs/${orgId}/members${qs({ ...filter })}`);

export interface MembershipInput {
  partyOrgId: number;
  status: MemberStatus;
  joinedOn?: string | null;
  checkInUnitId?: number | null;
  version?: number;
}

export const setMembership = (personId: number, input: MembershipInput) =>
  put<unknown>(`/api/people/${personId}/party-membership`, input);
export const removeMembership = (personId: number) => del<unknown>(`/api/people/${personId}/party-membership`);

/** Which kinds may sit under which (party-orgs.policy.ts, mirrored for the form; the server decides). */
const PARENT_KINDS: Record<PartyOrgKind, ReadonlyArray<PartyOrgKind | null>> = {
  committee: [null, 'committee', 'workingCommittee'],
  workingCommittee: [null, 'committee'],
  generalBranch: ['committee', 'workingCommittee'],
  branch: ['committee', 'workingCommittee', 'generalBranch'],
  group: ['branch', 'generalBranch'],
};

/** Kinds whose members are registered directly (committees hold branches, not members). */
export const MEMBER_ORG_KINDS: readonly PartyOrgKind[] = ['generalBranch', 'branch', 'group'];

export function childOrgKinds(parent: PartyOrgKind | null): PartyOrgKind[] {
  return PARTY_ORG_KINDS.filter((kind) => PARENT_KINDS[kind].includes(parent));
}
