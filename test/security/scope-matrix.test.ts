import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { systemClock } from '../../src/server/clock.ts';
import type { RouteEntry } from '../../src/server/http/context.ts';
import { createSession, SESSION_COOKIE } from '../../src/server/modules/auth/session.service.ts';
import { deliverOutbox } from '../../src/server/modules/notifications/outbox-delivery.ts';
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
  addOutsideRecords,
  buildScopeFixtures,
  enumValues,
  fillUrl,
  leakedIn,
  type OpenApiOperation,
  operationOf,
  PARAM_FIXTURES,
  type ParamFixture,
  queryParamNames,
  type RecordKind,
  ROLE_PLACEMENT,
  routeParams,
  type ScopeFixtures,
  VALID_BODIES,
} from '../support/matrix.ts';
import { fromSchema, type JsonSchema } from './arbitraries.ts';

/**
 * The access matrix, generated from the route table: every route × every built-in role (read from the roles
 * table) × a record of community A and one of community B, plus a resident and no session at all. Each cell's
 * expectation comes from the route's declared access, the role's permissions and data scope, and where the
 * fixtures put each record — not from the code under test. Lists, searches, exports, counts, similar-case
 * suggestions, notifications and the live stream must show an actor nothing of community B unless its scope
 * is 'all'. A new route or a new built-in role is in the matrix the moment it exists.
 */

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Records a resident reaches on the H5 routes: their own case, call request, notice, activity, enrolment. */
const RESIDENT_OWNS = new Set<RecordKind>(['case', 'attachment', 'callRequest', 'notice', 'activity', 'enrolment']);
/**
 * Resident routes that reach beyond the resident's own records by design: "me too" joins any open,
 * non-confidential case of the resident's home district (community B is in the same district as A).
 */
const RESIDENT_DISTRICT_WIDE = new Set(['POST /api/me/cases/:id/me-too']);
/**
 * Refusals by rule rather than by scope: the territory reports (overview, bulletin, ledger, league tables,
 * rankings without a level) answer 400 to an actor whose grant is a department, which is not a territory.
 */
const DEPARTMENT_REFUSED = new Set([
  'GET /api/metrics/overview',
  'GET /api/metrics/rankings',
  'GET /api/metrics/bulletin',
  'GET /api/metrics/league-table',
  'GET /api/metrics/ledger',
]);

type Scope = 'all' | 'subtree' | 'unit' | 'own';
interface MatrixActor {
  name: string;
  kind: 'staff' | 'resident';
  client: Client;
  held: Set<string>;
  scope?: Scope;
  placement?: { id: number; path: string };
}

interface Tally {
  cells: number;
  allowed: number;
  denied: number;
  writesNotSent: number;
  /** Allowed writes sent with a stale version: 409 proves the record was reached without changing it. */
  staleWrites: number;
  leakChecks: number;
  leaks: number;
  /** Lists answered 200 to a scoped actor, and how many of them showed community A's records (not vacuous). */
  scopedLists: number;
  listsShowingA: number;
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

function assertStatus(response: LightMyRequestResponse, expected: number[], what: string) {
  assert.ok(
    expected.includes(response.statusCode),
    `${what}: expected ${expected.join(' or ')}, got ${response.statusCode} ${response.body.slice(0, 300)}`,
  );
  if (response.statusCode >= 400) errorCode(response);
}

/** Every number under a key that counts something (total, count, unreadCount, …), by its JSON path. */
function countsIn(value: unknown, path = '', out: Record<string, number> = {}): Record<string, number> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      countsIn(item, `${path}[${i}]`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'number' && /total|count/i.test(k)) out[`${path}.${k}`] = v;
      else countsIn(v, `${path}.${k}`, out);
    }
  }
  return out;
}

// The routes and their OpenAPI description are the same on every database: read them once from a probe app.
const probe = await createTestApp('embedded');
const spec = probe.app.swagger() as unknown;
const routes = probe.app.routeTable.filter((r) => r.access?.auth !== 'public');
await probe.dispose();

const requiredQuery = (op: OpenApiOperation | undefined) =>
  (op?.parameters ?? []).filter((p) => p.in === 'query' && (p as { required?: boolean }).required);

for (const kind of await databaseKinds()) {
  describe(`access matrix (${kind})`, () => {
    let t: TestApp;
    let f: ScopeFixtures;
    let snapshotBefore: string;
    const actors: MatrixActor[] = [];
    const tally: Tally = {
      cells: 0,
      allowed: 0,
      denied: 0,
      writesNotSent: 0,
      staleWrites: 0,
      leakChecks: 0,
      leaks: 0,
      scopedLists: 0,
      listsShowingA: 0,
    };
    /** Per route: the first body that got past validation, and a query its required parameters accept. */
    const bodies = new Map<string, unknown>();
    const queries = new Map<string, string>();

    async function assertNoLeak(response: LightMyRequestResponse, secrets: readonly string[], what: string) {
      if (secrets.length === 0) return;
      tally.leakChecks += 1;
      const leaked = leakedIn(await bodyText(response), secrets);
      if (leaked.length) tally.leaks += 1;
      assert.deepEqual(leaked, [], `${what} answered with community B data: ${leaked.join(', ')}`);
    }

    function cell(allowed: boolean) {
      tally.cells += 1;
      if (allowed) tally.allowed += 1;
      else tally.denied += 1;
    }

    /** Community B's records as stored: compared after every actor has tried its worst. */
    async function snapshotB(): Promise<string> {
      const db = t.database.db;
      const o = f.outside;
      const byId = (table: 'people' | 'unit_posts' | 'party_orgs' | 'accounts' | 'roles' | 'cases', id: unknown) =>
        db
          .selectFrom(table)
          .selectAll()
          .where('id', '=', id as number)
          .execute();
      const parts = await Promise.all([
        db
          .selectFrom('units')
          .selectAll()
          .where('path', 'like', `${f.territory.streetB.path}%`)
          .orderBy('id')
          .execute(),
        byId('people', o.person),
        byId('unit_posts', o.unitPost),
        byId('party_orgs', o.partyOrg),
        byId('accounts', o.account),
        byId('roles', o.role),
        byId('cases', o.case),
        db
          .selectFrom('care_persons')
          .selectAll()
          .where('person_id', '=', o.person as number)
          .execute(),
        db
          .selectFrom('party_members')
          .selectAll()
          .where('person_id', '=', o.person as number)
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
          .selectFrom('case_events')
          .selectAll()
          .where('case_id', '=', o.case as number)
          .execute(),
        db
          .selectFrom('case_supporters')
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
        db
          .selectFrom('notices')
          .selectAll()
          .where('id', '=', o.notice as number)
          .execute(),
        db
          .selectFrom('activities')
          .selectAll()
          .where('id', '=', o.activity as number)
          .execute(),
        db
          .selectFrom('enrolments')
          .selectAll()
          .where('activity_id', '=', o.activity as number)
          .execute(),
      ]);
      return JSON.stringify(parts);
    }

    before(async () => {
      t = await createTestApp(kind);
      const territory = await buildTerritory(t.database);
      f = await buildScopeFixtures(t.database, territory);
      // Every built-in role, granted where ROLE_PLACEMENT says (community A by default).
      const roles = await t.database.db
        .selectFrom('roles')
        .select(['code', 'permissions', 'data_scope'])
        .where('built_in', '=', true)
        .orderBy('code')
        .execute();
      for (const role of roles) {
        const unit = territory[ROLE_PLACEMENT[role.code] ?? 'communityA'];
        const client = await staffClient(t, `matrix-${role.code.toLowerCase()}`, [
          { role: role.code, unitId: unit.id },
        ]);
        actors.push({
          name: role.code,
          kind: 'staff',
          client,
          held: new Set(role.permissions),
          scope: role.data_scope as Scope,
          placement: unit,
        });
      }
      // Community A's resident, who reported its case and is enrolled in its activity.
      const session = await createSession(t.database.db, t.config, f.accounts.residentA, '127.0.0.1', 'matrix');
      actors.push({
        name: 'resident',
        kind: 'resident',
        client: new Client(t.app, session.token, session.csrfToken),
        held: new Set(),
      });
      snapshotBefore = await snapshotB();
    });
    after(() => t?.dispose());

    /** Whether the actor's grant covers a unit the inside record belongs to. */
    function coversInside(actor: MatrixActor, recordKind: RecordKind): boolean {
      if (actor.scope === 'all') return true;
      const at = actor.placement;
      if (!at) return false;
      return f.anchors[recordKind].some((unit) =>
        actor.scope === 'unit' ? unit.id === at.id : actor.scope === 'subtree' && unit.path.startsWith(at.path),
      );
    }

    /**
     * Whether the actor may reach the route at all: 403 when its account kind or permission is not the one
     * declared. Undefined when the route declares no permission and the handler may still refuse.
     */
    function gate(actor: MatrixActor, route: RouteEntry): 'open' | 'refused' | 'handler' {
      const access = route.access;
      if (access?.auth === 'staff' && actor.kind !== 'staff') return 'refused';
      if (access?.auth === 'resident' && actor.kind !== 'resident') return 'refused';
      if (access?.permission && !actor.held.has(access.permission)) return 'refused';
      if (!access?.permission && access?.auth === 'staff') return 'handler';
      return 'open';
    }

    /** Secrets a list or search must not show the actor: none for 'all' scope, B's names on staff routes. */
    function secretsFor(actor: MatrixActor, route: RouteEntry): string[] {
      if (actor.scope === 'all') return [];
      return route.access?.auth === 'staff' ? [...f.personal, ...f.names] : f.personal;
    }

    /** The route's body that passed validation with an impossible version, when its body carries one. */
    function staleBody(route: RouteEntry): object | undefined {
      const op = operationOf(spec, route);
      const schema = op?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      const key = `${route.method} ${route.url}`;
      const body = VALID_BODIES[key] ?? bodies.get(key);
      if (!schema?.properties?.version || !body || typeof body !== 'object') return undefined;
      // Records the body refers to must be reachable too, or the refusal is about them (404) instead.
      const references: Record<string, Record<string, unknown>> = {
        'PUT /api/people/:id/party-membership': { partyOrgId: f.inside.partyOrg, checkInUnitId: null },
      };
      return { ...body, ...references[key], version: 2_000_000_000 };
    }

    async function send(actor: MatrixActor, route: RouteEntry, url: string): Promise<LightMyRequestResponse> {
      const key = `${route.method} ${route.url}`;
      const op = operationOf(spec, route);
      const schema = op?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      if (SAFE.has(route.method) || !schema) return actor.client.request({ method: route.method as 'POST', url });
      const insideIds = Object.values(f.inside).filter((v): v is number => typeof v === 'number');
      const given = bodies.has(key) ? bodies.get(key) : VALID_BODIES[key];
      // Generated only when the cached (or known-good) body does not pass: generating is the slow part.
      function* candidates() {
        if (given !== undefined) yield given;
        yield* fc.sample(fromSchema(schema, { spec, knownIds: insideIds }), { numRuns: 60, seed: 7 });
      }
      let response: LightMyRequestResponse | undefined;
      let tried = 0;
      for (const body of candidates()) {
        tried += 1;
        response = await actor.client.request({ method: route.method as 'POST', url, payload: body as object });
        if (response.statusCode === 403 || response.statusCode === 401) return response;
        if (response.statusCode !== 400) {
          bodies.set(key, body);
          return response;
        }
      }
      assert.fail(
        `${route.method} ${route.url}: none of ${tried} generated bodies passed validation ` +
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
        const combos: Array<Record<string, string>> = [{}];
        for (const p of params.filter((p) => enumValues(op, p.name))) {
          const values = enumValues(op, p.name) ?? [];
          combos.splice(0, combos.length, ...combos.flatMap((c) => values.map((v) => ({ ...c, [p.name]: v }))));
        }
        for (const combo of combos) {
          const values = (side: 'inside' | 'outside') => {
            const out: Record<string, string | number> = { ...combo };
            for (const p of recordParams) out[p.name] = f[side][(PARAM_FIXTURES[p.key] as ParamFixture).kind];
            return out;
          };
          // No session: 401, whatever the record.
          const anon = await anonymous(t).request({
            method: route.method as 'GET',
            url: fillUrl(route.url, values('outside')),
          });
          assertStatus(anon, [401], `${route.method} ${route.url} without a session`);
          assert.equal(errorCode(anon), 'UNAUTHENTICATED');
          cell(false);
          for (const actor of actors) {
            if (recordParams.length > 0) await checkRecordRoute(actor, route, recordParams, values);
            else if (route.method === 'GET') await checkListRoute(actor, route, combo);
            else await checkPlainWrite(actor, route, fillUrl(route.url, combo));
          }
        }
      });
    }

    /** A write with no record in its path (creating something): only refusals are sent. */
    async function checkPlainWrite(actor: MatrixActor, route: RouteEntry, url: string) {
      if (gate(actor, route) !== 'refused') {
        cell(true);
        tally.writesNotSent += 1;
        return;
      }
      const response = await send(actor, route, url);
      assertStatus(response, [403], `${actor.name} ${route.method} ${url}`);
      await assertNoLeak(response, [...f.personal, ...f.names], `${actor.name} ${route.method} ${url}`);
      cell(false);
    }

    async function checkRecordRoute(
      actor: MatrixActor,
      route: RouteEntry,
      recordParams: Array<{ name: string; key: string }>,
      values: (side: 'inside' | 'outside') => Record<string, string | number>,
    ) {
      const fixtures = recordParams.map((p) => PARAM_FIXTURES[p.key] as ParamFixture);
      const last = fixtures[fixtures.length - 1] as ParamFixture;
      const global = fixtures.find((x) => x.global)?.global;
      const ownerOnly = fixtures.some((x) => x.ownerOnly);
      const readPermission = fixtures.find((x) => x.readPermission)?.readPermission;
      const passes = gate(actor, route);
      const write = !SAFE.has(route.method);

      for (const side of ['outside', 'inside'] as const) {
        const url = fillUrl(route.url, values(side));
        const what = `${actor.name} ${route.method} ${route.url} with community ${side === 'inside' ? 'A' : 'B'}'s record`;
        let expected: number[];
        if (passes === 'refused') expected = [403];
        else if (global) {
          const holds = actor.kind === 'staff' && global.anyOf.some((p) => actor.held.has(p));
          expected = holds ? (write ? [] : [200]) : [403];
        } else if (ownerOnly) expected = [404];
        else {
          let reaches: boolean;
          if (actor.kind === 'resident') {
            reaches =
              (side === 'inside' && fixtures.every((x) => RESIDENT_OWNS.has(x.kind))) ||
              RESIDENT_DISTRICT_WIDE.has(`${route.method} ${route.url}`);
          } else {
            const permitted = !readPermission || actor.held.has(readPermission);
            reaches = permitted && (side === 'inside' ? coversInside(actor, last.kind) : actor.scope === 'all');
          }
          expected = reaches ? (write ? [] : [200]) : [404];
          if (passes === 'handler' && expected.length) expected.push(403);
        }
        if (expected.length === 0) {
          cell(true);
          const stale = staleBody(route);
          if (stale === undefined) {
            // Allowed write: not sent, so the fixtures stay as they are for the other actors.
            tally.writesNotSent += 1;
            continue;
          }
          // A write carrying the record's version is sent with a stale one: 409 VERSION_CONFLICT says the
          // actor reached the record (404 would say it did not), and nothing changes.
          const response = await actor.client.request({ method: route.method as 'POST', url, payload: stale });
          assertStatus(response, [409], `${what} (stale version)`);
          tally.staleWrites += 1;
          continue;
        }
        // Writes inside the actor's scope would change community A's fixtures: only refusals are sent.
        if (write && side === 'inside' && !expected.every((s) => s >= 400)) continue;
        const response = await send(actor, route, url);
        assertStatus(response, expected, what);
        cell(response.statusCode < 400);
        // Everything is in an 'all' actor's scope; a global record or A's own may carry no personal data of B.
        let secrets: string[] = [...f.personal, ...f.names];
        if (actor.scope === 'all') secrets = [];
        else if (global || side === 'inside') secrets = f.personal;
        await assertNoLeak(response, secrets, what);
      }
    }

    async function queryFor(actor: MatrixActor, route: RouteEntry, base: string): Promise<string> {
      const key = `${route.method} ${route.url}`;
      const known = queries.get(key);
      if (known !== undefined) return known;
      const op = operationOf(spec, route);
      const required = requiredQuery(op);
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
          const status = (await actor.client.get(`${base}?${q}`)).statusCode;
          if (status === 403) return q; // refused before validation: try again with the next actor
          if (status !== 400) {
            query = q;
            break;
          }
        }
      }
      if (queryParamNames(op).includes('pageSize')) {
        const max = (op?.parameters?.find((p) => p.name === 'pageSize')?.schema?.maximum as number) ?? 100;
        query = [query, `pageSize=${max}`].filter(Boolean).join('&');
      }
      queries.set(key, query);
      return query;
    }

    async function checkListRoute(actor: MatrixActor, route: RouteEntry, combo: Record<string, string>) {
      const op = operationOf(spec, route);
      const names = queryParamNames(op);
      const base = fillUrl(route.url, combo);
      const passes = gate(actor, route);
      const ok = passes === 'refused' ? [403] : passes === 'handler' ? [200, 403] : [200];
      if (passes !== 'refused' && actor.scope === 'unit' && DEPARTMENT_REFUSED.has(`GET ${route.url}`))
        ok.splice(0, 1, 400);
      const query = await queryFor(actor, route, base);
      const url = query ? `${base}?${query}` : base;
      const all = await actor.client.get(url);
      const what = `${actor.name} GET ${url}`;
      assertStatus(all, ok, what);
      cell(all.statusCode < 400);
      await assertNoLeak(all, secretsFor(actor, route), what);
      if (all.statusCode >= 400) return;
      if (actor.scope !== 'all') {
        tally.scopedLists += 1;
        if (/A矩阵|甲社区|甲一网格|甲街道/.test(await bodyText(all))) tally.listsShowingA += 1;
      }
      if (names.includes('within')) {
        // Asking for community B by name: refused unless the actor's scope is 'all'.
        const within = await actor.client.get(`${base}?within=${f.territory.communityB.id}`);
        assertStatus(within, actor.scope === 'all' ? [200] : [404], `${what} within=<community B>`);
        cell(within.statusCode < 400);
        await assertNoLeak(within, secretsFor(actor, route), `${what} within=<community B>`);
      }
      if (names.includes('q') && !requiredQuery(op).some((p) => p.name !== 'q')) {
        // Search with community B's own words: nothing of B comes back.
        for (const word of [
          'B矩阵居民乙',
          'B矩阵案件标题',
          'B矩阵通知标题',
          'B矩阵活动',
          '矩阵党支部',
          'B矩阵网格员',
        ]) {
          const found = await actor.client.get(`${base}?q=${encodeURIComponent(word)}`);
          assertStatus(found, [200], `${what} q=${word}`);
          cell(true);
          await assertNoLeak(found, secretsFor(actor, route), `${what} q=${word}`);
        }
      }
    }

    test('community B records are exactly as before after every attempt', async () => {
      assert.equal(await snapshotB(), snapshotBefore);
    });

    test('similar-case suggestions show a case only to those who may read it', async () => {
      const similarRoutes = routes.filter((r) => {
        const required = requiredQuery(operationOf(spec, r)).map((p) => p.name);
        return r.method === 'GET' && required.includes('lng') && required.includes('lat') && /similar/.test(r.url);
      });
      assert.ok(similarRoutes.length >= 2, 'the staff and the resident similar-case routes are found');
      const numberA = 'MX-2026-000001';
      const numberB = 'MX-2026-000002';
      for (const route of similarRoutes) {
        const names = queryParamNames(operationOf(spec, route));
        for (const actor of actors) {
          if (gate(actor, route) === 'refused') continue;
          const at = (p: { lng: number; lat: number }, title: string) => {
            const q = new URLSearchParams({ lng: String(p.lng), lat: String(p.lat), text: title });
            if (names.includes('radius')) q.set('radius', '5000');
            if (names.includes('limit')) q.set('limit', '50');
            return actor.client.get(`${route.url}?${q}`);
          };
          const nearB = await at(f.points.B, 'B矩阵案件标题');
          assertStatus(nearB, [200], `${actor.name} ${route.url} near community B's case`);
          cell(true);
          if (actor.kind === 'resident') {
            // Residents are shown neighbours' cases to join ("me too"), never who reported them.
            await assertNoLeak(nearB, f.personal, `${actor.name} ${route.url} near B`);
            continue;
          }
          const seesB = actor.held.has('case.read') && actor.scope === 'all';
          assert.equal(nearB.body.includes(numberB), seesB, `${actor.name} ${route.url}: B's case shown = ${seesB}`);
          await assertNoLeak(nearB, seesB ? [] : [...f.personal, ...f.names], `${actor.name} ${route.url} near B`);
          // The positive control: community A's case is suggested to those whose scope holds it.
          const nearA = await at(f.points.A, 'A矩阵案件标题');
          const seesA = actor.held.has('case.read') && coversInside(actor, 'case');
          assert.equal(nearA.body.includes(numberA), seesA, `${actor.name} ${route.url}: A's case shown = ${seesA}`);
          cell(seesA);
        }
      }
    });

    test('more community B records change no count an actor scoped elsewhere sees', async () => {
      const lists = routes.filter((r) => r.method === 'GET' && routeParams(r.url).length === 0);
      const read = async () => {
        const seen = new Map<string, Record<string, number>>();
        for (const actor of actors) {
          for (const route of lists) {
            // Workbooks carry no counts to compare; the JSON lists and badges do.
            if (gate(actor, route) === 'refused' || /\.xlsx$/.test(route.url)) continue;
            const query = queries.get(`${route.method} ${route.url}`) ?? '';
            const response = await actor.client.get(query ? `${route.url}?${query}` : route.url);
            if (response.statusCode !== 200 || !String(response.headers['content-type']).includes('json')) continue;
            seen.set(`${actor.name} ${route.url}`, countsIn(response.json()));
          }
        }
        return seen;
      };
      const beforeCounts = await read();
      await addOutsideRecords(t.database, f, 3);
      await addOutsideRecords(t.database, f, 4);
      const afterCounts = await read();
      let compared = 0;
      let grew = 0;
      for (const actor of actors) {
        for (const route of lists) {
          const key = `${actor.name} ${route.url}`;
          const was = beforeCounts.get(key);
          const now = afterCounts.get(key);
          if (!was || !now) continue;
          compared += Object.keys(was).length;
          if (actor.scope === 'all') {
            if (JSON.stringify(was) !== JSON.stringify(now)) grew += 1;
            continue;
          }
          assert.deepEqual(now, was, `${key}: counts changed by community B's new records`);
          cell(true);
        }
      }
      assert.ok(compared > 0);
      // The positive control: the system administrator, whose scope is everything, does count them.
      const admin = actors.find((a) => a.name === 'systemAdmin');
      assert.ok(admin && grew > 0, 'an actor with scope all sees community B’s new records counted');
      const cases = (await admin.client.get('/api/cases?pageSize=1')).json() as { total: number };
      assert.equal(
        cases.total,
        (beforeCounts.get('systemAdmin /api/cases')?.['.total'] ?? Number.NaN) + 2,
        'the administrator counts the two new cases',
      );
    });

    test('the live stream pushes a community A actor its own grid’s case and nothing of community B', {
      timeout: 20_000,
    }, async () => {
      const worker = actors.find((a) => a.name === 'gridWorker');
      const admin = actors.find((a) => a.name === 'systemAdmin');
      assert.ok(worker && admin);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      assert.ok(address && typeof address === 'object');
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${address.port}/api/notifications/stream`, {
        headers: { cookie: `${SESSION_COOKIE}=${worker.client.cookie}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      assert.equal(response.status, 200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const events: Array<{ event: string; data: Record<string, unknown>; raw: string }> = [];
      const next = async () => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
            if (!data) continue;
            const parsed = { event, data: JSON.parse(data) as Record<string, unknown>, raw: block };
            events.push(parsed);
            return parsed;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += decoder.decode(value, { stream: true });
        }
      };
      try {
        assert.equal((await next()).event, 'hello');
        const intake = async (point: { lng: number; lat: number }, title: string) => {
          const created = await admin.client.post('/api/cases', {
            channel: 'hotline',
            title,
            description: `${title}，实时推送测试`,
            location: point,
            reporter: { name: '推送测试人', phone: '13500135000' },
          });
          assert.equal(created.statusCode, 201, created.body);
          return (created.json() as { case: { id: number } }).case.id;
        };
        // Community B first: had it reached the stream, it would arrive before A's.
        // The deliverer (a background worker in production) writes the notifications and publishes them.
        const deliver = () =>
          deliverOutbox(t.database, { clock: systemClock, bus: t.notificationBus, senders: [], instanceId: 'matrix' });
        const caseB = await intake(f.points.B, 'B矩阵推送案件');
        await deliver();
        const caseA = await intake(f.points.A, 'A矩阵推送案件');
        await deliver();
        for (;;) {
          const event = await next();
          if (event.event === 'notification' && event.data.caseId === caseA) break;
        }
        const leaked = events.filter((e) => e.data.caseId === caseB || leakedIn(e.raw, f.names).length > 0);
        assert.deepEqual(leaked, [], 'community B’s case reached community A’s grid worker');
        cell(true);
        cell(false);
      } finally {
        controller.abort();
      }
    });

    test('summary', (ctx) => {
      assert.equal(tally.leaks, 0);
      const summary =
        `access matrix (${kind}): ${routes.length} routes × ${actors.length + 1} actors ` +
        `(${actors.map((a) => a.name).join(', ')}, anonymous): ${tally.cells} cells, ${tally.allowed} allowed, ` +
        `${tally.denied} denied; of the allowed writes ${tally.staleWrites} sent with a stale version (409), ` +
        `${tally.writesNotSent} not sent; ` +
        `${tally.leakChecks} leak checks, ${tally.leaks} leaks; ${tally.listsShowingA} of ${tally.scopedLists} ` +
        `lists seen by scoped actors show community A's records`;
      ctx.diagnostic(summary);
      console.log(summary);
    });
  });
}
