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
import { PERMISSIONS } from '../../access/permissions.ts';

type Staff = Client & { accountId: number };

for (const kind of await databaseKinds()) {
  describe(`roles (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let system: Staff;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      system = await staffClient(t, 'sys', [{ role: 'systemAdmin', unitId: territory.district.id }]);
    });
    after(() => t.dispose());

    test('the permission catalogue is there for role managers only', async () => {
      const catalogue = await system.get('/api/permissions');
      assert.equal(catalogue.statusCode, 200);
      assert.deepEqual(
        catalogue.json().items.map((p: { code: string }) => p.code),
        [...PERMISSIONS],
      );
      assert.deepEqual(catalogue.json().dataScopes, ['all', 'subtree', 'unit', 'own']);
      const streetAdmin = await staffClient(t, 'street', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      assert.equal((await streetAdmin.get('/api/permissions')).statusCode, 403);
    });

    test('roles are listed to account readers and role managers, with what the caller may do', async () => {
      const streetAdmin = await staffClient(t, 'street-2', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      const list = await streetAdmin.get('/api/roles');
      assert.equal(list.statusCode, 200);
      const byCode = new Map(list.json().items.map((r: { code: string }) => [r.code, r]));
      const gridWorker = byCode.get('gridWorker') as { builtIn: boolean; actions: { grant: boolean; update: boolean } };
      assert.equal(gridWorker.builtIn, true);
      assert.deepEqual(gridWorker.actions, { update: false, grant: true });
      const systemAdmin = byCode.get('systemAdmin') as { actions: { grant: boolean } };
      assert.equal(systemAdmin.actions.grant, false);
      const worker = await staffClient(t, 'worker', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const refused = await worker.get('/api/roles');
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
    });

    test('a custom role is created with permissions its creator holds, and audited', async () => {
      const created = await system.post('/api/roles', {
        code: 'careVisitor',
        name: '关爱走访员',
        nameEn: 'Care visitor',
        permissions: ['carePerson.read', 'person.read', 'person.read'],
        dataScope: 'subtree',
      });
      assert.equal(created.statusCode, 201, created.body);
      const role = created.json().role;
      assert.deepEqual(role.permissions, ['carePerson.read', 'person.read']);
      assert.equal(role.builtIn, false);
      assert.equal(role.actions.update, true);
      const entry = await t.database.db
        .selectFrom('audit_log')
        .select(['actor_account_id', 'detail'])
        .where('action', '=', 'role.create')
        .where('target_id', '=', String(role.id))
        .executeTakeFirstOrThrow();
      assert.equal(entry.actor_account_id, system.accountId);

      const duplicate = await system.post('/api/roles', {
        code: 'careVisitor',
        name: '重复',
        permissions: [],
        dataScope: 'unit',
      });
      assert.equal(errorCode(duplicate), 'DUPLICATE');
      const unknownPermission = await system.post('/api/roles', {
        code: 'strange',
        name: '奇怪',
        permissions: ['case.destroy'],
        dataScope: 'unit',
      });
      assert.equal(errorCode(unknownPermission), 'VALIDATION_FAILED');
    });

    test('a role with a permission its creator lacks is refused', async () => {
      const refused = await system.post('/api/roles', {
        code: 'shadowAuditor',
        name: '影子审计',
        permissions: ['audit.read'],
        dataScope: 'all',
      });
      assert.equal(refused.statusCode, 403);
      assert.deepEqual(refused.json().error.details.missingPermissions, ['audit.read']);
      const stored = await t.database.db.selectFrom('roles').select('id').where('code', '=', 'shadowAuditor').execute();
      assert.equal(stored.length, 0);
      const attempt = await t.database.db
        .selectFrom('audit_log')
        .select('outcome')
        .where('action', '=', 'role.create')
        .where('outcome', '=', 'failure')
        .executeTakeFirst();
      assert.equal(attempt?.outcome, 'failure');
    });

    test('custom roles change with their version; built-in roles do not change', async () => {
      const roles = (await system.get('/api/roles')).json().items as Array<{
        id: number;
        code: string;
        version: number;
      }>;
      const builtIn = roles.find((r) => r.code === 'gridWorker')!;
      const fixed = await system.patch(`/api/roles/${builtIn.id}`, { version: builtIn.version, name: '改名' });
      assert.equal(fixed.statusCode, 409);
      assert.equal(errorCode(fixed), 'CONFLICT');

      const created = (
        await system.post('/api/roles', {
          code: 'noticeEditor',
          name: '通知编辑',
          permissions: ['unit.read'],
          dataScope: 'unit',
        })
      ).json().role;
      const changed = await system.patch(`/api/roles/${created.id}`, {
        version: created.version,
        permissions: ['unit.read', 'grid.read'],
        dataScope: 'subtree',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual(changed.json().role.permissions, ['grid.read', 'unit.read']);
      assert.equal(changed.json().role.version, created.version + 1);
      const stale = await system.patch(`/api/roles/${created.id}`, { version: created.version, name: '旧' });
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      const escalating = await system.patch(`/api/roles/${created.id}`, {
        version: created.version + 1,
        permissions: ['unit.read', 'audit.read'],
      });
      assert.equal(escalating.statusCode, 403);
      const unknownField = await system.patch(`/api/roles/${created.id}`, {
        version: created.version + 1,
        builtIn: true,
      });
      assert.equal(errorCode(unknownField), 'VALIDATION_FAILED');
      const missing = await system.patch('/api/roles/999999', { version: 1, name: '无' });
      assert.equal(missing.statusCode, 404);

      const entry = await t.database.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'role.update')
        .where('outcome', '=', 'success')
        .where('target_id', '=', String(created.id))
        .executeTakeFirstOrThrow();
      const detail = entry.detail as { before: { permissions: string[] }; after: { permissions: string[] } };
      assert.deepEqual(detail.before.permissions, ['unit.read']);
      assert.deepEqual(detail.after.permissions, ['grid.read', 'unit.read']);
    });
  });
}
