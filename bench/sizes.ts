import { SHAPE_17_AREAS, SHAPE_CITY_5000, type SyntheticOptions } from '../src/server/demo/synthetic.ts';

/**
 * The named sizes of `--size`: a territory shape, its registered residents and a year of cases.
 *
 * - district: one district of 17 streets, 51 communities, 147 grids; 300,000 residents; 200,000 cases a year.
 * - city: 10 districts, 100 streets, 500 communities, 5,000 grids; 1,000,000 residents; 1,000,000 cases.
 * - megacity: the same city with 20,000,000 cases a year (Beijing's 12345 takes about that many appeals) and
 *   2,000,000 registered residents (the resident register does not drive the case load; 20 million people
 *   would only lengthen the load).
 */
export interface BenchSize {
  shapeName: string;
  shape: SyntheticOptions;
  people: number;
  cases: number;
}

export const SIZES = {
  district: { shapeName: '17-areas', shape: SHAPE_17_AREAS, people: 300_000, cases: 200_000 },
  city: { shapeName: 'city-5000', shape: SHAPE_CITY_5000, people: 1_000_000, cases: 1_000_000 },
  megacity: { shapeName: 'city-5000', shape: SHAPE_CITY_5000, people: 2_000_000, cases: 20_000_000 },
} as const satisfies Record<string, BenchSize>;

export type SizeName = keyof typeof SIZES;
export const SIZE_NAMES = Object.keys(SIZES) as SizeName[];

/** Cases per generator transaction: a megacity loads in 20 chunks, each committed on its own. */
export const CASE_CHUNK = 1_000_000;
