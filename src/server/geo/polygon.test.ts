import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../http/errors.ts';
import { ringAreaSquareMetres } from './area.ts';
import { type Point, pointInRing } from './planar.ts';
import { type GeometryProblem, MAX_VERTICES, pgPolygonText, validatePolygon } from './polygon.ts';

const square = (x: number, y: number, size: number): number[][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const polygon = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings });

function problem(input: unknown): GeometryProblem {
  try {
    validatePolygon(input);
  } catch (error) {
    assert.ok(error instanceof AppError, `not an AppError: ${String(error)}`);
    assert.equal(error.code, 'INVALID_GEOMETRY');
    assert.equal(error.status, 400);
    return (error.details as { reason: GeometryProblem }).reason;
  }
  assert.fail('the geometry was accepted');
}

describe('polygon validation', () => {
  test('accepts a square, winds it counter-clockwise and converts it to PostgreSQL text', () => {
    const clockwise = [
      [116, 39],
      [116, 39.01],
      [116.01, 39.01],
      [116.01, 39],
      [116, 39],
    ];
    const valid = validatePolygon(polygon(clockwise));
    assert.equal(valid.vertexCount, 4);
    assert.ok(valid.planarArea > 0);
    assert.deepEqual(valid.geojson.coordinates[0], [...clockwise].reverse());
    assert.equal(pgPolygonText(valid.outer), '((116,39),(116.01,39),(116.01,39.01),(116,39.01))');
    // 0.01° × 0.01° at 39°N is about 1.11 km × 0.86 km.
    assert.ok(Math.abs(valid.area - 958_000) / 958_000 < 0.01, `area ${valid.area}`);
  });

  test('accepts a hole, stores it clockwise and subtracts its area', () => {
    const valid = validatePolygon(polygon(square(0, 0, 10), square(2, 2, 2)));
    assert.equal(valid.holes.length, 1);
    assert.equal(valid.planarArea, 96);
    const hole = valid.geojson.coordinates[1]!;
    assert.deepEqual(hole[0], hole[hole.length - 1]);
    assert.ok(valid.area < ringAreaSquareMetres(valid.outer));
  });

  test('drops altitudes and repeated positions', () => {
    const valid = validatePolygon(
      polygon([
        [0, 0, 5],
        [1, 0, 5],
        [1, 0, 5],
        [1, 1, 5],
        [0, 0, 5],
      ]),
    );
    assert.equal(valid.vertexCount, 3);
    assert.deepEqual(valid.geojson.coordinates[0], [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
  });

  const invalid: Array<[string, unknown, GeometryProblem]> = [
    ['null', null, 'notPolygon'],
    ['a MultiPolygon', { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)]] }, 'notPolygon'],
    ['a Feature', { type: 'Feature', geometry: polygon(square(0, 0, 1)) }, 'notPolygon'],
    ['no rings', polygon(), 'malformedCoordinates'],
    ['coordinates not an array', { type: 'Polygon', coordinates: 'x' }, 'malformedCoordinates'],
    [
      'a string coordinate',
      polygon([
        [0, 0],
        ['1', 0],
        [1, 1],
        [0, 0],
      ]),
      'malformedCoordinates',
    ],
    [
      'a null coordinate',
      polygon([
        [0, 0],
        [null, 0],
        [1, 1],
        [0, 0],
      ]),
      'malformedCoordinates',
    ],
    ['a one-number position', polygon([[0, 0], [1], [1, 1], [0, 0]]), 'malformedCoordinates'],
    [
      'NaN',
      polygon([
        [0, 0],
        [Number.NaN, 0],
        [1, 1],
        [0, 0],
      ]),
      'nonFiniteCoordinate',
    ],
    [
      'Infinity',
      polygon([
        [0, 0],
        [Number.POSITIVE_INFINITY, 0],
        [1, 1],
        [0, 0],
      ]),
      'nonFiniteCoordinate',
    ],
    [
      'longitude 181',
      polygon([
        [0, 0],
        [181, 0],
        [1, 1],
        [0, 0],
      ]),
      'outOfRange',
    ],
    [
      'latitude -90.5',
      polygon([
        [0, 0],
        [1, -90.5],
        [1, 1],
        [0, 0],
      ]),
      'outOfRange',
    ],
    [
      'an unclosed ring',
      polygon([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ]),
      'notClosed',
    ],
    [
      'three positions',
      polygon([
        [0, 0],
        [1, 0],
        [0, 0],
      ]),
      'tooFewPositions',
    ],
    [
      'two distinct corners',
      polygon([
        [0, 0],
        [1, 0],
        [1, 0],
        [0, 0],
      ]),
      'tooFewPositions',
    ],
    [
      'a flat ring',
      polygon([
        [0, 0],
        [1, 0],
        [2, 0],
        [0, 0],
      ]),
      'zeroArea',
    ],
    [
      'a bow-tie',
      polygon([
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
      'selfIntersection',
    ],
    [
      'a figure eight touching at a vertex',
      polygon([
        [0, 0],
        [1, 1],
        [2, 0],
        [2, 2],
        [1, 1],
        [0, 2],
        [0, 0],
      ]),
      'selfIntersection',
    ],
    [
      'a spike folding back',
      polygon([
        [0, 0],
        [2, 0],
        [2, 2],
        [2, 3],
        [2, 1],
        [0, 2],
        [0, 0],
      ]),
      'selfIntersection',
    ],
    ['a hole crossing the outer ring', polygon(square(0, 0, 10), square(8, 8, 4)), 'ringsIntersect'],
    ['a hole touching the outer ring', polygon(square(0, 0, 10), square(0, 2, 2)), 'ringsIntersect'],
    ['overlapping holes', polygon(square(0, 0, 10), square(2, 2, 3), square(4, 4, 3)), 'ringsIntersect'],
    ['a hole outside', polygon(square(0, 0, 10), square(20, 20, 2)), 'holeOutsideOuter'],
    ['an outer ring inside its hole', polygon(square(2, 2, 2), square(0, 0, 10)), 'holeOutsideOuter'],
    ['a hole inside a hole', polygon(square(0, 0, 10), square(1, 1, 8), square(3, 3, 2)), 'holesNested'],
  ];
  for (const [name, input, reason] of invalid) {
    test(`refuses ${name} (${reason})`, () => {
      assert.equal(problem(input), reason);
    });
  }

  test(`refuses more than ${MAX_VERTICES} vertices and accepts exactly ${MAX_VERTICES}`, () => {
    const circle = (n: number) => {
      const ring = Array.from({ length: n }, (_, i) => [
        116 + 0.01 * Math.cos((2 * Math.PI * i) / n),
        39 + 0.01 * Math.sin((2 * Math.PI * i) / n),
      ]);
      return polygon([...ring, ring[0]]);
    };
    assert.equal(validatePolygon(circle(MAX_VERTICES)).vertexCount, MAX_VERTICES);
    assert.equal(problem(circle(MAX_VERTICES + 1)), 'tooManyVertices');
  });

  test('PostgreSQL text keeps every coordinate exactly', () => {
    const valid = validatePolygon(
      polygon([
        [116.397428, 39.90923],
        [1e-7, 0.1 + 0.2],
        [-0, 45],
        [116.397428, 39.90923],
      ]),
    );
    const numbers = [...pgPolygonText(valid.outer).matchAll(/-?[\d.e+-]+/g)].map((m) => Number(m[0]));
    assert.deepEqual(numbers, valid.outer.flat());
  });
});

/** A convex polygon: distinct angles (tenths of a degree) in order around a centre. */
const convexWith = (minLength: number, maxLength: number) =>
  fc
    .record({
      lng: fc.double({ min: -170, max: 170, noNaN: true }),
      lat: fc.double({ min: -80, max: 80, noNaN: true }),
      radius: fc.double({ min: 0.001, max: 5, noNaN: true }),
      angles: fc.uniqueArray(fc.integer({ min: 0, max: 3599 }), { minLength, maxLength }),
    })
    .filter(({ angles }) => {
      // A convex polygon on a circle contains the centre only when no gap between corners reaches 180°.
      const sorted = [...angles].sort((a, b) => a - b);
      return sorted.every((a, i) => (sorted[(i + 1) % sorted.length]! - a + 3600) % 3600 < 1800);
    })
    .map(({ lng, lat, radius, angles }) => {
      const ring: Point[] = [...angles]
        .sort((a, b) => a - b)
        .map((tenths) => {
          const t = (tenths / 10) * (Math.PI / 180);
          return [lng + radius * Math.cos(t), lat + radius * Math.sin(t)] as Point;
        });
      return { ring, centre: [lng, lat] as Point };
    });
const convexPolygon = convexWith(3, 60);

const closed = (ring: readonly Point[]) => [...ring, ring[0]!].map(([x, y]) => [x, y]);

describe('polygon validation properties', () => {
  test('any convex polygon is accepted and contains its centroid', () => {
    fc.assert(
      fc.property(convexPolygon, ({ ring }) => {
        const valid = validatePolygon(polygon(closed(ring)));
        const centroid: Point = [
          ring.reduce((s, p) => s + p[0], 0) / ring.length,
          ring.reduce((s, p) => s + p[1], 0) / ring.length,
        ];
        assert.ok(pointInRing(centroid, valid.outer));
        assert.ok(valid.planarArea > 0 && valid.area > 0);
      }),
    );
  });

  test('reversing or rotating a valid ring keeps it valid with the same area', () => {
    fc.assert(
      fc.property(convexPolygon, fc.nat(), ({ ring }, shift) => {
        const base = validatePolygon(polygon(closed(ring)));
        const k = shift % ring.length;
        for (const variant of [[...ring].reverse(), [...ring.slice(k), ...ring.slice(0, k)]]) {
          const other = validatePolygon(polygon(closed(variant)));
          assert.ok(Math.abs(other.planarArea - base.planarArea) <= 1e-9 * base.planarArea);
        }
      }),
    );
  });

  test('a hole shrunk around the centre is accepted; one grown past the outer ring is refused', () => {
    fc.assert(
      fc.property(convexPolygon, ({ ring, centre }) => {
        const shrink = (f: number) =>
          ring.map(([x, y]) => [centre[0] + (x - centre[0]) * f, centre[1] + (y - centre[1]) * f] as Point);
        const withHole = validatePolygon(polygon(closed(ring), closed(shrink(0.5))));
        assert.equal(withHole.holes.length, 1);
        assert.equal(problem(polygon(closed(ring), closed(shrink(1.5)))), 'holeOutsideOuter');
      }),
    );
  });

  test('swapping two corners of a convex quadrilateral makes a bow-tie that is refused', () => {
    fc.assert(
      fc.property(convexWith(4, 4), ({ ring }) => {
        const [a, b, c, d] = ring as [Point, Point, Point, Point];
        assert.equal(problem(polygon(closed([a, c, b, d]))), 'selfIntersection');
      }),
      { numRuns: 50 },
    );
  });

  test('arbitrary input is either accepted or refused with INVALID_GEOMETRY, never anything else', () => {
    const position = fc.oneof(
      fc.tuple(fc.double(), fc.double()),
      fc.tuple(fc.integer({ min: -200, max: 200 }), fc.integer({ min: -100, max: 100 })),
      fc.anything(),
    );
    const ring = fc.array(position, { maxLength: 8 });
    const input = fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.constantFrom('Polygon', 'MultiPolygon', 'Point'),
        coordinates: fc.array(ring, { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(input, (value) => {
        try {
          const valid = validatePolygon(value);
          assert.ok(valid.planarArea > 0);
        } catch (error) {
          assert.ok(error instanceof AppError && error.code === 'INVALID_GEOMETRY', String(error));
        }
      }),
      { numRuns: 500 },
    );
  });
});
