/**
 * Planar geometry on (lng, lat) treated as (x, y). Rings here are OPEN: the closing position of a GeoJSON
 * ring is dropped, so ring[n-1] → ring[0] is the last edge. Pure functions, no I/O.
 */
export type Point = readonly [number, number];

/** Twice the signed area of triangle abc: > 0 when a → b → c turns left (counter-clockwise). */
export function orient(a: Point, b: Point, c: Point): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** Signed shoelace area of an open ring; positive for counter-clockwise. */
export function signedRingArea(ring: readonly Point[]): number {
  if (ring.length < 3) return 0;
  // Relative to the first vertex, so that large longitudes do not swamp a small ring's area.
  const [ox, oy] = ring[0]!;
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    twice += (a[0] - ox) * (b[1] - oy) - (b[0] - ox) * (a[1] - oy);
  }
  return twice / 2;
}

/** p lies within the bounding box of segment ab (used once p is known to be collinear with ab). */
function withinBox(a: Point, b: Point, p: Point): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Whether closed segments ab and cd share at least one point (crossing, touching or overlapping). */
export function segmentsTouch(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = Math.sign(orient(a, b, c));
  const o2 = Math.sign(orient(a, b, d));
  const o3 = Math.sign(orient(c, d, a));
  const o4 = Math.sign(orient(c, d, b));
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && withinBox(a, b, c)) return true;
  if (o2 === 0 && withinBox(a, b, d)) return true;
  if (o3 === 0 && withinBox(c, d, a)) return true;
  if (o4 === 0 && withinBox(c, d, b)) return true;
  return false;
}

/**
 * Crossing-number test: true when p is inside the open ring. For a point exactly on the boundary the answer
 * is unspecified; callers only ask about points known not to lie on it.
 */
export function pointInRing(p: Point, ring: readonly Point[]): boolean {
  const [x, y] = p;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface SegmentContact {
  /** Ring index and edge index (edge k runs from vertex k to vertex k+1) of the two edges that meet. */
  a: { ring: number; edge: number };
  b: { ring: number; edge: number };
}

interface Edge {
  ring: number;
  edge: number;
  p: Point;
  q: Point;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * The first pair of edges that meet where they should not, over all rings together, or null.
 * Consecutive edges of a ring may share their common vertex but must not fold back over each other;
 * any other pair of edges (in the same ring or in different rings) must not share any point.
 * A sweep over x-sorted edges keeps this near O(n log n) for ordinary boundaries.
 */
export function findSegmentContact(rings: ReadonlyArray<readonly Point[]>): SegmentContact | null {
  const edges: Edge[] = [];
  rings.forEach((ring, r) => {
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k]!;
      const q = ring[(k + 1) % ring.length]!;
      edges.push({
        ring: r,
        edge: k,
        p,
        q,
        minX: Math.min(p[0], q[0]),
        maxX: Math.max(p[0], q[0]),
        minY: Math.min(p[1], q[1]),
        maxY: Math.max(p[1], q[1]),
      });
    }
  });
  edges.sort((e, f) => e.minX - f.minX);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    for (let j = i + 1; j < edges.length && edges[j]!.minX <= e.maxX; j++) {
      const f = edges[j]!;
      if (f.maxY < e.minY || f.minY > e.maxY) continue;
      const n = rings[e.ring]!.length;
      if (e.ring === f.ring && adjacent(e.edge, f.edge, n)) {
        if (foldsBack(e, f, n)) return contact(e, f);
      } else if (segmentsTouch(e.p, e.q, f.p, f.q)) {
        return contact(e, f);
      }
    }
  }
  return null;
}

function adjacent(i: number, j: number, n: number): boolean {
  return (i + 1) % n === j || (j + 1) % n === i;
}

/** Two consecutive edges p→s, s→r fold back when r lies on the line through p and s, on p's side of s. */
function foldsBack(e: Edge, f: Edge, n: number): boolean {
  const [first, second] = (e.edge + 1) % n === f.edge ? [e, f] : [f, e];
  const p = first.p;
  const s = first.q;
  const r = second.q;
  if (orient(p, s, r) !== 0) return false;
  return (p[0] - s[0]) * (r[0] - s[0]) + (p[1] - s[1]) * (r[1] - s[1]) > 0;
}

function contact(e: Edge, f: Edge): SegmentContact {
  const [x, y] = e.ring < f.ring || (e.ring === f.ring && e.edge < f.edge) ? [e, f] : [f, e];
  return { a: { ring: x.ring, edge: x.edge }, b: { ring: y.ring, edge: y.edge } };
}
