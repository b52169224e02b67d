import assert from 'node:assert/strict';
import type { Database } from '../../src/server/db/database.ts';
import { pgPolygonText, validatePolygon } from '../../src/server/geo/polygon.ts';
import { anonymous, buildTerritory, type Client, insertUnit, staffClient, type TestApp } from './app.ts';

/**
 * A territory ready for the case loop: buildTerritory's units, square boundaries for both grids (so locations
 * resolve), a second department, a small category tree and one signed-in client per role.
 *
 *   grid A: lng 116.40–116.41, lat 39.90–39.91 (甲社区, 甲街道)    grid B: lng 116.50–116.51, lat 39.90–39.91
 */
export const IN_GRID_A = { lng: 116.405, lat: 39.905 };
export const IN_GRID_B = { lng: 116.505, lat: 39.905 };
/** Inside the district but outside every grid. */
export const OUTSIDE_GRIDS = { lng: 116.3, lat: 39.8 };

export function square(lng: number, lat: number, size = 0.01) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}

export async function setBoundary(database: Database, unitId: number, geometry: unknown) {
  const polygon = validatePolygon(geometry);
  await database.db
    .insertInto('grid_boundaries')
    .values({
      unit_id: unitId,
      geojson: JSON.stringify(polygon.geojson),
      outline: pgPolygonText(polygon.outer),
      holes: polygon.holes.map(pgPolygonText) as never,
      area: polygon.area,
    } as never)
    .execute();
}

export async function insertCategories(database: Database) {
  const db = database.db;
  const env = await db
    .insertInto('case_categories')
    .values({ code: 'tEnvironment', name: '市容环境', name_en: 'City environment' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const garbage = await db
    .insertInto('case_categories')
    .values({
      code: 'tEnvironment.garbage',
      parent_id: env.id,
      name: '垃圾清运',
      name_en: 'Garbage collection',
      keywords: ['垃圾', '清运', '垃圾桶'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const property = await db
    .insertInto('case_categories')
    .values({ code: 'tProperty', name: '物业管理', name_en: 'Property management' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const leak = await db
    .insertInto('case_categories')
    .values({
      code: 'tProperty.leak',
      parent_id: property.id,
      name: '房屋漏水',
      name_en: 'Leaking roof',
      keywords: ['漏水', '渗水'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { environment: env.id, garbage: garbage.id, property: property.id, leak: leak.id };
}

let seq = 0;

/** A resident signed in with a one-time code, living in the given unit (so H5 reports without a location route). */
export async function residentClient(
  t: TestApp,
  phone: string,
  homeUnitId?: number,
): Promise<Client & { accountId: number }> {
  const client = anonymous(t);
  const sent = await client.post('/api/auth/otp', { phone });
  assert.equal(sent.statusCode, 200, sent.body);
  const verified = await client.post('/api/auth/otp/verify', { phone, code: t.otpSender.lastCode(phone) });
  assert.equal(verified.statusCode, 200, verified.body);
  const account = await t.database.db
    .selectFrom('accounts')
    .select(['id', 'person_id'])
    .where('phone', '=', phone)
    .executeTakeFirstOrThrow();
  if (homeUnitId !== undefined) {
    const person = await t.database.db
      .insertInto('people')
      .values({ name: `居民${phone.slice(-4)}`, phone, unit_id: homeUnitId } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db.updateTable('accounts').set({ person_id: person.id }).where('id', '=', account.id).execute();
  }
  return Object.assign(client, { accountId: account.id });
}

/** Everything a case-loop test needs; usernames are unique per call so one database can hold several. */
export async function buildCaseWorld(t: TestApp) {
  seq += 1;
  const s = `${seq}`;
  const territory = await buildTerritory(t.database);
  const department2 = await insertUnit(t.database, 'department', '住房和城乡建设局', territory.district);
  const gridA2 = await insertUnit(t.database, 'grid', '甲二网格', territory.communityA);
  await setBoundary(t.database, territory.gridA.id, square(116.4, 39.9));
  await setBoundary(t.database, territory.gridB.id, square(116.5, 39.9));
  await setBoundary(t.database, gridA2.id, square(116.42, 39.9));
  const categories = (await t.database.db
    .selectFrom('case_categories')
    .select('id')
    .where('code', '=', 'tEnvironment')
    .executeTakeFirst())
    ? await existingCategories(t.database)
    : await insertCategories(t.database);
  const c = async (name: string, role: string, unitId: number) => staffClient(t, `${name}${s}`, [{ role, unitId }]);
  return {
    territory: { ...territory, department2, gridA2 },
    categories,
    gridWorkerA: await c('grid.a.', 'gridWorker', territory.gridA.id),
    gridWorkerA2: await c('grid.a2.', 'gridWorker', gridA2.id),
    gridWorkerB: await c('grid.b.', 'gridWorker', territory.gridB.id),
    communityA: await c('community.a.', 'communityWorker', territory.communityA.id),
    streetA: await c('street.a.', 'streetAdmin', territory.streetA.id),
    streetB: await c('street.b.', 'streetAdmin', territory.streetB.id),
    department: await c('dept.', 'departmentHandler', territory.department.id),
    department2: await c('dept2.', 'departmentHandler', department2.id),
    supervisor: await c('supervisor.', 'supervisor', territory.district.id),
    hotline: await c('hotline.', 'hotlineOperator', territory.district.id),
    leader: await c('leader.', 'leader', territory.district.id),
  };
}

async function existingCategories(database: Database) {
  const rows = await database.db.selectFrom('case_categories').select(['id', 'code']).execute();
  const id = (code: string) => rows.find((r) => r.code === code)!.id;
  return {
    environment: id('tEnvironment'),
    garbage: id('tEnvironment.garbage'),
    property: id('tProperty'),
    leak: id('tProperty.leak'),
  };
}

export type CaseWorld = Awaited<ReturnType<typeof buildCaseWorld>>;

/** Takes an action and asserts it succeeded; returns the case. */
export async function act(client: Client, caseId: number, body: Record<string, unknown>) {
  const response = await client.post(`/api/cases/${caseId}/transitions`, body);
  assert.equal(response.statusCode, 200, `${String(body.action)}: ${response.body}`);
  return response.json().case;
}
