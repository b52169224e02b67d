import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anonymous,
  buildTerritory,
  Client,
  createTestApp,
  errorCode,
  staffClient,
  TEST_PASSWORD,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

async function roleId(t: TestApp, code: string): Promise<number> {
  const row = await t.database.db.selectFrom('roles').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

async function signIn(t: TestApp, username: string, password: string) {
  const client = new Client(t.app);
  const response = await client.post('/api/auth/login', { username, password });
  return { client, response };
}

async function sessionCount(t: TestApp, accountId: number): Promise<number> {
  const row = await t.database.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const kind of await databaseKinds()) {
  describe(`accounts (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let system: Client & { accountId: number };
    let streetAdminA: Client & { accountId: number };
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      system = await staffClient(t, 'sys', [{ role: 'systemAdmin', unitId: territory.district.id }]);
      streetAdminA = await staffClient(t, 'street-a', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
    });
    after(() => t.dispose());

    test('a street administrator sees the accounts with a role in their street only; never a password hash', async () => {
      const inA = await staffClient(t, 'worker-a1', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const inB = await staffClient(t, 'worker-b1', [{ role: 'gridWorker', unitId: territory.gridB.id }]);
      const both = await staffClient(t, 'worker-ab', [
        { role: 'gridWorker', unitId: territory.gridB.id },
        { role: 'gridWorker', unitId: territory.gridA.id },
      ]);
      const none = await staffClient(t, 'no-roles', []);

      const list = await streetAdminA.get('/api/accounts?pageSize=200');
      assert.equal(list.statusCode, 200, list.body);
      const names = list.json().items.map((a: { username: string }) => a.username);
      assert.ok(names.includes('worker-a1') && names.includes('worker-ab') && names.includes('street-a'));
      assert.ok(!names.includes('worker-b1') && !names.includes('no-roles') && !names.includes('sys'));
      assert.doesNotMatch(list.body, /argon2|password_hash|passwordHash/);

      assert.equal((await streetAdminA.get(`/api/accounts/${inA.accountId}`)).statusCode, 200);
      const hidden = await streetAdminA.get(`/api/accounts/${inB.accountId}`);
      const missing = await streetAdminA.get('/api/accounts/999999');
      assert.equal(hidden.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(hidden.json().error.message, missing.json().error.message);

      // An account without roles is visible only to an all-units scope.
      assert.equal((await streetAdminA.get(`/api/accounts/${none.accountId}`)).statusCode, 404);
      const detail = await system.get(`/api/accounts/${none.accountId}`);
      assert.equal(detail.statusCode, 200);
      assert.deepEqual(detail.json().account.grants, []);

      // The detail lists every role with its unit and scope.
      const twoRoles = (await system.get(`/api/accounts/${both.accountId}`)).json().account;
      assert.deepEqual(
        twoRoles.grants.map((g: { unitName: string; roleCode: string; dataScope: string }) => [
          g.roleCode,
          g.unitName,
          g.dataScope,
        ]),
        [
          ['gridWorker', '乙一网格', 'subtree'],
          ['gridWorker', '甲一网格', 'subtree'],
        ],
      );

      const within = await system.get(`/api/accounts?within=${territory.streetB.id}&pageSize=200`);
      const withinNames = within.json().items.map((a: { username: string }) => a.username);
      assert.ok(withinNames.includes('worker-b1') && withinNames.includes('worker-ab'));
      assert.ok(!withinNames.includes('worker-a1'));
      const outside = await streetAdminA.get(`/api/accounts?within=${territory.streetB.id}`);
      assert.equal(outside.statusCode, 404);

      const search = await system.get('/api/accounts?q=WORKER-A');
      assert.deepEqual(
        search
          .json()
          .items.map((a: { username: string }) => a.username)
          .sort(),
        ['worker-a1', 'worker-ab'],
      );
    });

    test('staff without account.read and anonymous callers are refused', async () => {
      const worker = await staffClient(t, 'plain-worker', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const refused = await worker.get('/api/accounts');
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
      assert.equal(errorCode(await anonymous(t).get('/api/accounts')), 'UNAUTHENTICATED');
    });

    test('a generated temporary password is returned once and must be changed at first sign-in', async () => {
      const created = await system.post('/api/accounts', {
        username: 'New.Staff',
        displayName: '新员工',
        grants: [{ roleId: await roleId(t, 'gridWorker'), unitId: territory.gridA.id }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const body = created.json();
      assert.equal(body.account.username, 'new.staff');
      assert.equal(body.account.mustChangePassword, true);
      assert.equal(body.account.grants[0].roleCode, 'gridWorker');
      const temporary: string = body.temporaryPassword;
      assert.ok(temporary.length >= 10);
      const again = await system.get(`/api/accounts/${body.account.id}`);
      assert.equal(again.json().temporaryPassword, undefined);
      assert.doesNotMatch(again.body, new RegExp(temporary.replace(/[^\w]/g, '.')));

      const { client, response } = await signIn(t, 'new.staff', temporary);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().session.mustChangePassword, true);
      const blocked = await client.get('/api/units');
      assert.equal(blocked.statusCode, 403);
      assert.equal(errorCode(blocked), 'PASSWORD_CHANGE_REQUIRED');
      const changed = await client.post('/api/auth/password', {
        currentPassword: temporary,
        newPassword: 'Fresh-Start-2026',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const session = await client.get('/api/auth/session');
      assert.equal(session.json().session.mustChangePassword, false);
      assert.equal((await client.get('/api/units')).statusCode, 200);
      assert.equal((await signIn(t, 'new.staff', temporary)).response.statusCode, 401);

      const audited = await t.database.db
        .selectFrom('audit_log')
        .select(['detail', 'actor_account_id'])
        .where('action', '=', 'account.create')
        .where('target_id', '=', String(body.account.id))
        .executeTakeFirstOrThrow();
      assert.equal(audited.actor_account_id, system.accountId);
      assert.doesNotMatch(JSON.stringify(audited.detail), new RegExp(temporary.replace(/[^\w]/g, '.')));
    });

    test('a chosen password must satisfy the policy; usernames are unique', async () => {
      const weak = await system.post('/api/accounts', { username: 'weakling', displayName: '弱', password: 'short' });
      assert.equal(weak.statusCode, 400);
      assert.equal(errorCode(weak), 'WEAK_PASSWORD');
      const ok = await system.post('/api/accounts', {
        username: 'chosen',
        displayName: '自选密码',
        password: 'My-Own-Passw0rd',
      });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().temporaryPassword, undefined);
      assert.equal(ok.json().account.mustChangePassword, false);
      const duplicate = await system.post('/api/accounts', { username: 'CHOSEN', displayName: '重名' });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(errorCode(duplicate), 'DUPLICATE');
      const badName = await system.post('/api/accounts', { username: 'x', displayName: '短' });
      assert.equal(errorCode(badName), 'VALIDATION_FAILED');
    });

    test('a street administrator must give a new account a role in their street', async () => {
      const bare = await streetAdminA.post('/api/accounts', { username: 'orphan', displayName: '无角色' });
      assert.equal(bare.statusCode, 400);
      const outside = await streetAdminA.post('/api/accounts', {
        username: 'outsider',
        displayName: '外街',
        grants: [{ roleId: await roleId(t, 'gridWorker'), unitId: territory.gridB.id }],
      });
      assert.equal(outside.statusCode, 403);
      const exists = await t.database.db
        .selectFrom('accounts')
        .select('id')
        .where('username', '=', 'outsider')
        .execute();
      assert.equal(exists.length, 0, 'a refused creation leaves nothing behind');
      const fine = await streetAdminA.post('/api/accounts', {
        username: 'insider',
        displayName: '本街',
        grants: [{ roleId: await roleId(t, 'gridWorker'), unitId: territory.gridA.id }],
      });
      assert.equal(fine.statusCode, 201, fine.body);
      assert.equal((await streetAdminA.get(`/api/accounts/${fine.json().account.id}`)).statusCode, 200);
    });

    test('disabling an account ends its sessions at once; nobody disables themselves', async () => {
      const victim = await staffClient(t, 'to-disable', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      assert.equal((await victim.get('/api/auth/session')).statusCode, 200);
      const current = (await streetAdminA.get(`/api/accounts/${victim.accountId}`)).json().account;
      assert.equal(current.actions.disable, true);
      const disabled = await streetAdminA.patch(`/api/accounts/${victim.accountId}`, {
        version: current.version,
        status: 'disabled',
      });
      assert.equal(disabled.statusCode, 200, disabled.body);
      assert.equal(disabled.json().account.status, 'disabled');
      assert.equal(await sessionCount(t, victim.accountId), 0);
      assert.equal((await victim.get('/api/auth/session')).statusCode, 401);
      assert.equal((await signIn(t, 'to-disable', TEST_PASSWORD)).response.statusCode, 401);

      const stale = await streetAdminA.patch(`/api/accounts/${victim.accountId}`, {
        version: current.version,
        status: 'active',
      });
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      const enabled = await streetAdminA.patch(`/api/accounts/${victim.accountId}`, {
        version: current.version + 1,
        status: 'active',
      });
      assert.equal(enabled.statusCode, 200);
      assert.equal((await signIn(t, 'to-disable', TEST_PASSWORD)).response.statusCode, 200);

      const me = (await streetAdminA.get(`/api/accounts/${streetAdminA.accountId}`)).json().account;
      assert.equal(me.actions.disable, false);
      const self = await streetAdminA.patch(`/api/accounts/${streetAdminA.accountId}`, {
        version: me.version,
        status: 'disabled',
      });
      assert.equal(self.statusCode, 403);
      const rename = await streetAdminA.patch(`/api/accounts/${streetAdminA.accountId}`, {
        version: me.version,
        displayName: '甲街道管理员',
      });
      assert.equal(rename.statusCode, 200, rename.body);

      const actions = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'outcome'])
        .where('action', 'like', 'account.%')
        .where('target_id', 'in', [String(victim.accountId), String(streetAdminA.accountId)])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        actions.map((a) => `${a.action}:${a.outcome}`),
        ['account.disable:success', 'account.enable:success', 'account.disable:failure', 'account.update:success'],
      );
    });

    test('resetting a password returns a temporary one once, forces a change and ends the sessions', async () => {
      const target = await staffClient(t, 'forgetful', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const reset = await streetAdminA.post(`/api/accounts/${target.accountId}/reset-password`);
      assert.equal(reset.statusCode, 200, reset.body);
      const temporary: string = reset.json().temporaryPassword;
      assert.equal(reset.json().account.mustChangePassword, true);
      assert.equal(await sessionCount(t, target.accountId), 0);
      assert.equal((await signIn(t, 'forgetful', TEST_PASSWORD)).response.statusCode, 401);
      const fresh = await signIn(t, 'forgetful', temporary);
      assert.equal(fresh.response.statusCode, 200);
      assert.equal(fresh.response.json().session.mustChangePassword, true);

      const self = await streetAdminA.post(`/api/accounts/${streetAdminA.accountId}/reset-password`);
      assert.equal(self.statusCode, 403);
    });

    test('nobody takes over an account that holds more than they could grant', async () => {
      const districtAdmin = await staffClient(t, 'district-1', [
        { role: 'districtAdmin', unitId: territory.district.id },
        { role: 'gridWorker', unitId: territory.gridA.id },
      ]);
      const seen = await streetAdminA.get(`/api/accounts/${districtAdmin.accountId}`);
      assert.equal(seen.statusCode, 200, 'visible through the role in grid A');
      assert.deepEqual(seen.json().account.actions, {
        update: false,
        disable: false,
        unlock: false,
        resetPassword: false,
        grant: true,
      });
      const reset = await streetAdminA.post(`/api/accounts/${districtAdmin.accountId}/reset-password`);
      assert.equal(reset.statusCode, 403);
      const disable = await streetAdminA.patch(`/api/accounts/${districtAdmin.accountId}`, {
        version: 1,
        status: 'disabled',
      });
      assert.equal(disable.statusCode, 403);
      assert.equal(await sessionCount(t, districtAdmin.accountId), 1);
      const refusal = await t.database.db
        .selectFrom('audit_log')
        .select(['outcome', 'actor_account_id'])
        .where('action', '=', 'account.resetPassword')
        .where('target_id', '=', String(districtAdmin.accountId))
        .executeTakeFirstOrThrow();
      assert.deepEqual(refusal, { outcome: 'failure', actor_account_id: streetAdminA.accountId });
    });
  });
}
