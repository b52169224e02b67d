import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  type Client,
  createTestApp,
  errorCode,
  insertUnit,
  type TestApp,
  type TestUnit,
} from '../../../../test/support/app.ts';
import {
  act,
  buildCaseWorld,
  type CaseWorld,
  IN_GRID_A,
  IN_GRID_B,
  OUTSIDE_GRIDS,
  residentClient,
  setBoundary,
  square,
} from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { phonePhoto, tinyPdf } from '../attachments/attachments.fixtures.ts';
import { pointOnSurface } from '../places/point-on-surface.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';
/** Where the similar cases are looked for: in grid A, about 180 m from the neighbouring district's grid. */
const QUERY = { lng: 116.408, lat: 39.905 };
/** About 150 m west of QUERY, in grid A. */
const NEAR_A = { lng: 116.4062, lat: 39.905 };

type Resident = Client & { accountId: number };

function uploadFile(client: Client, bytes: Buffer, kind: 'image' | 'document' = 'image') {
  const boundary = `----linli${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request({
    method: 'POST',
    url: '/api/attachments',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function uploadPhoto(client: Client): Promise<string> {
  const response = await uploadFile(client, await phonePhoto('jpeg'));
  assert.equal(response.statusCode, 200, response.body);
  return response.json().attachment.id;
}

/** The one error shape, without the request id (which differs on every answer). */
function errorBody(response: LightMyRequestResponse) {
  errorCode(response);
  const { requestId: _, ...rest } = response.json().error;
  return { status: response.statusCode, ...rest };
}

for (const kind of await databaseKinds()) {
  describe(`the resident's cases (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let dataDir: string;
    let me: Resident;
    let neighbour: Resident;
    let farAway: Resident;
    let homeless: Resident;
    let otherDistrictGrid: TestUnit;
    let entrance: TestUnit;
    const clock = new ManualClock(MONDAY_10);

    const count = async (table: 'cases' | 'case_events' | 'attachments' | 'case_supporters' | 'outbox') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const counts = async () =>
      Promise.all((['cases', 'case_events', 'case_supporters', 'outbox'] as const).map((table) => count(table)));

    async function report(client: Client, body: Record<string, unknown>) {
      const response = await client.post('/api/me/cases', body);
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case;
    }

    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'linli-resident-cases-'));
      t = await createTestApp(kind, { DATA_DIR: dataDir }, clock);
      w = await buildCaseWorld(t);
      const compound = await insertUnit(t.database, 'compound', '甲一小区', w.territory.gridA);
      const building = await insertUnit(t.database, 'building', '1号楼', compound);
      const otherBuilding = await insertUnit(t.database, 'building', '2号楼', compound);
      entrance = await insertUnit(t.database, 'entrance', '1单元', building);
      for (const [unit, post, name] of [
        [w.territory.gridA, 'gridWorker', '网格员小李'],
        [building, 'buildingHead', '楼栋长老王'],
        [entrance, 'entranceHead', '单元长老赵'],
        [otherBuilding, 'buildingHead', '别栋楼长老孙'],
      ] as const) {
        const person = await t.database.db
          .insertInto('people')
          .values({ name, phone: `1350000${String(unit.id).padStart(4, '0')}`, unit_id: unit.id } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await t.database.db
          .insertInto('unit_posts')
          .values({ unit_id: unit.id, person_id: person.id, post, services: `${name}的服务` })
          .execute();
      }
      // A second district whose grid borders grid A: close by, but not my district.
      const district2 = await insertUnit(t.database, 'district', '邻区');
      const street2 = await insertUnit(t.database, 'street', '邻街道', district2);
      const community2 = await insertUnit(t.database, 'community', '邻社区', street2);
      otherDistrictGrid = await insertUnit(t.database, 'grid', '邻一网格', community2);
      await setBoundary(t.database, otherDistrictGrid.id, square(116.41, 39.9));
      me = await residentClient(t, '13811110001', entrance.id);
      neighbour = await residentClient(t, '13811110002', w.territory.gridA.id);
      farAway = await residentClient(t, '13811110003', otherDistrictGrid.id);
      homeless = await residentClient(t, '13811110004');
    });
    after(async () => {
      await t.dispose();
      await rm(dataDir, { recursive: true, force: true });
    });

    test('a report answers in the resident shape: plain stage, my words and photos, no staff fields', async () => {
      const photo = await uploadPhoto(me);
      const response = await me.post('/api/me/cases', {
        description: '  1号楼门口的垃圾桶满了三天没人清运  ',
        location: IN_GRID_A,
        address: '甲一小区1号楼',
        attachmentIds: [photo],
      });
      assert.equal(response.statusCode, 201, response.body);
      const c = response.json().case;
      assert.equal(c.stage, 'received');
      assert.equal(c.state, 'received');
      assert.equal(c.relation, 'reporter');
      assert.equal(c.description, '1号楼门口的垃圾桶满了三天没人清运');
      assert.equal(c.title, '1号楼门口的垃圾桶满了三天没人清运', 'the title defaults to the start of the description');
      assert.deepEqual(c.location, IN_GRID_A);
      assert.deepEqual(c.grid, { id: w.territory.gridA.id, name: w.territory.gridA.name });
      assert.deepEqual(c.photos, [photo]);
      assert.deepEqual(
        c.timeline.map((s: { kind: string }) => s.kind),
        ['received'],
      );
      assert.deepEqual(c.timeline[0].units, [{ id: w.territory.gridA.id, name: '甲一网格', kind: 'grid' }]);
      assert.equal(c.canRate, false);
      assert.equal(c.rating, null);
      assert.equal(c.supporters, 0);
      for (const staffField of ['owner', 'reporter', 'events', 'assignments', 'allowedActions', 'colour', 'version']) {
        assert.ok(!(staffField in c), `no ${staffField}`);
      }
      const photoResponse = await me.get(`/api/attachments/${photo}?size=thumb`);
      assert.equal(photoResponse.statusCode, 200);
    });

    test('the timeline follows the staff in plain words: unit names, public text only, result photos', async () => {
      const c = await report(me, { description: '楼道灯坏了一个星期', location: IN_GRID_A });
      await act(w.gridWorkerA, c.id, { action: 'classify', categoryId: w.categories.garbage });
      await act(w.gridWorkerA, c.id, { action: 'note', note: '内部备注：报事人脾气急' });
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '网格内部原因：人手不足' });
      await act(w.communityA, c.id, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        assistUnitIds: [w.territory.department2.id],
        deadline: '2026-12-10T10:00:00+08:00',
      });
      await act(w.department, c.id, { action: 'checkIn' });
      await act(w.department, c.id, { action: 'requestExtension', extraMinutes: 480, reason: '等待配件' });
      await act(w.supervisor, c.id, { action: 'decideExtension', approve: true, note: '督办批示：同意' });
      await act(w.department, c.id, { action: 'requestExtension', extraMinutes: 480, reason: '再等' });
      await act(w.supervisor, c.id, { action: 'decideExtension', approve: false, note: '不同意' });
      await act(w.supervisor, c.id, { action: 'supervise', note: '督办意见：加快' });
      await act(w.supervisor, c.id, { action: 'chase', note: '催办内容' });

      const handling = (await me.get(`/api/me/cases/${c.id}`)).json().case;
      assert.equal(handling.stage, 'handling');
      assert.ok(handling.promisedBy, 'the time promised');

      const resultPhoto = await uploadPhoto(w.department);
      clock.advance(3_600_000);
      await act(w.department, c.id, { action: 'resolve', result: '已更换楼道灯', attachmentIds: [resultPhoto] });
      const response = await me.get(`/api/me/cases/${c.id}`);
      assert.equal(response.statusCode, 200, response.body);
      const detail = response.json().case;
      assert.deepEqual(
        detail.timeline.map((s: { kind: string }) => s.kind),
        ['received', 'assigned', 'escalated', 'whistled', 'checkedIn', 'extended', 'supervised', 'resolved'],
      );
      const step = (kind: string) => detail.timeline.find((s: { kind: string }) => s.kind === kind);
      assert.deepEqual(
        step('whistled').units.map((u: { name: string }) => u.name),
        ['城市管理局', '住房和城乡建设局'],
      );
      assert.equal(step('escalated').units[0].name, '甲社区');
      assert.equal(step('escalated').text, null, 'the escalation reason is internal');
      assert.match(step('extended').text, /^2026-\d\d-\d\d \d\d:\d\d$/, 'the new due time');
      assert.equal(step('supervised').text, null);
      assert.equal(step('resolved').text, '已更换楼道灯');
      assert.deepEqual(step('resolved').photos, [resultPhoto]);
      assert.deepEqual(detail.result, { text: '已更换楼道灯', photos: [resultPhoto], at: step('resolved').at });
      assert.equal(detail.stage, 'resolved');
      assert.equal(detail.canRate, true);
      assert.equal(detail.needsRating, true);
      assert.ok(detail.visitDueAt);
      const text = response.body;
      for (const internal of ['内部备注', '人手不足', '等待配件', '督办批示', '不同意', '督办意见', '催办内容']) {
        assert.ok(!text.includes(internal), `internal text "${internal}" stays internal`);
      }
      const staffNames = await t.database.db
        .selectFrom('accounts')
        .select('display_name')
        .where(
          'id',
          'in',
          [w.gridWorkerA, w.communityA, w.department, w.supervisor].map((s) => s.accountId),
        )
        .execute();
      assert.equal(staffNames.length, 4);
      for (const { display_name } of staffNames)
        assert.ok(!text.includes(display_name), `no staff name ${display_name}`);
      assert.equal(
        (await me.get(`/api/attachments/${resultPhoto}`)).statusCode,
        200,
        'the result photo is mine to see',
      );

      const list = (await me.get('/api/me/cases')).json();
      const item = list.items.find((i: { id: number }) => i.id === c.id);
      assert.equal(item.needsRating, true);
      assert.equal(item.lastStep.kind, 'resolved');
      assert.deepEqual(item.lastStep.photos, [resultPhoto]);
      assert.equal(list.items[0].id, c.id, 'the most recently active first');
    });

    test('rating: dissatisfied reopens once, the second result is rated; twice or too early is 409', async () => {
      const c = await report(me, { description: '小区东门路灯不亮', location: IN_GRID_A });
      const early = await me.post(`/api/me/cases/${c.id}/visit`, { rating: 'satisfied' });
      assert.equal(early.statusCode, 409, 'not resolved yet');
      assert.equal(errorCode(early), 'ILLEGAL_TRANSITION');
      await act(w.gridWorkerA, c.id, { action: 'classify', categoryId: w.categories.garbage });
      await act(w.gridWorkerA, c.id, { action: 'selfResolve', result: '已报修' });
      const stranger = await neighbour.post(`/api/me/cases/${c.id}/visit`, { rating: 'dissatisfied' });
      const missing = await neighbour.post('/api/me/cases/987654321/visit', { rating: 'dissatisfied' });
      assert.deepEqual(errorBody(stranger), errorBody(missing), 'another resident learns nothing');
      assert.equal(stranger.statusCode, 404);

      const first = await me.post(`/api/me/cases/${c.id}/visit`, { rating: 'dissatisfied', comment: '灯还是不亮' });
      assert.equal(first.statusCode, 200, first.body);
      const reopened = first.json().case;
      assert.equal(reopened.stage, 'handling');
      assert.equal(reopened.result, null, 'the result is gone until the next one');
      assert.equal(reopened.timeline.at(-1).kind, 'reopened');
      assert.equal(reopened.timeline.at(-1).text, '灯还是不亮');
      assert.equal(reopened.canRate, false);

      await act(w.gridWorkerA, c.id, { action: 'selfResolve', result: '已更换灯杆' });
      const second = await me.post(`/api/me/cases/${c.id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(second.statusCode, 200, second.body);
      const closed = second.json().case;
      assert.equal(closed.stage, 'closed');
      assert.deepEqual(closed.rating, { rating: 'satisfied', solved: true, comment: null });
      assert.equal(closed.result.text, '已更换灯杆');
      const before = await counts();
      const twice = await me.post(`/api/me/cases/${c.id}/visit`, { rating: 'satisfied', solved: true });
      assert.equal(twice.statusCode, 409);
      assert.deepEqual(await counts(), before, 'nothing written');
    });

    test('similar cases near my point: open, public, in my district, digit runs masked; "me too" joins', async () => {
      const theirs = await report(neighbour, {
        title: '垃圾堆积 联系13912345678',
        description: '垃圾桶旁堆满垃圾，我的电话13912345678',
        location: NEAR_A,
      });
      const secret = await report(neighbour, {
        description: '垃圾桶坏了（保密）',
        location: NEAR_A,
        confidential: true,
      });
      const mine = await report(me, { description: '我自己报的垃圾问题', location: NEAR_A });
      // About 180 m away, across the border in the neighbouring district.
      const elsewhere = await report(farAway, {
        description: '邻区的垃圾问题',
        location: { lng: 116.4101, lat: 39.905 },
      });
      // About 380 m away, in grid A.
      const far = await report(neighbour, { description: '远处的垃圾问题', location: { lng: 116.4035, lat: 39.905 } });
      const done = await report(neighbour, { description: '已经办结的垃圾问题', location: NEAR_A });
      await act(w.gridWorkerA, done.id, { action: 'classify', categoryId: w.categories.garbage });
      await act(w.gridWorkerA, done.id, { action: 'selfResolve', result: '已清理' });

      const similar = await me.get(
        `/api/me/cases/similar?lng=${QUERY.lng}&lat=${QUERY.lat}&text=${encodeURIComponent('垃圾堆积')}`,
      );
      assert.equal(similar.statusCode, 200, similar.body);
      const items = similar.json().items;
      const ids = items.map((i: { id: number }) => i.id);
      assert.ok(ids.includes(theirs.id));
      for (const hidden of [secret, mine, elsewhere, far, done])
        assert.ok(!ids.includes(hidden.id), hidden.description);
      assert.ok(items.length <= 5);
      const found = items.find((i: { id: number }) => i.id === theirs.id);
      assert.equal(found.title, '垃圾堆积 联系***********');
      assert.ok(found.distanceMetres > 140 && found.distanceMetres < 170, `${found.distanceMetres} m`);
      assert.equal(found.joined, false);
      assert.ok(!similar.body.includes('13912345678') && !similar.body.includes('我的电话'), 'no description or phone');
      assert.ok(!similar.body.includes('13811110002'), 'nothing of the reporter');
      const sameCategory = await me.get(
        `/api/me/cases/similar?lng=${QUERY.lng}&lat=${QUERY.lat}&categoryId=${w.categories.leak}`,
      );
      assert.ok(
        sameCategory.json().items.some((i: { id: number }) => i.id === theirs.id),
        'an unclassified case may be the same problem',
      );
      assert.deepEqual(
        (await homeless.get(`/api/me/cases/similar?lng=${QUERY.lng}&lat=${QUERY.lat}`)).json().items,
        [],
        'without a home there is no district to look in',
      );

      const joined = await me.post(`/api/me/cases/${theirs.id}/me-too`);
      assert.equal(joined.statusCode, 201, joined.body);
      assert.deepEqual(joined.json(), { supporting: true, supporters: 1 });
      const again = await me.post(`/api/me/cases/${theirs.id}/me-too`);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), { supporting: true, supporters: 1 });
      assert.equal(
        (await me.get(`/api/me/cases/similar?lng=${QUERY.lng}&lat=${QUERY.lat}`))
          .json()
          .items.find((i: { id: number }) => i.id === theirs.id).joined,
        true,
      );

      const own = await me.post(`/api/me/cases/${mine.id}/me-too`);
      assert.equal(own.statusCode, 409);
      const before = await counts();
      const missing = await me.post('/api/me/cases/987654321/me-too');
      for (const refused of [secret, elsewhere, done]) {
        const response = await me.post(`/api/me/cases/${refused.id}/me-too`);
        assert.deepEqual(errorBody(response), errorBody(missing), `${refused.description}: as if it did not exist`);
      }
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(await counts(), before, 'nothing written');

      // Now it is in my list as a supporter, without the reporter's words; I hear of its resolution; I cannot rate.
      const list = (await me.get('/api/me/cases')).json();
      const item = list.items.find((i: { id: number }) => i.id === theirs.id);
      assert.equal(item.relation, 'supporter');
      assert.equal(item.title, '垃圾堆积 联系***********');
      const detail = await me.get(`/api/me/cases/${theirs.id}`);
      assert.equal(detail.statusCode, 200);
      assert.equal(detail.json().case.description, '');
      assert.equal(detail.json().case.location, null);
      assert.equal(detail.json().case.supporters, 1);
      assert.ok(!detail.body.includes('13912345678'));
      await act(w.gridWorkerA, theirs.id, { action: 'classify', categoryId: w.categories.garbage });
      await act(w.gridWorkerA, theirs.id, { action: 'selfResolve', result: '已清运' });
      const outbox = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('case_id', '=', theirs.id)
        .where('topic', '=', 'case.selfResolve')
        .executeTakeFirstOrThrow();
      assert.deepEqual(outbox.payload.recipients.accountIds.sort(), [neighbour.accountId, me.accountId].sort());
      const resolved = (await me.get(`/api/me/cases/${theirs.id}`)).json().case;
      assert.equal(resolved.result.text, '已清运');
      assert.equal(resolved.canRate, false);
      assert.equal(resolved.needsRating, false);
      const rate = await me.post(`/api/me/cases/${theirs.id}/visit`, { rating: 'dissatisfied' });
      assert.equal(rate.statusCode, 403, 'only the reporter rates');
      const closed = await neighbour.post(`/api/me/cases/${theirs.id}/visit`, { rating: 'satisfied', comment: '谢谢' });
      assert.equal(closed.statusCode, 200);
      const closedOutbox = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('case_id', '=', theirs.id)
        .where('topic', '=', 'case.visit')
        .executeTakeFirstOrThrow();
      assert.deepEqual(closedOutbox.payload.recipients.accountIds, [me.accountId], 'the supporter hears it closed');
      const seen = (await me.get(`/api/me/cases/${theirs.id}`)).json().case;
      assert.equal(seen.rating, null, "the reporter's rating is theirs");
      assert.ok(!JSON.stringify(seen).includes('谢谢'));
    });

    test('bad reports are refused with the one error shape and nothing is written', async () => {
      const mine = await uploadPhoto(me);
      const theirs = await uploadPhoto(neighbour);
      const pdfUpload = await uploadFile(me, tinyPdf(), 'document');
      assert.equal(pdfUpload.statusCode, 200, pdfUpload.body);
      const pdf = pdfUpload.json().attachment.id;
      const ten = await Promise.all(Array.from({ length: 10 }, () => uploadPhoto(me)));
      const attachmentsBefore = await count('attachments');
      const before = await counts();
      const cases: Array<[string, unknown, number[], string]> = [
        ['empty', { description: '' }, [400], 'VALIDATION_FAILED'],
        ['whitespace', { description: ' \n\t ' }, [400], 'VALIDATION_FAILED'],
        ['2001 characters', { description: '长'.repeat(2001) }, [400], 'VALIDATION_FAILED'],
        ['50,000 characters', { description: '长'.repeat(50_000) }, [400, 413], ''],
        ['a 61-character title', { description: '正常', title: '题'.repeat(61) }, [400], 'VALIDATION_FAILED'],
        ['outside China', { description: '外地问题', location: { lng: 10, lat: 10 } }, [400], 'VALIDATION_FAILED'],
        ['outside every grid', { description: '区外问题', location: OUTSIDE_GRIDS }, [400], 'BAD_REQUEST'],
        ['ten photos', { description: '十张照片', attachmentIds: ten }, [400], 'VALIDATION_FAILED'],
        ["a neighbour's photo", { description: '别人的照片', attachmentIds: [mine, theirs] }, [400, 404], ''],
        ['a PDF', { description: 'PDF', attachmentIds: [pdf] }, [400, 404], ''],
        ['an unknown field', { description: '多余字段', reporterPhone: '13800000000' }, [400], 'VALIDATION_FAILED'],
      ];
      for (const [what, body, statuses, code] of cases) {
        const response = await me.post('/api/me/cases', body);
        assert.ok(statuses.includes(response.statusCode), `${what}: ${response.statusCode} ${response.body}`);
        const answered = errorCode(response);
        if (code) assert.equal(answered, code, what);
        if (what === 'outside every grid') assert.equal(response.json().error.details.field, 'location');
        if (what === "a neighbour's photo") {
          assert.ok(!response.body.includes('13811110002'), 'nothing of whose it is');
          assert.ok(!response.body.includes(mine), 'my own photo is not named');
        }
      }
      assert.deepEqual(await counts(), before, 'no case, event, supporter or message written');
      assert.equal(await count('attachments'), attachmentsBefore);
      const unclaimed = await t.database.db
        .selectFrom('attachments')
        .select('id')
        .where('id', 'in', [mine, theirs, pdf, ...ten])
        .where('case_id', 'is not', null)
        .execute();
      assert.deepEqual(unclaimed, [], 'no upload was attached');

      const homelessReport = await homeless.post('/api/me/cases', { description: '我还没填地址' });
      assert.equal(homelessReport.statusCode, 400);
      assert.equal(homelessReport.json().error.details.field, 'location');
    });

    test("another resident's case answers 404 like a missing one, on every resident route", async () => {
      const c = await report(neighbour, { description: '别人家的事', location: IN_GRID_A, confidential: true });
      const missing = '987654321';
      for (const [method, suffix, body] of [
        ['GET', '', undefined],
        ['POST', '/visit', { rating: 'satisfied' }],
        ['POST', '/me-too', undefined],
      ] as const) {
        const theirs = await me.request({ method, url: `/api/me/cases/${c.id}${suffix}`, payload: body });
        const none = await me.request({ method, url: `/api/me/cases/${missing}${suffix}`, payload: body });
        assert.equal(theirs.statusCode, 404, `${method} ${suffix}: ${theirs.body}`);
        assert.deepEqual(errorBody(theirs), errorBody(none));
      }
      const list = (await me.get('/api/me/cases?pageSize=50')).json();
      assert.ok(!list.items.some((i: { id: number }) => i.id === c.id));
    });

    test('my grid: the card with my own building and entrance heads; the map of my community', async () => {
      const card = await me.get('/api/me/grid');
      assert.equal(card.statusCode, 200, card.body);
      const { card: c } = card.json();
      assert.equal(c.grid.id, w.territory.gridA.id);
      assert.equal(c.community.name, '甲社区');
      assert.deepEqual(
        c.posts.map((p: { personName: string; post: string }) => [p.personName, p.post]),
        [['网格员小李', 'gridWorker']],
      );
      assert.deepEqual(
        c.subUnits.map((u: { name: string; kind: string; heads: Array<{ personName: string }> }) => [
          u.kind,
          u.name,
          u.heads.map((h) => h.personName),
        ]),
        [
          ['compound', '甲一小区', []],
          ['building', '1号楼', ['楼栋长老王']],
          ['entrance', '1单元', ['单元长老赵']],
        ],
      );
      assert.ok(!card.body.includes('别栋楼长老孙'), "another building's head is not mine to call");
      assert.deepEqual((await homeless.get('/api/me/grid')).json(), { card: null });

      const map = await me.get('/api/me/map');
      assert.equal(map.statusCode, 200, map.body);
      const m = map.json();
      assert.equal(m.tileUrl, null, 'tile-free by default');
      assert.deepEqual(
        m.grids.map((g: { id: number }) => g.id).sort(),
        [w.territory.gridA.id, w.territory.gridA2.id].sort(),
        'the grids of my community, not grid B',
      );
      const gridA = m.grids.find((g: { id: number }) => g.id === w.territory.gridA.id);
      assert.equal(gridA.geometry.type, 'Polygon');
      assert.deepEqual(m.home, pointOnSurface(gridA.geometry.coordinates));
      const located = await me.get(`/api/grids/locate?lng=${m.home.lng}&lat=${m.home.lat}`);
      assert.equal(located.json().grid.id, w.territory.gridA.id, 'the home point lies in my grid');
      assert.deepEqual((await homeless.get('/api/me/map')).json(), {
        tileUrl: null,
        attribution: null,
        home: null,
        grids: [],
      });
      assert.equal((await w.gridWorkerA.get('/api/me/grid')).statusCode, 403, 'a resident route');
    });

    test('a case reported in grid B is still followed by its reporter who lives in grid A', async () => {
      const c = await report(me, { description: '乙网格的问题', location: IN_GRID_B });
      assert.equal(c.grid.id, w.territory.gridB.id);
      assert.equal((await me.get(`/api/me/cases/${c.id}`)).statusCode, 200);
    });
  });
}
