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
  type TestUnit,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

/** A resident signed in the way residents are: a one-time code to their phone. */
async function residentClient(t: TestApp, phone: string): Promise<Client> {
  const client = anonymous(t);
  const sent = await client.post('/api/auth/otp', { phone });
  assert.equal(sent.statusCode, 200, sent.body);
  const verified = await client.post('/api/auth/otp/verify', { phone, code: t.otpSender.lastCode(phone) });
  assert.equal(verified.statusCode, 200, verified.body);
  return client;
}

for (const kind of await databaseKinds()) {
  describe(`resident profile and places (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let compound: TestUnit;
    let building: TestUnit;
    let entrance: TestUnit;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      compound = await insertUnit(t.database, 'compound', '幸福小区', territory.gridA);
      building = await insertUnit(t.database, 'building', '3号楼', compound);
      entrance = await insertUnit(t.database, 'entrance', '2单元', building);
      await insertUnit(t.database, 'compound', '幸福家园', territory.gridB);
    });
    after(() => t.dispose());

    test('places are browsed step by step and searched, with names only and no departments', async () => {
      const resident = await residentClient(t, '13900000001');
      const top = await resident.get('/api/places');
      assert.equal(top.statusCode, 200, top.body);
      assert.deepEqual(top.json().items, [
        { id: territory.district.id, name: '测试区', kind: 'district', hasChildren: true },
      ]);
      const underDistrict = await resident.get(`/api/places?parentId=${territory.district.id}`);
      assert.deepEqual(
        underDistrict.json().items.map((p: { name: string }) => p.name),
        ['甲街道', '乙街道'],
      );
      const underBuilding = await resident.get(`/api/places?parentId=${building.id}`);
      assert.deepEqual(underBuilding.json().items, [
        { id: entrance.id, name: '2单元', kind: 'entrance', hasChildren: false },
      ]);
      assert.equal((await resident.get(`/api/places?parentId=${territory.department.id}`)).statusCode, 404);

      const search = await resident.get(`/api/places?q=${encodeURIComponent('幸福')}`);
      assert.deepEqual(
        search.json().items.map((p: { name: string; within: string[] }) => [p.name, p.within.join('/')]),
        [
          ['幸福家园', '测试区/乙街道/乙社区/乙一网格'],
          ['幸福小区', '测试区/甲街道/甲社区/甲一网格'],
        ],
      );
      const staff = await staffClient(t, 'places-staff', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      assert.equal((await staff.get(`/api/places?parentId=${compound.id}`)).statusCode, 200);
      assert.equal(errorCode(await anonymous(t).get('/api/places')), 'UNAUTHENTICATED');
    });

    test('a resident places themselves and learns their grid; their record is created and linked', async () => {
      const phone = '13900000002';
      const resident = await residentClient(t, phone);
      const empty = await resident.get('/api/me');
      assert.equal(empty.statusCode, 200, empty.body);
      assert.equal(empty.json().person, null);
      assert.deepEqual(empty.json().home, []);
      assert.equal(empty.json().grid, null);

      const placed = await resident.put('/api/me/profile', { name: ' 王五 ', unitId: entrance.id });
      assert.equal(placed.statusCode, 200, placed.body);
      const me = placed.json();
      assert.equal(me.person.name, '王五');
      assert.equal(me.account.displayName, '王五');
      assert.equal(me.account.phone, phone);
      assert.deepEqual(me.grid, { id: territory.gridA.id, name: '甲一网格', kind: 'grid' });
      assert.deepEqual(
        me.home.map((u: { name: string }) => u.name),
        ['测试区', '甲街道', '甲社区', '甲一网格', '幸福小区', '3号楼', '2单元'],
      );
      const person = await t.database.db
        .selectFrom('people')
        .select(['name', 'phone', 'unit_id', 'is_resident'])
        .where('id', '=', me.person.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(person, { name: '王五', phone, unit_id: entrance.id, is_resident: true });

      // Moving house updates the same record.
      const moved = await resident.put('/api/me/profile', { name: '王五', unitId: territory.gridB.id });
      assert.equal(moved.statusCode, 200);
      assert.equal(moved.json().person.id, me.person.id);
      assert.equal(moved.json().grid.id, territory.gridB.id);
      const entries = await t.database.db
        .selectFrom('audit_log')
        .select(['target_id'])
        .where('action', '=', 'me.updateProfile')
        .where('target_id', '=', String(me.person.id))
        .execute();
      assert.equal(entries.length, 2);
    });

    test('a record the community already keeps for the phone is the one that gets linked', async () => {
      const phone = '13900000003';
      const resident = await residentClient(t, phone);
      const kept = await t.database.db
        .insertInto('people')
        .values({ name: '赵六', phone, unit_id: compound.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      const placed = await resident.put('/api/me/profile', { name: '赵六', unitId: building.id });
      assert.equal(placed.statusCode, 200, placed.body);
      assert.equal(placed.json().person.id, kept.id);
    });

    test('only places below a grid where people live are accepted as a home', async () => {
      const resident = await residentClient(t, '13900000004');
      const community = await resident.put('/api/me/profile', { name: '孙七', unitId: territory.communityA.id });
      assert.equal(community.statusCode, 400);
      const department = await resident.put('/api/me/profile', { name: '孙七', unitId: territory.department.id });
      assert.equal(department.statusCode, 404);
      const nowhere = await resident.put('/api/me/profile', { name: '孙七', unitId: 999_999 });
      assert.equal(nowhere.statusCode, 404);
      const extra = await resident.put('/api/me/profile', { name: '孙七', unitId: entrance.id, idNumber: 'x' });
      assert.equal(errorCode(extra), 'VALIDATION_FAILED');
      const blank = await resident.put('/api/me/profile', { name: '  ', unitId: entrance.id });
      assert.equal(errorCode(blank), 'VALIDATION_FAILED');
    });

    test('a resident cannot call staff routes, and staff have no resident profile', async () => {
      const resident = await residentClient(t, '13900000005');
      for (const url of ['/api/accounts', '/api/roles', '/api/audit', '/api/permissions', '/api/audit/export.xlsx']) {
        const response = await resident.get(url);
        assert.equal(response.statusCode, 403, url);
        assert.equal(errorCode(response), 'FORBIDDEN');
      }
      const create = await resident.post('/api/accounts', { username: 'sneaky', displayName: '偷偷' });
      assert.equal(create.statusCode, 403);
      const staff = await staffClient(t, 'staff-me', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      assert.equal((await staff.get('/api/me')).statusCode, 403);
      assert.equal((await staff.put('/api/me/profile', { name: '员工', unitId: entrance.id })).statusCode, 403);
    });
  });
}
