import { del, get, type Page, put, qs } from '../../shared/api.ts';

export interface GeoJsonPolygon {
  type: 'Polygon';
  /** Rings of [longitude, latitude] positions (WGS 84); the first ring is the outline, the others holes. */
  coordinates: number[][][];
}

export interface GridSummary {
  id: number;
  name: string;
  code: string | null;
  communityId: number | null;
  communityName: string | null;
  phone: string | null;
  active: boolean;
  postCount: number;
  hasBoundary: boolean;
  boundaryUpdatedAt: string | null;
  boundary?: GeoJsonPolygon | null;
}

export interface GridDetail extends GridSummary {
  address: string | null;
  boundary: GeoJsonPolygon | null;
  areaSquareMetres: number | null;
}

export interface CardPerson {
  id: number;
  post: string;
  personId: number;
  personName: string;
  phone: string | null;
  services: string | null;
}

export interface GridCard {
  grid: { id: number; name: string; phone: string | null; address: string | null };
  community: { id: number; kind: string; name: string; phone: string | null; address: string | null } | null;
  posts: CardPerson[];
  subUnits: Array<{
    id: number;
    parentId: number | null;
    kind: 'compound' | 'building';
    name: string;
    heads: CardPerson[];
  }>;
}

export interface GridFilter {
  within?: number;
  q?: string;
}

/** Every grid of the filter with its boundary, page by page (the server gives at most 200 at a time). */
export async function allGridsWithBoundaries(filter: GridFilter, limit = 2000): Promise<GridSummary[]> {
  const items: GridSummary[] = [];
  for (let page = 1; items.length < limit; page++) {
    const result = await get<Page<GridSummary>>(
      `/api/grids${qs({ ...filter, withBoundary: true, page, pageSize: 200 })}`,
    );
    items.push(...result.items);
    if (result.items.length === 0 || items.length >= result.total) break;
  }
  return items;
}

export const getGrid = (id: number) => get<{ grid: GridDetail }>(`/api/grids/${id}`).then((b) => b.grid);
export const getGridCard = (id: number) => get<{ card: GridCard }>(`/api/grids/${id}/card`).then((b) => b.card);
export const setBoundary = (id: number, geometry: GeoJsonPolygon) =>
  put<{ grid: GridDetail }>(`/api/grids/${id}/boundary`, { geometry }).then((b) => b.grid);
export const removeBoundary = (id: number) => del<unknown>(`/api/grids/${id}/boundary`);
