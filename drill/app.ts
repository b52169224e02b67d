import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { hashPassword } from '../src/server/modules/auth/password.ts';
import { type ServerProcess, startServer, stopServer } from '../test/db/server-process.ts';
import { onCleanup, withTimeout } from './processes.ts';

export const DRILL_USERNAME = 'drill.intake';
const PASSWORD = `Drill-${randomBytes(6).toString('hex')}-Pw1!`;

/** The shared PostgreSQL server, where the crash drill creates (and drops) its own database. */
export const SERVER_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Creates a fresh database for the drill on the server of `adminUrl`, dropped at the end whatever happens. */
export async function createDrillDatabase(adminUrl: string, label: string): Promise<string> {
  const name = `linli_drill_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end().catch(() => {});
  }
  const drop = async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end().catch(() => {});
    }
  };
  onCleanup(`drop database ${name}`, drop);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Migrates the database and adds what intake needs: a district and a staff account holding the built-in system
 * administrator role there (which carries `case.intake`). The case-number sequences come from the server's start.
 */
export async function seedDrillDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<void> {
  const database = await openDatabase(options);
  try {
    await migrate(database);
    await database.transaction(async (trx) => {
      const root = await trx
        .insertInto('units')
        .values({ kind: 'district', name: '演练区', path: '/pending/', depth: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('units')
        .set({ path: `/${root.id}/` })
        .where('id', '=', root.id)
        .execute();
      const account = await trx
        .insertInto('accounts')
        .values({
          kind: 'staff',
          username: DRILL_USERNAME,
          display_name: '演练受理员',
          password_hash: await hashPassword(PASSWORD),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const role = await trx
        .selectFrom('roles')
        .select('id')
        .where('code', '=', 'systemAdmin')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('role_grants')
        .values({ account_id: account.id, role_id: role.id, unit_id: root.id })
        .execute();
    });
  } finally {
    await database.close();
  }
}

/** Opens the drill's database directly (for verification), runs `fn`, closes it. */
export async function withDatabase<T>(
  options: { databaseUrl?: string; dataDir: string },
  fn: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(options);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** The real server (`src/server/main.ts`) as a child process, killed at the end whatever happens. */
export async function startApp(dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer(dataDir, { LOG_LEVEL: 'error', ...env });
  onCleanup(
    `server pid ${server.pid}`,
    () => stopServer(server, 'SIGKILL'),
    () => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    },
  );
  return server;
}

/** `kill -9`: the process ends at once, in the middle of whatever it was doing. */
export async function killApp(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await withTimeout(server.exited, 30_000, `exit of server pid ${server.pid}`);
}

/** A signed-in staff session: its cookie and CSRF token, kept across server restarts (sessions are in the database). */
export interface Session {
  cookie: string;
  csrf: string;
}

export async function signIn(base: string): Promise<Session> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DRILL_USERNAME, password: PASSWORD }),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await response.json()) as { session?: { csrfToken?: string } };
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('linli_sid='))
    ?.split(';')[0];
  if (response.status !== 200 || !cookie || !json.session?.csrfToken) {
    throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(json)}`);
  }
  return { cookie, csrf: json.session.csrfToken };
}

export interface Health {
  status: number | 'unreachable';
}

export async function health(base: string): Promise<Health> {
  try {
    const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return { status: response.status };
  } catch {
    return { status: 'unreachable' };
  }
}
