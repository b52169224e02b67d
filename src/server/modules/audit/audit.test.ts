import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import {
  buildTerritory,
  type Client,
  createTestApp,
  errorCode,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

type Staff = Client & { accountId: number };

for (const kind of await databaseKinds()) {
  describe(`audit log (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let auditor: Staff;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      auditor = await staffClient(t, 'auditor', [{ role: 'auditor', unitId: territory.district.id }]);
      // Three entries at known instants (Asia/Shanghai), the last two either side of midnight on 2 March.
      await t.database.db
        .insertInto('audit_log')
        .values([
          {
            at: '2026-03-01T10:00:00+08:00',
            actor_account_id: 41,
            actor_name: '张三',
            action: 'test.alpha',
            outcome: 'success',
            target_type: 'case',
            target_id: '7',
            unit_id: territory.communityA.id,
            detail: JSON.stringify({ note: '第一条' }),
          },
          {
            at: '2026-03-02T23:30:00+08:00',
            actor_account_id: 42,
            actor_name: '李四',
            action: 'test.alpha',
            outcome: 'failure',
            target_type: 'case',
            target_id: '8',
            unit_id: territory.communityB.id,
          },
          {
            at: '2026-03-03T00:30:00+08:00',
            actor_account_id: 41,
            actor_name: '张三',
            action: 'test.beta',
            outcome: 'success',
            target_type: 'person',
            target_id: '7',
          },
        ])
        .execute();
    });
    after(() => t.dispose());

    const ids = (response: { json(): { items: Array<{ targetId: string; action: string }> } }) =>
      response.json().items.map((e) => `${e.action}#${e.targetId}`);

    test('filters by action, time (whole days in Asia/Shanghai), actor, target and outcome; newest first', async () => {
      const all = await auditor.get('/api/audit?action=test.*');
      assert.equal(all.statusCode, 200, all.body);
      assert.deepEqual(ids(all), ['test.beta#7', 'test.alpha#8', 'test.alpha#7']);
      assert.equal(all.json().total, 3);
      assert.equal(all.json().items[2].actorName, '张三');
      assert.equal(all.json().items[2].unitName, '甲社区');
      assert.deepEqual(all.json().items[2].detail, { note: '第一条' });

      assert.deepEqual(ids(await auditor.get('/api/audit?action=test.alpha')), ['test.alpha#8', 'test.alpha#7']);
      assert.deepEqual(ids(await auditor.get('/api/audit?action=test.*&from=2026-03-02&to=2026-03-02')), [
        'test.alpha#8',
      ]);
      assert.deepEqual(ids(await auditor.get('/api/audit?action=test.*&from=2026-03-03')), ['test.beta#7']);
      assert.deepEqual(
        ids(await auditor.get(`/api/audit?action=test.*&to=${encodeURIComponent('2026-03-02T15:00:00Z')}`)),
        ['test.alpha#7'],
      );
      assert.deepEqual(ids(await auditor.get('/api/audit?action=test.*&actorAccountId=41')), [
        'test.beta#7',
        'test.alpha#7',
      ]);
      assert.deepEqual(ids(await auditor.get('/api/audit?targetType=case&targetId=7')), ['test.alpha#7']);
      assert.deepEqual(ids(await auditor.get('/api/audit?action=test.*&outcome=failure')), ['test.alpha#8']);
      const paged = await auditor.get('/api/audit?action=test.*&page=2&pageSize=2');
      assert.deepEqual(ids(paged), ['test.alpha#7']);
      assert.equal(paged.json().total, 3);

      assert.equal(errorCode(await auditor.get('/api/audit?action=drop%20table')), 'VALIDATION_FAILED');
      assert.equal(errorCode(await auditor.get('/api/audit?from=yesterday')), 'VALIDATION_FAILED');
      assert.equal(errorCode(await auditor.get('/api/audit?colour=red')), 'VALIDATION_FAILED');
    });

    test('only audit readers read it; a scoped auditor sees the entries of their units only', async () => {
      const system = await staffClient(t, 'sys', [{ role: 'systemAdmin', unitId: territory.district.id }]);
      const refused = await system.get('/api/audit');
      assert.equal(refused.statusCode, 403);
      assert.equal((await system.get('/api/audit/export.xlsx')).statusCode, 403);

      await t.database.db
        .insertInto('roles')
        .values({ code: 'streetAuditor', name: '街道审计', permissions: ['audit.read'], data_scope: 'subtree' })
        .execute();
      const streetAuditor = await staffClient(t, 'street-auditor', [
        { role: 'streetAuditor', unitId: territory.streetA.id },
      ]);
      assert.deepEqual(ids(await streetAuditor.get('/api/audit?action=test.*')), ['test.alpha#7']);
    });

    test('the export is a real workbook with Chinese headers, the same filters, and is itself audited', async () => {
      const response = await auditor.get('/api/audit/export.xlsx?action=test.*');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /spreadsheetml\.sheet/);
      assert.match(String(response.headers['content-disposition']), /attachment; filename="audit-log-\d{8}\.xlsx"/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as never);
      const sheet = workbook.getWorksheet('审计日志');
      assert.ok(sheet);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      assert.deepEqual(header.slice(0, 5), ['时间', '操作人', '操作人账号ID', '操作', '结果']);
      assert.equal(sheet.rowCount, 4);
      const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
      assert.deepEqual(row(2).slice(0, 5), ['2026-03-03 00:30:00', '张三', 41, 'test.beta', '成功']);
      assert.deepEqual(row(3).slice(0, 5), ['2026-03-02 23:30:00', '李四', 42, 'test.alpha', '失败']);
      assert.equal(row(4)[7], '甲社区');
      assert.deepEqual(JSON.parse(String(row(4)[10])), { note: '第一条' });

      const exported = await t.database.db
        .selectFrom('audit_log')
        .select(['actor_account_id', 'detail'])
        .where('action', '=', 'audit.export')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(exported.actor_account_id, auditor.accountId);
      assert.deepEqual(exported.detail, { filter: { action: 'test.*' }, rows: 3 });

      const empty = await auditor.get('/api/audit/export.xlsx?action=nothing.here');
      const emptyBook = new ExcelJS.Workbook();
      await emptyBook.xlsx.load(empty.rawPayload as never);
      assert.equal(emptyBook.getWorksheet('审计日志')?.rowCount, 1, 'headers only');
    });

    test('the log is append-only in the database itself', async () => {
      await assert.rejects(
        sql`UPDATE audit_log SET action = 'tampered' WHERE action = 'test.alpha'`.execute(t.database.db),
        /append-only/,
      );
      // A row within the retention (audit-retention.test.ts) cannot be deleted; the fixed-date rows above would
      // pass out of it one day, so the DELETE is tried on one written now.
      await sql`INSERT INTO audit_log (action) VALUES ('test.now')`.execute(t.database.db);
      await assert.rejects(sql`DELETE FROM audit_log WHERE action = 'test.now'`.execute(t.database.db), /append-only/);
      await assert.rejects(sql`TRUNCATE audit_log`.execute(t.database.db), /append-only/);
      const left = await t.database.db
        .selectFrom('audit_log')
        .select(['action'])
        .where('action', 'like', 'test.%')
        .execute();
      assert.equal(left.length, 4);
    });
  });
}
