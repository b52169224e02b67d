import { type RawBuilder, sql } from 'kysely';
import type { Trx } from '../db/database.ts';
import { syntheticParty, syntheticPeople, syntheticStaff } from './synthetic-people.ts';
import { nextId, rowCount, syncSequence, textArray } from './synthetic-sql.ts';
import { DISTRICT_DEPARTMENTS } from './territory.ts';

/**
 * A synthetic territory of any size, generated inside the database with set-based SQL (generate_series,
 * INSERT … SELECT): no row crosses the wire, so a city of 5,000 grids and a million people loads in
 * seconds to minutes on either database. The same options always give the same rows.
 */
export interface SyntheticOptions {
  /** Name of the new root unit (a city); it must not exist yet. */
  rootName?: string;
  districts?: number;
  streetsPerDistrict?: number;
  communitiesPerStreet?: number;
  /** Total grids, spread evenly over the communities (147 over 17 streets × 3 communities gives 2–3 each). */
  grids?: number;
  /** Used when `grids` is not given. */
  gridsPerCommunity?: number;
  departmentsPerDistrict?: number;
  compoundsPerGrid?: number;
  buildingsPerCompound?: number;
  entrancesPerBuilding?: number;
  /** Residents, spread Pareto-like over the grids (a few crowded grids, many ordinary ones). */
  people?: number;
  /** Share of adults who are Party members, and of people with a care-person file. */
  partyMemberShare?: number;
  careShare?: number;
  /** [west, south, east, north]: the grids tile this box. */
  bbox?: [number, number, number, number];
}

/** "数字高新": 17 areas, 147 grids, 100,000 people. */
export const SHAPE_17_AREAS: SyntheticOptions = {
  districts: 1,
  streetsPerDistrict: 17,
  communitiesPerStreet: 3,
  grids: 147,
  people: 100_000,
};

/** A whole city: 10 districts × 10 streets × 5 communities × 10 grids = 5,000 grids. */
export const SHAPE_CITY_5000: SyntheticOptions = {
  districts: 10,
  streetsPerDistrict: 10,
  communitiesPerStreet: 5,
  gridsPerCommunity: 10,
  people: 1_000_000,
};

export interface SyntheticResult {
  rootId: number;
  rootPath: string;
  units: number;
  grids: number;
  people: number;
  staff: number;
  partyOrgs: number;
  partyMembers: number;
  carePersons: number;
}

type Resolved = Required<SyntheticOptions>;

const DEFAULTS: Resolved = {
  rootName: '合成市',
  districts: 1,
  streetsPerDistrict: 17,
  communitiesPerStreet: 3,
  grids: 0,
  gridsPerCommunity: 3,
  departmentsPerDistrict: 10,
  compoundsPerGrid: 0,
  buildingsPerCompound: 4,
  entrancesPerBuilding: 2,
  people: 100_000,
  partyMemberShare: 0.05,
  careShare: 0.01,
  bbox: [113.1, 33.6, 113.5, 33.85],
};

/** Earth's authalic radius in metres, as in geo/area.ts. */
const EARTH_RADIUS = 6_371_007.2;

export async function generateSynthetic(trx: Trx, options: SyntheticOptions = {}): Promise<SyntheticResult> {
  const o: Resolved = { ...DEFAULTS, ...options };
  const communities = o.districts * o.streetsPerDistrict * o.communitiesPerStreet;
  const totalGrids = o.grids > 0 ? o.grids : communities * o.gridsPerCommunity;
  if (totalGrids < communities)
    throw new Error(`${totalGrids} grids cannot give each of ${communities} communities one`);

  const rootId = await nextId(trx, 'units');
  const rootPath = `/${rootId}/`;
  await trx
    .insertInto('units')
    .values({ id: rootId, kind: 'city', name: o.rootName, path: rootPath, depth: 0, description: 'synthetic' })
    .execute();
  const within = sql`p.path LIKE ${`${rootPath}%`}`;
  let units = 1;
  units += await level(trx, within, 'city', 'district', sql`${o.districts}::int`, sql`s.n || '区'`);
  const departments = textArray(DISTRICT_DEPARTMENTS.slice(0, o.departmentsPerDistrict));
  units += await level(
    trx,
    within,
    'district',
    'department',
    sql`${Math.min(o.departmentsPerDistrict, DISTRICT_DEPARTMENTS.length)}::int`,
    sql`(${departments})[s.n]`,
  );
  units += await level(
    trx,
    within,
    'district',
    'street',
    sql`${o.streetsPerDistrict}::int`,
    sql`p.name || s.n || '街道'`,
  );
  units += await level(
    trx,
    within,
    'street',
    'community',
    sql`${o.communitiesPerStreet}::int`,
    sql`p.name || s.n || '社区'`,
  );
  // Community k (1-based, in id order) gets ⌊G/C⌋ grids, one more while k ≤ G mod C.
  const perCommunity = sql`(${Math.floor(totalGrids / communities)}::int + (p.k <= ${totalGrids % communities}::int)::int)`;
  units += await level(trx, within, 'community', 'grid', perCommunity, sql`p.name || '第' || s.n || '网格'`);
  if (o.compoundsPerGrid > 0) {
    units += await level(
      trx,
      within,
      'grid',
      'compound',
      sql`${o.compoundsPerGrid}::int`,
      sql`p.name || s.n || '号小区'`,
    );
    units += await level(trx, within, 'compound', 'building', sql`${o.buildingsPerCompound}::int`, sql`s.n || '号楼'`);
    units += await level(trx, within, 'building', 'entrance', sql`${o.entrancesPerBuilding}::int`, sql`s.n || '单元'`);
  }
  await syncSequence(trx, 'units');
  await boundaries(trx, rootPath, totalGrids, o.bbox);

  const people = await syntheticPeople(trx, rootPath, o.people, o.careShare);
  const staff = await syntheticStaff(trx, rootPath);
  const party = await syntheticParty(trx, rootPath, o.partyMemberShare);
  await sql`ANALYZE`.execute(trx);
  return {
    rootId,
    rootPath,
    units,
    grids: totalGrids,
    people: people.people,
    staff,
    partyOrgs: party.orgs,
    partyMembers: party.members,
    carePersons: people.care,
  };
}

/**
 * One level of the tree: `count` children under every unit of `parentKind` in the synthetic tree, with
 * ids taken in (parent id, ordinal) order and paths computed from them. `p.k` is the parent's 1-based
 * position among its kind, for counts that vary by parent.
 */
async function level(
  trx: Trx,
  within: RawBuilder<unknown>,
  parentKind: string,
  kind: string,
  count: RawBuilder<unknown>,
  name: RawBuilder<unknown>,
): Promise<number> {
  const base = (await nextId(trx, 'units')) - 1;
  const inserted = await rowCount(
    trx,
    sql`INSERT INTO units (id, parent_id, kind, name, path, depth, sort_order)
        SELECT ${base}::int + r.rn, r.parent_id, ${kind}, r.name, r.parent_path || (${base}::int + r.rn) || '/', r.depth,
               r.ordinal * 10
        FROM (SELECT p.id AS parent_id, p.path AS parent_path, p.depth + 1 AS depth, s.n AS ordinal, ${name} AS name,
                     row_number() OVER (ORDER BY p.id, s.n)::int AS rn
              FROM (SELECT p.*, row_number() OVER (ORDER BY p.id)::int AS k FROM units p
                    WHERE p.kind = ${parentKind} AND ${within}) p
              CROSS JOIN LATERAL generate_series(1, ${count}) AS s (n)) r`,
  );
  await syncSequence(trx, 'units');
  return inserted;
}

/**
 * Grids tile the box in a lattice, in id order, so a community's grids sit side by side. Each cell is a
 * rectangle with a 5 % margin; its area is the exact spherical area of a lng/lat rectangle.
 */
async function boundaries(trx: Trx, rootPath: string, grids: number, bbox: [number, number, number, number]) {
  const [west, south, east, north] = bbox;
  const columns = Math.ceil(Math.sqrt(grids * ((east - west) / (north - south))));
  const rows = Math.ceil(grids / columns);
  const dx = (east - west) / columns;
  const dy = (north - south) / rows;
  await sql`
    INSERT INTO grid_boundaries (unit_id, geojson, outline, area)
    SELECT id,
           jsonb_build_object('type', 'Polygon', 'coordinates',
             jsonb_build_array(jsonb_build_array(jsonb_build_array(x0, y0), jsonb_build_array(x1, y0),
                                                 jsonb_build_array(x1, y1), jsonb_build_array(x0, y1),
                                                 jsonb_build_array(x0, y0)))),
           format('((%s,%s),(%s,%s),(%s,%s),(%s,%s))', x0, y0, x1, y0, x1, y1, x0, y1)::polygon,
           round(${EARTH_RADIUS}::float8 ^ 2 * radians(x1 - x0) * abs(sin(radians(y1)) - sin(radians(y0))))
    FROM (SELECT id,
                 round((${west}::float8 + (c.col + 0.05) * ${dx}::float8)::numeric, 7)::float8 AS x0,
                 round((${west}::float8 + (c.col + 0.95) * ${dx}::float8)::numeric, 7)::float8 AS x1,
                 round((${south}::float8 + (c.row + 0.05) * ${dy}::float8)::numeric, 7)::float8 AS y0,
                 round((${south}::float8 + (c.row + 0.95) * ${dy}::float8)::numeric, 7)::float8 AS y1
          FROM (SELECT id, (rn - 1) % ${columns}::int AS col, (rn - 1) / ${columns}::int AS row
                FROM (SELECT id, row_number() OVER (ORDER BY id)::int AS rn FROM units
                      WHERE kind = 'grid' AND path LIKE ${`${rootPath}%`}) g) c) b`.execute(trx);
}
