import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anonymous,
  buildTerritory,
  createTestApp,
  errorCode,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

for (const kind of await databaseKinds()) {
  describe(`units (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
    });
    after(() => t.dispose());

    test('a community worker sees only their community subtree', async () => {
      const worker = await staffClient(t, 'cw-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      const roots = await worker.get('/api/units');
      assert.equal(roots.statusCode, 200);
      assert.deepEqual(
        roots.json().items.map((u: { id: number }) => u.id),
        [territory.communityA.id],
      );
      const within = await worker.get(`/api/units?within=${territory.communityA.id}`);
      assert.deepEqual(
        within.json().items.map((u: { id: number }) => u.id),
        [territory.gridA.id],
      );
      const other = await worker.get(`/api/units/${territory.communityB.id}`);
      assert.equal(other.statusCode, 404);
      const missing = await worker.get('/api/units/999999');
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(other.json().error.message, missing.json().error.message);
    });

    test('unauthenticated requests get 401 in the error shape', async () => {
      const response = await anonymous(t).get('/api/units');
      assert.equal(response.statusCode, 401);
      assert.equal(errorCode(response), 'UNAUTHENTICATED');
    });

    test('creating, moving and refusing cycles', async () => {
      const admin = await staffClient(t, 'admin-u', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const created = await admin.post('/api/units', {
        parentId: territory.communityA.id,
        kind: 'grid',
        name: '甲二网格',
      });
      assert.equal(created.statusCode, 201, created.body);
      const grid = created.json().unit;
      assert.equal(grid.path, `${territory.communityA.path}${grid.id}/`);

      const badKind = await admin.post('/api/units', { parentId: territory.gridA.id, kind: 'street', name: 'x' });
      assert.equal(badKind.statusCode, 400);
      assert.equal(errorCode(badKind), 'UNIT_TREE_VIOLATION');

      const moved = await admin.patch(`/api/units/${grid.id}`, {
        version: grid.version,
        parentId: territory.communityB.id,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().unit.path, `${territory.communityB.path}${grid.id}/`);

      const cycle = await admin.patch(`/api/units/${territory.streetA.id}`, {
        version: 1,
        parentId: territory.streetA.id,
      });
      assert.equal(cycle.statusCode, 400);

      const stale = await admin.patch(`/api/units/${grid.id}`, { version: grid.version, name: '旧版本' });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
    });

    test('unknown fields, wrong types and missing CSRF token are refused', async () => {
      const admin = await staffClient(t, 'admin-v', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const unknown = await admin.post('/api/units', {
        parentId: territory.communityA.id,
        kind: 'grid',
        name: 'y',
        colour: 'red',
      });
      assert.equal(unknown.statusCode, 400);
      assert.equal(errorCode(unknown), 'VALIDATION_FAILED');
      const wrongType = await admin.post('/api/units', { parentId: 'one', kind: 'grid', name: 'y' });
      assert.equal(errorCode(wrongType), 'VALIDATION_FAILED');
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/api/units',
        headers: { cookie: `linli_sid=${admin.cookie}` },
        payload: { parentId: territory.communityA.id, kind: 'grid', name: 'z' },
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(errorCode(noCsrf), 'CSRF_FAILED');
    });
  });
}
