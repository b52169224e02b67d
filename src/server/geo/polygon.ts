import { AppError } from '../http/errors.ts';
import { polygonAreaSquareMetres } from './area.ts';
import { findSegmentContact, orient, type Point, pointInRing, signedRingArea } from './planar.ts';

/**
 * Validation of a GeoJSON Polygon (RFC 7946) drawn or imported as a grid boundary, and its conversion to
 * the built-in PostgreSQL `polygon` type used to locate points.
 *
 * Accepted: `{ type: 'Polygon', coordinates: [outer, hole…] }`; each ring closed (first position equals
 * the last), at least 4 positions, positions `[lng, lat]` (an altitude is dropped), lng ∈ [-180, 180],
 * lat ∈ [-90, 90], at most MAX_VERTICES vertices over all rings, no edge touching or crossing another
 * edge (in the same ring or across rings: holes may not touch the outer ring or each other), non-zero
 * area, and every hole inside the outer ring and outside the other holes. Either winding is accepted.
 *
 * The normalised polygon drops altitudes and repeated consecutive positions and is wound as RFC 7946 asks
 * (outer counter-clockwise, holes clockwise). Geometry is planar in degrees (as the database operators
 * are); `area` is the spherical area in square metres.
 */
export const MAX_VERTICES = 5000;

export type Position = [number, number];

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: Position[][];
}

export interface ValidPolygon {
  geojson: GeoJsonPolygon;
  /** Open rings (no closing position), outer counter-clockwise. */
  outer: Point[];
  /** Open rings, clockwise. */
  holes: Point[][];
  /** Distinct vertices over all rings (closing positions not counted). */
  vertexCount: number;
  /** Planar area in degrees² (outer minus holes). */
  planarArea: number;
  /** Spherical area in square metres. */
  area: number;
}

export type GeometryProblem =
  | 'notPolygon'
  | 'malformedCoordinates'
  | 'tooManyVertices'
  | 'nonFiniteCoordinate'
  | 'outOfRange'
  | 'notClosed'
  | 'tooFewPositions'
  | 'zeroArea'
  | 'selfIntersection'
  | 'ringsIntersect'
  | 'holeOutsideOuter'
  | 'holesNested';

function invalid(reason: GeometryProblem, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('INVALID_GEOMETRY', message, { reason, ...extra });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates and normalises; throws AppError('INVALID_GEOMETRY') with `details.reason` on the first problem. */
export function validatePolygon(input: unknown): ValidPolygon {
  if (!isObject(input) || input.type !== 'Polygon') {
    const type = isObject(input) && typeof input.type === 'string' ? input.type : null;
    throw invalid('notPolygon', 'The boundary must be a GeoJSON Polygon', { type });
  }
  const raw = input.coordinates;
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every(Array.isArray)) {
    throw invalid('malformedCoordinates', 'Polygon coordinates must be a non-empty array of rings');
  }
  const rawRings = raw as unknown[][];
  // Bound the work before looking at any position.
  const count = rawRings.reduce((sum, ring) => sum + Math.max(ring.length - 1, 0), 0);
  if (count > MAX_VERTICES) {
    throw invalid('tooManyVertices', `A boundary may have at most ${MAX_VERTICES} vertices`, {
      max: MAX_VERTICES,
      count,
    });
  }
  const closedRings = rawRings.map((ring, r) => ring.map((position, p) => readPosition(position, r, p)));
  const rings = closedRings.map((ring, r) => openRing(ring, r));

  const noArea = (r: number) =>
    invalid('zeroArea', r === 0 ? 'The boundary encloses no area' : 'A hole encloses no area', { ring: r });
  rings.forEach((ring, r) => {
    if (collinear(ring)) throw noArea(r);
  });

  const found = findSegmentContact(rings);
  if (found) {
    if (found.a.ring === found.b.ring) {
      throw invalid('selfIntersection', 'The boundary crosses or touches itself', {
        ring: found.a.ring,
        edges: [found.a.edge, found.b.edge],
      });
    }
    throw invalid('ringsIntersect', 'A hole touches or crosses the outer ring or another hole', {
      rings: [found.a.ring, found.b.ring],
    });
  }

  rings.forEach((ring, r) => {
    // A simple ring always encloses area; this guards against rounding on slivers.
    if (signedRingArea(ring) === 0) throw noArea(r);
  });

  // No edges meet, so one vertex tells on which side of another ring a whole ring lies.
  const [outerRing, ...holeRings] = rings as [Point[], ...Point[][]];
  holeRings.forEach((hole, h) => {
    if (!pointInRing(hole[0]!, outerRing)) {
      throw invalid('holeOutsideOuter', 'A hole lies outside the outer ring', { ring: h + 1 });
    }
    holeRings.forEach((other, o) => {
      if (o !== h && pointInRing(hole[0]!, other)) {
        throw invalid('holesNested', 'A hole lies inside another hole', { rings: [o + 1, h + 1] });
      }
    });
  });

  const outer = wind(outerRing, true);
  const holes = holeRings.map((hole) => wind(hole, false));
  const planarArea = holes.reduce((sum, hole) => sum - Math.abs(signedRingArea(hole)), signedRingArea(outer));
  return {
    geojson: { type: 'Polygon', coordinates: [outer, ...holes].map(closeRing) },
    outer,
    holes,
    vertexCount: rings.reduce((sum, ring) => sum + ring.length, 0),
    planarArea,
    area: polygonAreaSquareMetres(outer, holes),
  };
}

function readPosition(position: unknown, ring: number, index: number): Point {
  const where = { ring, position: index };
  if (!Array.isArray(position) || position.length < 2 || position.length > 3) {
    throw invalid('malformedCoordinates', 'Each position must be [longitude, latitude]', where);
  }
  if (!position.every((n) => typeof n === 'number')) {
    throw invalid('malformedCoordinates', 'Coordinates must be numbers', where);
  }
  const [lng, lat] = position as number[];
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || !Number.isFinite(position[2] ?? 0)) {
    throw invalid('nonFiniteCoordinate', 'Coordinates must be finite numbers', where);
  }
  if (lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) {
    throw invalid('outOfRange', 'Longitude must be within [-180, 180] and latitude within [-90, 90]', where);
  }
  // -0 and 0 are the same place; keep one spelling.
  return [lng! + 0, lat! + 0];
}

const samePoint = (a: Point, b: Point) => a[0] === b[0] && a[1] === b[1];

/** Checks closure and length, then drops the closing position and repeated consecutive positions. */
function openRing(ring: Point[], r: number): Point[] {
  if (ring.length < 4) {
    throw invalid('tooFewPositions', 'A ring needs at least 4 positions (3 corners and the closing one)', {
      ring: r,
      min: 4,
    });
  }
  if (!samePoint(ring[0]!, ring[ring.length - 1]!)) {
    throw invalid('notClosed', 'A ring must end where it starts', { ring: r });
  }
  const open: Point[] = [];
  for (const p of ring.slice(0, -1)) {
    if (open.length === 0 || !samePoint(open[open.length - 1]!, p)) open.push(p);
  }
  while (open.length > 1 && samePoint(open[0]!, open[open.length - 1]!)) open.pop();
  if (open.length < 3) {
    throw invalid('tooFewPositions', 'A ring needs at least 3 distinct corners', { ring: r, min: 4 });
  }
  return open;
}

/** All corners on one line (up to rounding): the ring encloses no area, whatever its path. */
function collinear(ring: readonly Point[]): boolean {
  const origin = ring[0]!;
  let far = origin;
  let farthest = 0;
  for (const p of ring) {
    const d = Math.hypot(p[0] - origin[0], p[1] - origin[1]);
    if (d > farthest) {
      farthest = d;
      far = p;
    }
  }
  return ring.every((p) => Math.abs(orient(origin, far, p)) <= 1e-12 * farthest * farthest);
}

function wind(ring: Point[], counterClockwise: boolean): Point[] {
  // Reversed in place of the first corner, so the ring still starts where the drawing started.
  return signedRingArea(ring) > 0 === counterClockwise ? ring : [ring[0]!, ...ring.slice(1).reverse()];
}

function closeRing(ring: readonly Point[]): Position[] {
  return [...ring, ring[0]!].map(([x, y]) => [x, y]);
}

/** An open ring as PostgreSQL `polygon` input text `((x,y),…)`; the type closes the ring itself. */
export function pgPolygonText(ring: readonly Point[]): string {
  return `(${ring.map(([x, y]) => `(${x},${y})`).join(',')})`;
}
