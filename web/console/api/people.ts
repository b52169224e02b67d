import { del, get, type Page, patch, post, put, qs } from '../../shared/api.ts';
import type { UnitKind, UnitRef } from './units.ts';

/** Unit kinds a person's record may be attached to (people.schema.ts PERSON_UNIT_KINDS). */
export const PERSON_UNIT_KINDS: readonly UnitKind[] = [
  'community',
  'village',
  'grid',
  'compound',
  'building',
  'entrance',
  'department',
];
export const CARE_KINDS = [
  'livingAlone',
  'hardship',
  'disabled',
  'elderly',
  'leftBehindChild',
  'veteran',
  'other',
] as const;
export type CareKind = (typeof CARE_KINDS)[number];
export type Gender = 'male' | 'female';
export type RevealField = 'phone' | 'idNumber' | 'address';

export interface PersonListItem {
  id: number;
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  /** Masked by the server; POST /reveal gives the full value. */
  phone: string | null;
  idNumber: string | null;
  address: string | null;
  unit: UnitRef | null;
  flags: { resident: boolean; staff: boolean; partyMember: boolean; carePerson: boolean | null };
  version: number;
}

export interface CareRecord {
  kinds: CareKind[];
  note: string | null;
  visitCycleDays: number | null;
  responsiblePerson: { id: number; name: string } | null;
  version: number;
}

export interface PersonDetail extends PersonListItem {
  note: string | null;
  posts: Array<{ unit: UnitRef; post: string; services: string | null }>;
  partyMembership: {
    partyOrg: { id: number; name: string; kind: string };
    status: 'full' | 'probationary';
    joinedOn: string | null;
    checkInUnit: UnitRef | null;
    version: number;
  } | null;
  care: CareRecord | null;
  actions: { update: boolean; reveal: boolean; manageCare: boolean };
}

export interface PeopleFilter {
  within?: number;
  q?: string;
  isPartyMember?: boolean;
  isCarePerson?: boolean;
  page: number;
  pageSize: number;
}

export const listPeople = (filter: PeopleFilter) => get<Page<PersonListItem>>(`/api/people${qs({ ...filter })}`);
export const getPerson = (id: number) => get<{ person: PersonDetail }>(`/api/people/${id}`).then((b) => b.person);

/** Shows full values; the server writes an audit entry for every reveal. */
export const revealPerson = (id: number, fields: RevealField[]) =>
  post<Partial<Record<RevealField, string | null>>>(`/api/people/${id}/reveal`, { fields });

export interface PersonInput {
  name?: string;
  gender?: Gender | null;
  birthDate?: string | null;
  phone?: string | null;
  idNumber?: string | null;
  unitId?: number;
  address?: string | null;
  isResident?: boolean;
  note?: string | null;
}

export const createPerson = (input: PersonInput & { name: string; unitId: number }) =>
  post<{ person: PersonDetail }>('/api/people', input).then((b) => b.person);
export const updatePerson = (id: number, version: number, changes: PersonInput) =>
  patch<{ person: PersonDetail }>(`/api/people/${id}`, { version, ...changes }).then((b) => b.person);

export interface CarePersonItem extends CareRecord {
  person: {
    id: number;
    name: string;
    gender: Gender | null;
    birthDate: string | null;
    phone: string | null;
    address: string | null;
    unit: UnitRef | null;
  };
}

export interface CareFilter {
  within?: number;
  kind?: CareKind;
  q?: string;
  page: number;
  pageSize: number;
}

export const listCarePersons = (filter: CareFilter) =>
  get<Page<CarePersonItem>>(`/api/care-persons${qs({ ...filter })}`);

export interface CareInput {
  kinds: CareKind[];
  note?: string | null;
  visitCycleDays?: number | null;
  responsiblePersonId?: number | null;
  version?: number;
}

export const setCareFile = (personId: number, input: CareInput) =>
  put<{ care: CareRecord }>(`/api/people/${personId}/care`, input).then((b) => b.care);
export const removeCareFile = (personId: number) => del<unknown>(`/api/people/${personId}/care`);

/** Age in whole years on today's date, from 'YYYY-MM-DD'. */
export function ageOf(birthDate: string | null): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const now = new Date();
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
  return age;
}
