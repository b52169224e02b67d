import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { Permission } from '../../src/server/access/permissions.ts';
import type { RouteEntry } from '../../src/server/http/context.ts';
import { createSession } from '../../src/server/modules/auth/session.service.ts';
import {
  anonymous,
  buildTerritory,
  Client,
  createTestApp,
  errorCode,
  staffClient,
  type TestApp,
} from '../support/app.ts';
import { databaseKinds } from '../support/databases.ts';
import {
  buildScopeFixtures,
  enumValues,
  fillUrl,
  leakedIn,
  operationOf,
  PARAM_FIXTURES,
  type ParamFixture,
  queryParamNames,
  routeParams,
  type ScopeFixtures,
  VALID_BODIES,
} from '../support/matrix.ts';
import { fromSchema, type JsonSchema } from './arbitraries.ts';

/**
 * Every route of the API, read from the route table, against actors scoped to community A and records of
 * community B: out-of-scope records answer 404 (403 where the role lacks the permission) without a trace of
 * the record, and lists never show them. A new route is in the matrix the moment it is registered.
 */
const ACTORS = [
  { role: 'communityWorker', at: 'communityA' },
  { role: 'streetAdmin', at: 'streetA' },
  { role: 'partySecretary', at: 'communityA' },
] as const;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const coverage = new Map<string, Set<string>>();
function covered(route: RouteEntry, what: string) {
  const key = `${route.method} ${route.url}`;
  if (!coverage.has(key)) coverage.set(key, new Set());
  coverage.get(key)?.add(what);
}

async function bodyText(response: LightMyRequestResponse): Promise<string> {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.includes('spreadsheetml')) return response.body;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(String(cell.text ?? ''));
      });
    });
  });
  return cells.join('\n');
}

async function assertNoLeak(response: LightMyRequestResponse, secrets: readonly string[], what: string) {
  const leaked = leakedIn(await bodyText(response), secrets);
  assert.deepEqual(leaked, [], `${what} answered with community B data: ${leaked.join(', ')}`);
}

function assertStatus(response: LightMyRequestResponse, expected: number[], what: string) {
  assert.ok(
    expected.includes(response.statusCode),
    `${what}: expected ${expected.join(' or ')}, got ${response.statusCode} ${response.body.slice(0, 300)}`,
  );
  if (response.statusCode >= 400) errorCode(response);
}

// The routes and their OpenAPI description are the same on every database: read them once from a probe app.
const probe = await createTestApp('embedded');
const spec = probe.app.swagger() as unknown;
const routes = probe.app.routeTable.filter((r) => r.access?.auth !== 'public');
await probe.dispose();

for (const kind of await databaseKinds()) {
  describe(`scope matrix (${kind})`, () => {
    let t: TestApp;
    let f: ScopeFixtures;
    let rolePermissions: Map<string, Set<string>>;
    let snapshotBefore: string;

    /** Community B's records as stored: compared after every actor has tried its worst. */
    async function snapshotB(): Promise<string> {
      const db = t.database.db;
      const o = f.outside;
      const parts = await Promise.all([
        db
          .selectFrom('units')
          .selectAll()
          .where('path', 'like', `${f.territory.streetB.path}%`)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('people')
          .selectAll()
          .where('id', '=', o.person as number)
          .execute(),
        db
          .selectFrom('care_persons')
          .selectAll()
          .where('person_id', '=', o.person as number)
          .execute(),
        db
          .selectFrom('unit_posts')
          .selectAll()
          .where('id', '=', o.unitPost as number)
          .execute(),
        db
          .selectFrom('party_orgs')
          .selectAll()
          .where('id', '=', o.partyOrg as number)
          .execute(),
        db
          .selectFrom('party_members')
          .selectAll()
          .where('person_id', '=', o.person as number)
          .execute(),
        db
          .selectFrom('accounts')
          .selectAll()
          .where('id', '=', o.account as number)
          .execute(),
        db
          .selectFrom('role_grants')
          .selectAll()
          .where('account_id', '=', o.account as number)
          .execute(),
        db
          .selectFrom('grid_boundaries')
          .select(['unit_id', 'outline'])
          .where('unit_id', '=', o.grid as number)
          .execute(),
        db
          .selectFrom('roles')
          .selectAll()
          .where('id', '=', o.role as number)
          .execute(),
        db
          .selectFrom('cases')
          .selectAll()
          .where('id', '=', o.case as number)
          .execute(),
        db
          .selectFrom('case_events')
          .selectAll()
          .where('case_id', '=', o.case as number)
          .execute(),
        db
          .selectFrom('call_requests')
          .selectAll()
          .where('id', '=', o.callRequest as number)
          .execute(),
        db
          .selectFrom('attachments')
          .selectAll()
          .where('id', '=', o.attachment as string)
          .execute(),
      ]);
      return JSON.stringify(parts);
    }

    before(async () => {
      t = await createTestApp(kind);
      const territory = await buildTerritory(t.database);
      f = await buildScopeFixtures(t.database, territory);
      const roles = await t.database.db.selectFrom('roles').select(['code', 'permissions']).execute();
      rolePermissions = new Map(roles.map((r) => [r.code, new Set(r.permissions)]));
      snapshotBefore = await snapshotB();
    });
    after(() => t?.dispose());

    /** Concrete URL for a route with community B's records (or the first enum value) in its params. */
    function outsideUrl(route: RouteEntry): string {
      const op = operationOf(spec, route);
      const values: Record<string, string | number> = {};
      for (const p of routeParams(route.url)) {
        const fixture = PARAM_FIXTURES[p.key];
        values[p.name] = enumValues(op, p.name)?.[0] ?? (fixture ? f.outside[fixture.kind] : 1);
      }
      return fillUrl(route.url, values);
    }

    test('without a session every non-public route answers 401', async () => {
      for (const route of routes) {
        const response = await anonymous(t).request({ method: route.method as 'GET', url: outsideUrl(route) });
        assertStatus(response, [401], `${route.method} ${route.url} unauthenticated`);
        assert.equal(errorCode(response), 'UNAUTHENTICATED');
        covered(route, '401 anonymous');
      }
    });

    test('a resident account is refused on every staff route', async () => {
      const account = await t.database.db
        .insertInto('accounts')
        .values({ kind: 'resident', phone: '13600136000', display_name: '矩阵居民账号' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const session = await createSession(t.database.db, t.config, account.id, '127.0.0.1', 'matrix');
      const resident = new Client(t.app, session.token, session.csrfToken);
      for (const route of routes.filter((r) => r.access?.auth === 'staff')) {
        const response = await resident.request({ method: route.method as 'GET', url: outsideUrl(route) });
        assertStatus(response, [403], `${route.method} ${route.url} as a resident`);
        await assertNoLeak(response, [...f.personal, ...f.names], `${route.method} ${route.url} as a resident`);
        covered(route, '403 resident');
      }
    });

    for (const actorSpec of ACTORS) {
      describe(`${actorSpec.role} at ${actorSpec.at}`, () => {
        let client: Client;
        let held: Set<string>;
        before(async () => {
          client = await staffClient(t, `matrix-${actorSpec.role.toLowerCase()}`, [
            { role: actorSpec.role, unitId: f.territory[actorSpec.at].id },
          ]);
          held = rolePermissions.get(actorSpec.role) ?? new Set();
        });

        /** 403 when the route's declared permission (or account kind) is not the actor's, else `allowed`. */
        function expectedFor(route: RouteEntry, allowed: number[]): number[] {
          const access = route.access;
          if (access?.auth === 'resident') return [403];
          if (access?.permission && !held.has(access.permission)) return [403];
          // No declared permission: the handler may still refuse for lack of one it checks itself.
          if (!access?.permission && access?.auth === 'staff') return [...allowed, 403];
          return allowed;
        }

        /** Bodies generated from the route's schema until one gets past validation (or we give up). */
        async function sendWithValidBody(route: RouteEntry, url: string): Promise<LightMyRequestResponse> {
          const op = operationOf(spec, route);
          const schema = op?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
          if (SAFE.has(route.method) || !schema) return client.request({ method: route.method as 'POST', url });
          const insideIds = Object.values(f.inside).filter((v): v is number => typeof v === 'number');
          const given = VALID_BODIES[`${route.method} ${route.url}`];
          const candidates = [
            ...(given === undefined ? [] : [given]),
            ...fc.sample(fromSchema(schema, { spec, knownIds: insideIds }), { numRuns: 60, seed: 7 }),
          ];
          let response: LightMyRequestResponse | undefined;
          for (const body of candidates) {
            response = await client.request({ method: route.method as 'POST', url, payload: body as object });
            if (response.statusCode !== 400) return response;
          }
          assert.fail(
            `${route.method} ${route.url}: none of ${candidates.length} generated bodies passed validation ` +
              `(last: ${response?.body.slice(0, 300)}); the matrix cannot reach its scope check`,
          );
        }

        for (const route of routes) {
          test(`${route.method} ${route.url}`, async () => {
            const op = operationOf(spec, route);
            const params = routeParams(route.url);
            const recordParams = params.filter((p) => !enumValues(op, p.name));
            const missing = recordParams.filter((p) => !PARAM_FIXTURES[p.key]).map((p) => p.key);
            assert.deepEqual(
              missing,
              [],
              `route ${route.method} ${route.url} has path parameters without a fixture: add them to PARAM_FIXTURES in test/support/matrix.ts`,
            );
            const enumParams = params.filter((p) => enumValues(op, p.name));
            const combos: Array<Record<string, string>> = [{}];
            for (const p of enumParams) {
              const values = enumValues(op, p.name) ?? [];
              combos.splice(0, combos.length, ...combos.flatMap((c) => values.map((v) => ({ ...c, [p.name]: v }))));
            }
            for (const combo of combos) {
              if (recordParams.length > 0) await checkRecordRoute(route, combo);
              else if (route.method === 'GET') await checkListRoute(route, combo);
              else covered(route, `${actorSpec.role}: not applicable (no record in the path)`);
            }
          });
        }

        async function checkRecordRoute(route: RouteEntry, combo: Record<string, string>) {
          const fixtures = routeParams(route.url)
            .map((p) => PARAM_FIXTURES[p.key])
            .filter((x): x is ParamFixture => Boolean(x));
          const global = fixtures.find((x) => x.global)?.global;
          const ids = (side: 'inside' | 'outside') => {
            const values: Record<string, string | number> = { ...combo };
            for (const p of routeParams(route.url)) {
              const fixture = PARAM_FIXTURES[p.key];
              if (fixture) values[p.name] = f[side][fixture.kind];
            }
            return values;
          };
          const url = fillUrl(route.url, ids('outside'));
          const what = `${actorSpec.role} ${route.method} ${url}`;
          const response = await sendWithValidBody(route, url);
          if (global) {
            // Not tied to a unit: the permission alone decides; nothing of community B's people may show.
            const holds = global.anyOf.some((p: Permission) => held.has(p));
            if (!holds) assertStatus(response, [403], what);
            else assert.ok(response.statusCode < 500, `${what}: ${response.statusCode} ${response.body}`);
            await assertNoLeak(response, f.personal, what);
            covered(route, `${actorSpec.role}: ${holds ? `${response.statusCode} (global record)` : '403'}`);
            return;
          }
          const expected = expectedFor(route, [404]);
          assertStatus(response, expected, what);
          await assertNoLeak(response, [...f.personal, ...f.names], what);
          covered(route, `${actorSpec.role}: ${response.statusCode} outside`);
          if (route.method === 'GET' && response.statusCode === 404) {
            // The same route with community A's record works: the 404 above is the scope, not a broken fixture.
            const readPermission = fixtures.find((x) => x.readPermission)?.readPermission;
            const readable = !readPermission || held.has(readPermission);
            const inside = await client.get(fillUrl(route.url, ids('inside')));
            assertStatus(
              inside,
              [readable ? 200 : 404],
              `${actorSpec.role} GET ${route.url} with a record inside the scope`,
            );
            covered(route, `${actorSpec.role}: ${inside.statusCode} inside`);
          }
        }

        async function checkListRoute(route: RouteEntry, combo: Record<string, string>) {
          const op = operationOf(spec, route);
          const queryNames = queryParamNames(op);
          const base = fillUrl(route.url, combo);
          const secrets = route.access?.auth === 'staff' ? [...f.personal, ...f.names] : f.personal;
          const required = (op?.parameters ?? []).filter(
            (p) => p.in === 'query' && (p as { required?: boolean }).required,
          );
          let query = '';
          if (required.length) {
            // e.g. a point to locate: generated from the schema until the route accepts it.
            const shape: JsonSchema = { type: 'object', properties: {}, required: required.map((p) => p.name) };
            for (const p of required) (shape.properties as Record<string, JsonSchema>)[p.name] = p.schema as JsonSchema;
            const samples = fc.sample(fromSchema(shape, { spec, knownIds: [] }), { numRuns: 40, seed: 11 });
            for (const sample of samples) {
              const q = new URLSearchParams(
                Object.entries(sample as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
              ).toString();
              if ((await client.get(`${base}?${q}`)).statusCode !== 400) {
                query = q;
                break;
              }
            }
          }
          const sep = (q: string) => (q ? `?${q}` : '');
          if (queryNames.includes('pageSize')) {
            const max = (op?.parameters?.find((p) => p.name === 'pageSize')?.schema?.maximum as number) ?? 100;
            query = [query, `pageSize=${max}`].filter(Boolean).join('&');
          }
          const all = await client.get(`${base}${sep(query)}`);
          const what = `${actorSpec.role} GET ${base}${sep(query)}`;
          assertStatus(all, expectedFor(route, [200]), what);
          await assertNoLeak(all, secrets, what);
          covered(route, `${actorSpec.role}: list ${all.statusCode} without community B`);
          if (queryNames.includes('within')) {
            const within = await client.get(`${base}?within=${f.territory.communityB.id}`);
            assertStatus(within, expectedFor(route, [404]), `${actorSpec.role} GET ${base}?within=<community B>`);
            await assertNoLeak(within, secrets, `${actorSpec.role} GET ${base}?within=<community B>`);
            covered(route, `${actorSpec.role}: within=B ${within.statusCode}`);
          }
        }
      });
    }

    test('community B records are exactly as before after every attempt', async (ctx) => {
      assert.equal(await snapshotB(), snapshotBefore);
      const lines = [...coverage.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([route, what]) => `${route}: ${[...what].join('; ')}`);
      ctx.diagnostic(`routes covered (${coverage.size}):\n${lines.join('\n')}`);
    });
  });
}
