/**
 * A point certainly inside a polygon (GeoJSON rings of [lng, lat], the first the outline, the others holes):
 * the middle of the widest stretch of a horizontal line across it. A centroid can fall outside a concave
 * grid or inside a hole, and a pin dropped there would be located in the wrong grid.
 */
export function pointOnSurface(rings: number[][][]): { lng: number; lat: number } | null {
  const outline = rings[0];
  if (!outline || outline.length < 3) return null;
  const box = bounds([outline]);
  if (!box || box.north <= box.south) return null;
  for (const share of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
    const lat = box.south + (box.north - box.south) * share;
    const crossings: number[] = [];
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[j] as number[];
        const b = ring[i] as number[];
        const [ax, ay] = [a[0] as number, a[1] as number];
        const [bx, by] = [b[0] as number, b[1] as number];
        // Half-open on the upper end, so a line through a vertex counts each edge pair once.
        if (ay > lat !== by > lat) crossings.push(ax + ((lat - ay) * (bx - ax)) / (by - ay));
      }
    }
    crossings.sort((x, y) => x - y);
    let best: number | null = null;
    let widest = 0;
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = crossings[k] as number;
      const to = crossings[k + 1] as number;
      if (to - from > widest) {
        widest = to - from;
        best = (from + to) / 2;
      }
    }
    if (best !== null) return { lng: best, lat };
  }
  return null;
}

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** The bounding box of some rings, or null when there are no positions. */
export function bounds(rings: number[][][]): Bounds | null {
  let box: Bounds | null = null;
  for (const ring of rings) {
    for (const position of ring) {
      const lng = position[0] as number;
      const lat = position[1] as number;
      if (!box) box = { west: lng, south: lat, east: lng, north: lat };
      else {
        box.west = Math.min(box.west, lng);
        box.east = Math.max(box.east, lng);
        box.south = Math.min(box.south, lat);
        box.north = Math.max(box.north, lat);
      }
    }
  }
  return box;
}

/** The box covering two boxes (either may be missing). */
export function union(a: Bounds | null, b: Bounds | null): Bounds | null {
  if (!a) return b;
  if (!b) return a;
  return {
    west: Math.min(a.west, b.west),
    south: Math.min(a.south, b.south),
    east: Math.max(a.east, b.east),
    north: Math.max(a.north, b.north),
  };
}
