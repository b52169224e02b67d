import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildTerritory, createTestApp, staffClient, type TestApp } from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { purgeExpiredSessions } from './session.service.ts';

for (const kind of await databaseKinds()) {
  describe(`session purge (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind);
    });
    after(() => t.dispose());

    test('sessions past the idle or the absolute limit are deleted, live ones stay usable', async () => {
      const territory = await buildTerritory(t.database);
      const live = await staffClient(t, 'purge-live', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const idle = await staffClient(t, 'purge-idle', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const old = await staffClient(t, 'purge-old', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      await t.database.db
        .updateTable('sessions')
        .set({ last_seen_at: sql`now() - interval '2 days'` })
        .where('account_id', '=', idle.accountId)
        .execute();
      await t.database.db
        .updateTable('sessions')
        .set({ expires_at: sql`now() - interval '1 minute'` })
        .where('account_id', '=', old.accountId)
        .execute();

      assert.equal(await purgeExpiredSessions(t.database.db, t.config), 2);
      const left = await t.database.db.selectFrom('sessions').select('account_id').execute();
      assert.deepEqual(
        left.map((r) => r.account_id),
        [live.accountId],
      );
      assert.equal((await live.get('/api/auth/session')).statusCode, 200);
      assert.equal((await idle.get('/api/auth/session')).statusCode, 401);
    });
  });
}
