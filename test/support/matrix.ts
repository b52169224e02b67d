import { createHash, randomUUID } from 'node:crypto';
import type { Permission } from '../../src/server/access/permissions.ts';
import type { Database } from '../../src/server/db/database.ts';
import type { RouteEntry } from '../../src/server/http/context.ts';
import { pngWithMetadata } from '../../src/server/modules/attachments/attachments.fixtures.ts';
import { createFileStore, newStorageKey } from '../../src/server/modules/attachments/file-store.ts';
import { validIdNumber } from '../../src/server/modules/people/people.fixtures.ts';
import { insertUnit, type Territory } from './app.ts';

/**
 * The scope matrix: which record a route's path parameter names, and one such record inside and one outside
 * the actor's territory. The matrix test walks `app.routeTable`; a route whose parameter has no entry in
 * PARAM_FIXTURES fails that test, so every new route has to be placed here.
 */

/** Records of every kind in community A (inside) and community B (outside), with B's telling strings. */
export interface ScopeFixtures {
  territory: Territory;
  inside: Record<RecordKind, number | string>;
  outside: Record<RecordKind, number | string>;
  /** Personal data of community B's people: must never reach an actor scoped elsewhere, on any route. */
  personal: string[];
  /** Names of community B's units, organisations and accounts: must not appear on staff routes. */
  names: string[];
}

export type RecordKind =
  | 'unit'
  | 'grid'
  | 'person'
  | 'unitPost'
  | 'partyOrg'
  | 'account'
  | 'grant'
  | 'role'
  | 'case'
  | 'attachment'
  | 'callRequest'
  | 'caseType'
  | 'caseCategory'
  | 'timeLimit'
  | 'calendarDay'
  | 'notification'
  | 'savedFilter'
  | 'activity'
  | 'enrolment'
  | 'notice';

export interface ParamFixture {
  kind: RecordKind;
  /**
   * Records not tied to a unit (roles are one catalogue for everybody): only the permission decides, so an
   * actor holding any of these sees them, and one holding none is refused with 403.
   */
  global?: { anyOf: Permission[] };
  /**
   * Routes open to any account whose records are readable only with this permission (an attachment hangs off
   * a case): the inside record answers 200 only to actors holding it, and 404 to the others.
   */
  readPermission?: Permission;
}

/**
 * Path parameter → record kind, keyed by the route URL up to and including the parameter. A route param
 * missing here fails the matrix test. Parameters whose OpenAPI schema is an enum (e.g. `:kind` of the Excel
 * routes) are not records and are tried with every value instead.
 */
export const PARAM_FIXTURES: Record<string, ParamFixture> = {
  '/api/units/:id': { kind: 'unit' },
  '/api/grids/:id': { kind: 'grid' },
  '/api/people/:id': { kind: 'person' },
  '/api/unit-posts/:id': { kind: 'unitPost' },
  '/api/party-orgs/:id': { kind: 'partyOrg' },
  '/api/accounts/:id': { kind: 'account' },
  '/api/accounts/:id/grants/:grantId': { kind: 'grant' },
  '/api/roles/:id': { kind: 'role', global: { anyOf: ['account.read', 'role.manage'] } },
  '/api/cases/:id': { kind: 'case' },
  '/api/me/cases/:id': { kind: 'case' },
  '/api/attachments/:id': { kind: 'attachment', readPermission: 'case.read' },
  '/api/call-requests/:id': { kind: 'callRequest' },
  '/api/case-types/:code': { kind: 'caseType', global: { anyOf: ['case.configure'] } },
  '/api/case-categories/:id': { kind: 'caseCategory', global: { anyOf: ['case.configure'] } },
  '/api/time-limits/:id': { kind: 'timeLimit', global: { anyOf: ['case.configure'] } },
  '/api/notifications/:id': { kind: 'notification' },
  '/api/me/saved-filters/:id': { kind: 'savedFilter' },
  '/api/notices/:id': { kind: 'notice' },
  '/api/me/notices/:id': { kind: 'notice' },
  '/api/activities/:id': { kind: 'activity' },
  '/api/me/activities/:id': { kind: 'activity' },
  '/api/activities/:id/enrolments/:enrolmentId': { kind: 'enrolment' },
  '/api/calendar/days/:day': { kind: 'calendarDay', global: { anyOf: ['case.configure'] } },
};

/**
 * Bodies for routes whose rules go beyond what a generator reads from the schema (geometry, cross-field
 * checks), keyed by `METHOD url`: the matrix sends these first, then generated ones.
 */
export const VALID_BODIES: Record<string, unknown> = {
  'PUT /api/grids/:id/boundary': {
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [116.5, 39.5],
          [116.51, 39.5],
          [116.51, 39.51],
          [116.5, 39.51],
          [116.5, 39.5],
        ],
      ],
    },
  },
};

export interface RouteParam {
  name: string;
  /** The URL up to and including this parameter: the PARAM_FIXTURES key. */
  key: string;
}

/** The path parameters of a Fastify route URL, e.g. `/api/accounts/:id/grants/:grantId`. */
export function routeParams(url: string): RouteParam[] {
  const params: RouteParam[] = [];
  const segments = url.split('/');
  segments.forEach((segment, i) => {
    for (const match of segment.matchAll(/:(\w+)/g)) {
      params.push({ name: match[1] as string, key: segments.slice(0, i + 1).join('/') });
    }
  });
  return params;
}

/** The URL with each `:name` replaced by the given value. */
export function fillUrl(url: string, values: Record<string, string | number>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(String(value));
  });
}

/** OpenAPI path of a Fastify URL: `/api/units/:id` → `/api/units/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

interface OpenApiParameter {
  in: string;
  name: string;
  schema?: { enum?: unknown[]; [k: string]: unknown };
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

export function operationOf(spec: unknown, route: RouteEntry): OpenApiOperation | undefined {
  const paths = (spec as { paths?: Record<string, Record<string, OpenApiOperation>> }).paths ?? {};
  return paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
}

/** Enum values of a path parameter, when its schema is an enum (not a record reference). */
export function enumValues(operation: OpenApiOperation | undefined, name: string): string[] | undefined {
  const param = operation?.parameters?.find((p) => p.in === 'path' && p.name === name);
  const values = param?.schema?.enum;
  return values?.length ? values.map(String) : undefined;
}

export function queryParamNames(operation: OpenApiOperation | undefined): string[] {
  return (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

const POLYGON_A = [
  [116.3, 39.9],
  [116.31, 39.9],
  [116.31, 39.91],
  [116.3, 39.91],
  [116.3, 39.9],
];
const POLYGON_B = POLYGON_A.map(([x, y]) => [(x as number) + 0.1, y as number]);

async function boundary(database: Database, unitId: number, ring: number[][]) {
  const outline = `(${ring
    .slice(0, -1)
    .map(([x, y]) => `(${x},${y})`)
    .join(',')})`;
  await database.db
    .insertInto('grid_boundaries')
    .values({
      unit_id: unitId,
      geojson: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
      outline,
      area: 1_000_000,
    })
    .execute();
}

interface Side {
  community: { id: number; path: string; depth: number; name: string };
  grid: { id: number; path: string; depth: number; name: string };
  letter: 'A' | 'B';
}

async function buildSide(database: Database, side: Side, ring: number[][], roleIds: Map<string, number>) {
  const { letter } = side;
  const digit = letter === 'A' ? 1 : 2;
  const building = await insertUnit(database, 'building', `${letter}矩阵楼`, side.grid);
  await boundary(database, side.grid.id, ring);
  const person = await database.db
    .insertInto('people')
    .values({
      name: `${letter}矩阵居民${letter === 'A' ? '甲' : '乙'}`,
      gender: 'female',
      birth_date: `1958-04-0${digit}`,
      phone: `1390013900${digit}`,
      id_number: validIdNumber(`1958-04-0${digit}`, 100 + digit),
      unit_id: building.id,
      address: `${side.community.name}矩阵路${digit}号`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const unitPost = await database.db
    .insertInto('unit_posts')
    .values({ unit_id: side.grid.id, person_id: person.id, post: 'gridWorker', services: '矩阵服务' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('care_persons')
    .values({
      person_id: person.id,
      kinds: ['elderly', 'livingAlone'],
      note: `${letter}矩阵关爱备注`,
      visit_cycle_days: 30,
    })
    .execute();
  const partyOrg = await database.db
    .insertInto('party_orgs')
    .values({ kind: 'branch', name: `${side.community.name}矩阵党支部`, path: `/matrix-${letter}/` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .updateTable('party_orgs')
    .set({ path: `/${partyOrg.id}/` })
    .where('id', '=', partyOrg.id)
    .execute();
  await database.db
    .insertInto('party_org_units')
    .values({ party_org_id: partyOrg.id, unit_id: side.community.id })
    .execute();
  await database.db
    .insertInto('party_members')
    .values({
      person_id: person.id,
      party_org_id: partyOrg.id,
      joined_on: '2001-07-01',
      check_in_unit_id: side.community.id,
    })
    .execute();
  const account = await database.db
    .insertInto('accounts')
    .values({
      kind: 'staff',
      username: `matrix-staff-${letter.toLowerCase()}`,
      display_name: `${letter}矩阵网格员`,
      phone: `1370013700${digit}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grant = await database.db
    .insertInto('role_grants')
    .values({ account_id: account.id, role_id: roleIds.get('gridWorker') as number, unit_id: side.grid.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('accounts')
    .values({
      kind: 'resident',
      phone: `1390013900${digit}`,
      person_id: person.id,
      display_name: `${letter}矩阵居民`,
    })
    .execute();
  const caseIds = await caseFixtures(database, side, person.id, account.id);
  const activityIds = await activityFixtures(database, side, person.id);
  // A notice to the side's community: its residents (the person above) read it, its staff manage it.
  const notice = await database.db
    .insertInto('notices')
    .values({
      unit_id: side.community.id,
      title: `${letter}矩阵通知标题`,
      body: `${letter}矩阵通知正文`,
      published_at: new Date(),
      created_by: account.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    unit: side.community.id,
    grid: side.grid.id,
    person: person.id,
    unitPost: unitPost.id,
    partyOrg: partyOrg.id,
    account: account.id,
    grant: grant.id,
    ...caseIds,
    ...activityIds,
    notice: notice.id,
  };
}

/** A case in the side's grid (with its first event and owner assignment), a photo on it and a call request. */
async function caseFixtures(database: Database, side: Side, personId: number, staffAccountId: number) {
  const { letter, grid } = side;
  const now = new Date();
  const resident = await database.db
    .insertInto('accounts')
    .values({ kind: 'resident', phone: `1360013600${letter === 'A' ? 1 : 2}`, display_name: `${letter}矩阵报事人` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const created = await database.db
    .insertInto('cases')
    .values({
      number: `MX-2026-00000${letter === 'A' ? 1 : 2}`,
      case_type: 'appeal',
      channel: 'hotline',
      title: `${letter}矩阵案件标题`,
      description: `${letter}矩阵案件描述`,
      territory_unit_id: grid.id,
      territory_path: grid.path,
      grid_id: grid.id,
      reporter_account_id: resident.id,
      reporter_person_id: personId,
      reporter_name: `${letter}矩阵报事人`,
      reporter_phone: `1360013600${letter === 'A' ? 1 : 2}`,
      state: 'inGrid',
      owner_unit_id: grid.id,
      owner_unit_path: grid.path,
      event_count: 1,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const event = await database.db
    .insertInto('case_events')
    .values({
      case_id: created.id,
      seq: 1,
      action: 'intake',
      to_state: 'inGrid',
      actor_account_id: staffAccountId,
      actor_name: `${letter}矩阵网格员`,
      owner_unit_id: grid.id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('case_assignments')
    .values({
      case_id: created.id,
      unit_id: grid.id,
      unit_path: grid.path,
      role: 'owner',
      assigned_at: now,
      response_due_at: new Date(now.getTime() + 86_400_000),
      event_id: event.id,
    })
    .execute();
  const store = createFileStore({ dataDir: MATRIX_DATA_DIR });
  const key = newStorageKey();
  const png = pngWithMetadata();
  await store.put(key, png);
  const attachment = await database.db
    .insertInto('attachments')
    .values({
      id: randomUUID(),
      case_id: created.id,
      event_id: event.id,
      uploader_account_id: staffAccountId,
      kind: 'image',
      content_type: 'image/png',
      byte_size: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
      storage_key: key,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const call = await database.db
    .insertInto('call_requests')
    .values({
      resident_account_id: resident.id,
      person_id: personId,
      phone: `1360013600${letter === 'A' ? 1 : 2}`,
      grid_id: grid.id,
      territory_unit_id: grid.id,
      territory_path: grid.path,
      callback_due_at: new Date(now.getTime() + 3_600_000),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outbox = await database.db
    .insertInto('outbox')
    .values({
      topic: 'case.intake',
      case_id: created.id,
      event_id: event.id,
      payload: JSON.stringify({ recipients: { accountIds: [staffAccountId], unitIds: [] }, title: '', body: '' }),
      created_at: now,
      delivered_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const notification = await database.db
    .insertInto('notifications')
    .values({
      account_id: staffAccountId,
      outbox_id: outbox.id,
      topic: 'case.intake',
      case_id: created.id,
      title: `${letter}矩阵案件标题`,
      body: 'intake',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const category = await database.db
    .selectFrom('case_categories')
    .select('id')
    .where('parent_id', 'is not', null)
    .orderBy('id')
    .executeTakeFirst();
  const limit = await database.db.selectFrom('time_limits').select('id').orderBy('id').executeTakeFirstOrThrow();
  // Saved filters are their owner's only (like notifications): any other account gets 404.
  const savedFilter = await database.db
    .insertInto('saved_filters')
    .values({ account_id: staffAccountId, page: 'cases', name: `${letter}矩阵筛选`, query: '{"colour":"red"}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    case: created.id,
    attachment: attachment.id,
    callRequest: call.id,
    caseType: 'appeal',
    caseCategory: category?.id ?? 1,
    timeLimit: limit.id,
    calendarDay: '2026-12-31',
    notification: notification.id,
    savedFilter: savedFilter.id,
  };
}

/** An activity organised by the side's community, with the side's resident enrolled in it. */
async function activityFixtures(database: Database, side: Side, personId: number) {
  const { letter } = side;
  const resident = await database.db
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'resident')
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  const activity = await database.db
    .insertInto('activities')
    .values({
      unit_id: side.community.id,
      kind: 'course',
      title: `${letter}矩阵活动`,
      venue: `${letter}矩阵活动室`,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 7_200_000),
      capacity: 10,
      waitlist_capacity: 5,
      enrolled_count: 1,
      check_in_code: `matrix${letter}CheckInCode0123`,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const enrolment = await database.db
    .insertInto('enrolments')
    .values({
      activity_id: activity.id,
      account_id: resident.id,
      person_id: personId,
      status: 'enrolled',
      enrolled_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { activity: activity.id, enrolment: enrolment.id };
}

/** Where the matrix's attachment files live: the test apps' DATA_DIR (see test/support/app.ts). */
const MATRIX_DATA_DIR = '/tmp/linli-test-unused';

/** One record of every kind in community A and in community B of `buildTerritory`. */
export async function buildScopeFixtures(database: Database, territory: Territory): Promise<ScopeFixtures> {
  const roles = await database.db.selectFrom('roles').select(['id', 'code']).execute();
  const roleIds = new Map(roles.map((r) => [r.code, r.id]));
  const customRole = await database.db
    .insertInto('roles')
    .values({ code: 'matrixHelper', name: '矩阵协管员', permissions: ['unit.read'], data_scope: 'unit' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const a = await buildSide(
    database,
    { community: territory.communityA, grid: territory.gridA, letter: 'A' },
    POLYGON_A,
    roleIds,
  );
  const b = await buildSide(
    database,
    { community: territory.communityB, grid: territory.gridB, letter: 'B' },
    POLYGON_B,
    roleIds,
  );
  const personB = await database.db
    .selectFrom('people')
    .select(['name', 'phone', 'id_number', 'address'])
    .where('id', '=', b.person)
    .executeTakeFirstOrThrow();
  return {
    territory,
    inside: { ...a, role: customRole.id },
    outside: { ...b, role: customRole.id },
    personal: [personB.name, personB.phone, personB.id_number, personB.address, 'B矩阵关爱备注'].filter(
      (s): s is string => Boolean(s),
    ),
    names: [
      territory.streetB.name,
      territory.communityB.name,
      territory.gridB.name,
      'B矩阵楼',
      `${territory.communityB.name}矩阵党支部`,
      'B矩阵网格员',
      'matrix-staff-b',
      '13700137002',
      'B矩阵案件标题',
      'B矩阵案件描述',
      'MX-2026-000002',
      'B矩阵报事人',
      '13600136002',
      'B矩阵通知标题',
      'B矩阵通知正文',
      'B矩阵活动',
      'B矩阵活动室',
    ],
  };
}

/** The strings of `secrets` that occur in a response body (as sent: JSON text, or the cells of a workbook). */
export function leakedIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}
