import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { PERMISSIONS } from '../../src/server/access/permissions.ts';
import type { RouteEntry } from '../../src/server/http/context.ts';
import { ERROR_STATUS } from '../../src/server/http/errors.ts';
import { createSession, SESSION_COOKIE } from '../../src/server/modules/auth/session.service.ts';
import { buildTerritory, createTestApp, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/databases.ts';
import {
  buildScopeFixtures,
  enumValues,
  fillUrl,
  operationOf,
  PARAM_FIXTURES,
  VALID_BODIES,
} from '../support/matrix.ts';
import { type FuzzCase, type FuzzContext, fuzzCases, garbageWorkbooks } from './fuzz-requests.ts';

/**
 * Garbage at every route that takes input, as an all-powerful administrator with a valid CSRF token:
 * never a 5xx, every refusal in the one error shape with the status its code promises, and a refused
 * request leaves every table as it was. Routes and their schemas come from the route table and the
 * OpenAPI document, so a new route is fuzzed from the day it is registered.
 *
 * LINLI_FUZZ_RUNS is the number of requests per database; by default 10,000 per run shared by the
 * databases under test (5,000 each on the embedded one and the server). LINLI_FUZZ_SEED replays a run.
 */
const KINDS = await databaseKinds();
const TOTAL_RUNS = Number(process.env.LINLI_FUZZ_RUNS ?? Math.ceil(10_000 / KINDS.length));
const SEED = process.env.LINLI_FUZZ_SEED ? Number(process.env.LINLI_FUZZ_SEED) : undefined;
/** Written by refusals on purpose: failed sign-ins and refused actions are audited. */
const MAY_GROW_ON_FAILURE = new Set(['audit_log']);
const ADMIN_ACCOUNT_ID = 900_001;
const READS = new Set(['GET', 'HEAD']);
/** What a successful read records on purpose: opening a notice marks it read. */
const READ_SIDE_EFFECTS: Record<string, string[]> = { 'GET /api/me/notices/:id': ['notice_reads'] };
/** Error codes of requests refused before the handler: parsing, the schema, the body limit, the content type. */
const BEFORE_HANDLER = new Set(['VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);
const ADMIN_ROLES = ['systemAdmin', 'auditor'];

interface Session {
  cookie: string;
  csrf: string;
}

for (const kind of KINDS) {
  describe(`fuzz every route with input (${kind})`, () => {
    let t: TestApp;
    let spec: unknown;
    let ctx: FuzzContext;
    let admin: Session;
    let resident: Session;
    let countTables: () => Promise<Record<string, number>>;
    let targets: RouteEntry[];
    let sent = 0;
    let lastCounts: Record<string, number> | undefined;
    const statuses = new Map<string, Map<number, number>>();
    /** Routes at least one request got past parsing and validation on (answered by the handler). */
    const reached = new Set<string>();

    before(async () => {
      t = await createTestApp(kind);
      spec = t.app.swagger();
      const territory = await buildTerritory(t.database);
      const fixtures = await buildScopeFixtures(t.database, territory);
      // All-powerful: the system administrator and the auditor (who alone reads the audit log), everywhere.
      const roles = await t.database.db
        .selectFrom('roles')
        .select(['id', 'permissions'])
        .where('code', 'in', ADMIN_ROLES)
        .execute();
      const held = new Set(roles.flatMap((r) => r.permissions));
      assert.deepEqual(
        PERMISSIONS.filter((p) => !held.has(p)),
        [],
        'the fuzzing administrator holds every permission',
      );
      await t.database.db
        .insertInto('accounts')
        .values({ id: ADMIN_ACCOUNT_ID, kind: 'staff', username: 'fuzz-root-admin', display_name: '模糊测试管理员' })
        .execute();
      await t.database.db
        .insertInto('role_grants')
        .values(roles.map((r) => ({ account_id: ADMIN_ACCOUNT_ID, role_id: r.id, unit_id: territory.district.id })))
        .execute();
      const adminSession = await createSession(t.database.db, t.config, ADMIN_ACCOUNT_ID, '127.0.0.1', 'fuzz');
      admin = { cookie: adminSession.token, csrf: adminSession.csrfToken };
      const residentAccount = await t.database.db
        .selectFrom('accounts')
        .select('id')
        .where('kind', '=', 'resident')
        .where('person_id', '=', fixtures.inside.person as number)
        .executeTakeFirstOrThrow();
      const residentSession = await createSession(t.database.db, t.config, residentAccount.id, '127.0.0.1', 'fuzz');
      resident = { cookie: residentSession.token, csrf: residentSession.csrfToken };

      const tables = await sql<{ name: string }>`
        SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
        t.database.db,
      );
      const select = tables.rows.map((r) => `(SELECT count(*) FROM "${r.name}")::int AS "${r.name}"`).join(', ');
      countTables = async () => {
        const result = await sql<Record<string, number>>`SELECT ${sql.raw(select)}`.execute(t.database.db);
        return result.rows[0] ?? {};
      };

      targets = t.app.routeTable.filter((route) => {
        const op = operationOf(spec, route);
        const hasQuery = (op?.parameters ?? []).some((p) => p.in === 'query');
        return route.hasBody || route.url.includes(':') || hasQuery;
      });
      const templates: Buffer[] = [];
      for (const route of t.app.routeTable.filter((r) => r.method === 'GET' && r.url.includes('template'))) {
        for (const value of enumValues(operationOf(spec, route), 'kind') ?? []) {
          const response = await inject(route.method, fillUrl(route.url, { kind: value }), admin);
          if (response.statusCode === 200) templates.push(response.rawPayload);
        }
      }
      const ids = [...Object.values(fixtures.inside), ...Object.values(fixtures.outside), 1, 2, 3, 999_999].filter(
        (v): v is number => typeof v === 'number',
      );
      ctx = {
        spec,
        knownIds: [...new Set(ids)],
        bodyLimit: t.config.bodyLimitBytes,
        workbooks: await garbageWorkbooks(templates),
        validBodies: VALID_BODIES,
        pathValues: Object.fromEntries(
          Object.entries(PARAM_FIXTURES).map(([key, { kind }]) => [
            key,
            [fixtures.inside[kind], fixtures.outside[kind]],
          ]),
        ),
      };
    });
    after(() => t?.dispose());

    function inject(method: string, url: string, session: Session, c?: FuzzCase) {
      return t.app.inject({
        method: method as 'GET',
        url,
        headers: { ...c?.headers, cookie: `${SESSION_COOKIE}=${session.cookie}`, 'x-csrf-token': session.csrf },
        ...(c?.payload === undefined ? {} : { payload: c.payload }),
      });
    }

    async function check(route: RouteEntry, c: FuzzCase) {
      const session = route.access?.auth === 'resident' ? resident : admin;
      // Tables are counted around writes only (one query for all of them); reads are checked per route below.
      const writing = !READS.has(route.method);
      const before = writing ? (lastCounts ?? (await countTables())) : undefined;
      const response = await inject(route.method, c.url, session, c);
      sent += 1;
      const tally = statuses.get(`${route.method} ${route.url}`) ?? new Map<number, number>();
      tally.set(response.statusCode, (tally.get(response.statusCode) ?? 0) + 1);
      statuses.set(`${route.method} ${route.url}`, tally);
      if (writing) lastCounts = await countTables();
      const status = response.statusCode;
      const what = `${route.method} ${c.url.slice(0, 300)} [${c.label}] → ${status} ${response.body.slice(0, 600)}`;
      assert.ok(status < 500, `server error: ${what}`);
      if (status < 400) {
        reached.add(`${route.method} ${route.url}`);
        return;
      }
      let body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
      try {
        body = response.json();
      } catch {
        assert.fail(`not JSON: ${what}`);
      }
      const error = body.error;
      assert.ok(
        error &&
          typeof error.message === 'string' &&
          typeof error.requestId === 'string' &&
          typeof error.code === 'string',
        `not the error shape: ${what}`,
      );
      if (!BEFORE_HANDLER.has(error.code as string)) reached.add(`${route.method} ${route.url}`);
      assert.equal(
        ERROR_STATUS[error.code as keyof typeof ERROR_STATUS],
        status,
        `status does not match the code: ${what}`,
      );
      assert.ok(route.access?.auth === 'public' || error.code !== 'UNAUTHENTICATED', `session lost: ${what}`);
      if (!before || !lastCounts) return;
      const afterCounts = lastCounts;
      const changed = Object.keys(afterCounts).filter(
        (table) => !MAY_GROW_ON_FAILURE.has(table) && afterCounts[table] !== before[table],
      );
      assert.deepEqual(changed, [], `a refused request changed tables ${changed.join(', ')}: ${what}`);
      for (const table of MAY_GROW_ON_FAILURE) {
        assert.ok((afterCounts[table] ?? 0) >= (before[table] ?? 0), `${table} shrank: ${what}`);
      }
    }

    test('never a 5xx, always the one error shape, nothing half-written', async (testContext) => {
      assert.ok(targets.length > 0);
      const perRoute = Math.max(20, Math.ceil(TOTAL_RUNS / targets.length));
      // Every route gets its runs even when an earlier one fails, so one run reports every broken route.
      const failures: string[] = [];
      for (const route of targets) {
        const op = operationOf(spec, route);
        const result = await fc.check(
          fc.asyncProperty(fuzzCases(route, op, ctx), (c) => check(route, c)),
          { numRuns: perRoute, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
        );
        if (READS.has(route.method)) {
          // Reads write nothing but the audit log (and what READ_SIDE_EFFECTS lists), whatever they are sent.
          const was = lastCounts ?? {};
          lastCounts = await countTables();
          const now = lastCounts;
          const allowed = new Set([
            ...MAY_GROW_ON_FAILURE,
            ...(READ_SIDE_EFFECTS[`${route.method} ${route.url}`] ?? []),
          ]);
          const changed = Object.keys(now).filter((table) => !allowed.has(table) && now[table] !== was[table]);
          if (Object.keys(was).length && changed.length) {
            failures.push(`${route.method} ${route.url}: reads changed tables ${changed.join(', ')}`);
          }
        }
        if (result.failed) {
          const cause =
            result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
          failures.push(
            `${route.method} ${route.url} (seed ${result.seed}, path ${result.counterexamplePath}): ${cause}`,
          );
        }
      }
      const lines = [...statuses].map(
        ([route, tally]) =>
          `${route}: ${[...tally]
            .sort(([a], [b]) => a - b)
            .map(([code, n]) => `${code}×${n}`)
            .join(' ')}`,
      );
      // A route whose every request was refused before its handler is badly generated: report it.
      const unreached = [...statuses.keys()].filter((route) => !reached.has(route));
      testContext.diagnostic(
        `${sent} requests to ${targets.length} routes (${kind}); statuses by route:\n${lines.join('\n')}\n` +
          `routes no request got past parsing and validation on: ${unreached.join(', ') || 'none'}`,
      );
      assert.deepEqual(failures, [], `${failures.length} route(s) mishandled garbage:\n${failures.join('\n\n')}`);
      assert.ok(sent >= TOTAL_RUNS, `sent ${sent} requests`);
      // The administrator still holds its grant: no route removed it through another account's path.
      const grants = await t.database.db
        .selectFrom('role_grants')
        .select('id')
        .where('account_id', '=', ADMIN_ACCOUNT_ID)
        .execute();
      assert.equal(grants.length, ADMIN_ROLES.length);
    });
  });
}
