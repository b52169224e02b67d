import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anonymous,
  buildTerritory,
  type Client,
  createTestApp,
  errorCode,
  insertUnit,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import type { PlaceSearchItem } from './places.schema.ts';
import { pointOnSurface } from './point-on-surface.ts';

type Ring = number[][];
const rect = (x1: number, y1: number, x2: number, y2: number): Ring => [
  [x1, y1],
  [x2, y1],
  [x2, y2],
  [x1, y2],
  [x1, y1],
];
/** A U open to the north: its bounding box's centre lies in the notch, outside the polygon. */
const U_SHAPE: Ring = [
  [116.3, 39.9],
  [116.33, 39.9],
  [116.33, 39.93],
  [116.32, 39.93],
  [116.32, 39.91],
  [116.31, 39.91],
  [116.31, 39.93],
  [116.3, 39.93],
  [116.3, 39.9],
];
const B_OUTER = rect(116.4, 39.9, 116.41, 39.91);

describe('point on surface', () => {
  test('a concave grid gets a point inside it, not in the notch', () => {
    const p = pointOnSurface([U_SHAPE]);
    assert.ok(p);
    const inNotch = p.lng > 116.31 && p.lng < 116.32 && p.lat > 39.91;
    assert.equal(inNotch, false, `point ${JSON.stringify(p)} is in the notch`);
    assert.ok(p.lng > 116.3 && p.lng < 116.33 && p.lat > 39.9 && p.lat < 39.93);
  });

  test('a hole in the middle is avoided', () => {
    const p = pointOnSurface([rect(0, 0, 10, 10), rect(2, 2, 8, 8)]);
    assert.ok(p);
    const inHole = p.lng > 2 && p.lng < 8 && p.lat > 2 && p.lat < 8;
    assert.equal(inHole, false, `point ${JSON.stringify(p)} is in the hole`);
  });

  test('no outline, no point', () => {
    assert.equal(pointOnSurface([]), null);
    assert.equal(pointOnSurface([[[1, 1]]]), null);
  });
});

for (const kind of await databaseKinds()) {
  describe(`address search for intake (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let hotline: Client;
    let district: Client;
    const search = async (client: Client, q: string, extra = '') => {
      const response = await client.get(`/api/places/search?q=${encodeURIComponent(q)}${extra}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().items as PlaceSearchItem[];
    };

    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      const compoundA = await insertUnit(t.database, 'compound', '甲家属院', territory.gridA);
      await insertUnit(t.database, 'building', '1号楼', compoundA);
      await insertUnit(t.database, 'building', '2号楼', compoundA);
      const compoundB = await insertUnit(t.database, 'compound', '乙家属院', territory.gridB);
      await insertUnit(t.database, 'building', '2号楼', compoundB);
      const admin = await staffClient(t, 'places-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      for (const [grid, ring] of [
        [territory.gridA, U_SHAPE],
        [territory.gridB, B_OUTER],
      ] as const) {
        const put = await admin.put(`/api/grids/${grid.id}/boundary`, {
          geometry: { type: 'Polygon', coordinates: [ring] },
        });
        assert.equal(put.statusCode, 200, put.body);
      }
      hotline = await staffClient(t, 'places-hotline-a', [{ role: 'hotlineOperator', unitId: territory.streetA.id }]);
      district = await staffClient(t, 'places-hotline-all', [
        { role: 'hotlineOperator', unitId: territory.district.id },
      ]);
    });
    after(() => t.dispose());

    test('finds places of my territory only, with their grid and community', async () => {
      const items = await search(hotline, '家属院');
      assert.deepEqual(
        items.map((i) => [i.kind, i.name]),
        [
          ['compound', '甲家属院'],
          ['building', '1号楼'],
          ['building', '2号楼'],
        ],
      );
      const compound = items[0] as PlaceSearchItem;
      assert.deepEqual(compound.grid, { id: territory.gridA.id, name: territory.gridA.name });
      assert.deepEqual(compound.community, { id: territory.communityA.id, name: territory.communityA.name });
      assert.deepEqual(compound.within, ['测试区', '甲街道', '甲社区']);
      assert.equal(compound.address, '测试区甲街道甲社区甲家属院');
      assert.equal(JSON.stringify(items).includes('乙'), false, 'nothing of the other street');

      const everywhere = await search(district, '家属院');
      assert.deepEqual(
        everywhere.map((i) => i.name).sort(),
        ['1号楼', '2号楼', '2号楼', '乙家属院', '甲家属院'].sort(),
      );
    });

    test("a building is found by its compound's name and its own; its point lies in its grid", async () => {
      const [building, ...rest] = await search(hotline, '甲家属院 2号楼');
      assert.equal(rest.length, 0);
      assert.ok(building);
      assert.equal(building.kind, 'building');
      assert.equal(building.address, '测试区甲街道甲社区甲家属院2号楼');
      assert.ok(building.point);
      const located = await hotline.get(`/api/grids/locate?lng=${building.point.lng}&lat=${building.point.lat}`);
      assert.equal(located.json().grid?.id, territory.gridA.id, 'the pin lands in the grid the building is in');
      assert.deepEqual(building.bounds, { west: 116.3, south: 39.9, east: 116.33, north: 39.93 });

      const joined = await search(hotline, '甲家属院1号楼');
      assert.deepEqual(
        joined.map((i) => i.name),
        ['1号楼'],
      );
    });

    test('a community has no pin but the area of its grids; a grid is its own grid', async () => {
      const [community] = await search(hotline, '甲社区');
      assert.ok(community);
      assert.equal(community.kind, 'community');
      assert.equal(community.grid, null);
      assert.equal(community.point, null);
      assert.deepEqual(community.bounds, { west: 116.3, south: 39.9, east: 116.33, north: 39.93 });

      const [grid] = await search(hotline, '甲一网格');
      assert.ok(grid);
      assert.equal(grid.kind, 'grid');
      assert.deepEqual(grid.grid, { id: territory.gridA.id, name: '甲一网格' });
      assert.equal(grid.address, '测试区甲街道甲社区');
      assert.ok(grid.point);
    });

    test('a department handler, whose scope is a department, finds no places', async () => {
      const handler = await staffClient(t, 'places-handler', [
        { role: 'departmentHandler', unitId: territory.department.id },
      ]);
      assert.deepEqual(await search(handler, '甲'), []);
    });

    test('departments, other streets and inactive places are not found; LIKE wildcards match literally', async () => {
      assert.deepEqual(await search(hotline, '城市管理局'), []);
      assert.deepEqual(await search(hotline, '乙社区'), []);
      assert.deepEqual(await search(hotline, '%'), []);
      assert.deepEqual(await search(hotline, '_'), []);
      const gone = await insertUnit(t.database, 'compound', '甲旧院', territory.gridA);
      await t.database.db.updateTable('units').set({ active: false }).where('id', '=', gone.id).execute();
      assert.deepEqual(await search(hotline, '甲旧院'), []);
    });

    test('limit caps the answer', async () => {
      assert.equal((await search(district, '家属院', '&limit=2')).length, 2);
    });

    test('bad input is a 400, no session a 401, no case permission a 403', async () => {
      for (const query of ['', '?q=', `?q=${'长'.repeat(51)}`, '?q=a&limit=0', '?q=a&limit=51', '?q=a&other=1']) {
        const response = await hotline.get(`/api/places/search${query}`);
        assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
        assert.equal(errorCode(response), 'VALIDATION_FAILED');
      }
      const signedOut = await anonymous(t).get('/api/places/search?q=甲');
      assert.equal(signedOut.statusCode, 401);
      const secretary = await staffClient(t, 'places-secretary', [
        { role: 'partySecretary', unitId: territory.streetA.id },
      ]);
      const refused = await secretary.get(`/api/places/search?q=${encodeURIComponent('甲')}`);
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
    });
  });
}
