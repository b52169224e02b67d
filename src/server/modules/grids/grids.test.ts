import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anonymous,
  buildTerritory,
  Client,
  createTestApp,
  errorCode,
  insertUnit,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { MAX_VERTICES } from '../../geo/polygon.ts';
import { createSession } from '../auth/session.service.ts';

type Ring = number[][];
const rect = (x1: number, y1: number, x2: number, y2: number): Ring => [
  [x1, y1],
  [x2, y1],
  [x2, y2],
  [x1, y2],
  [x1, y1],
];
const polygon = (...rings: Ring[]) => ({ type: 'Polygon', coordinates: rings });

// Grid A: 116.30–116.31 × 39.90–39.91 with a hole; grid B (twice as large) shares A's eastern edge.
const A_OUTER = rect(116.3, 39.9, 116.31, 39.91);
const A_HOLE = rect(116.302, 39.902, 116.304, 39.904);
const B_OUTER = rect(116.31, 39.9, 116.33, 39.91);

async function residentClient(t: TestApp, phone: string) {
  const account = await t.database.db
    .insertInto('accounts')
    .values({ kind: 'resident', phone, display_name: phone })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(t.database.db, t.config, account.id, '127.0.0.1', 'test');
  return new Client(t.app, session.token, session.csrfToken);
}

for (const kind of await databaseKinds()) {
  describe(`grids (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let admin: Client;
    let streetAdmin: Client;
    let resident: Client;
    const locate = async (client: Client, lng: number, lat: number) => {
      const response = await client.get(`/api/grids/locate?lng=${lng}&lat=${lat}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().grid as { id: number; name: string; communityId: number; communityName: string } | null;
    };
    const boundaryAudits = async () =>
      (
        await t.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'grid.boundary')
          .executeTakeFirstOrThrow()
      ).n;

    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'grid-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      streetAdmin = await staffClient(t, 'grid-street-a', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      resident = await residentClient(t, '13900000001');
    });
    after(() => t.dispose());

    test('drawing boundaries and locating points: inside, outside, in a hole, on a shared border', async () => {
      const putA = await streetAdmin.put(`/api/grids/${territory.gridA.id}/boundary`, {
        geometry: polygon(A_OUTER, A_HOLE),
      });
      assert.equal(putA.statusCode, 200, putA.body);
      const gridA = putA.json().grid;
      assert.equal(gridA.hasBoundary, true);
      assert.equal(gridA.communityName, territory.communityA.name);
      assert.equal(gridA.boundary.coordinates.length, 2);
      // About 860 m × 1110 m minus a 172 m × 222 m hole.
      assert.ok(gridA.areaSquareMetres > 900_000 && gridA.areaSquareMetres < 940_000, gridA.areaSquareMetres);

      const putB = await admin.put(`/api/grids/${territory.gridB.id}/boundary`, { geometry: polygon(B_OUTER) });
      assert.equal(putB.statusCode, 200, putB.body);

      assert.deepEqual(await locate(resident, 116.305, 39.908), {
        id: territory.gridA.id,
        name: territory.gridA.name,
        communityId: territory.communityA.id,
        communityName: territory.communityA.name,
      });
      assert.equal((await locate(resident, 116.32, 39.905))?.id, territory.gridB.id);
      assert.equal(await locate(resident, 116.4, 39.95), null);
      assert.equal(await locate(resident, 116.303, 39.903), null, 'a point in the hole belongs to no grid');
      assert.equal((await locate(resident, 116.302, 39.903))?.id, territory.gridA.id, "the hole's edge is the grid's");
      assert.equal((await locate(resident, 116.31, 39.905))?.id, territory.gridA.id, 'shared border: smaller grid');
      assert.equal((await locate(resident, 116.3, 39.9))?.id, territory.gridA.id, 'a corner is inside');

      // A grid drawn exactly in the hole takes the points there.
      const gridC = await insertUnit(t.database, 'grid', '甲二网格', territory.communityA);
      const putC = await streetAdmin.put(`/api/grids/${gridC.id}/boundary`, {
        geometry: polygon(A_HOLE),
      });
      assert.equal(putC.statusCode, 200, putC.body);
      assert.equal((await locate(resident, 116.303, 39.903))?.id, gridC.id);
      assert.equal((await locate(resident, 116.302, 39.903))?.id, gridC.id, 'shared hole edge: smaller grid');

      // Where boundaries overlap, the smaller grid wins; inactive grids are never answered.
      const gridD = await insertUnit(t.database, 'grid', '乙二网格', territory.communityB);
      await admin.put(`/api/grids/${gridD.id}/boundary`, { geometry: polygon(rect(116.32, 39.9, 116.325, 39.905)) });
      assert.equal((await locate(resident, 116.322, 39.902))?.id, gridD.id);
      await t.database.db.updateTable('units').set({ active: false }).where('id', '=', gridD.id).execute();
      assert.equal((await locate(resident, 116.322, 39.902))?.id, territory.gridB.id);
    });

    test('a new boundary replaces the old one for locating', async () => {
      const moved = await admin.put(`/api/grids/${territory.gridB.id}/boundary`, {
        geometry: polygon(rect(116.5, 40, 116.52, 40.01)),
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(await locate(resident, 116.32, 39.905), null);
      assert.equal((await locate(resident, 116.51, 40.005))?.id, territory.gridB.id);
      const detail = await admin.get(`/api/grids/${territory.gridB.id}`);
      assert.deepEqual(detail.json().grid.boundary.coordinates[0], rect(116.5, 40, 116.52, 40.01));

      const removed = await admin.delete(`/api/grids/${territory.gridB.id}/boundary`);
      assert.equal(removed.statusCode, 204);
      assert.equal(await locate(resident, 116.51, 40.005), null);
      const again = await admin.delete(`/api/grids/${territory.gridB.id}/boundary`);
      assert.equal(again.statusCode, 404);
      const after = await admin.get(`/api/grids/${territory.gridB.id}`);
      assert.equal(after.json().grid.hasBoundary, false);
      assert.equal(after.json().grid.boundary, null);
    });

    test('locate is open to any signed-in account, closed to anonymous callers, and checks its input', async () => {
      const handler = await staffClient(t, 'grid-dept', [
        { role: 'departmentHandler', unitId: territory.department.id },
      ]);
      assert.equal((await locate(handler, 116.305, 39.908))?.id, territory.gridA.id);
      const anon = await anonymous(t).get('/api/grids/locate?lng=116.305&lat=39.908');
      assert.equal(anon.statusCode, 401);
      assert.equal(errorCode(anon), 'UNAUTHENTICATED');
      for (const query of ['lng=181&lat=39', 'lng=116&lat=-91', 'lng=abc&lat=39', 'lat=39']) {
        const bad = await resident.get(`/api/grids/locate?${query}`);
        assert.equal(bad.statusCode, 400, query);
        assert.equal(errorCode(bad), 'VALIDATION_FAILED');
      }
    });

    test('invalid geometries answer 400 INVALID_GEOMETRY and write nothing', async () => {
      const url = `/api/grids/${territory.gridA.id}/boundary`;
      const before = (await admin.get(`/api/grids/${territory.gridA.id}`)).json().grid;
      const auditsBefore = await boundaryAudits();
      const ring = Array.from({ length: MAX_VERTICES + 1 }, (_, i) => [
        116.3 + 0.01 * Math.cos((2 * Math.PI * i) / (MAX_VERTICES + 1)),
        39.9 + 0.01 * Math.sin((2 * Math.PI * i) / (MAX_VERTICES + 1)),
      ]);
      const cases: Array<[string, unknown, string]> = [
        ['unclosed', { type: 'Polygon', coordinates: [A_OUTER.slice(0, -1)] }, 'notClosed'],
        [
          'bow-tie',
          polygon([
            [116.3, 39.9],
            [116.31, 39.91],
            [116.31, 39.9],
            [116.3, 39.91],
            [116.3, 39.9],
          ]),
          'selfIntersection',
        ],
        [
          'too few points',
          polygon([
            [116.3, 39.9],
            [116.31, 39.9],
            [116.3, 39.9],
          ]),
          'tooFewPositions',
        ],
        [
          'out of range',
          polygon([
            [116.3, 39.9],
            [186.31, 39.9],
            [116.31, 39.91],
            [116.3, 39.9],
          ]),
          'outOfRange',
        ],
        [
          'a null coordinate',
          polygon([
            [116.3, 39.9],
            [null as unknown as number, 39.9],
            [116.31, 39.91],
            [116.3, 39.9],
          ]),
          'malformedCoordinates',
        ],
        ['too many vertices', polygon([...ring, ring[0]!]), 'tooManyVertices'],
        ['MultiPolygon', { type: 'MultiPolygon', coordinates: [[A_OUTER]] }, 'notPolygon'],
        ['null', null, 'notPolygon'],
        ['hole outside', polygon(A_OUTER, rect(117, 40, 117.01, 40.01)), 'holeOutsideOuter'],
      ];
      for (const [name, geometry, reason] of cases) {
        const response = await admin.put(url, { geometry });
        assert.equal(response.statusCode, 400, `${name}: ${response.body}`);
        assert.equal(errorCode(response), 'INVALID_GEOMETRY', name);
        assert.equal(response.json().error.details.reason, reason, name);
      }
      // JSON cannot carry NaN; a number too large for a double arrives as Infinity.
      const infinite = await admin.request({
        method: 'PUT',
        url,
        headers: { 'content-type': 'application/json' },
        payload:
          '{"geometry":{"type":"Polygon","coordinates":[[[116.3,39.9],[1e400,39.9],[116.31,39.91],[116.3,39.9]]]}}',
      });
      assert.equal(infinite.statusCode, 400, infinite.body);
      assert.equal(infinite.json().error.details.reason, 'nonFiniteCoordinate');

      const unknownField = await admin.put(url, { geometry: polygon(A_OUTER), colour: 'red' });
      assert.equal(errorCode(unknownField), 'VALIDATION_FAILED');
      const missing = await admin.put(url, {});
      assert.equal(errorCode(missing), 'VALIDATION_FAILED');

      const afterwards = (await admin.get(`/api/grids/${territory.gridA.id}`)).json().grid;
      assert.deepEqual(afterwards.boundary, before.boundary);
      assert.equal(afterwards.boundaryUpdatedAt, before.boundaryUpdatedAt);
      assert.equal(await boundaryAudits(), auditsBefore);
    });

    test('grids outside my scope are not found, for reading and for writing', async () => {
      const b = territory.gridB.id;
      for (const response of [
        await streetAdmin.get(`/api/grids/${b}`),
        await streetAdmin.get(`/api/grids/${b}/card`),
        await streetAdmin.put(`/api/grids/${b}/boundary`, { geometry: polygon(B_OUTER) }),
        await streetAdmin.delete(`/api/grids/${b}/boundary`),
        await streetAdmin.get(`/api/grids?within=${territory.communityB.id}`),
        await streetAdmin.get('/api/grids/999999'),
        await streetAdmin.get(`/api/grids/${territory.communityA.id}`),
      ]) {
        assert.equal(response.statusCode, 404, response.body);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      const worker = await staffClient(t, 'grid-cw-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      const readOnly = await worker.put(`/api/grids/${territory.gridA.id}/boundary`, { geometry: polygon(A_OUTER) });
      assert.equal(readOnly.statusCode, 403);
      assert.equal(errorCode(readOnly), 'FORBIDDEN');
      const residentList = await resident.get('/api/grids');
      assert.equal(residentList.statusCode, 403);
    });

    test('listing grids in scope, within a unit, by name, with boundaries on request', async () => {
      const mine = await streetAdmin.get('/api/grids');
      assert.equal(mine.statusCode, 200, mine.body);
      const names = mine.json().items.map((g: { name: string }) => g.name);
      assert.deepEqual(names, ['甲一网格', '甲二网格']);
      assert.equal(mine.json().total, 2);
      assert.equal(mine.json().items[0].boundary, undefined);
      assert.equal(mine.json().items[0].postCount, 0);

      const all = await admin.get(`/api/grids?within=${territory.streetB.id}&withBoundary=true`);
      const items = all.json().items as Array<{ id: number; hasBoundary: boolean; boundary: unknown }>;
      assert.deepEqual(items.map((g) => g.id).sort(), [territory.gridB.id, ...(await gridIdsNamed('乙二网格'))].sort());
      for (const g of items) assert.equal(g.boundary === null, !g.hasBoundary);

      const byName = await admin.get(`/api/grids?q=${encodeURIComponent('二')}&pageSize=1&page=2`);
      assert.equal(byName.json().total, 2);
      assert.equal(byName.json().items.length, 1);

      const oneGrid = await admin.get(`/api/grids?within=${territory.gridA.id}&withBoundary=1`);
      assert.deepEqual(
        oneGrid.json().items.map((g: { id: number }) => g.id),
        [territory.gridA.id],
      );
      assert.equal(oneGrid.json().items[0].boundary.type, 'Polygon');
    });

    async function gridIdsNamed(name: string) {
      const rows = await t.database.db.selectFrom('units').select('id').where('name', '=', name).execute();
      return rows.map((r) => r.id);
    }
  });
}
