import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { type Clock, systemClock } from '../../src/server/clock.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/database.ts';
import type { UnitKind } from '../../src/server/db/schema.ts';
import type { App } from '../../src/server/http/context.ts';
import { DevelopmentOtpSender } from '../../src/server/modules/auth/otp-sender.ts';
import { hashPassword } from '../../src/server/modules/auth/password.ts';
import { createSession, SESSION_COOKIE } from '../../src/server/modules/auth/session.service.ts';
import {
  createNotificationBus,
  type NotificationBus,
} from '../../src/server/modules/notifications/notification-bus.ts';
import { type DbKind, freshDatabase } from './databases.ts';

export const TEST_PASSWORD = 'Test-Passw0rd!';
let passwordHash: Promise<string> | undefined;

export interface TestApp {
  app: App;
  database: Database;
  config: Config;
  otpSender: DevelopmentOtpSender;
  /** LISTEN/NOTIFY on the server, in-process on the embedded database (as in production). */
  notificationBus: NotificationBus;
  /** The scratch database's URL (postgres only), e.g. for a second instance on the same database. */
  databaseUrl?: string | undefined;
  dispose(): Promise<void>;
}

export async function createTestApp(
  kind: DbKind,
  env: Record<string, string> = {},
  clock: Clock = systemClock,
): Promise<TestApp> {
  const { database, dispose, url } = await freshDatabase(kind);
  const config = loadConfig({
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    DATA_DIR: '/tmp/linli-test-unused',
    WEB_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const otpSender = new DevelopmentOtpSender();
  const notificationBus = await createNotificationBus(database, url);
  const app = await buildApp({ database, config, otpSender, clock, notificationBus }, { logger: false });
  await app.ready();
  return {
    app,
    database,
    config,
    otpSender,
    notificationBus,
    databaseUrl: url,
    async dispose() {
      await app.close();
      await notificationBus.close();
      await dispose();
    },
  };
}

/** An HTTP client over app.inject that keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  readonly app: App;
  cookie: string | undefined;
  csrfToken: string | undefined;
  constructor(app: App, cookie?: string, csrfToken?: string) {
    this.app = app;
    this.cookie = cookie;
    this.csrfToken = csrfToken;
  }
  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (this.cookie) headers.cookie = `${SESSION_COOKIE}=${this.cookie}`;
    if (this.csrfToken && options.method && options.method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    const response = await this.app.inject({ ...options, headers });
    const set = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value || undefined;
    if (response.statusCode === 200 && response.headers['content-type']?.toString().includes('json')) {
      const body = response.json() as { session?: { csrfToken?: string } };
      if (body?.session?.csrfToken) this.csrfToken = body.session.csrfToken;
    }
    return response;
  }
  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) });
  }
  patch(url: string, payload: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as object });
  }
  put(url: string, payload: unknown) {
    return this.request({ method: 'PUT', url, payload: payload as object });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}

let unitSeq = 0;
/** Inserts a unit directly (path computed), for building test territories quickly. */
export async function insertUnit(
  database: Database,
  kind: UnitKind,
  name: string,
  parent?: { id: number; path: string; depth: number },
) {
  unitSeq += 1;
  const row = await database.db
    .insertInto('units')
    .values({
      kind,
      name: `${name}`,
      parent_id: parent?.id ?? null,
      path: `/tmp-${process.pid}-${unitSeq}/`,
      depth: parent ? parent.depth + 1 : 0,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const path = `${parent?.path ?? '/'}${row.id}/`;
  await database.db.updateTable('units').set({ path }).where('id', '=', row.id).execute();
  return { id: row.id, path, depth: parent ? parent.depth + 1 : 0, name, kind };
}

export type TestUnit = Awaited<ReturnType<typeof insertUnit>>;

/**
 * A small territory: one district with two streets, a community under each, a grid under each community,
 * and a department at district level.
 */
export async function buildTerritory(database: Database) {
  const district = await insertUnit(database, 'district', '测试区');
  const streetA = await insertUnit(database, 'street', '甲街道', district);
  const streetB = await insertUnit(database, 'street', '乙街道', district);
  const communityA = await insertUnit(database, 'community', '甲社区', streetA);
  const communityB = await insertUnit(database, 'community', '乙社区', streetB);
  const gridA = await insertUnit(database, 'grid', '甲一网格', communityA);
  const gridB = await insertUnit(database, 'grid', '乙一网格', communityB);
  const department = await insertUnit(database, 'department', '城市管理局', district);
  return { district, streetA, streetB, communityA, communityB, gridA, gridB, department };
}

export type Territory = Awaited<ReturnType<typeof buildTerritory>>;

/** A staff account holding a built-in role in a unit, signed in: returns a ready client. */
export async function staffClient(
  t: TestApp,
  username: string,
  grants: Array<{ role: string; unitId: number }>,
): Promise<Client & { accountId: number }> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const account = await t.database.db
    .insertInto('accounts')
    .values({ kind: 'staff', username, display_name: username, password_hash: await passwordHash })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  for (const g of grants) {
    const role = await t.database.db
      .selectFrom('roles')
      .select('id')
      .where('code', '=', g.role)
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('role_grants')
      .values({ account_id: account.id, role_id: role.id, unit_id: g.unitId })
      .execute();
  }
  const session = await createSession(t.database.db, t.config, account.id, '127.0.0.1', 'test');
  const client = new Client(t.app, session.token, session.csrfToken) as Client & { accountId: number };
  client.accountId = account.id;
  return client;
}

export function anonymous(t: TestApp) {
  return new Client(t.app);
}

/** Asserts the one error shape and returns the code. */
export function errorCode(response: LightMyRequestResponse): string {
  const body = response.json() as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  if (
    !body.error ||
    typeof body.error.code !== 'string' ||
    typeof body.error.message !== 'string' ||
    typeof body.error.requestId !== 'string'
  ) {
    throw new Error(`not the error shape: ${response.body}`);
  }
  return body.error.code;
}
