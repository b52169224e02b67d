import type { GeoJsonPolygon } from '../../api/grids.ts';

export type ParseProblem = 'invalidJson' | 'noPolygon' | 'manyPolygons';

/**
 * Reads pasted or uploaded GeoJSON: a Polygon, a Feature holding one, a FeatureCollection with exactly one
 * polygon feature, or a MultiPolygon of one polygon. Geometry rules (closed rings, no crossing edges …)
 * are the server's to check: it answers INVALID_GEOMETRY with the reason.
 */
export function parsePolygon(text: string): GeoJsonPolygon | ParseProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'invalidJson';
  }
  const found: GeoJsonPolygon[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const o = node as { type?: unknown; coordinates?: unknown; geometry?: unknown; features?: unknown };
    if (o.type === 'Polygon' && Array.isArray(o.coordinates))
      found.push({ type: 'Polygon', coordinates: o.coordinates });
    else if (o.type === 'MultiPolygon' && Array.isArray(o.coordinates)) {
      for (const coordinates of o.coordinates) found.push({ type: 'Polygon', coordinates });
    } else if (o.type === 'Feature') visit(o.geometry);
    else if (o.type === 'FeatureCollection' && Array.isArray(o.features)) for (const f of o.features) visit(f);
  };
  visit(value);
  if (found.length === 0) return 'noPolygon';
  if (found.length > 1) return 'manyPolygons';
  return found[0] as GeoJsonPolygon;
}

/** A polygon from clicked vertices ([lat, lng] as Leaflet gives them): one closed outer ring in GeoJSON order. */
export function polygonFromVertices(vertices: Array<[number, number]>): GeoJsonPolygon {
  const ring = vertices.map(([lat, lng]) => [round(lng), round(lat)]);
  const first = ring[0];
  if (first) ring.push([...first]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** Seven decimals is about a centimetre: enough for a boundary, and keeps the stored text short. */
const round = (n: number) => Math.round(n * 1e7) / 1e7;
