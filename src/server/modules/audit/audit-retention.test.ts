import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { loadConfig } from '../../config.ts';
import { purgeAuditLog, purgeAuditLogJob } from '../../jobs/purge-audit-log.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123';

describe('AUDIT_RETENTION_DAYS', () => {
  test('defaults to 365 days and refuses less than 180 at start, with a message naming the setting', () => {
    assert.equal(loadConfig({ SESSION_SECRET: SECRET }).auditRetentionDays, 365);
    assert.equal(loadConfig({ SESSION_SECRET: SECRET, AUDIT_RETENTION_DAYS: '180' }).auditRetentionDays, 180);
    assert.equal(loadConfig({ SESSION_SECRET: SECRET, AUDIT_RETENTION_DAYS: '3650' }).auditRetentionDays, 3650);
    for (const bad of ['179', '30', '0', '-400', '200.5', 'half a year']) {
      assert.throws(
        () => loadConfig({ SESSION_SECRET: SECRET, AUDIT_RETENTION_DAYS: bad }),
        /AUDIT_RETENTION_DAYS must be .*at least 180/,
        bad,
      );
    }
  });
});

for (const kind of await databaseKinds()) {
  describe(`audit retention (${kind})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await freshDatabase(kind);
    });
    after(() => t.dispose());

    /** Inserts an audit row dated `days` days before the database's now(); returns its id. */
    const entryAged = async (days: number, action: string) => {
      const { rows } = await sql<{ id: string }>`
        INSERT INTO audit_log (at, action) VALUES (now() - make_interval(days => ${days}::integer), ${action})
        RETURNING id`.execute(t.database.db);
      return Number(rows[0]!.id);
    };
    const actionsLeft = async (prefix: string) =>
      (
        await t.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', 'like', `${prefix}%`)
          .orderBy('action')
          .execute()
      ).map((r) => r.action);
    const retention = async () =>
      Number(
        (await sql<{ days: number }>`SELECT retention_days AS days FROM audit_retention`.execute(t.database.db))
          .rows[0]!.days,
      );

    test('the database refuses a retention under 180 days, and a second settings row', async () => {
      assert.equal(await retention(), 365, 'the migration starts at 365 days');
      await assert.rejects(sql`UPDATE audit_retention SET retention_days = 179`.execute(t.database.db), /check/i);
      await assert.rejects(
        sql`INSERT INTO audit_retention (id, retention_days) VALUES (false, 400)`.execute(t.database.db),
        /check/i,
      );
      assert.equal(await retention(), 365);
    });

    test('a row younger than the retention cannot be deleted, even by raw SQL; UPDATE and TRUNCATE never', async () => {
      const young = await entryAged(10, 'young.10-days');
      const almost = await entryAged(179, 'young.179-days');
      const older = await entryAged(200, 'young.200-days');
      for (const id of [young, almost, older]) {
        await assert.rejects(
          sql`DELETE FROM audit_log WHERE id = ${id}`.execute(t.database.db),
          /append-only/,
          `row ${id} is within the 365-day retention`,
        );
      }
      // At the shortest retention allowed, the 200-day row may go; the 179-day one still may not.
      await sql`UPDATE audit_retention SET retention_days = 180`.execute(t.database.db);
      await assert.rejects(sql`DELETE FROM audit_log WHERE id = ${almost}`.execute(t.database.db), /append-only/);
      await assert.rejects(
        sql`DELETE FROM audit_log WHERE action LIKE 'young.%'`.execute(t.database.db),
        /append-only/,
        'one protected row refuses the whole statement',
      );
      assert.deepEqual(await actionsLeft('young.'), ['young.10-days', 'young.179-days', 'young.200-days'].sort());
      // Neither can an old row be changed, nor the table emptied.
      await assert.rejects(
        sql`UPDATE audit_log SET action = 'tampered' WHERE id = ${older}`.execute(t.database.db),
        /append-only/,
      );
      await assert.rejects(sql`TRUNCATE audit_log`.execute(t.database.db), /append-only/);
      await sql`DELETE FROM audit_log WHERE id = ${older}`.execute(t.database.db);
      assert.deepEqual(await actionsLeft('young.'), ['young.10-days', 'young.179-days'].sort());
      // Without the settings row nothing may be deleted (the rule fails closed).
      await entryAged(1000, 'young.ancient');
      await sql`DELETE FROM audit_retention`.execute(t.database.db);
      await assert.rejects(
        sql`DELETE FROM audit_log WHERE action = 'young.ancient'`.execute(t.database.db),
        /append-only/,
      );
      await sql`INSERT INTO audit_retention (retention_days) VALUES (180)`.execute(t.database.db);
      await sql`DELETE FROM audit_log WHERE action = 'young.ancient'`.execute(t.database.db);
      assert.deepEqual(await actionsLeft('young.'), ['young.10-days', 'young.179-days'].sort());
    });

    test('the job sets the configured retention and purges only older rows, a batch at a time', async () => {
      for (const [days, name] of [
        [500, 'job.a-500'],
        [420, 'job.b-420'],
        [366, 'job.c-366'],
        [300, 'job.d-300'],
        [181, 'job.e-181'],
        [2, 'job.f-2'],
      ] as const) {
        await entryAged(days, name);
      }
      const left = () => actionsLeft('job.');
      // The oldest first, `limit` at a time; nothing within the 365 days.
      assert.equal(await purgeAuditLog(t.database, 365, 2), 2);
      assert.equal(await retention(), 365);
      assert.deepEqual(await left(), ['job.c-366', 'job.d-300', 'job.e-181', 'job.f-2']);
      assert.ok((await purgeAuditLog(t.database, 365, 1000)) >= 1);
      assert.deepEqual(await left(), ['job.d-300', 'job.e-181', 'job.f-2']);
      assert.equal(await purgeAuditLog(t.database, 365, 1000), 0);

      // Through the job as the workers run it, with the configured setting.
      const config = loadConfig({ SESSION_SECRET: SECRET, AUDIT_RETENTION_DAYS: '200' });
      const log = { error: () => {}, debug: () => {} };
      const purged = await purgeAuditLogJob.run({ database: t.database, config, clock: undefined as never, log }, 1000);
      assert.ok(purged >= 1);
      assert.equal(await retention(), 200);
      assert.deepEqual(await left(), ['job.e-181', 'job.f-2']);

      // A retention under 180 days is refused by the database even if the code asked for it.
      await assert.rejects(purgeAuditLog(t.database, 90, 1000), /check/i);
      assert.equal(await retention(), 200);
      assert.deepEqual(await left(), ['job.e-181', 'job.f-2']);
    });
  });
}
