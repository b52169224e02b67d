import { get, type Page, patch, post, qs } from '../../shared/api.ts';

export const UNIT_KINDS = [
  'city',
  'district',
  'street',
  'town',
  'community',
  'village',
  'grid',
  'compound',
  'building',
  'entrance',
  'department',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface Unit {
  id: number;
  parentId: number | null;
  kind: UnitKind;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  sortOrder: number;
  phone: string | null;
  address: string | null;
  description: string | null;
  active: boolean;
  version: number;
  childCount: number;
}

export interface UnitRef {
  id: number;
  name: string;
  kind: UnitKind;
}

/**
 * Which kinds may sit under which (the server's rule in units.service.ts, mirrored to offer only sensible
 * choices in forms; the server still decides and answers UNIT_TREE_VIOLATION).
 */
const PARENT_KINDS: Record<UnitKind, ReadonlyArray<UnitKind | null>> = {
  city: [null],
  district: [null, 'city'],
  street: ['district'],
  town: ['district'],
  community: ['street', 'town'],
  village: ['street', 'town'],
  grid: ['community', 'village'],
  compound: ['grid'],
  building: ['compound', 'grid'],
  entrance: ['building'],
  department: ['city', 'district', 'street', 'town'],
};

export function childKinds(parentKind: UnitKind | null): UnitKind[] {
  return UNIT_KINDS.filter((kind) => PARENT_KINDS[kind].includes(parentKind));
}

export function parentKinds(kind: UnitKind): ReadonlyArray<UnitKind | null> {
  return PARENT_KINDS[kind];
}

/** The units at the top of my scope (one per subtree I hold). */
export function topUnits(): Promise<Unit[]> {
  return get<Page<Unit>>('/api/units').then((page) => page.items);
}

/** Every child of a unit, fetched page by page (a community can have more grids than one page). */
export async function childUnits(parentId: number): Promise<Unit[]> {
  const items: Unit[] = [];
  for (let page = 1; ; page++) {
    const result = await get<Page<Unit>>(`/api/units${qs({ parentId, page, pageSize: 200 })}`);
    items.push(...result.items);
    if (result.items.length === 0 || items.length >= result.total) return items;
  }
}

export function searchUnits(q: string, pageSize = 50): Promise<Page<Unit>> {
  return get<Page<Unit>>(`/api/units${qs({ q, pageSize })}`);
}

export function unitsOfKind(kind: UnitKind, within?: number, pageSize = 200): Promise<Page<Unit>> {
  return get<Page<Unit>>(`/api/units${qs({ kind, within, pageSize })}`);
}

export function getUnit(id: number): Promise<Unit> {
  return get<{ unit: Unit }>(`/api/units/${id}`).then((body) => body.unit);
}

export function unitAncestors(id: number): Promise<UnitRef[]> {
  return get<{ items: UnitRef[] }>(`/api/units/${id}/ancestors`).then((body) => body.items);
}

export interface UnitInput {
  parentId?: number | null;
  kind?: UnitKind;
  name?: string;
  code?: string | null;
  sortOrder?: number;
  phone?: string | null;
  address?: string | null;
  description?: string | null;
  active?: boolean;
}

export function createUnit(input: UnitInput & { parentId: number | null; kind: UnitKind; name: string }) {
  return post<{ unit: Unit }>('/api/units', input).then((body) => body.unit);
}

export function updateUnit(id: number, version: number, changes: UnitInput) {
  return patch<{ unit: Unit }>(`/api/units/${id}`, { version, ...changes }).then((body) => body.unit);
}
