import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildTerritory,
  type Client,
  createTestApp,
  errorCode,
  insertUnit,
  staffClient,
  type TestApp,
  type TestUnit,
} from '../../../../test/support/app.ts';
import { residentClient } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { type DeliveryDeps, deliverOutbox } from '../notifications/outbox-delivery.ts';
import { RecordingSender } from '../notifications/senders.ts';

// Tuesday 2026-11-24 09:00 in Shanghai.
const TUESDAY_9 = '2026-11-24T01:00:00Z';

interface StaffNotice {
  id: number;
  unit: { id: number; name: string };
  title: string;
  urgent: boolean;
  pinned: boolean;
  status: 'published' | 'withdrawn';
  audience: number;
  readCount: number;
  pushedAt: string | null;
  version: number;
  actions: { edit: boolean; withdraw: boolean };
}

interface MyNotice {
  id: number;
  title: string;
  urgent: boolean;
  pinned: boolean;
  read: boolean;
  publisher: { id: number; name: string; kind: string };
}

type Resident = Client & { accountId: number };

for (const kind of await databaseKinds()) {
  describe(`notices (${kind})`, { timeout: 60_000 }, () => {
    let t: TestApp;
    const clock = new ManualClock(TUESDAY_9);
    const sms = new RecordingSender('sms');
    let deps: DeliveryDeps;
    let units: Awaited<ReturnType<typeof buildTerritory>> & { gridA2: TestUnit; buildingA: TestUnit };
    let districtAdmin: Client;
    let workerA: Client;
    let workerB: Client;
    let gridWorkerA: Client;
    let secretaryA: Client;
    /** Lives in grid A of community A. */
    let residentA: Resident;
    /** Lives in grid A2, also of community A. */
    let residentA2: Resident;
    /** Lives in community B. */
    let residentB: Resident;
    /** Has not registered a home. */
    let homeless: Resident;

    before(async () => {
      t = await createTestApp(kind, { BACKGROUND_WORKERS: 'false' }, clock);
      const territory = await buildTerritory(t.database);
      const gridA2 = await insertUnit(t.database, 'grid', '甲二网格', territory.communityA);
      const compoundA = await insertUnit(t.database, 'compound', '幸福小区', territory.gridA);
      const buildingA = await insertUnit(t.database, 'building', '1号楼', compoundA);
      const buildingA2 = await insertUnit(t.database, 'building', '2号楼', gridA2);
      const buildingB = await insertUnit(t.database, 'building', '3号楼', territory.gridB);
      units = { ...territory, gridA2, buildingA };
      deps = { clock, bus: t.notificationBus, senders: [sms], instanceId: 'notices-test' };
      districtAdmin = await staffClient(t, 'notice-district', [
        { role: 'districtAdmin', unitId: territory.district.id },
      ]);
      workerA = await staffClient(t, 'notice-worker-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      workerB = await staffClient(t, 'notice-worker-b', [{ role: 'communityWorker', unitId: territory.communityB.id }]);
      gridWorkerA = await staffClient(t, 'notice-grid-a', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      secretaryA = await staffClient(t, 'notice-secretary', [
        { role: 'partySecretary', unitId: territory.communityA.id },
      ]);
      residentA = await residentClient(t, '13811110001', buildingA.id);
      residentA2 = await residentClient(t, '13811110002', buildingA2.id);
      residentB = await residentClient(t, '13811110003', buildingB.id);
      homeless = await residentClient(t, '13811110004');
    });
    after(() => t?.dispose());

    async function publish(client: Client, body: Record<string, unknown>) {
      const response = await client.post('/api/notices', { body: '请各位居民知悉。', ...body });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { notice: StaffNotice; pushed: number };
    }
    async function mine(client: Client, query = '') {
      const response = await client.get(`/api/me/notices${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as { items: MyNotice[]; total: number; unreadCount: number };
    }
    async function unread(client: Client) {
      const response = await client.get('/api/me/notices/unread-count');
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { unreadCount: number }).unreadCount;
    }
    async function staffView(client: Client, id: number) {
      const response = await client.get(`/api/notices/${id}`);
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { notice: StaffNotice }).notice;
    }
    const count = async (table: 'notices' | 'outbox' | 'notice_reads') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const urgentPushes = () =>
      t.database.db.selectFrom('outbox').selectAll().where('topic', '=', 'notice.urgent').orderBy('id').execute();
    /** Everything published so far, read by everyone: each test starts from no unread notices. */
    async function readEverything() {
      for (const r of [residentA, residentA2, residentB]) {
        assert.equal((await r.post('/api/me/notices/read-all')).statusCode, 200);
      }
    }

    test('published, listed with read state; opening one marks it read and the counts follow', async () => {
      const { notice, pushed } = await publish(workerA, { unitId: units.communityA.id, title: '小区停水通知' });
      assert.equal(pushed, 0);
      assert.equal(notice.status, 'published');
      assert.equal(notice.unit.id, units.communityA.id);
      assert.equal(notice.audience, 2, 'the two residents living in community A');
      assert.equal(notice.readCount, 0);
      assert.equal(notice.pushedAt, null);
      assert.deepEqual(notice.actions, { edit: true, withdraw: true });
      assert.deepEqual(await urgentPushes(), [], 'a notice that is not urgent is not pushed');

      const before = await mine(residentA);
      const listed = before.items.find((n) => n.id === notice.id);
      assert.ok(listed, 'the resident of community A sees it');
      assert.equal(listed.read, false);
      assert.equal(listed.publisher.name, units.communityA.name);
      assert.equal(before.unreadCount, 1);
      assert.equal(await unread(residentA), 1);
      assert.deepEqual(
        (await mine(residentA, '?unread=true')).items.map((n) => n.id),
        [notice.id],
      );

      const opened = await residentA.get(`/api/me/notices/${notice.id}`);
      assert.equal(opened.statusCode, 200, opened.body);
      assert.equal(opened.json().notice.body, '请各位居民知悉。');
      assert.equal(opened.json().notice.read, true);
      assert.equal(opened.json().unreadCount, 0);
      assert.equal(await unread(residentA), 0);
      assert.equal((await mine(residentA)).items.find((n) => n.id === notice.id)?.read, true);
      assert.deepEqual((await mine(residentA, '?unread=true')).items, []);
      // Opening it again counts once.
      assert.equal((await residentA.get(`/api/me/notices/${notice.id}`)).statusCode, 200);
      assert.equal((await staffView(workerA, notice.id)).readCount, 1);

      // The other resident of the community has not read it; read-all clears theirs.
      assert.equal(await unread(residentA2), 1);
      const all = await residentA2.post('/api/me/notices/read-all');
      assert.equal(all.statusCode, 200, all.body);
      assert.deepEqual(all.json(), { marked: 1, unreadCount: 0 });
      assert.equal(await unread(residentA2), 0);
      assert.equal((await staffView(workerA, notice.id)).readCount, 2);
      assert.deepEqual((await residentA2.post('/api/me/notices/read-all')).json(), { marked: 0, unreadCount: 0 });
    });

    test('a resident sees the notices of the district, their community and their own grid, and no others', async () => {
      await readEverything();
      const district = await publish(districtAdmin, { unitId: units.district.id, title: '全区疫苗接种安排' });
      const community = await publish(workerA, { unitId: units.communityA.id, title: '垃圾分类宣传周' });
      const grid = await publish(gridWorkerA, { unitId: units.gridA.id, title: '一网格楼道清理' });
      const otherGrid = await publish(workerA, { unitId: units.gridA2.id, title: '二网格电梯维保' });
      const otherCommunity = await publish(workerB, { unitId: units.communityB.id, title: '乙社区消防演练' });
      // Pinned, and older than the others: it still comes first.
      const byStreet = await publish(districtAdmin, { unitId: units.streetA.id, title: '街道置顶通知', pinned: true });
      clock.advance(60_000);
      const newest = await publish(workerA, { unitId: units.communityA.id, title: '最新的社区通知' });

      const a = await mine(residentA);
      const ids = a.items.map((n) => n.id);
      assert.equal(ids[0], byStreet.notice.id, 'the pinned notice comes first');
      assert.equal(ids[1], newest.notice.id, 'then the newest');
      for (const n of [district, community, grid, byStreet, newest])
        assert.ok(ids.includes(n.notice.id), n.notice.title);
      assert.ok(!ids.includes(otherGrid.notice.id), 'not the other grid of the community');
      assert.ok(!ids.includes(otherCommunity.notice.id), 'not another community');
      assert.equal(a.unreadCount, 5);
      assert.equal(a.items.find((n) => n.id === grid.notice.id)?.publisher.kind, 'grid');

      const forA2 = (await mine(residentA2)).items.map((n) => n.id);
      assert.ok(forA2.includes(otherGrid.notice.id) && !forA2.includes(grid.notice.id));
      const forB = (await mine(residentB)).items.map((n) => n.id);
      assert.ok(forB.includes(otherCommunity.notice.id) && forB.includes(district.notice.id));
      assert.ok(!forB.includes(community.notice.id) && !forB.includes(byStreet.notice.id));

      for (const id of [otherGrid.notice.id, otherCommunity.notice.id]) {
        const response = await residentA.get(`/api/me/notices/${id}`);
        assert.equal(response.statusCode, 404, response.body);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      assert.equal(await unread(residentA), 5, 'refused reads mark nothing');

      const none = await mine(homeless);
      assert.deepEqual([none.items, none.total, none.unreadCount], [[], 0, 0]);
      assert.equal((await homeless.get(`/api/me/notices/${district.notice.id}`)).statusCode, 404);
    });

    test('a withdrawn notice disappears for residents; it cannot be edited or withdrawn again', async () => {
      await readEverything();
      const { notice } = await publish(workerA, { unitId: units.communityA.id, title: '临时停电通知' });
      assert.equal(await unread(residentA), 1);

      const stale = await workerA.post(`/api/notices/${notice.id}/withdraw`, { version: notice.version + 1 });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');

      const withdrawn = await workerA.post(`/api/notices/${notice.id}/withdraw`, { version: notice.version });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      const after = withdrawn.json().notice as StaffNotice;
      assert.equal(after.status, 'withdrawn');
      assert.deepEqual(after.actions, { edit: false, withdraw: false });

      assert.ok(!(await mine(residentA)).items.some((n) => n.id === notice.id));
      assert.equal(await unread(residentA), 0);
      assert.equal((await residentA.get(`/api/me/notices/${notice.id}`)).statusCode, 404);

      const again = await workerA.post(`/api/notices/${notice.id}/withdraw`, { version: after.version });
      assert.equal(again.statusCode, 409);
      assert.equal(errorCode(again), 'CONFLICT');
      const edit = await workerA.put(`/api/notices/${notice.id}`, {
        version: after.version,
        unitId: units.communityA.id,
        title: '改个标题',
        body: '正文',
        urgent: false,
        pinned: false,
      });
      assert.equal(edit.statusCode, 409);

      const listed = await workerA.get('/api/notices?status=withdrawn');
      assert.deepEqual(
        (listed.json().items as StaffNotice[]).map((n) => n.id),
        [notice.id],
      );
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_type', '=', 'notice')
        .where('target_id', '=', String(notice.id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['notice.publish', 'notice.withdraw'],
      );
    });

    test('an urgent notice is one push reaching exactly the residents under its unit, once', async () => {
      await readEverything();
      await deliverOutbox(t.database, deps);
      const pushesBefore = (await urgentPushes()).length;
      const sentBefore = sms.sent.length;

      const { notice, pushed } = await publish(workerA, {
        unitId: units.communityA.id,
        title: '燃气管道紧急检修',
        body: '今晚20:00至22:00燃气管道检修，请提前关闭燃气阀门。',
        urgent: true,
      });
      assert.equal(pushed, 2);
      assert.ok(notice.pushedAt);
      const pushes = (await urgentPushes()).slice(pushesBefore);
      assert.equal(pushes.length, 1, 'exactly one outbox message');
      const payload = pushes[0]?.payload as unknown as { recipients: { accountIds: number[] }; noticeId: number };
      assert.deepEqual(
        [...payload.recipients.accountIds].sort((x, y) => x - y),
        [residentA.accountId, residentA2.accountId].sort((x, y) => x - y),
      );
      assert.equal(payload.noticeId, notice.id);

      await deliverOutbox(t.database, deps);
      const inboxes = await t.database.db
        .selectFrom('notifications')
        .select(['account_id', 'title', 'body', 'read_at'])
        .where('outbox_id', '=', pushes[0]?.id as number)
        .orderBy('account_id')
        .execute();
      assert.deepEqual(
        inboxes.map((n) => n.account_id),
        [residentA.accountId, residentA2.accountId].sort((x, y) => x - y),
      );
      assert.ok(inboxes.every((n) => n.title === '燃气管道紧急检修' && n.body === 'urgent'));
      const texts = sms.sent.slice(sentBefore);
      assert.deepEqual(texts.map((m) => m.to).sort(), ['13811110001', '13811110002']);
      assert.ok(texts.every((m) => m.template === 'notice.urgent' && m.params.title === '燃气管道紧急检修'));

      const inboxB = await residentB.get('/api/notifications');
      assert.equal(inboxB.json().total, 0, 'the resident of community B hears nothing');
      const inboxA = await residentA.get('/api/notifications?unread=true');
      assert.equal(inboxA.json().items[0].topic, 'notice.urgent');
      assert.equal(inboxA.json().items[0].data.noticeId, notice.id);
      assert.equal(inboxA.json().items[0].data.unitName, units.communityA.name);
      assert.match(inboxA.json().items[0].data.summary, /^今晚20:00至22:00燃气管道检修/);

      // Opening the notice reads its push too.
      assert.equal((await residentA.get(`/api/me/notices/${notice.id}`)).json().notice.urgent, true);
      assert.equal((await residentA.get('/api/notifications/unread-count')).json().unreadCount, 0);

      // Edits do not push it again, even switched off and on.
      let version = notice.version;
      for (const urgent of [false, true]) {
        const edit = await workerA.put(`/api/notices/${notice.id}`, {
          version,
          unitId: units.communityA.id,
          title: '燃气管道紧急检修（更新）',
          body: '检修时间改为21:00至23:00。',
          urgent,
          pinned: true,
        });
        assert.equal(edit.statusCode, 200, edit.body);
        assert.equal(edit.json().pushed, 0);
        version = edit.json().notice.version;
      }
      assert.equal((await urgentPushes()).length, pushesBefore + 1);

      // A notice made urgent by an edit is pushed then, to its (new) audience: grid A only.
      const plain = await publish(workerA, { unitId: units.communityA.id, title: '电梯停运' });
      const raised = await workerA.put(`/api/notices/${plain.notice.id}`, {
        version: plain.notice.version,
        unitId: units.gridA.id,
        title: '电梯紧急停运',
        body: '1号楼电梯故障停运，请走楼梯。',
        urgent: true,
        pinned: false,
      });
      assert.equal(raised.statusCode, 200, raised.body);
      assert.equal(raised.json().pushed, 1);
      const last = (await urgentPushes()).at(-1)?.payload as { recipients: { accountIds: number[] } };
      assert.deepEqual(last.recipients.accountIds, [residentA.accountId]);
    });

    test('staff outside the audience unit’s scope get 404, staff without the permission 403', async () => {
      const { notice } = await publish(workerA, { unitId: units.communityA.id, title: '甲社区内部通知' });
      const put = {
        version: notice.version,
        unitId: units.communityA.id,
        title: '改',
        body: '改',
        urgent: false,
        pinned: false,
      };
      for (const response of [
        await workerB.get(`/api/notices/${notice.id}`),
        await workerB.put(`/api/notices/${notice.id}`, put),
        await workerB.post(`/api/notices/${notice.id}/withdraw`, { version: notice.version }),
        await gridWorkerA.get(`/api/notices/${notice.id}`),
        await workerB.post('/api/notices', { unitId: units.communityA.id, title: '越界', body: '越界' }),
        await gridWorkerA.post('/api/notices', { unitId: units.communityA.id, title: '越界', body: '越界' }),
        await workerB.get(`/api/notices?unitId=${units.communityA.id}`),
      ]) {
        assert.equal(response.statusCode, 404, response.body);
        assert.equal(errorCode(response), 'NOT_FOUND');
        assert.ok(!response.body.includes('甲社区内部通知'));
      }
      const listB = await workerB.get('/api/notices?pageSize=200');
      assert.ok(!(listB.json().items as StaffNotice[]).some((n) => n.unit.id !== units.communityB.id));
      const listGrid = await gridWorkerA.get('/api/notices?pageSize=200');
      assert.ok((listGrid.json().items as StaffNotice[]).every((n) => n.unit.id === units.gridA.id));

      const refused = await secretaryA.get('/api/notices');
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
      assert.equal((await residentA.get('/api/notices')).statusCode, 403);
      assert.equal((await workerA.get('/api/me/notices')).statusCode, 403);

      const view = await staffView(workerA, notice.id);
      assert.equal(view.title, '甲社区内部通知', 'unchanged by the refused attempts');
      assert.equal(view.status, 'published');
    });

    test('bad input is refused with a clear 4xx and nothing is written', async () => {
      const notices = await count('notices');
      const outbox = await count('outbox');
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ unitId: units.communityA.id, title: '', body: '正文' }, 400, 'VALIDATION_FAILED'],
        [{ unitId: units.communityA.id, title: '   ', body: '正文' }, 400, 'VALIDATION_FAILED'],
        [{ unitId: units.communityA.id, title: '标'.repeat(101), body: '正文' }, 400, 'VALIDATION_FAILED'],
        [
          { unitId: units.communityA.id, title: '标题', body: '文'.repeat(50_000), urgent: true },
          400,
          'VALIDATION_FAILED',
        ],
        [{ unitId: units.communityA.id, title: '标题', body: '' }, 400, 'VALIDATION_FAILED'],
        [{ unitId: 2_000_000_000, title: '标题', body: '正文', urgent: true }, 404, 'NOT_FOUND'],
        [{ unitId: units.buildingA.id, title: '标题', body: '正文' }, 400, 'VALIDATION_FAILED'],
        [{ unitId: units.communityA.id, title: '标题', body: '正文', extra: 1 }, 400, 'VALIDATION_FAILED'],
        [{ unitId: units.communityA.id, title: '标题', body: '正文', urgent: 'yes' }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const response = await workerA.post('/api/notices', body);
        assert.equal(
          response.statusCode,
          status,
          `${JSON.stringify(body).slice(0, 80)}: ${response.body.slice(0, 200)}`,
        );
        assert.equal(errorCode(response), code);
      }
      const long = await workerA.post('/api/notices', {
        unitId: units.communityA.id,
        title: '标题',
        body: '文'.repeat(50_000),
      });
      assert.equal(long.json().error.details[0].path, 'body');
      assert.equal(await count('notices'), notices);
      assert.equal(await count('outbox'), outbox);

      for (const url of [
        '/api/me/notices/0',
        '/api/me/notices/abc',
        '/api/me/notices?page=0',
        '/api/me/notices?unread=maybe',
      ]) {
        const response = await residentA.get(url);
        assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      }
      assert.equal((await residentA.get('/api/me/notices/2000000000')).statusCode, 404);
    });
  });
}
