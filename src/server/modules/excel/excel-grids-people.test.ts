import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildTerritory,
  createTestApp,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { idNumberCheckCharacter, isValidIdNumber } from '../people/id-number.ts';
import { EXAMPLE_ROWS } from './excel.columns.ts';
import { filledTemplate, type RejectedBody, upload } from './test-workbooks.ts';

const idNumber = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
const SQUARE = '114.48,38.04;114.49,38.04;114.49,38.05;114.48,38.05';

for (const kind of await databaseKinds()) {
  describe(`excel grids and people import (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'xg-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
    });
    after(() => t.dispose());

    const unitNamed = (name: string) =>
      t.database.db.selectFrom('units').selectAll().where('name', '=', name).executeTakeFirst();
    const personNamed = (name: string) =>
      t.database.db.selectFrom('people').selectAll().where('name', '=', name).executeTakeFirst();

    test('grids are created under their community with boundaries in either notation', async () => {
      const closed = {
        type: 'Polygon',
        coordinates: [
          [
            [114.5, 38.0],
            [114.51, 38.0],
            [114.51, 38.01],
            [114.5, 38.01],
            [114.5, 38.0],
          ],
        ],
      };
      const file = await filledTemplate(admin, 'grids', [
        { parent: '测试区/甲街道/甲社区', name: '甲二网格', code: 'G-A2', phone: '13800001111', boundary: SQUARE },
        { parent: '测试区/乙街道/乙社区', name: '乙二网格', boundary: JSON.stringify(closed) },
        { parent: '测试区/乙街道/乙社区', name: '乙三网格', sortOrder: 3 },
      ]);
      const response = await upload(admin, '/api/excel/import/grids', file);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { imported: 3, dryRun: false });
      const grid = await unitNamed('甲二网格');
      assert.equal(grid?.kind, 'grid');
      assert.equal(grid?.parent_id, territory.communityA.id);
      const detail = await admin.get(`/api/grids/${grid!.id}`);
      assert.equal(detail.statusCode, 200, detail.body);
      const ring = detail.json().grid.boundary.coordinates[0];
      assert.equal(ring.length, 5);
      assert.deepEqual(ring[0], ring.at(-1));
      const second = await admin.get(`/api/grids/${(await unitNamed('乙二网格'))!.id}`);
      assert.ok(second.json().grid.boundary);
      const third = await admin.get(`/api/grids/${(await unitNamed('乙三网格'))!.id}`);
      assert.equal(third.json().grid.boundary, null);
    });

    test('grid rows are refused for a wrong parent, a bad boundary or no parent, and nothing is written', async () => {
      const file = await filledTemplate(admin, 'grids', [
        { parent: '测试区/甲街道/甲社区', name: '好网格', boundary: SQUARE },
        { parent: '测试区/甲街道', name: '街道下网格' },
        { parent: '测试区/甲街道/甲社区', name: '蝴蝶网格', boundary: '0,0;1,1;1,0;0,1' },
        { parent: '测试区/甲街道/甲社区', name: '坏点网格', boundary: '114.48;38.04' },
        { parent: '', name: '无主网格' },
      ]);
      const response = await upload(admin, '/api/excel/import/grids', file);
      assert.equal(response.statusCode, 400);
      assert.deepEqual(
        (response.json() as RejectedBody).error.details.errors.map((e) => [e.row, e.column, e.code]),
        [
          [4, 'parent', 'TREE_VIOLATION'],
          [5, 'boundary', 'INVALID'],
          [6, 'boundary', 'INVALID'],
          [7, 'parent', 'REQUIRED'],
        ],
      );
      assert.equal(await unitNamed('好网格'), undefined);
    });

    test('people are created in their units, dates and numbers read as Excel gives them', async () => {
      await t.database.db.updateTable('units').set({ code: 'CGJ' }).where('id', '=', territory.department.id).execute();
      const file = await filledTemplate(admin, 'people', [
        {
          name: '王大妈',
          gender: '女',
          birthDate: '1950-05-06',
          phone: '13912345678',
          idNumber: idNumber('11010119500506002'),
          unit: '测试区/甲街道/甲社区',
          address: '甲路 1 号 3 单元 201',
        },
        {
          name: '李师傅',
          gender: '男',
          birthDate: new Date(Date.UTC(1962, 2, 8)),
          phone: 13700001111,
          unit: '测试区/甲街道/甲社区/甲一网格',
        },
        { name: '赵会计', unit: 'CGJ', note: '部门联络人' },
      ]);
      const response = await upload(admin, '/api/excel/import/people', file);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().imported, 3);
      const wang = await personNamed('王大妈');
      assert.equal(wang?.unit_id, territory.communityA.id);
      assert.equal(wang?.birth_date, '1950-05-06');
      assert.equal(wang?.gender, 'female');
      const li = await personNamed('李师傅');
      assert.equal(li?.phone, '13700001111');
      assert.equal(li?.birth_date, '1962-03-08');
      assert.equal(li?.unit_id, territory.gridA.id);
      assert.equal((await personNamed('赵会计'))?.unit_id, territory.department.id);
    });

    test('people rows follow the people API rules and the importer’s scope', async () => {
      const streetAdmin = await staffClient(t, 'xg-street', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      const twice = idNumber('11010119800101001');
      const unit = '测试区/甲街道/甲社区';
      const file = await filledTemplate(streetAdmin, 'people', [
        { name: '好人', unit },
        { name: '数字身份证', idNumber: 110101198001010020, unit },
        { name: '坏身份证', idNumber: '110101198001010000', unit },
        { name: '重复一', idNumber: twice, unit },
        { name: '重复二', idNumber: twice, unit },
        { name: '已登记', idNumber: idNumber('11010119500506002'), unit },
        { name: '性别错', gender: '未知', unit },
        { name: '越界', unit: '测试区/乙街道/乙社区' },
        { name: '错日期', birthDate: '1950-13-45', unit },
        { name: '', unit },
        { name: '无单位' },
        { name: '街道人', unit: '测试区/甲街道' },
        { name: '生日不符', idNumber: idNumber('11010119800101003'), birthDate: '1980-01-02', unit },
      ]);
      const response = await upload(streetAdmin, '/api/excel/import/people', file);
      assert.equal(response.statusCode, 400);
      assert.deepEqual(
        (response.json() as RejectedBody).error.details.errors.map((e) => [e.row, e.column, e.code]),
        [
          [4, 'idNumber', 'INVALID'],
          [5, 'idNumber', 'INVALID'],
          [7, 'idNumber', 'DUPLICATE'],
          [8, 'idNumber', 'DUPLICATE'],
          [9, 'gender', 'INVALID'],
          [10, 'unit', 'NOT_FOUND'],
          [11, 'birthDate', 'INVALID'],
          [12, 'name', 'REQUIRED'],
          [13, 'unit', 'REQUIRED'],
          [14, 'unit', 'INVALID'],
          [15, 'birthDate', 'INVALID'],
        ],
      );
      assert.equal(await personNamed('好人'), undefined);
    });

    test('the template examples are valid values', () => {
      assert.ok(isValidIdNumber(EXAMPLE_ROWS.people.idNumber!));
    });
  });
}
