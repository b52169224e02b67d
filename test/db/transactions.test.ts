import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.ts';
import { buildTerritory, createTestApp, errorCode, staffClient, type Territory, type TestApp } from '../support/app.ts';
import { databaseKinds, freshDatabase } from '../support/databases.ts';

/**
 * Transactions never see each other half-done. On the embedded database there is one connection, so a
 * transaction holds it from BEGIN to COMMIT and everything else queues; on a PostgreSQL server the pool
 * gives each transaction its own connection and row locks do the serialising.
 */
const CONCURRENT = 20;

/** Fails instead of hanging when a deadlock would otherwise stall the test run. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (deadlock?)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function counterTable(database: Database) {
  await sql`CREATE TABLE IF NOT EXISTS tx_test_counter (id integer PRIMARY KEY, value integer NOT NULL)`.execute(
    database.db,
  );
  await sql`DELETE FROM tx_test_counter`.execute(database.db);
  await sql`INSERT INTO tx_test_counter (id, value) VALUES (1, 0)`.execute(database.db);
}

async function counterValue(database: Database): Promise<number> {
  const result = await sql<{ value: number }>`SELECT value FROM tx_test_counter WHERE id = 1`.execute(database.db);
  return Number(result.rows[0]?.value);
}

for (const kind of await databaseKinds()) {
  describe(`serialised transactions (${kind})`, () => {
    let database: Database;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ database, dispose } = await freshDatabase(kind));
    });
    after(() => dispose());

    test('a read-modify-write counter raised by many concurrent transactions ends at exactly N', async () => {
      await counterTable(database);
      const n = 60;
      await within(
        60_000,
        'concurrent increments',
        Promise.all(
          Array.from({ length: n }, (_, i) =>
            database.transaction(async (trx) => {
              const row = await sql<{
                value: number;
              }>`SELECT value FROM tx_test_counter WHERE id = 1 FOR UPDATE`.execute(trx);
              const value = Number(row.rows[0]?.value);
              // Give every other transaction the chance to run in between.
              await sleep(i % 3);
              await sql`UPDATE tx_test_counter SET value = ${value + 1} WHERE id = 1`.execute(trx);
            }),
          ),
        ),
      );
      assert.equal(await counterValue(database), n);
    });

    test('a failed transaction leaves nothing behind, and nobody saw its rows in the meantime', async () => {
      await counterTable(database);
      let inserted!: () => void;
      const insertedSignal = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const failing = database.transaction(async (trx) => {
        await sql`UPDATE tx_test_counter SET value = 999 WHERE id = 1`.execute(trx);
        await trx
          .insertInto('units')
          .values({ kind: 'district', name: '回滚区', path: '/rolled-back/', depth: 0 })
          .execute();
        inserted();
        await sleep(30);
        throw new Error('changed my mind');
      });
      await insertedSignal;
      // Issued while the transaction is open: must neither see its rows nor interleave with it.
      const [seen, value] = await within(
        10_000,
        'concurrent read',
        Promise.all([
          database.db.selectFrom('units').select('id').where('path', '=', '/rolled-back/').execute(),
          counterValue(database),
        ]),
      );
      await assert.rejects(failing, /changed my mind/);
      assert.deepEqual(seen, []);
      assert.equal(value, 0);
      assert.equal(await counterValue(database), 0);
      const after = await database.db.selectFrom('units').select('id').where('path', '=', '/rolled-back/').execute();
      assert.deepEqual(after, []);
    });

    if (kind === 'embedded') {
      test('overlapping transactions never interleave on the single embedded connection', async () => {
        const log: string[] = [];
        await within(
          60_000,
          'overlapping transactions',
          Promise.all(
            Array.from({ length: CONCURRENT }, (_, i) =>
              database.transaction(async (trx) => {
                log.push(`${i}:enter`);
                for (let step = 0; step < 3; step++) {
                  await sql`SELECT ${i}::int AS tx, ${step}::int AS step`.execute(trx);
                  log.push(`${i}:step${step}`);
                  await sleep(step);
                }
                log.push(`${i}:exit`);
              }),
            ),
          ),
        );
        assert.equal(log.length, CONCURRENT * 5);
        for (let start = 0; start < log.length; start += 5) {
          const tx = log[start]?.split(':')[0];
          assert.deepEqual(
            log.slice(start, start + 5),
            [`${tx}:enter`, `${tx}:step0`, `${tx}:step1`, `${tx}:step2`, `${tx}:exit`],
            `transaction ${tx} ran without another one in the middle`,
          );
        }
        // First come, first served: the connection is handed out in arrival order.
        assert.deepEqual(
          log.filter((e) => e.endsWith(':enter')).map((e) => Number(e.split(':')[0])),
          Array.from({ length: CONCURRENT }, (_, i) => i),
        );
      });

      test('the root database inside a transaction throws a clear error instead of deadlocking', async () => {
        await assert.rejects(
          within(
            10_000,
            'root query inside a transaction',
            database.transaction(async () => {
              await database.db.selectFrom('units').select('id').execute();
            }),
          ),
          /use the transaction handle \(trx\), not the root db/,
        );
        await assert.rejects(
          within(
            10_000,
            'nested transaction',
            database.transaction(async () =>
              database.transaction(async (inner) => inner.selectFrom('units').select('id').execute()),
            ),
          ),
          /use the transaction handle \(trx\), not the root db/,
        );
        // The connection was released: the database keeps working.
        const rows = await within(
          10_000,
          'query after the error',
          database.db.selectFrom('roles').select('id').execute(),
        );
        assert.ok(rows.length > 0);
        const inTrx = await within(
          10_000,
          'transaction after the error',
          database.transaction((trx) => trx.selectFrom('roles').select('id').execute()),
        );
        assert.equal(inTrx.length, rows.length);
      });
    }
  });

  describe(`concurrent HTTP writes (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
    });
    after(() => t.dispose());

    test('concurrent creates all land once, with their audit entries, and no half-written rows', async () => {
      const admin = await staffClient(t, 'tx-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const auditBefore = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'unit.create')
        .executeTakeFirstOrThrow();
      const responses = await within(
        60_000,
        'concurrent creates',
        Promise.all(
          Array.from({ length: CONCURRENT }, (_, i) =>
            admin.post('/api/units', { parentId: territory.communityA.id, kind: 'grid', name: `并发网格${i}` }),
          ),
        ),
      );
      for (const r of responses) assert.equal(r.statusCode, 201, r.body);
      const ids = new Set(responses.map((r) => r.json().unit.id));
      assert.equal(ids.size, CONCURRENT);
      for (const r of responses) {
        const unit = r.json().unit;
        assert.equal(unit.path, `${territory.communityA.path}${unit.id}/`);
      }
      const auditAfter = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'unit.create')
        .executeTakeFirstOrThrow();
      assert.equal(Number(auditAfter.n) - Number(auditBefore.n), CONCURRENT);
    });

    test('of many concurrent updates with the same version exactly one wins; the rest get 409', async () => {
      const admin = await staffClient(t, 'tx-admin2', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const responses = await within(
        60_000,
        'concurrent updates',
        Promise.all(
          Array.from({ length: CONCURRENT }, (_, i) =>
            admin.patch(`/api/units/${territory.gridB.id}`, { version: 1, name: `抢改网格${i}` }),
          ),
        ),
      );
      const winners = responses.filter((r) => r.statusCode === 200);
      assert.equal(winners.length, 1, responses.map((r) => r.statusCode).join(','));
      for (const r of responses.filter((x) => x.statusCode !== 200)) {
        assert.equal(r.statusCode, 409, r.body);
        assert.equal(errorCode(r), 'VERSION_CONFLICT');
      }
      const unit = (await admin.get(`/api/units/${territory.gridB.id}`)).json().unit;
      assert.equal(unit.version, 2);
      assert.equal(unit.name, winners[0]?.json().unit.name);
    });
  });
}
