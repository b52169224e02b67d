import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

async function roleId(t: TestApp, code: string): Promise<number> {
  const row = await t.database.db.selectFrom('roles').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

async function grantsOf(t: TestApp, accountId: number) {
  return t.database.db
    .selectFrom('role_grants as g')
    .innerJoin('roles as r', 'r.id', 'g.role_id')
    .select(['g.id', 'r.code', 'g.unit_id', 'g.granted_by'])
    .where('g.account_id', '=', accountId)
    .orderBy('g.id')
    .execute();
}

for (const kind of await databaseKinds()) {
  describe(`role grants (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let system: Staff;
    let streetAdminA: Staff;
    let target: Staff;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      system = await staffClient(t, 'sys', [{ role: 'systemAdmin', unitId: territory.district.id }]);
      streetAdminA = await staffClient(t, 'street-a', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      target = await staffClient(t, 'target', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
    });
    after(() => t.dispose());

    test('a role in a unit of the grantor’s scope is given, audited and effective at once', async () => {
      assert.equal((await target.get('/api/accounts')).statusCode, 403);
      const given = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: await roleId(t, 'communityWorker'),
        unitId: territory.communityA.id,
      });
      assert.equal(given.statusCode, 201, given.body);
      assert.equal(given.json().grant.roleCode, 'communityWorker');
      assert.equal(given.json().grant.unitName, '甲社区');
      const stored = await grantsOf(t, target.accountId);
      assert.equal(stored.at(-1)?.granted_by, streetAdminA.accountId);
      const entry = await t.database.db
        .selectFrom('audit_log')
        .select(['outcome', 'unit_id', 'detail'])
        .where('action', '=', 'grant.create')
        .where('target_id', '=', String(target.accountId))
        .executeTakeFirstOrThrow();
      assert.equal(entry.outcome, 'success');
      assert.equal(entry.unit_id, territory.communityA.id);
      assert.equal((entry.detail as { roleCode: string }).roleCode, 'communityWorker');
      // communityWorker carries person.reveal, which the target's grid worker role did not.
      const session = (await target.get('/api/auth/session')).json().session;
      assert.ok(session.permissions.includes('person.reveal'));

      const again = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: await roleId(t, 'communityWorker'),
        unitId: territory.communityA.id,
      });
      assert.equal(again.statusCode, 409);
      assert.equal(errorCode(again), 'DUPLICATE');
    });

    test('a role carrying permissions the grantor lacks is refused, and the refusal is audited', async () => {
      const before = await grantsOf(t, target.accountId);
      for (const code of ['systemAdmin', 'auditor', 'districtAdmin']) {
        const refused = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
          roleId: await roleId(t, code),
          unitId: territory.gridA.id,
        });
        assert.equal(refused.statusCode, 403, `${code}: ${refused.body}`);
        assert.equal(errorCode(refused), 'FORBIDDEN');
      }
      const auditor = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: await roleId(t, 'auditor'),
        unitId: territory.gridA.id,
      });
      assert.ok(auditor.json().error.details.missingPermissions.includes('audit.read'));
      // Even a system administrator does not hold audit.read: the auditor role is not theirs to give.
      const bySystem = await system.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: await roleId(t, 'auditor'),
        unitId: territory.district.id,
      });
      assert.equal(bySystem.statusCode, 403);
      assert.deepEqual(await grantsOf(t, target.accountId), before);
      const refusals = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'grant.create')
        .where('outcome', '=', 'failure')
        .where('target_id', '=', String(target.accountId))
        .executeTakeFirstOrThrow();
      assert.equal(Number(refusals.n), 5);
    });

    test('a unit outside the grantor’s scope is refused', async () => {
      const refused = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: await roleId(t, 'gridWorker'),
        unitId: territory.gridB.id,
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.details.unitOutOfScope, true);
      const unknownUnit = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: await roleId(t, 'gridWorker'),
        unitId: 999_999,
      });
      assert.equal(unknownUnit.statusCode, 404);
    });

    test('a data scope broader than any the grantor holds is refused', async () => {
      const wide = await system.post('/api/roles', {
        code: 'allUnitsReader',
        name: '全域查看',
        permissions: ['unit.read'],
        dataScope: 'all',
      });
      assert.equal(wide.statusCode, 201, wide.body);
      const narrow = await system.post('/api/roles', {
        code: 'unitReader',
        name: '本单位查看',
        permissions: ['unit.read'],
        dataScope: 'unit',
      });
      const broader = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: wide.json().role.id,
        unitId: territory.gridA.id,
      });
      assert.equal(broader.statusCode, 403);
      assert.equal(broader.json().error.details.broaderScope, true);
      const fine = await streetAdminA.post(`/api/accounts/${target.accountId}/grants`, {
        roleId: narrow.json().role.id,
        unitId: territory.gridA.id,
      });
      assert.equal(fine.statusCode, 201, fine.body);
    });

    test('nobody changes their own roles', async () => {
      const add = await streetAdminA.post(`/api/accounts/${streetAdminA.accountId}/grants`, {
        roleId: await roleId(t, 'gridWorker'),
        unitId: territory.gridA.id,
      });
      assert.equal(add.statusCode, 403);
      const own = await grantsOf(t, streetAdminA.accountId);
      const remove = await streetAdminA.delete(`/api/accounts/${streetAdminA.accountId}/grants/${own[0]!.id}`);
      assert.equal(remove.statusCode, 403);
      assert.equal((await grantsOf(t, streetAdminA.accountId)).length, 1);
      const bySystem = await system.post(`/api/accounts/${system.accountId}/grants`, {
        roleId: await roleId(t, 'leader'),
        unitId: territory.district.id,
      });
      assert.equal(bySystem.statusCode, 403);
    });

    test('revoking: only a role the remover could have given; effective at once', async () => {
      const holder = await staffClient(t, 'holder', [
        { role: 'gridWorker', unitId: territory.gridA.id },
        { role: 'districtAdmin', unitId: territory.district.id },
      ]);
      const [gridGrant, districtGrant] = await grantsOf(t, holder.accountId);
      const tooHigh = await streetAdminA.delete(`/api/accounts/${holder.accountId}/grants/${districtGrant!.id}`);
      assert.equal(tooHigh.statusCode, 403);
      const detail = (await streetAdminA.get(`/api/accounts/${holder.accountId}`)).json().account;
      assert.deepEqual(
        detail.grants.map((g: { actions: { revoke: boolean } }) => g.actions.revoke),
        [true, false],
      );
      const revoked = await streetAdminA.delete(`/api/accounts/${holder.accountId}/grants/${gridGrant!.id}`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.deepEqual(
        (await grantsOf(t, holder.accountId)).map((g) => g.code),
        ['districtAdmin'],
      );
      const gone = await streetAdminA.delete(`/api/accounts/${holder.accountId}/grants/${gridGrant!.id}`);
      assert.equal(gone.statusCode, 404, 'the account is no longer in the street administrator’s scope');

      const byDistrict = await system.delete(`/api/accounts/${holder.accountId}/grants/${districtGrant!.id}`);
      assert.equal(byDistrict.statusCode, 200);
      assert.equal((await holder.get('/api/accounts')).statusCode, 403, 'the revoked permission is gone now');
      const revocations = await t.database.db
        .selectFrom('audit_log')
        .select(['outcome'])
        .where('action', '=', 'grant.revoke')
        .where('target_id', '=', String(holder.accountId))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        revocations.map((r) => r.outcome),
        ['failure', 'success', 'success'],
      );
    });
  });
}
