import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildTerritory,
  createTestApp,
  errorCode,
  insertUnit,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { idNumberCheckCharacter } from '../people/id-number.ts';
import { readRows, upload } from './test-workbooks.ts';

const idNumber = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
const WANG_ID = idNumber('11010119500506002');

for (const kind of await databaseKinds()) {
  describe(`excel export (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      await t.database.db
        .insertInto('roles')
        .values({
          code: 'exportClerk',
          name: '导出员',
          permissions: ['unit.read', 'person.read', 'data.export'],
          data_scope: 'subtree',
        })
        .execute();
      await t.database.db
        .insertInto('people')
        .values([
          {
            name: '王大妈',
            gender: 'female',
            birth_date: '1950-05-06',
            phone: '13912345678',
            id_number: WANG_ID,
            unit_id: territory.communityA.id,
            address: '甲路 1 号 3 单元 201',
          },
          { name: '乙居民', phone: '13700001111', unit_id: territory.communityB.id },
        ])
        .execute();
    });
    after(() => t.dispose());

    const auditOf = (accountId: number, action: string) =>
      t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('actor_account_id', '=', accountId)
        .where('action', '=', action)
        .execute();

    test('units and grids exports hold only the records in scope, parents as paths of names', async () => {
      const streetAdmin = await staffClient(t, 'xe-street', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      const units = await streetAdmin.get('/api/excel/export/units.xlsx');
      assert.equal(units.statusCode, 200, units.body);
      assert.match(String(units.headers['content-type']), /spreadsheetml\.sheet/);
      assert.deepEqual(
        (await readRows(units)).map((r) => [r.parent, r.kind, r.name]),
        [
          ['测试区', '街道', '甲街道'],
          ['测试区/甲街道', '社区', '甲社区'],
        ],
      );
      const grids = await streetAdmin.get('/api/excel/export/grids.xlsx');
      assert.deepEqual(
        (await readRows(grids)).map((r) => [r.parent, r.name]),
        [['测试区/甲街道/甲社区', '甲一网格']],
      );
      const exports = await auditOf(streetAdmin.accountId, 'excel.export');
      assert.deepEqual(exports.map((e) => e.detail.kind).sort(), ['grids', 'units']);

      const outside = await streetAdmin.get(`/api/excel/export/units.xlsx?within=${territory.streetB.id}`);
      assert.equal(outside.statusCode, 404);
      assert.equal(errorCode(outside), 'NOT_FOUND');
      const within = await streetAdmin.get(`/api/excel/export/units.xlsx?within=${territory.communityA.id}`);
      assert.deepEqual(
        (await readRows(within)).map((r) => r.name),
        ['甲社区'],
      );
    });

    test('people exports mask phones, identity numbers and addresses unless the actor may reveal them', async () => {
      const clerk = await staffClient(t, 'xe-clerk', [{ role: 'exportClerk', unitId: territory.streetA.id }]);
      const masked = await readRows(await clerk.get('/api/excel/export/people.xlsx'));
      assert.deepEqual(
        masked.map((r) => r.name),
        ['王大妈'],
      );
      assert.equal(masked[0]!.phone, '139****5678');
      assert.notEqual(masked[0]!.idNumber, WANG_ID);
      assert.match(masked[0]!.idNumber!, /^1101\*+/);
      assert.match(masked[0]!.address!, /\*\*\*\*$/);
      assert.equal(masked[0]!.unit, '测试区/甲街道/甲社区');
      assert.equal(masked[0]!.gender, '女');
      assert.equal((await auditOf(clerk.accountId, 'excel.export'))[0]?.detail.revealed, false);
      assert.equal((await auditOf(clerk.accountId, 'person.reveal')).length, 0);

      const streetAdmin = await staffClient(t, 'xe-street2', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      const full = await readRows(await streetAdmin.get('/api/excel/export/people.xlsx'));
      assert.equal(full[0]!.phone, '13912345678');
      assert.equal(full[0]!.idNumber, WANG_ID);
      assert.equal(full[0]!.address, '甲路 1 号 3 单元 201');
      const reveal = await auditOf(streetAdmin.accountId, 'person.reveal');
      assert.equal(reveal[0]?.detail.via, 'excel.export');

      const gridWorker = await staffClient(t, 'xe-gw', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      assert.equal((await gridWorker.get('/api/excel/export/people.xlsx')).statusCode, 403);
    });

    test('a large export is streamed page by page and holds every row once', async () => {
      const many = Array.from({ length: 1234 }, (_, i) => ({
        name: `居民${i}`,
        unit_id: territory.gridB.id,
        phone: `139${String(i).padStart(8, '0')}`,
      }));
      await t.database.db.insertInto('people').values(many).execute();
      const admin = await staffClient(t, 'xe-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const rows = await readRows(await admin.get(`/api/excel/export/people.xlsx?within=${territory.gridB.id}`));
      assert.equal(rows.length, 1234);
      assert.equal(new Set(rows.map((r) => r.phone)).size, 1234);
    });

    test('an export re-imported into a fresh territory gives the same units, grids and people', async () => {
      const admin = await staffClient(t, 'xe-sys', [{ role: 'systemAdmin', unitId: territory.district.id }]);
      await t.database.db.updateTable('units').set({ code: 'GA-1' }).where('id', '=', territory.gridA.id).execute();
      const boundary = await admin.put(`/api/grids/${territory.gridA.id}/boundary`, {
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [114.48, 38.04],
              [114.49, 38.04],
              [114.49, 38.05],
              [114.48, 38.05],
              [114.48, 38.04],
            ],
          ],
        },
      });
      assert.equal(boundary.statusCode, 200, boundary.body);
      const files = {
        units: await admin.get('/api/excel/export/units.xlsx'),
        grids: await admin.get('/api/excel/export/grids.xlsx'),
        people: await admin.get(`/api/excel/export/people.xlsx?within=${territory.communityA.id}`),
      };

      const fresh = await createTestApp(kind);
      try {
        const platform = await insertUnit(fresh.database, 'city', '平台');
        const admin2 = await staffClient(fresh, 'xe-sys2', [{ role: 'systemAdmin', unitId: platform.id }]);
        for (const [what, file] of Object.entries(files)) {
          const imported = await upload(admin2, `/api/excel/import/${what}`, file.rawPayload);
          assert.equal(imported.statusCode, 200, `${what}: ${imported.body}`);
        }
        const again = {
          units: await admin2.get('/api/excel/export/units.xlsx'),
          grids: await admin2.get('/api/excel/export/grids.xlsx'),
          people: await admin2.get('/api/excel/export/people.xlsx'),
        };
        const original = {
          units: await readRows(files.units),
          grids: await readRows(files.grids),
          people: await readRows(files.people),
        };
        assert.deepEqual(
          (await readRows(again.units)).filter((r) => r.name !== '平台'),
          original.units,
        );
        assert.deepEqual(await readRows(again.grids), original.grids);
        assert.ok(original.grids.some((r) => r.boundary?.includes('114.49')));
        assert.deepEqual(await readRows(again.people), original.people);
        assert.equal(original.people[0]?.idNumber, WANG_ID);
      } finally {
        await fresh.dispose();
      }
    });
  });
}
