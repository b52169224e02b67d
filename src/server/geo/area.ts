import type { Point } from './planar.ts';

/** The radius of the sphere with the same surface as the WGS 84 ellipsoid (authalic radius), in metres. */
const EARTH_RADIUS = 6_371_007.2;
const RAD = Math.PI / 180;

/**
 * Area of an open (lng, lat) ring on the sphere, in square metres, always ≥ 0
 * (Chamberlain & Duquette, "Some algorithms for polygons on a sphere", JPL 2007 — the formula Turf uses).
 * Within 0.5 % of the ellipsoidal area at Chinese latitudes, which is plenty for comparing grids.
 */
export function ringAreaSquareMetres(ring: readonly Point[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const previous = ring[(i + n - 1) % n]!;
    const current = ring[i]!;
    const next = ring[(i + 1) % n]!;
    total += (next[0] - previous[0]) * RAD * Math.sin(current[1] * RAD);
  }
  return Math.abs((total * EARTH_RADIUS * EARTH_RADIUS) / 2);
}

/** Area of a polygon (outer ring minus holes) in square metres. */
export function polygonAreaSquareMetres(outer: readonly Point[], holes: ReadonlyArray<readonly Point[]>): number {
  const area = holes.reduce((sum, hole) => sum - ringAreaSquareMetres(hole), ringAreaSquareMetres(outer));
  return Math.max(area, 0);
}
