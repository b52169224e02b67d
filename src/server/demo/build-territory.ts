import type { DatasetBuilder, UnitNode } from './dataset.ts';
import { type Box, gridRings, inset, roundRing, split } from './geometry.ts';
import type { Random } from './random.ts';
import {
  CITY,
  CITY_DEPARTMENTS,
  type CommunitySpec,
  DISTRICTS,
  type DistrictSpec,
  gridName,
  STREET_OFFICES,
  type StreetSpec,
} from './territory.ts';

export interface EntranceInfo {
  node: UnitNode;
  compound: UnitNode;
  buildingNo: number;
  entranceNo: number;
  floors: number;
}

export interface GridInfo {
  node: UnitNode;
  ordinal: number;
  community: CommunityInfo;
  compounds: UnitNode[];
  buildings: UnitNode[];
  entrances: EntranceInfo[];
}

export interface CommunityInfo {
  node: UnitNode;
  spec: CommunitySpec;
  street: StreetInfo;
  grids: GridInfo[];
}

export interface StreetInfo {
  node: UnitNode;
  spec: StreetSpec;
  district: DistrictInfo;
  communities: CommunityInfo[];
  offices: UnitNode[];
}

export interface DistrictInfo {
  node: UnitNode;
  spec: DistrictSpec;
  streets: StreetInfo[];
  departments: Map<string, UnitNode>;
}

export interface TerritoryInfo {
  city: UnitNode;
  districts: DistrictInfo[];
  communities: CommunityInfo[];
  grids: GridInfo[];
}

/** Leaves a street-wide gap (about 60 m) between neighbouring communities. */
const ROAD = 0.0006;

const landline = (random: Random) => `0375-${random.int(2_200_000, 7_999_999)}`;

export function buildTerritory(b: DatasetBuilder, random: Random): TerritoryInfo {
  const city = b.unit(null, 'city', CITY.name, { code: CITY.code, phone: '0375-12345', address: '河南省平顶山市' });
  const info: TerritoryInfo = { city, districts: [], communities: [], grids: [] };
  for (const name of CITY_DEPARTMENTS) b.unit(city, 'department', name, { phone: landline(random) });
  for (const spec of DISTRICTS) {
    const node = b.unit(city, 'district', spec.name, {
      code: spec.code,
      phone: landline(random),
      address: `平顶山市${spec.name}`,
    });
    const district: DistrictInfo = { node, spec, streets: [], departments: new Map() };
    info.districts.push(district);
    const [west, south, east, north] = spec.bbox;
    const strips = split(
      { west, south, east, north },
      spec.streets.map((s) => s.communities.reduce((n, cm) => n + cm.grids, 0)),
      'lng',
    );
    spec.streets.forEach((streetSpec, i) => {
      district.streets.push(buildStreet(b, random, district, streetSpec, strips[i] as Box, info));
    });
    for (const name of spec.departments) {
      district.departments.set(
        name,
        b.unit(node, 'department', name, { phone: landline(random), address: `${spec.name}${name}` }),
      );
    }
  }
  return info;
}

function buildStreet(
  b: DatasetBuilder,
  random: Random,
  district: DistrictInfo,
  spec: StreetSpec,
  strip: Box,
  info: TerritoryInfo,
): StreetInfo {
  const node = b.unit(district.node, spec.kind, spec.name, {
    phone: landline(random),
    address: `${district.spec.name}${spec.name}办事处`,
  });
  const street: StreetInfo = { node, spec, district, communities: [], offices: [] };
  const cells = split(
    strip,
    spec.communities.map((cm) => cm.grids),
    'lat',
  );
  spec.communities.forEach((communitySpec, i) => {
    const community = buildCommunity(b, random, street, communitySpec, inset(cells[i] as Box, ROAD));
    street.communities.push(community);
    info.communities.push(community);
    info.grids.push(...community.grids);
  });
  for (const office of [...STREET_OFFICES, `${spec.short}派出所`]) {
    street.offices.push(b.unit(node, 'department', office, { phone: landline(random) }));
  }
  return street;
}

function buildCommunity(
  b: DatasetBuilder,
  random: Random,
  street: StreetInfo,
  spec: CommunitySpec,
  cell: Box,
): CommunityInfo {
  const node = b.unit(street.node, spec.kind, spec.name, {
    phone: landline(random),
    address: `${street.district.spec.name}${street.spec.name}${spec.name}党群服务中心`,
  });
  const community: CommunityInfo = { node, spec, street, grids: [] };
  const rings = gridRings(cell, spec.grids, random);
  rings.forEach((ring, i) => {
    const grid = b.unit(node, 'grid', gridName(spec.name, i + 1), { ring: roundRing(ring) });
    community.grids.push({ node: grid, ordinal: i + 1, community, compounds: [], buildings: [], entrances: [] });
  });
  (spec.compounds ?? []).forEach((compoundSpec, i) => {
    const grid = community.grids[i % community.grids.length] as GridInfo;
    const compound = b.unit(grid.node, 'compound', compoundSpec.name, {
      address: `${street.district.spec.name}${compoundSpec.name}`,
    });
    grid.compounds.push(compound);
    const floors = random.pick([6, 6, 7, 11, 18, 26]);
    for (let n = 1; n <= compoundSpec.buildings; n++) {
      const building = b.unit(compound, 'building', `${n}号楼`);
      grid.buildings.push(building);
      const entrances = floors > 11 ? random.int(1, 2) : random.int(2, 3);
      for (let e = 1; e <= entrances; e++) {
        const entrance = b.unit(building, 'entrance', `${e}单元`);
        grid.entrances.push({ node: entrance, compound, buildingNo: n, entranceNo: e, floors });
      }
    }
  });
  return community;
}
