import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
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
import { MAX_IMPORT_CELLS } from './excel.reader.ts';
import { filledTemplate, handMadeWorkbook, type RejectedBody, upload } from './test-workbooks.ts';

for (const kind of await databaseKinds()) {
  describe(`excel templates and units import (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'xl-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
    });
    after(() => t.dispose());

    const unitCount = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('units')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const unitNamed = (name: string) =>
      t.database.db.selectFrom('units').selectAll().where('name', '=', name).executeTakeFirst();

    test('templates open in Excel form with Chinese headers, hidden keys, an example, lists and instructions', async () => {
      const expected = {
        units: { sheet: '单位', headers: ['上级单位', '类型*', '名称*'], listColumn: 'B' },
        grids: { sheet: '网格', headers: ['所属社区/村*', '网格名称*', '网格编码'], listColumn: null },
        people: { sheet: '人员', headers: ['姓名*', '性别', '出生日期'], listColumn: 'B' },
      };
      for (const [kind, want] of Object.entries(expected)) {
        const response = await admin.get(`/api/excel/templates/${kind}.xlsx`);
        assert.equal(response.statusCode, 200, response.body);
        assert.match(String(response.headers['content-type']), /spreadsheetml\.sheet/);
        assert.match(String(response.headers['content-disposition']), /attachment; filename=.*\.xlsx/);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
        assert.deepEqual(
          workbook.worksheets.map((w) => w.name),
          [want.sheet, '填写说明'],
        );
        const sheet = workbook.worksheets[0]!;
        const headers = (sheet.getRow(1).values as unknown[]).slice(1);
        assert.deepEqual(headers.slice(0, 3), want.headers);
        assert.equal(sheet.getRow(2).hidden, true);
        assert.ok((sheet.getRow(2).values as unknown[]).includes('name'));
        assert.ok(sheet.getRow(3).getCell(2).value, 'the example row is filled in');
        if (want.listColumn) {
          const model = (sheet as unknown as { dataValidations: { model: Record<string, { type: string }> } })
            .dataValidations.model;
          const list = Object.entries(model).find(([range]) => range.startsWith(`${want.listColumn}3`));
          assert.equal(list?.[1].type, 'list');
        }
        assert.ok(workbook.getWorksheet('填写说明')!.rowCount > 5);
      }
    });

    test('templates and imports need data.import; signed-out callers get 401', async () => {
      const worker = await staffClient(t, 'xl-cw', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      assert.equal((await worker.get('/api/excel/templates/units.xlsx')).statusCode, 403);
      const file = await filledTemplate(admin, 'units', [{ parent: '测试区', kind: '街道', name: '无权街道' }]);
      const refused = await upload(worker, '/api/excel/import/units', file);
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
      const signedOut = await anonymous(t).get('/api/excel/templates/units.xlsx');
      assert.equal(signedOut.statusCode, 401);
      assert.equal(await unitNamed('无权街道'), undefined);
    });

    test('a valid file creates every unit, also a child written above its parent, and is audited', async () => {
      const file = await filledTemplate(admin, 'units', [
        { parent: 'BING', kind: '社区', name: '丙一社区', code: 'BING-1', sortOrder: 2 },
        { parent: '测试区', kind: '街道', name: '丙街道', code: 'BING', phone: '0311-1234567' },
        { parent: '测试区/丙街道', kind: '社区', name: '丙二社区', address: '丙路 2 号' },
        { parent: '测试区', kind: '职能部门', name: '民政局', description: '区民政局' },
      ]);
      const response = await upload(admin, '/api/excel/import/units', file);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { imported: 4, dryRun: false });
      const street = await unitNamed('丙街道');
      assert.equal(street?.parent_id, territory.district.id);
      assert.equal(street?.phone, '0311-1234567');
      const first = await unitNamed('丙一社区');
      assert.equal(first?.parent_id, street?.id);
      assert.equal(first?.sort_order, 2);
      assert.equal(first?.path, `${street?.path}${first?.id}/`);
      assert.equal((await unitNamed('丙二社区'))?.parent_id, street?.id);
      assert.equal((await unitNamed('民政局'))?.kind, 'department');
      const entry = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'excel.import')
        .where('actor_account_id', '=', admin.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(entry.detail.kind, 'units');
      assert.equal(entry.detail.rows, 4);
    });

    test('one bad row among good ones: nothing is written and that row and column are reported', async () => {
      const before = await unitCount();
      const file = await filledTemplate(admin, 'units', [
        { parent: '测试区', kind: '街道', name: '丁街道' },
        { parent: '测试区/丁街道', kind: '社区', name: '丁一社区' },
        { parent: '测试区/丁街道', kind: '小组', name: '丁二社区' },
        { parent: '测试区/丁街道', kind: '社区', name: '丁三社区' },
      ]);
      const response = await upload(admin, '/api/excel/import/units', file);
      assert.equal(response.statusCode, 400);
      assert.equal(errorCode(response), 'IMPORT_REJECTED');
      const { details } = (response.json() as RejectedBody).error;
      assert.equal(details.errorCount, 1);
      assert.deepEqual(
        details.errors.map((e) => [e.row, e.column, e.cell, e.code]),
        [[5, 'kind', 'B5', 'INVALID']],
      );
      assert.equal(await unitCount(), before);
      assert.equal(await unitNamed('丁街道'), undefined);
      const refusal = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'excel.import')
        .where('outcome', '=', 'failure')
        .executeTakeFirstOrThrow();
      assert.equal(refusal.detail.errorCount, 1);
    });

    test('every problem of every row is listed: rules of the units API, missing parents, the example row', async () => {
      const file = await filledTemplate(admin, 'units', [
        { parent: '测试区', kind: '街道', name: '' },
        { parent: '测试区', kind: '社区', name: '错层社区' },
        { parent: '测试区/不存在街道', kind: '社区', name: '孤儿社区' },
        { parent: '测试区', kind: '街道', name: '戊街道', phone: 'call me', sortOrder: 'first' },
        { parent: '测试区/戊街道', kind: '社区', name: '戊一社区' },
      ]);
      const response = await upload(admin, '/api/excel/import/units', file);
      assert.equal(response.statusCode, 400);
      const errors = (response.json() as RejectedBody).error.details.errors;
      assert.deepEqual(
        errors.map((e) => [e.row, e.column, e.code]),
        [
          [3, 'name', 'REQUIRED'],
          [4, 'kind', 'TREE_VIOLATION'],
          [5, 'parent', 'NOT_FOUND'],
          [6, 'sortOrder', 'INVALID'],
          [6, 'phone', 'INVALID'],
          [7, 'parent', 'PARENT_REJECTED'],
        ],
      );
      assert.match(errors.at(-1)!.message, /row 6/);

      const untouched = await admin.get('/api/excel/templates/units.xlsx');
      const example = await upload(admin, '/api/excel/import/units', untouched.rawPayload);
      assert.equal(example.statusCode, 400);
      assert.deepEqual(
        (example.json() as RejectedBody).error.details.errors.map((e) => [e.row, e.code]),
        [[3, 'EXAMPLE_ROW']],
      );
    });

    test('duplicate codes, in the file and against the database', async () => {
      await t.database.db
        .updateTable('units')
        .set({ code: 'CG-01' })
        .where('id', '=', territory.department.id)
        .execute();
      const file = await filledTemplate(admin, 'units', [
        { parent: '测试区', kind: '街道', name: '己街道', code: 'JI' },
        { parent: '测试区', kind: '街道', name: '庚街道', code: 'JI' },
        { parent: '测试区', kind: '职能部门', name: '城管二局', code: 'CG-01' },
        { parent: '测试区', kind: '街道', name: '甲街道' },
      ]);
      const response = await upload(admin, '/api/excel/import/units', file);
      assert.equal(response.statusCode, 400);
      const errors = (response.json() as RejectedBody).error.details.errors;
      assert.deepEqual(
        errors.map((e) => [e.row, e.column, e.code]),
        [
          [4, 'code', 'DUPLICATE'],
          [5, 'code', 'DUPLICATE'],
          [6, 'name', 'DUPLICATE'],
        ],
      );
      assert.match(errors[0]!.message, /row 3/);
      assert.equal(await unitNamed('己街道'), undefined);
    });

    test('a unit outside the importer’s scope is a row error, and nothing is written', async () => {
      const streetAdmin = await staffClient(t, 'xl-street', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      const before = await unitCount();
      const file = await filledTemplate(streetAdmin, 'units', [
        { parent: '测试区/甲街道', kind: '社区', name: '甲二社区' },
        { parent: '测试区/乙街道', kind: '社区', name: '越界社区' },
        { parent: '甲街道', kind: '社区', name: '甲三社区' },
        { parent: '', kind: '区', name: '新区' },
      ]);
      const response = await upload(streetAdmin, '/api/excel/import/units', file);
      assert.equal(response.statusCode, 400);
      const errors = (response.json() as RejectedBody).error.details.errors;
      assert.deepEqual(
        errors.map((e) => [e.row, e.column, e.code]),
        [
          [4, 'parent', 'NOT_FOUND'],
          [6, 'parent', 'NOT_ALLOWED'],
        ],
      );
      assert.equal(await unitCount(), before);

      const fine = await filledTemplate(streetAdmin, 'units', [{ parent: '甲街道', kind: '社区', name: '甲三社区' }]);
      const ok = await upload(streetAdmin, '/api/excel/import/units', fine);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await unitNamed('甲三社区'))?.parent_id, territory.streetA.id);
    });

    test('a dry run checks everything and writes nothing', async () => {
      const before = await unitCount();
      const file = await filledTemplate(admin, 'units', [
        { parent: '测试区', kind: '街道', name: '辛街道' },
        { parent: '测试区/辛街道', kind: '社区', name: '辛一社区' },
      ]);
      const response = await upload(admin, '/api/excel/import/units?dryRun=true', file);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { imported: 2, dryRun: true });
      assert.equal(await unitCount(), before);
    });

    test('a file that is not an .xlsx, or no file at all, is refused in the error shape', async () => {
      const text = await upload(
        admin,
        '/api/excel/import/units',
        Buffer.from('name,kind\n某街道,街道\n'),
        'units.xlsx',
      );
      assert.equal(text.statusCode, 400);
      assert.equal(errorCode(text), 'IMPORT_REJECTED');
      assert.equal((text.json() as RejectedBody).error.details.reason, 'NOT_XLSX');

      const zip = await upload(admin, '/api/excel/import/units', Buffer.from('PK\u0003\u0004garbage-garbage-garbage'));
      assert.equal(zip.statusCode, 400);
      assert.equal((zip.json() as RejectedBody).error.details.reason, 'NOT_XLSX');

      const json = await admin.post('/api/excel/import/units', { rows: [] });
      assert.equal(json.statusCode, 415);
      assert.equal(errorCode(json), 'UNSUPPORTED_MEDIA_TYPE');

      const empty = await filledTemplate(admin, 'units', []);
      const none = await upload(admin, '/api/excel/import/units', empty);
      assert.equal(none.statusCode, 400);
      assert.equal((none.json() as RejectedBody).error.details.reason, 'EMPTY');

      const unknownKind = await upload(admin, '/api/excel/import/buildings', empty);
      assert.equal(unknownKind.statusCode, 400);
      assert.equal(errorCode(unknownKind), 'VALIDATION_FAILED');
    });

    test('a file of more than 20,000 rows is refused as too large before any row is written', async () => {
      const rows = Array.from({ length: 20_001 }, (_, i) => [`超限街道${i}`, '街道', '测试区']);
      const response = await upload(
        admin,
        '/api/excel/import/units',
        await handMadeWorkbook(['名称', '类型', '上级单位'], rows),
      );
      assert.equal(response.statusCode, 413);
      assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
      assert.equal(await unitNamed('超限街道0'), undefined);
    });

    test('a file with more filled cells than an import may hold in memory is refused before it is loaded', async () => {
      // 10,000 rows (within the row limit) of 21 columns: 210,000 cells, over MAX_IMPORT_CELLS.
      const headers = ['名称', '类型', '上级单位', ...Array.from({ length: 18 }, (_, i) => `附加${i + 1}`)];
      const rows = Array.from({ length: 10_000 }, (_, i) => [`宽表街道${i}`, '街道', '测试区', ...headers.slice(3)]);
      assert.ok(rows.length * headers.length > MAX_IMPORT_CELLS);
      const response = await upload(admin, '/api/excel/import/units', await handMadeWorkbook(headers, rows));
      assert.equal(response.statusCode, 413);
      assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
      assert.equal((response.json() as RejectedBody).error.details.reason, 'TOO_MANY_CELLS');
      assert.equal(await unitNamed('宽表街道0'), undefined);
    });

    test('a sheet made by hand with only Chinese headers is read by its headers', async () => {
      const file = await handMadeWorkbook(
        ['名称', '类型', '上级单位', '备注栏'],
        [
          ['壬街道', '街道', '测试区', 'ignored'],
          ['壬一社区', 'community', '测试区/壬街道', null],
        ],
      );
      const response = await upload(admin, '/api/excel/import/units', file);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal((await unitNamed('壬一社区'))?.kind, 'community');

      const missing = await upload(admin, '/api/excel/import/units', await handMadeWorkbook(['名称'], [['癸街道']]));
      assert.equal(missing.statusCode, 400);
      const details = (missing.json() as RejectedBody).error.details;
      assert.equal(details.reason, 'MISSING_COLUMNS');
      assert.deepEqual(
        details.errors.map((e) => e.column),
        ['kind'],
      );
    });
  });
}
