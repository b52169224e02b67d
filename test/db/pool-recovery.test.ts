import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { toAppError } from '../../src/server/http/error-handler.ts';
import { freshDatabase, postgresReachable, TEST_DATABASE_URL, type TestDatabase } from '../support/databases.ts';

/**
 * The PostgreSQL server restarting (or an administrator ending a backend) cuts the connections the pool has lent
 * out. Found by `npm run drill` (restart drill): a lent connection that dropped between two statements emitted an
 * 'error' event nobody listened to, which ended the whole server process. Now the request fails, the broken
 * connection leaves the pool, and the next request gets a fresh one.
 */
const opened: TestDatabase[] = [];
after(async () => {
  for (const t of opened) await t.dispose();
});

describe('PostgreSQL pool survives a connection cut while lent out', async () => {
  if (!(await postgresReachable())) {
    test('PostgreSQL server not reachable: nothing to check on the embedded database');
    return;
  }
  test('a transaction whose connection is terminated fails; the process lives and the pool recovers', async () => {
    const t = await freshDatabase('postgres');
    opened.push(t);
    const { database } = t;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await assert.rejects(
        database.transaction(async (trx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          // The server's FATAL and the socket's end arrive while no statement is running on this connection.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`SELECT 1`.execute(trx);
        }),
      );
    } finally {
      await admin.end();
    }
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    assert.equal(rows[0]?.one, 1, 'the next statement runs on a fresh connection');
  });
});

test('a database that is away answers 503 UNAVAILABLE with Retry-After (clients retry), not a 500', () => {
  const away = [
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Client has encountered a connection error and is not queryable'),
  ];
  for (const error of away) {
    const known = toAppError(error);
    assert.equal(known?.code, 'UNAVAILABLE', error.message);
    assert.equal(known?.status, 503);
    assert.equal(known?.headers['retry-after'], '1');
  }
  // A constraint error is still the request's fault, and an unknown one still a logged 500.
  assert.equal(toAppError(Object.assign(new Error('dup'), { code: '23505' }))?.status, 409);
  assert.equal(toAppError(new Error('something else')), null);
});
