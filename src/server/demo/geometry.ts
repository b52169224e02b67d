import { ringAreaSquareMetres } from '../geo/area.ts';
import type { Random } from './random.ts';

/** A ring of [lng, lat] points, counter-clockwise, not closed (the first point is not repeated). */
export type Ring = Array<[number, number]>;

export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Splits a box into slices along one axis, each as wide as its weight's share. */
export function split(box: Box, weights: number[], axis: 'lng' | 'lat'): Box[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const out: Box[] = [];
  let at = axis === 'lng' ? box.west : box.south;
  const span = axis === 'lng' ? box.east - box.west : box.north - box.south;
  for (const w of weights) {
    const next = at + (span * w) / total;
    out.push(axis === 'lng' ? { ...box, west: at, east: next } : { ...box, south: at, north: next });
    at = next;
  }
  return out;
}

export function inset(box: Box, margin: number): Box {
  return { west: box.west + margin, south: box.south + margin, east: box.east - margin, north: box.north - margin };
}

/**
 * Cuts a community's box into `count` side-by-side grids whose shared borders run at a slant (as streets
 * do), each with a bend in its top and bottom edges. Neighbours share their dividing line exactly, so the
 * grids tile the box without overlapping; the bends only move inwards.
 */
export function gridRings(box: Box, count: number, random: Random): Ring[] {
  const width = box.east - box.west;
  const height = box.north - box.south;
  const wobble = (width / count) * 0.18;
  const bottom: number[] = [box.west];
  const top: number[] = [box.west];
  for (let k = 1; k < count; k++) {
    const x = box.west + (width * k) / count;
    bottom.push(x + random.between(-wobble, wobble));
    top.push(x + random.between(-wobble, wobble));
  }
  bottom.push(box.east);
  top.push(box.east);
  const rings: Ring[] = [];
  for (let i = 0; i < count; i++) {
    const b0 = bottom[i] as number;
    const b1 = bottom[i + 1] as number;
    const t0 = top[i] as number;
    const t1 = top[i + 1] as number;
    const bend = height * 0.06;
    rings.push([
      [b0, box.south],
      [(b0 + b1) / 2, box.south + random.between(0, bend)],
      [b1, box.south],
      [t1, box.north],
      [(t0 + t1) / 2, box.north - random.between(0, bend)],
      [t0, box.north],
    ]);
  }
  return rings;
}

const round = (n: number) => Math.round(n * 1e7) / 1e7;

export function roundRing(ring: Ring): Ring {
  return ring.map(([x, y]) => [round(x), round(y)]);
}

/** GeoJSON Polygon geometry (RFC 7946: closed ring, counter-clockwise). */
export function geoJsonPolygon(ring: Ring) {
  const closed = [...ring, ring[0] as [number, number]];
  return { type: 'Polygon' as const, coordinates: [closed] };
}

/** PostgreSQL polygon literal `((x,y),…)`, x = longitude, y = latitude. */
export function polygonLiteral(ring: Ring): string {
  return `(${ring.map(([x, y]) => `(${x},${y})`).join(',')})`;
}

/** Area in square metres, computed as the grids module does for drawn boundaries. */
export function areaSquareMetres(ring: Ring): number {
  return Math.round(ringAreaSquareMetres(ring));
}

/** A point well inside a ring built by gridRings: the average of its corners. */
export function innerPoint(ring: Ring): [number, number] {
  const n = ring.length;
  return [ring.reduce((s, [x]) => s + x, 0) / n, ring.reduce((s, [, y]) => s + y, 0) / n];
}
