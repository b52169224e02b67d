import { createHash, randomUUID } from 'node:crypto';
import type { Permission } from '../../src/server/access/permissions.ts';
import type { Database } from '../../src/server/db/database.ts';
import type { RouteEntry } from '../../src/server/http/context.ts';
import { pngWithMetadata } from '../../src/server/modules/attachments/attachments.fixtures.ts';
import { createFileStore, newStorageKey } from '../../src/server/modules/attachments/file-store.ts';
import { validIdNumber } from '../../src/server/modules/people/people.fixtures.ts';
import { searchVectorSql } from '../../src/server/modules/search/segment.ts';
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
  /**
   * The units each inside record belongs to (a case also to the units it is assigned to): an actor sees the
   * inside record when its grant covers one of them. Written down from how the fixtures are built, not read
   * from the code under test.
   */
  anchors: Record<RecordKind, Array<{ id: number; path: string }>>;
  /** Where community A's and B's cases are, for the similar-case and intake probes. */
  points: { A: { lng: number; lat: number }; B: { lng: number; lat: number } };
  /** Accounts of the fixtures: the resident of each side (reporter of its case) and its grid worker. */
  accounts: { residentA: number; residentB: number; staffA: number; staffB: number };
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
  /** Records only their owner account sees (notifications, saved filters): 404 to every other actor. */
  ownerOnly?: boolean;
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
  '/api/notifications/:id': { kind: 'notification', ownerOnly: true },
  '/api/me/saved-filters/:id': { kind: 'savedFilter', ownerOnly: true },
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
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000);

export const VALID_BODIES: Record<string, unknown> = {
  'POST /api/accounts': { username: 'fuzz.account', displayName: '模糊测试账号' },
  // Unit 4 is community A when buildTerritory made the first units of a fresh database (as in the fuzz).
  'POST /api/people': { name: '模糊测试居民', unitId: 4 },
  'PATCH /api/people/:id': { version: 1, note: '模糊测试备注' },
  'POST /api/party-orgs': { parentId: null, kind: 'branch', name: '模糊测试党支部' },
  'PATCH /api/party-orgs/:id': { version: 1, name: '模糊测试党支部改名' },
  'PUT /api/calendar/days/:day': { kind: 'holiday', name: '模糊测试假日' },
  'PUT /api/time-limits': {
    caseType: 'appeal',
    categoryId: null,
    urgency: 'critical',
    responseMinutes: 60,
    resolutionMinutes: 960,
    visitMinutes: 480,
  },
  'POST /api/cases': {
    channel: 'hotline',
    title: '模糊测试案件',
    description: '模糊测试案件描述',
    location: { lng: 116.305, lat: 39.905 },
  },
  // No location: the fuzz may have removed the grid boundaries by then; the resident's home unit places it.
  'POST /api/me/cases': { description: '楼下路灯不亮，模糊测试' },
  'POST /api/me/saved-filters': { page: 'cases', name: '模糊测试筛选', query: { colour: 'red' } },
  'POST /api/activities': {
    kind: 'course',
    unitId: 1,
    title: '模糊测试活动',
    venue: '模糊测试活动室',
    startsAt: IN_A_WEEK.toISOString(),
    endsAt: new Date(IN_A_WEEK.getTime() + 3_600_000).toISOString(),
    capacity: 20,
  },
  'PATCH /api/activities/:id': { version: 1, title: '模糊测试活动改名' },
  'PUT /api/people/:id/care': { kinds: ['elderly'], visitCycleDays: 30 },
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
  const residentAccount = await database.db
    .insertInto('accounts')
    .values({
      kind: 'resident',
      phone: `1390013900${digit}`,
      person_id: person.id,
      display_name: `${letter}矩阵居民`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const caseIds = await caseFixtures(database, side, {
    personId: person.id,
    staffAccountId: account.id,
    residentAccountId: residentAccount.id,
    serial: digit,
  });
  const activityIds = await activityFixtures(database, side, person.id);
  const notice = await noticeFixture(database, side, account.id);
  return {
    residentAccount: residentAccount.id,
    building: building,
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

/** A notice to the side's community: its residents read it, its staff manage it. */
async function noticeFixture(database: Database, side: Side, staffAccountId: number, title = '矩阵通知标题') {
  return database.db
    .insertInto('notices')
    .values({
      unit_id: side.community.id,
      title: `${side.letter}${title}`,
      body: `${side.letter}矩阵通知正文`,
      published_at: new Date(),
      created_by: staffAccountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A point inside each side's grid boundary (POLYGON_A / POLYGON_B). */
export const POINTS = { A: { lng: 116.305, lat: 39.905 }, B: { lng: 116.405, lat: 39.905 } } as const;

interface CaseOwners {
  personId: number;
  staffAccountId: number;
  /** The resident who reported the case and asked for the call back (the person's own account). */
  residentAccountId: number;
  /** Makes the case number unique: 1 and 2 for the sides, higher for records added later. */
  serial: number;
}

/** A case in the side's grid (with its first event and owner assignment), a photo on it and a call request. */
async function caseFixtures(database: Database, side: Side, owners: CaseOwners, title = '矩阵案件标题') {
  const { letter, grid } = side;
  const { personId, staffAccountId, serial } = owners;
  const now = new Date();
  const resident = { id: owners.residentAccountId };
  const point = POINTS[letter];
  const caseTitle = `${letter}${title}`;
  const created = await database.db
    .insertInto('cases')
    .values({
      number: `MX-2026-${String(serial).padStart(6, '0')}`,
      case_type: 'appeal',
      channel: 'hotline',
      title: caseTitle,
      description: `${letter}矩阵案件描述`,
      lng: point.lng,
      lat: point.lat,
      location: `(${point.lng},${point.lat})`,
      search: searchVectorSql(caseTitle, `${letter}矩阵案件描述`) as never,
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
      title: caseTitle,
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
    .values({
      account_id: staffAccountId,
      page: 'cases',
      name: `${letter}矩阵筛选${serial}`,
      query: '{"colour":"red"}',
    })
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
      check_in_code: `matrix${letter}CheckIn${randomUUID().replaceAll('-', '').slice(0, 12)}`,
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
  // Community A's case is also assigned to the district department (as a whistle does): the department's
  // handler, whose grant covers that one unit, sees it through the assignment.
  const department = territory.department;
  const intakeA = await database.db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', a.case)
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('case_assignments')
    .values({
      case_id: a.case,
      unit_id: department.id,
      unit_path: department.path,
      role: 'assist',
      assigned_at: new Date(),
      response_due_at: new Date(Date.now() + 86_400_000),
      event_id: intakeA.id,
    })
    .execute();
  const personB = await database.db
    .selectFrom('people')
    .select(['name', 'phone', 'id_number', 'address'])
    .where('id', '=', b.person)
    .executeTakeFirstOrThrow();
  const { communityA, gridA } = territory;
  const inGrid = [gridA];
  const inCommunity = [communityA];
  const { residentAccount: residentA, building: buildingA, ...insideA } = a;
  const { residentAccount: residentB, building: _buildingB, ...insideB } = b;
  return {
    territory,
    inside: { ...insideA, role: customRole.id },
    outside: { ...insideB, role: customRole.id },
    anchors: {
      unit: inCommunity,
      grid: inGrid,
      person: [buildingA],
      unitPost: inGrid,
      partyOrg: inCommunity,
      account: inGrid,
      grant: inGrid,
      role: [],
      case: [gridA, department],
      attachment: [gridA, department],
      callRequest: inGrid,
      caseType: [],
      caseCategory: [],
      timeLimit: [],
      calendarDay: [],
      notification: [],
      savedFilter: [],
      activity: inCommunity,
      enrolment: inCommunity,
      notice: inCommunity,
    },
    points: POINTS,
    accounts: { residentA, residentB, staffA: a.account, staffB: b.account },
    personal: [
      personB.name,
      personB.phone,
      personB.id_number,
      personB.address,
      'B矩阵关爱备注',
      'B矩阵报事人',
      '13600136002',
    ].filter((s): s is string => Boolean(s)),
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
      'B矩阵追加',
    ],
  };
}

/** The strings of `secrets` that occur in a response body (as sent: JSON text, or the cells of a workbook). */
export function leakedIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}

/**
 * Where each built-in role is granted in the matrix: a unit that holds community A's records and not community
 * B's (the roles scoped to 'all' see both wherever they are granted). A role missing here is granted at
 * community A; a new built-in role is therefore in the matrix without an entry.
 */
export const ROLE_PLACEMENT: Record<string, keyof Territory> = {
  systemAdmin: 'district',
  auditor: 'district',
  districtAdmin: 'streetA',
  streetAdmin: 'streetA',
  communityWorker: 'communityA',
  hotlineOperator: 'communityA',
  supervisor: 'communityA',
  leader: 'communityA',
  partySecretary: 'communityA',
  gridWorker: 'gridA',
  departmentHandler: 'department',
};

/**
 * More records in community B — a case with its notification and call request, a notice, an activity — for
 * the counts check: nothing an actor scoped to community A counts may change.
 */
export async function addOutsideRecords(database: Database, f: ScopeFixtures, serial: number): Promise<void> {
  const side: Side = { community: f.territory.communityB, grid: f.territory.gridB, letter: 'B' };
  // A resident waits for one call back at a time: the new call request is another resident's.
  const resident = await database.db
    .insertInto('accounts')
    .values({
      kind: 'resident',
      phone: `139001390${String(serial).padStart(2, '0')}`,
      display_name: `B矩阵追加居民${serial}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await caseFixtures(
    database,
    side,
    {
      personId: f.outside.person as number,
      staffAccountId: f.accounts.staffB,
      residentAccountId: resident.id,
      serial,
    },
    `矩阵追加案件${serial}`,
  );
  await noticeFixture(database, side, f.accounts.staffB, `矩阵追加通知${serial}`);
  await activityFixtures(database, side, f.outside.person as number);
}
