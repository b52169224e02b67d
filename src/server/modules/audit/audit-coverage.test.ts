import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  anonymous,
  type Client,
  createTestApp,
  staffClient,
  TEST_PASSWORD,
  type TestApp,
} from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A, residentClient } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';

type Staff = Client & { accountId: number };

/** What an auditor must be able to find: who did what to which record, and whether it went through. */
interface Expected {
  what: string;
  action: string;
  actorAccountId: number | null;
  targetType: string;
  targetId: string;
  outcome: 'success' | 'failure';
}

/**
 * Issue 7, item 6: every kind of event the audit log promises — sign-ins and their failures, permission
 * changes (roles and grants), reveals of personal data, exports, and every transition of a case — performed
 * through the API, then found with its actor and target in the database, through the auditor's search and in
 * the auditor's export.
 */
for (const kind of await databaseKinds()) {
  describe(`what the audit log covers (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let auditor: Staff;
    const expected: Expected[] = [];
    let caseIds: number[] = [];

    before(async () => {
      t = await createTestApp(kind, {}, new ManualClock(MONDAY_10));
      w = await buildCaseWorld(t);
      auditor = await staffClient(t, 'cov.auditor', [{ role: 'auditor', unitId: w.territory.district.id }]);
    });
    after(() => t.dispose());

    const roleId = async (code: string) =>
      (await t.database.db.selectFrom('roles').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

    test('sign-ins, failed sign-ins and one-time-code sign-ins', async () => {
      const member = await staffClient(t, 'cov.member', [{ role: 'gridWorker', unitId: w.territory.gridA.id }]);
      const wrong = await anonymous(t).post('/api/auth/login', {
        username: 'cov.member',
        password: 'Not-The-Passw0rd',
      });
      assert.equal(wrong.statusCode, 401);
      const right = await anonymous(t).post('/api/auth/login', { username: 'cov.member', password: TEST_PASSWORD });
      assert.equal(right.statusCode, 200, right.body);
      const resident = await residentClient(t, '13900000101');
      const target = { targetType: 'account' };
      expected.push(
        {
          what: 'failed sign-in',
          action: 'auth.login',
          outcome: 'failure',
          actorAccountId: member.accountId,
          ...target,
          targetId: '',
        },
        {
          what: 'sign-in',
          action: 'auth.login',
          outcome: 'success',
          actorAccountId: member.accountId,
          ...target,
          targetId: String(member.accountId),
        },
        {
          what: 'code sign-in',
          action: 'auth.otpLogin',
          outcome: 'success',
          actorAccountId: resident.accountId,
          ...target,
          targetId: String(resident.accountId),
        },
      );
    });

    test('permission changes: a role created and edited, a grant given and revoked', async () => {
      const system = await staffClient(t, 'cov.system', [{ role: 'systemAdmin', unitId: w.territory.district.id }]);
      const created = await system.post('/api/roles', {
        code: 'covViewer',
        name: '查看员',
        permissions: ['unit.read'],
        dataScope: 'unit',
      });
      assert.equal(created.statusCode, 201, created.body);
      const role = created.json().role;
      const edited = await system.patch(`/api/roles/${role.id}`, {
        version: role.version,
        permissions: ['unit.read', 'grid.read'],
      });
      assert.equal(edited.statusCode, 200, edited.body);

      const member = await staffClient(t, 'cov.grantee', [{ role: 'gridWorker', unitId: w.territory.gridA.id }]);
      const given = await w.streetA.post(`/api/accounts/${member.accountId}/grants`, {
        roleId: await roleId('communityWorker'),
        unitId: w.territory.communityA.id,
      });
      assert.equal(given.statusCode, 201, given.body);
      const revoked = await w.streetA.delete(`/api/accounts/${member.accountId}/grants/${given.json().grant.id}`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      const street = w.streetA.accountId;
      expected.push(
        {
          what: 'role created',
          action: 'role.create',
          outcome: 'success',
          actorAccountId: system.accountId,
          targetType: 'role',
          targetId: String(role.id),
        },
        {
          what: 'role edited',
          action: 'role.update',
          outcome: 'success',
          actorAccountId: system.accountId,
          targetType: 'role',
          targetId: String(role.id),
        },
        {
          what: 'grant given',
          action: 'grant.create',
          outcome: 'success',
          actorAccountId: street,
          targetType: 'account',
          targetId: String(member.accountId),
        },
        {
          what: 'grant revoked',
          action: 'grant.revoke',
          outcome: 'success',
          actorAccountId: street,
          targetType: 'account',
          targetId: String(member.accountId),
        },
      );
    });

    test('every transition of a case, by staff, by a resident, and reveals and exports', async () => {
      const hotline = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '小区垃圾清运不及时',
        description: '幸福小区3号楼旁的垃圾桶三天没有清运。',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '张三', phone: '13912345678' },
      });
      assert.equal(hotline.statusCode, 201, hotline.body);
      const c = hotline.json().case;
      await act(w.gridWorkerA, c.id, { action: 'note', note: '已到现场查看' });
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需要社区协调' });
      await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        assistUnitIds: [w.territory.department2.id],
        deadline: new Date(Date.parse(MONDAY_10) + 7 * 86_400_000).toISOString(),
      });
      await act(w.department, c.id, { action: 'checkIn' });
      await act(w.department2, c.id, { action: 'assistCheckIn' });
      await act(w.department, c.id, { action: 'resolve', result: '已协调环卫所清运' });
      await act(w.hotline, c.id, { action: 'visit', rating: 'satisfied', solved: true });

      const resident = await residentClient(t, '13900000102', w.territory.gridA.id);
      const reported = await resident.post('/api/me/cases', { description: '楼道灯坏了好几天' });
      assert.equal(reported.statusCode, 201, reported.body);
      caseIds = [c.id, reported.json().case.id];

      // Reveals of personal data: a case's reporter, a person's phone.
      const district = await staffClient(t, 'cov.district', [
        { role: 'districtAdmin', unitId: w.territory.district.id },
      ]);
      assert.equal((await district.post(`/api/cases/${c.id}/reporter/reveal`)).statusCode, 200);
      const person = await district.post('/api/people', {
        name: '王秀英',
        phone: '13912340000',
        unitId: w.territory.gridA.id,
      });
      assert.equal(person.statusCode, 201, person.body);
      const personId = person.json().person.id;
      const revealed = await w.communityA.post(`/api/people/${personId}/reveal`, { fields: ['phone'] });
      assert.equal(revealed.statusCode, 200, revealed.body);

      // Exports of the case list and of the territory.
      assert.equal((await district.get('/api/cases/export.xlsx')).statusCode, 200);
      assert.equal((await w.streetA.get('/api/excel/export/units.xlsx')).statusCode, 200);

      expected.push(
        {
          what: 'reporter revealed',
          action: 'case.reporter.reveal',
          outcome: 'success',
          actorAccountId: district.accountId,
          targetType: 'case',
          targetId: String(c.id),
        },
        {
          what: 'person revealed',
          action: 'person.reveal',
          outcome: 'success',
          actorAccountId: w.communityA.accountId,
          targetType: 'person',
          targetId: String(personId),
        },
      );

      // Every event of both cases (each a transition) is in the audit log with its actor, case and event.
      const events = await t.database.db
        .selectFrom('case_events')
        .select(['id', 'case_id', 'action', 'actor_account_id'])
        .where('case_id', 'in', caseIds)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.filter((e) => e.case_id === c.id).map((e) => e.action),
        ['intake', 'classify', 'note', 'escalate', 'whistle', 'checkIn', 'assistCheckIn', 'resolve', 'visit'],
      );
      assert.ok(events.some((e) => e.case_id === caseIds[1] && e.action === 'intake'));
      const entries = await t.database.db
        .selectFrom('audit_log')
        .select([
          'action',
          'actor_account_id',
          'target_type',
          'target_id',
          'outcome',
          'unit_id',
          'detail',
          'ip',
          'request_id',
        ])
        .where('action', 'like', 'case.%')
        .where('action', 'not like', 'case.reporter.%')
        .execute();
      for (const e of events) {
        const entry = entries.find((a) => Number((a.detail as { eventId?: number }).eventId) === Number(e.id));
        assert.ok(entry, `event ${e.action} of case ${e.case_id} is audited`);
        assert.equal(entry.action, `case.${e.action}`);
        assert.equal(entry.actor_account_id, e.actor_account_id);
        assert.equal(entry.target_type, 'case');
        assert.equal(entry.target_id, String(e.case_id));
        assert.ok(entry.unit_id, 'filed under the case territory, for scoped auditors');
        assert.ok(entry.ip, `case.${e.action} names the address it came from`);
        assert.ok(entry.request_id, `case.${e.action} names the request it came in on`);
        expected.push({
          what: `case ${e.action}`,
          action: `case.${e.action}`,
          outcome: 'success',
          actorAccountId: e.actor_account_id,
          targetType: 'case',
          targetId: String(e.case_id),
        });
      }
      const resolved = entries.find((a) => a.action === 'case.resolve')!;
      assert.deepEqual(
        { from: (resolved.detail as { from: string }).from, to: (resolved.detail as { to: string }).to },
        { from: 'handling', to: 'resolved' },
      );
    });

    test('each is in the database, in the auditor’s search and in the auditor’s export', async () => {
      assert.ok(expected.length >= 19, `${expected.length} events expected`);
      // The exports: read after the export routes ran, so they are among the expected too.
      for (const action of ['case.export', 'excel.export']) {
        const row = await t.database.db
          .selectFrom('audit_log')
          .select(['actor_account_id', 'target_type', 'target_id'])
          .where('action', '=', action)
          .executeTakeFirstOrThrow();
        assert.ok(row.actor_account_id, `${action} names who exported`);
        expected.push({
          what: action,
          action,
          outcome: 'success',
          actorAccountId: row.actor_account_id,
          targetType: row.target_type ?? '',
          targetId: row.target_id ?? '',
        });
      }

      const workbook = new ExcelJS.Workbook();
      const exported = await auditor.get('/api/audit/export.xlsx');
      assert.equal(exported.statusCode, 200);
      await workbook.xlsx.load(exported.rawPayload as never);
      const sheet = workbook.getWorksheet('审计日志')!;
      const rows: string[] = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const v = (row.values as unknown[]).slice(1);
        // 操作人账号ID, 操作, 结果, 对象类型, 对象ID
        rows.push([v[2] ?? '', v[3], v[4], v[5] ?? '', v[6] ?? ''].join('|'));
      });

      for (const e of expected) {
        const query = new URLSearchParams({ action: e.action, outcome: e.outcome, pageSize: '200' });
        if (e.actorAccountId !== null) query.set('actorAccountId', String(e.actorAccountId));
        if (e.targetId) {
          query.set('targetType', e.targetType);
          query.set('targetId', e.targetId);
        }
        const found = await auditor.get(`/api/audit?${query}`);
        assert.equal(found.statusCode, 200, found.body);
        assert.ok(found.json().total >= 1, `${e.what}: found by the auditor's search (${query})`);
        const item = found.json().items[0];
        assert.equal(item.actorAccountId, e.actorAccountId, e.what);

        const line = [
          e.actorAccountId ?? '',
          e.action,
          e.outcome === 'success' ? '成功' : '失败',
          e.targetId ? e.targetType : '',
          e.targetId,
        ].join('|');
        assert.ok(
          rows.some((r) => (e.targetId ? r === line : r.startsWith(line.split('|').slice(0, 3).join('|')))),
          `${e.what}: in the export (${line})`,
        );
      }
      // The export itself is audited, as the auditor's own action.
      const ownExport = await auditor.get(`/api/audit?action=audit.export&actorAccountId=${auditor.accountId}`);
      assert.equal(ownExport.json().total, 1);
    });
  });
}
