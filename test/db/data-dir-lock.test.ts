import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/server/db/database.ts';
import { listMigrations, migrate } from '../../src/server/db/migrate.ts';
import { hashPassword } from '../../src/server/modules/auth/password.ts';
import { databaseKinds, TEST_DATABASE_URL } from '../support/databases.ts';
import {
  HttpClient,
  type ServerProcess,
  START_TIMEOUT_MS,
  spawnServer,
  startServer,
  stopServer,
} from './server-process.ts';

/**
 * DATA_DIR belongs to one process at a time, and a server killed without warning (power cut, OOM killer,
 * SIGKILL) comes back up with every acknowledged write intact. These tests run the real server binary.
 */
const PASSWORD = 'Lock-Test-Passw0rd!';
const dirs: string[] = [];
const servers: ServerProcess[] = [];

function tempDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'linli-datadir-'));
  dirs.push(dir);
  return dir;
}

async function launch(dataDir: string) {
  const server = await startServer(dataDir);
  servers.push(server);
  return server;
}

/** Migrates the data dir and adds a system administrator, then closes it (the server needs the lock). */
async function seedAdmin(dataDir: string) {
  const database = await openDatabase({ dataDir });
  try {
    await migrate(database);
    const root = await database.db
      .insertInto('units')
      .values({ kind: 'district', name: '锁测试区', path: '/pending/', depth: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('units')
      .set({ path: `/${root.id}/` })
      .where('id', '=', root.id)
      .execute();
    const account = await database.db
      .insertInto('accounts')
      .values({
        kind: 'staff',
        username: 'lockadmin',
        display_name: '锁测试管理员',
        password_hash: await hashPassword(PASSWORD),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const role = await database.db
      .selectFrom('roles')
      .select('id')
      .where('code', '=', 'systemAdmin')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('role_grants')
      .values({ account_id: account.id, role_id: role.id, unit_id: root.id })
      .execute();
    return { rootId: root.id };
  } finally {
    await database.close();
  }
}

/** A pid that certainly belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(result.pid, 'spawned a short-lived process');
  return result.pid;
}

after(async () => {
  for (const server of servers) await stopServer(server, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('DATA_DIR lock and crash recovery (embedded database, real server process)', {
  timeout: 5 * START_TIMEOUT_MS,
}, () => {
  test('a second server on the same DATA_DIR refuses to start and names the holder', async () => {
    const dataDir = tempDataDir();
    const first = await launch(dataDir);
    const second = spawnServer(dataDir);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      second.exited,
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still running'), START_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (code === 'still running') second.child.kill('SIGKILL');
    assert.notEqual(code, 0, 'the second process exits with an error');
    assert.notEqual(code, 'still running', 'the second process does not wait for the lock');
    assert.match(second.output(), new RegExp(`in use by another Linli process \\(pid ${first.pid}\\b`));
    // The refused process did not disturb the running one.
    const health = await new HttpClient(first.base).call('GET', '/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
    await stopServer(first);
    assert.equal(await first.exited, 0, 'a SIGTERM shuts down cleanly');
    assert.equal(existsSync(path.join(dataDir, 'linli.lock')), false, 'a clean shutdown releases the lock');
  });

  test('after SIGKILL the server starts again and every acknowledged write is still there', async () => {
    const dataDir = tempDataDir();
    const { rootId } = await seedAdmin(dataDir);
    const first = await launch(dataDir);
    const admin = new HttpClient(first.base);
    const login = await admin.call('POST', '/api/auth/login', { username: 'lockadmin', password: PASSWORD });
    assert.equal(login.status, 200, JSON.stringify(login.json));
    const created: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await admin.call('POST', '/api/units', {
        parentId: rootId,
        kind: 'street',
        name: `崩溃街道${i}`,
      });
      assert.equal(response.status, 201, JSON.stringify(response.json));
      created.push(response.json.unit.id);
    }
    const renamed = await admin.call('PATCH', `/api/units/${created[0]}`, { version: 1, name: '改名后的街道' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));

    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    assert.ok(existsSync(path.join(dataDir, 'linli.lock')), 'the killed process left its lock behind');

    const second = await launch(dataDir);
    const health = await new HttpClient(second.base).call('GET', '/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
    assert.equal(health.json.database.kind, 'embedded');
    assert.deepEqual(health.json.migrations.pending, []);

    // The session was an acknowledged write too: the same cookie still works against the new process.
    const again = new HttpClient(second.base);
    again.cookie = admin.cookie;
    again.csrf = admin.csrf;
    const list = await again.call('GET', `/api/units?parentId=${rootId}&pageSize=50`);
    assert.equal(list.status, 200, JSON.stringify(list.json));
    const ids = list.json.items.map((u: { id: number }) => u.id).sort((a: number, b: number) => a - b);
    assert.deepEqual(
      ids,
      [...created].sort((a, b) => a - b),
    );
    const first0 = await again.call('GET', `/api/units/${created[0]}`);
    assert.equal(first0.json.unit.name, '改名后的街道');
    assert.equal(first0.json.unit.version, 2);
    // And the restarted server accepts writes.
    const more = await again.call('POST', '/api/units', { parentId: rootId, kind: 'street', name: '重启后的街道' });
    assert.equal(more.status, 201, JSON.stringify(more.json));
    await stopServer(second);
    assert.equal(await second.exited, 0);
  });

  test('a lock left by a dead process and a stale postmaster.pid are cleared at start', async () => {
    const dataDir = tempDataDir();
    // Create the database once and shut down cleanly, then fake the leftovers of a crashed process.
    await stopServer(await launch(dataDir));
    const pid = deadPid();
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    writeFileSync(
      path.join(dataDir, 'linli.lock'),
      JSON.stringify({ pid, host: hostname(), startedAt, procStart: '1' }),
    );
    mkdirSync(path.join(dataDir, 'pgdata'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pgdata', 'postmaster.pid'), `${pid}\n/pglite/data\n1700000000\n5432\n\n\n`);

    const server = await launch(dataDir);
    const health = await new HttpClient(server.base).call('GET', '/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
    const holder = JSON.parse(readFileSync(path.join(dataDir, 'linli.lock'), 'utf8'));
    assert.equal(holder.pid, server.pid, 'the new process holds the lock');
    await stopServer(server);
  });

  test('a lock whose pid now belongs to another process (pid reuse) is treated as stale', async () => {
    const dataDir = tempDataDir();
    // This test process is alive, but its start time differs from the one recorded: a reused pid.
    writeFileSync(
      path.join(dataDir, 'linli.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', procStart: '1' }),
    );
    const server = await launch(dataDir);
    const health = await new HttpClient(server.base).call('GET', '/api/health');
    assert.equal(health.json.status, 'ok');
    await stopServer(server);
  });

  test('a stale postmaster.pid without any Linli lock does not hang the start', async () => {
    const dataDir = tempDataDir();
    const first = await launch(dataDir);
    first.child.kill('SIGKILL');
    await first.exited;
    // Someone removed the lock by hand; PostgreSQL's own pid file is still there.
    rmSync(path.join(dataDir, 'linli.lock'));
    assert.ok(existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid')), 'the killed process left postmaster.pid');
    const server = await launch(dataDir);
    const health = await new HttpClient(server.base).call('GET', '/api/health');
    assert.equal(health.json.status, 'ok');
    await stopServer(server);
  });
});

if ((await databaseKinds()).includes('postgres')) {
  describe('several servers on one PostgreSQL server (no DATA_DIR lock)', { timeout: 3 * START_TIMEOUT_MS }, () => {
    test('two servers started together on an empty database both come up, migrating once', async () => {
      const name = `linli_start_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${name}`;
      const dataDir = tempDataDir();
      try {
        const [a, b] = await Promise.all([
          startServer(dataDir, { DATABASE_URL: url.toString() }),
          startServer(dataDir, { DATABASE_URL: url.toString() }),
        ]);
        servers.push(a, b);
        for (const server of [a, b]) {
          const health = await new HttpClient(server.base).call('GET', '/api/health');
          assert.equal(health.status, 200);
          assert.equal(health.json.database.kind, 'postgres');
          assert.deepEqual(health.json.migrations.pending, []);
          assert.equal(health.json.migrations.applied, listMigrations().length);
        }
        assert.equal(existsSync(path.join(dataDir, 'linli.lock')), false, 'no DATA_DIR lock with an external database');
        await Promise.all([stopServer(a), stopServer(b)]);
      } finally {
        const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      }
    });
  });
}
