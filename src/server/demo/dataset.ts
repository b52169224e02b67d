import type { PartyOrgKind, UnitKind, UnitPost } from '../db/schema.ts';
import type { Ring } from './geometry.ts';
import type { Gender } from './identity.ts';

/**
 * The demo data as plain objects that point at each other. Ids are local (1, 2, 3 … per table in creation
 * order); the loader reserves real ids from each table's sequence and maps them, so that paths, which
 * contain ids, are only computed at insert time.
 */
export interface UnitNode {
  local: number;
  parent: UnitNode | null;
  kind: UnitKind;
  name: string;
  code: string | null;
  depth: number;
  sortOrder: number;
  phone: string | null;
  address: string | null;
  description: string | null;
  /** Grids only. */
  ring?: Ring;
}

export interface PartyOrgNode {
  local: number;
  parent: PartyOrgNode | null;
  kind: PartyOrgKind;
  name: string;
  units: UnitNode[];
  establishedOn: string;
  secretary: PersonNode | null;
}

export interface PersonNode {
  local: number;
  name: string;
  gender: Gender;
  birthDate: string;
  phone: string | null;
  idNumber: string;
  unit: UnitNode;
  address: string | null;
  isResident: boolean;
  note: string | null;
}

export interface PostRow {
  unit: UnitNode;
  person: PersonNode;
  post: UnitPost;
  services: string | null;
}

export interface CareRow {
  person: PersonNode;
  kinds: string[];
  note: string;
  visitCycleDays: number;
  responsible: PersonNode | null;
}

export interface MemberRow {
  person: PersonNode;
  org: PartyOrgNode;
  status: 'full' | 'probationary';
  joinedOn: string;
  checkInUnit: UnitNode | null;
}

export interface AccountRow {
  local: number;
  username: string;
  person: PersonNode;
  roleCode: string;
  unit: UnitNode;
}

export interface Dataset {
  units: UnitNode[];
  partyOrgs: PartyOrgNode[];
  people: PersonNode[];
  posts: PostRow[];
  care: CareRow[];
  members: MemberRow[];
  accounts: AccountRow[];
}

/** Appends nodes and numbers them in creation order. */
export class DatasetBuilder implements Dataset {
  units: UnitNode[] = [];
  partyOrgs: PartyOrgNode[] = [];
  people: PersonNode[] = [];
  posts: PostRow[] = [];
  care: CareRow[] = [];
  members: MemberRow[] = [];
  accounts: AccountRow[] = [];
  private readonly childCounts = new Map<UnitNode | null, number>();

  unit(
    parent: UnitNode | null,
    kind: UnitKind,
    name: string,
    extra: Partial<Pick<UnitNode, 'code' | 'phone' | 'address' | 'description' | 'ring'>> = {},
  ): UnitNode {
    const siblings = this.childCounts.get(parent) ?? 0;
    this.childCounts.set(parent, siblings + 1);
    const node: UnitNode = {
      local: this.units.length + 1,
      parent,
      kind,
      name,
      code: extra.code ?? null,
      depth: parent ? parent.depth + 1 : 0,
      sortOrder: (siblings + 1) * 10,
      phone: extra.phone ?? null,
      address: extra.address ?? null,
      description: extra.description ?? null,
      ...(extra.ring ? { ring: extra.ring } : {}),
    };
    this.units.push(node);
    return node;
  }

  partyOrg(
    parent: PartyOrgNode | null,
    kind: PartyOrgNode['kind'],
    name: string,
    units: UnitNode[],
    establishedOn: string,
  ): PartyOrgNode {
    const node: PartyOrgNode = {
      local: this.partyOrgs.length + 1,
      parent,
      kind,
      name,
      units,
      establishedOn,
      secretary: null,
    };
    this.partyOrgs.push(node);
    return node;
  }

  person(fields: Omit<PersonNode, 'local'>): PersonNode {
    const node = { local: this.people.length + 1, ...fields };
    this.people.push(node);
    return node;
  }

  post(unit: UnitNode, person: PersonNode, post: PostRow['post'], services: string | null = null) {
    if (this.posts.some((p) => p.unit === unit && p.person === person && p.post === post)) return;
    this.posts.push({ unit, person, post, services });
  }
}
