/**
 * A grid boundary as written in a cell: GeoJSON (a Polygon, or a Feature holding one), or the outer ring
 * as "lng,lat;lng,lat;…" (the closing point may be left out). Returns the GeoJSON geometry to validate, or
 * a message saying why the text could not be read; the geometry rules are the polygon validator's.
 */
export function parseBoundaryText(text: string): { geometry: unknown } | { error: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return { error: 'The boundary is not valid GeoJSON' };
    }
    const object = json as { type?: unknown; geometry?: unknown };
    return { geometry: object?.type === 'Feature' ? object.geometry : json };
  }
  const ring: Array<[number, number]> = [];
  for (const pair of trimmed.split(/[;；\n]+/)) {
    if (pair.trim() === '') continue;
    const parts = pair.trim().split(/\s*[,，]\s*|\s+/);
    const [lng, lat] = parts.map(Number);
    if (parts.length !== 2 || !Number.isFinite(lng) || !Number.isFinite(lat)) {
      return { error: `Cannot read the point "${pair.trim()}"; write longitude,latitude pairs separated by ;` };
    }
    ring.push([lng!, lat!]);
  }
  if (ring.length < 3) return { error: 'A boundary needs at least 3 points' };
  const first = ring[0]!;
  const last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  return { geometry: { type: 'Polygon', coordinates: [ring] } };
}
