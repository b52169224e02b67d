import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { anonymous, type Client, createTestApp, errorCode, type TestApp } from '../../../../test/support/app.ts';
import {
  act,
  buildCaseWorld,
  type CaseWorld,
  IN_GRID_A,
  IN_GRID_B,
  residentClient,
} from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../clock.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import type { App } from '../../http/context.ts';
import { DevelopmentOtpSender } from '../auth/otp-sender.ts';
import { SESSION_COOKIE } from '../auth/session.service.ts';
import {
  createNotificationBus,
  type LiveNotification,
  type NotificationBus,
  type PostgresNotificationBus,
} from './notification-bus.ts';
import { type DeliveryDeps, deliverOutbox, wakeOnOutbox } from './outbox-delivery.ts';
import { RecordingSender } from './senders.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A real HTTP Server-Sent Events stream read event by event (comments, i.e. heartbeats, skipped). */
class EventStream {
  readonly #controller = new AbortController();
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #buffer = '';
  readonly #decoder = new TextDecoder();
  response: Response | undefined;

  async open(baseUrl: string, client: Client) {
    this.response = await fetch(`${baseUrl}/api/notifications/stream`, {
      headers: { cookie: `${SESSION_COOKIE}=${client.cookie}`, accept: 'text/event-stream' },
      signal: this.#controller.signal,
    });
    this.#reader = this.response.body!.getReader();
    return this;
  }

  async next(): Promise<SseEvent> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length === 0) continue; // a comment or a bare `retry:`
        return { event, data: JSON.parse(data.join('\n')) };
      }
      const { value, done } = await this.#reader!.read();
      if (done) throw new Error('stream ended');
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  close() {
    this.#controller.abort();
  }
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * The hotline takes a case in grid A; then waits, without calling the deliverer, until its outbox messages are
 * delivered (only a wake can deliver them) and says whether grid A's worker has it in the inbox.
 */
async function intakeDeliveredByWake(t: TestApp, w: CaseWorld, title: string, phone: string): Promise<boolean> {
  const r = await w.hotline.post('/api/cases', {
    channel: 'hotline',
    title,
    description: `${title}，请尽快处理`,
    categoryId: w.categories.garbage,
    location: IN_GRID_A,
    reporter: { name: '赵六', phone },
  });
  assert.equal(r.statusCode, 201, r.body);
  const caseId = r.json().case.id as number;
  const undelivered = async () =>
    (
      await t.database.db
        .selectFrom('outbox')
        .select('id')
        .where('case_id', '=', caseId)
        .where('delivered_at', 'is', null)
        .execute()
    ).length;
  while ((await undelivered()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const inbox = (await w.gridWorkerA.get('/api/notifications?pageSize=100')).json();
  return inbox.items.some((n: { caseId: number }) => n.caseId === caseId);
}

for (const kind of await databaseKinds()) {
  describe(`notifications (${kind})`, { timeout: 60_000 }, () => {
    let t: TestApp;
    let w: CaseWorld;
    let baseUrl: string;
    const clock = new ManualClock(MONDAY_10);
    const sms = new RecordingSender('sms');
    let deps: DeliveryDeps;
    before(async () => {
      t = await createTestApp(kind, { BACKGROUND_WORKERS: 'false' }, clock);
      w = await buildCaseWorld(t);
      deps = { clock, bus: t.notificationBus, senders: [sms], instanceId: 'test-a' };
      baseUrl = await listen(t.app);
    });
    after(() => t.dispose());

    const hotlineCase = async (location = IN_GRID_A) => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '小区垃圾清运不及时',
        description: '幸福小区3号楼旁的垃圾桶三天没有清运，气味很大。',
        categoryId: w.categories.garbage,
        location,
        reporter: { name: '张三', phone: '13912345678' },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; number: string; state: string };
    };

    const inbox = async (client: Client, query = '') => {
      const response = await client.get(`/api/notifications${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as {
        items: Array<{
          id: number;
          caseId: number | null;
          topic: string;
          title: string;
          body: string;
          readAt: string | null;
        }>;
        total: number;
        unreadCount: number;
      };
    };
    const about = async (client: Client, caseId: number) =>
      (await inbox(client, '?pageSize=100')).items.filter((n) => n.caseId === caseId);

    const pending = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('delivered_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const countFor = async (accountIds: number[]) =>
      Number(
        (
          await t.database.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('account_id', 'in', accountIds)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const countRows = async (table: 'notifications' | 'notification_deliveries') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('a case dispatched to grid A reaches grid A’s workers only, and not the operator who took it', async () => {
      const c = await hotlineCase();
      assert.equal(c.state, 'inGrid');
      assert.ok((await deliverOutbox(t.database, deps)) >= 1);
      assert.equal(await pending(), 0);

      const mine = await about(w.gridWorkerA, c.id);
      assert.ok(mine.length >= 1, 'grid worker A is told');
      assert.ok(mine.some((n) => n.topic === 'case.classify' && n.body === 'classify'));
      assert.ok(mine.every((n) => n.title.startsWith(c.number) && n.readAt === null));
      assert.deepEqual(await about(w.gridWorkerB, c.id), [], 'grid B’s worker hears nothing');
      assert.deepEqual(await about(w.gridWorkerA2, c.id), [], 'nor does the worker of the other grid in the community');
      assert.deepEqual(await about(w.hotline, c.id), [], 'the operator is not told of their own action');

      // Grid A's worker escalates: the community is told, the worker (the actor) is not.
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需要社区协调' });
      await deliverOutbox(t.database, deps);
      const community = await about(w.communityA, c.id);
      assert.ok(community.some((n) => n.topic === 'case.escalate'));
      assert.ok(!(await about(w.gridWorkerA, c.id)).some((n) => n.topic === 'case.escalate'));
    });

    test('delivering again, even a message whose delivery was lost, writes nothing twice', async () => {
      await hotlineCase();
      await deliverOutbox(t.database, deps);
      const notifications = await countRows('notifications');
      assert.equal(await deliverOutbox(t.database, deps), 0);
      assert.equal(await countRows('notifications'), notifications);

      // As if a deliverer had written the inbox and died before its claim was marked delivered.
      const last = await t.database.db
        .selectFrom('outbox')
        .select('id')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      await t.database.db
        .updateTable('outbox')
        .set({ delivered_at: null, claimed_at: null, claimed_by: null })
        .where('id', '=', last.id)
        .execute();
      assert.equal(await deliverOutbox(t.database, deps), 1);
      assert.equal(await countRows('notifications'), notifications);
    });

    test('two deliverers racing deliver each message once', async () => {
      for (let i = 0; i < 4; i += 1) await hotlineCase(i % 2 ? IN_GRID_A : IN_GRID_B);
      const before = await pending();
      assert.ok(before >= 4, 'one message per dispatched case');
      const heard: LiveNotification[] = [];
      const stopA = t.notificationBus.subscribe(w.gridWorkerA.accountId, (n) => heard.push(n));
      const stopB = t.notificationBus.subscribe(w.gridWorkerB.accountId, (n) => heard.push(n));
      const mineBefore = await countFor([w.gridWorkerA.accountId, w.gridWorkerB.accountId]);
      const [a, b] = await Promise.all([
        deliverOutbox(t.database, deps, 3),
        deliverOutbox(t.database, { ...deps, instanceId: 'test-b' }, 3),
      ]);
      const [c, d] = await Promise.all([
        deliverOutbox(t.database, deps),
        deliverOutbox(t.database, { ...deps, instanceId: 'test-b' }),
      ]);
      assert.equal(a + b + c + d, before);
      assert.equal(await pending(), 0);
      const added = (await countFor([w.gridWorkerA.accountId, w.gridWorkerB.accountId])) - mineBefore;
      assert.ok(added >= 4);
      // On the server live messages make a NOTIFY round trip: wait until as many arrived as were written.
      await until(() => heard.length >= added);
      stopA();
      stopB();
      const ids = heard.map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, 'each entry is pushed once');
    });

    test('the stream says hello with the unread count, then pushes my new notifications and nobody else’s', async () => {
      const streamA = await new EventStream().open(baseUrl, w.gridWorkerA);
      const streamB = await new EventStream().open(baseUrl, w.gridWorkerB);
      try {
        assert.equal(streamA.response!.status, 200);
        assert.match(streamA.response!.headers.get('content-type') ?? '', /^text\/event-stream/);
        const hello = await streamA.next();
        assert.equal(hello.event, 'hello');
        const unread = (await inbox(w.gridWorkerA)).unreadCount;
        assert.equal(hello.data.unreadCount, unread);
        assert.equal((await streamB.next()).event, 'hello');

        const inA = await hotlineCase(IN_GRID_A);
        await deliverOutbox(t.database, deps);
        const event = await streamA.next();
        assert.equal(event.event, 'notification');
        assert.equal(event.data.caseId, inA.id);
        assert.equal(typeof event.data.id, 'number');
        assert.equal(typeof event.data.title, 'string');
        assert.equal(event.data.accountId, undefined);

        // B's first notification is about the case in grid B: nothing of grid A's case reached B's stream.
        const inB = await hotlineCase(IN_GRID_B);
        await deliverOutbox(t.database, deps);
        const forB = await streamB.next();
        assert.equal(forB.event, 'notification');
        assert.equal(forB.data.caseId, inB.id);
      } finally {
        streamA.close();
        streamB.close();
      }
    });

    test('the stream needs a session; a client not asking for events gets the unread count and an end', async () => {
      const response = await anonymous(t).get('/api/notifications/stream');
      assert.equal(response.statusCode, 401);
      assert.equal(errorCode(response), 'UNAUTHENTICATED');
      const plain = await w.gridWorkerB.get('/api/notifications/stream');
      assert.equal(plain.statusCode, 200);
      assert.deepEqual(plain.json(), { unreadCount: (await inbox(w.gridWorkerB)).unreadCount });
    });

    test('mark one read, count unread, mark all read; someone else’s entry is not found', async () => {
      const c = await hotlineCase();
      await deliverOutbox(t.database, deps);
      const before = await inbox(w.gridWorkerA);
      assert.ok(before.unreadCount >= 1);
      const entry = (await about(w.gridWorkerA, c.id))[0]!;

      const read = await w.gridWorkerA.post(`/api/notifications/${entry.id}/read`);
      assert.equal(read.statusCode, 200, read.body);
      assert.ok(read.json().notification.readAt);
      assert.equal(read.json().unreadCount, before.unreadCount - 1);
      const again = await w.gridWorkerA.post(`/api/notifications/${entry.id}/read`);
      assert.equal(again.json().notification.readAt, read.json().notification.readAt, 'the first read time stays');

      const count = await w.gridWorkerA.get('/api/notifications/unread-count');
      assert.deepEqual(count.json(), { unreadCount: before.unreadCount - 1 });
      const unreadOnly = await inbox(w.gridWorkerA, '?unread=true&pageSize=100');
      assert.ok(!unreadOnly.items.some((n) => n.id === entry.id));
      assert.equal(unreadOnly.total, before.unreadCount - 1);

      const foreign = await w.gridWorkerB.post(`/api/notifications/${entry.id}/read`);
      assert.equal(foreign.statusCode, 404);
      assert.equal(errorCode(foreign), 'NOT_FOUND');
      const missing = await w.gridWorkerA.post('/api/notifications/999999999/read');
      assert.equal(errorCode(missing), 'NOT_FOUND');
      const bad = await w.gridWorkerA.post('/api/notifications/abc/read');
      assert.equal(bad.statusCode, 400);

      const all = await w.gridWorkerA.post('/api/notifications/read-all');
      assert.equal(all.statusCode, 200, all.body);
      assert.equal(all.json().marked, before.unreadCount - 1);
      assert.deepEqual((await w.gridWorkerA.get('/api/notifications/unread-count')).json(), { unreadCount: 0 });
      assert.ok((await inbox(w.gridWorkerB)).unreadCount >= 1, 'B’s entries are untouched');
    });

    test('a resident is told of the resolution of their report in the app and by SMS', async () => {
      const phone = '13800001111';
      const resident = await residentClient(t, phone);
      const reported = await resident.post('/api/me/cases', {
        description: '楼道灯坏了一个星期',
        location: IN_GRID_A,
      });
      assert.equal(reported.statusCode, 201, reported.body);
      const c = reported.json().case;
      await act(w.gridWorkerA, c.id, { action: 'classify', categoryId: w.categories.garbage });
      await act(w.gridWorkerA, c.id, { action: 'selfResolve', result: '已更换灯泡' });
      const sentBefore = sms.sent.length;
      await deliverOutbox(t.database, deps);

      const told = (await inbox(resident)).items.filter((n) => n.caseId === c.id);
      assert.deepEqual(
        told.map((n) => n.topic),
        ['case.selfResolve'],
      );
      const sent = sms.sent.slice(sentBefore);
      assert.deepEqual(
        sent.map((m) => [m.to, m.template]),
        [[phone, 'case.selfResolve']],
        'one SMS, to the resident only (staff are told in the app)',
      );
      assert.equal(sent[0]!.params.caseNumber, c.number);
      const recorded = await t.database.db
        .selectFrom('notification_deliveries')
        .select(['channel', 'recipient', 'status', 'account_id'])
        .where('recipient', '=', phone)
        .execute();
      assert.deepEqual(recorded, [
        { channel: 'sms', recipient: phone, status: 'sent', account_id: resident.accountId },
      ]);
    });

    test('a caller without an account gets an SMS; a refused SMS is recorded and the inbox still filled', async () => {
      const caller = '13700002222';
      sms.failFor.add(caller);
      const notifications = await countRows('notifications');
      await t.database.db
        .insertInto('outbox')
        .values({
          topic: 'callRequest.callbackDue',
          payload: JSON.stringify({
            recipients: { accountIds: [], unitIds: [w.territory.gridA.id] },
            supervisorsOf: [],
            phone: caller,
            excludeAccountId: null,
            title: '一键呼叫',
            body: 'callbackDue',
          }),
          created_at: clock.now(),
        })
        .execute();
      assert.equal(await deliverOutbox(t.database, deps), 1);
      assert.ok((await countRows('notifications')) > notifications);
      assert.ok((await inbox(w.gridWorkerA)).items.some((n) => n.topic === 'callRequest.callbackDue'));
      const recorded = await t.database.db
        .selectFrom('notification_deliveries')
        .select(['status', 'error', 'account_id'])
        .where('recipient', '=', caller)
        .executeTakeFirstOrThrow();
      assert.equal(recorded.status, 'failed');
      assert.equal(recorded.account_id, null);
      assert.match(recorded.error ?? '', /refused/);
      assert.doesNotMatch(recorded.error ?? '', /13700002222/, 'the phone is masked in the error');
    });

    test('a message to 8,000 residents (an urgent notice to a street) reaches every one of them once, by SMS too', async () => {
      // 8,000 rows of nine columns is more bind parameters than PostgreSQL takes in one statement.
      const { rows } = await sql<{ id: number }>`
        INSERT INTO accounts (kind, phone, display_name)
        SELECT 'resident', '1990' || lpad(g::text, 7, '0'), '居民' || g FROM generate_series(1, 8000) g
        RETURNING id`.execute(t.database.db);
      const ids = rows.map((r) => Number(r.id));
      await t.database.db
        .insertInto('outbox')
        .values({
          topic: 'notice.urgent',
          payload: JSON.stringify({
            recipients: { accountIds: ids, unitIds: [] },
            supervisorsOf: [],
            phone: null,
            excludeAccountId: null,
            title: '燃气抢修',
            body: '今晚停气',
          }),
          created_at: clock.now(),
        })
        .execute();
      const before = sms.sent.length;
      assert.equal(await deliverOutbox(t.database, deps), 1);
      assert.equal(await countFor(ids), 8000);
      assert.equal(sms.sent.length - before, 8000, 'one SMS each');
      assert.equal(await deliverOutbox(t.database, deps), 0, 'nothing is left to deliver');
    });

    test('a slow SMS gateway does not hold up the live push of an urgent notice', async () => {
      const { rows } = await sql<{ id: number }>`
        INSERT INTO accounts (kind, phone, display_name)
        SELECT 'resident', '1980' || lpad(g::text, 7, '0'), '居民' || g FROM generate_series(1, 3) g
        RETURNING id`.execute(t.database.db);
      const ids = rows.map((r) => Number(r.id));
      const heard: LiveNotification[] = [];
      const unsubscribe = ids.map((id) => t.notificationBus.subscribe(id, (n) => heard.push(n)));
      let release: () => void = () => {};
      const gateway = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow = { channel: 'sms' as const, send: () => gateway };
      await t.database.db
        .insertInto('outbox')
        .values({
          topic: 'notice.urgent',
          payload: JSON.stringify({
            recipients: { accountIds: ids, unitIds: [] },
            supervisorsOf: [],
            phone: null,
            excludeAccountId: null,
            title: '暴雨预警',
            body: '请勿外出',
          }),
          created_at: clock.now(),
        })
        .execute();
      const delivering = deliverOutbox(t.database, { ...deps, senders: [slow] });
      // Every resident hears of it live while the gateway has not sent a single SMS.
      await until(() => heard.length === ids.length);
      assert.deepEqual(heard.map((n) => n.accountId).sort(), [...ids].sort());
      assert.ok(heard.every((n) => n.title === '暴雨预警'));
      release();
      assert.equal(await delivering, 1);
      for (const u of unsubscribe) u();
    });

    test('supervisors covering the territory are told when a case turns red', async () => {
      const c = await hotlineCase();
      await deliverOutbox(t.database, deps);
      // The payload the case loop writes for a red case: the handlers of the owner, the supervisors above.
      await t.database.db
        .insertInto('outbox')
        .values({
          topic: 'case.colourChange',
          case_id: c.id,
          payload: JSON.stringify({
            recipients: { accountIds: [], unitIds: [w.territory.gridA.id] },
            supervisorsOf: [w.territory.gridA.id],
            phone: null,
            excludeAccountId: null,
            title: c.number,
            body: 'colourChange',
          }),
          created_at: clock.now(),
        })
        .execute();
      await deliverOutbox(t.database, deps);
      const red = (client: Client) => about(client, c.id).then((l) => l.filter((n) => n.topic === 'case.colourChange'));
      assert.equal((await red(w.supervisor)).length, 1);
      assert.equal((await red(w.gridWorkerA)).length, 1);
      assert.equal((await red(w.streetA)).length, 1, 'the street admin supervises its subtree');
      assert.equal((await red(w.streetB)).length, 0, 'the other street does not');
      assert.equal((await red(w.leader)).length, 0, 'a leader does not supervise');
    });

    test('a committed intake wakes the deliverer at once, without waiting for its poll', async () => {
      // Background workers are off and nobody calls deliverOutbox: only the wake can deliver it.
      const waker = wakeOnOutbox(t.database, deps);
      try {
        assert.ok(await intakeDeliveredByWake(t, w, '楼道堆物', '13912343333'));
      } finally {
        await waker.stop();
      }
    });
  });
}

if ((await databaseKinds()).includes('postgres')) {
  describe('notifications across instances (postgres)', { timeout: 60_000 }, () => {
    let t: TestApp;
    let w: CaseWorld;
    let database2: Database;
    let bus2: NotificationBus;
    let app2: App;
    let baseUrl2: string;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp('postgres', { BACKGROUND_WORKERS: 'false' }, clock);
      w = await buildCaseWorld(t);
      database2 = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: '/nonexistent', poolMax: 3 });
      bus2 = await createNotificationBus(database2, t.databaseUrl);
      app2 = await buildApp(
        { database: database2, config: t.config, otpSender: new DevelopmentOtpSender(), clock, notificationBus: bus2 },
        { logger: false },
      );
      baseUrl2 = await listen(app2);
    });
    after(async () => {
      await app2.close();
      await bus2.close();
      await database2.close();
      await t.dispose();
    });

    test('two instances on one database deliver each message once', async () => {
      for (let i = 0; i < 6; i += 1) {
        const r = await w.hotline.post('/api/cases', {
          channel: 'hotline',
          title: `路灯不亮 ${i}`,
          description: '路灯不亮',
          categoryId: w.categories.garbage,
          location: i % 2 ? IN_GRID_A : IN_GRID_B,
          reporter: { name: '李四', phone: '13912340000' },
        });
        assert.equal(r.statusCode, 201, r.body);
      }
      const pendingIds = await t.database.db
        .selectFrom('outbox')
        .select('id')
        .where('delivered_at', 'is', null)
        .execute();
      const sms = new RecordingSender('sms');
      const one = { clock, bus: t.notificationBus, senders: [sms], instanceId: 'instance-1' };
      const two = { clock, bus: bus2, senders: [sms], instanceId: 'instance-2' };
      const counts = await Promise.all([
        deliverOutbox(t.database, one, 2),
        deliverOutbox(database2, two, 2),
        deliverOutbox(t.database, one),
        deliverOutbox(database2, two),
      ]);
      const rest = (await deliverOutbox(t.database, one)) + (await deliverOutbox(database2, two));
      assert.equal(counts.reduce((a, b) => a + b, 0) + rest, pendingIds.length);
      const rows = await t.database.db
        .selectFrom('outbox')
        .select(['id', 'delivered_at', 'claimed_by'])
        .where(
          'id',
          'in',
          pendingIds.map((r) => r.id),
        )
        .execute();
      assert.ok(rows.every((r) => r.delivered_at !== null));
    });

    test('a committed transition wakes the deliverers at once', async () => {
      const deps2 = { clock, bus: bus2, senders: [], instanceId: 'instance-2' };
      // The outbox trigger's NOTIFY reaches instance 2, which delivers.
      const waker = wakeOnOutbox(database2, deps2);
      try {
        assert.ok(await intakeDeliveredByWake(t, w, '噪音扰民', '13912342222'));
      } finally {
        await waker.stop();
      }
    });

    test('a dropped listener connection is re-established and streams carry on', async () => {
      const bus = bus2 as PostgresNotificationBus;
      assert.equal(bus.listening, true);
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.execute(t.database.db);
      await until(() => !bus.listening);
      await until(() => bus.listening);
      const stream = await new EventStream().open(baseUrl2, w.gridWorkerA);
      try {
        assert.equal((await stream.next()).event, 'hello');
        await t.notificationBus.publish([
          {
            id: 1,
            accountId: w.gridWorkerA.accountId,
            topic: 'case.chase',
            title: 'LL-2026-999999 测试',
            body: 'chase',
            caseId: null,
            callRequestId: null,
            createdAt: clock.now().toISOString(),
          },
        ]);
        const event = await stream.next();
        assert.equal(event.data.topic, 'case.chase');
      } finally {
        stream.close();
      }
    });

    test('a stream on one instance hears what another instance delivered', async () => {
      const stream = await new EventStream().open(baseUrl2, w.gridWorkerA);
      try {
        assert.equal((await stream.next()).event, 'hello');
        const r = await w.hotline.post('/api/cases', {
          channel: 'hotline',
          title: '井盖缺失',
          description: '路口井盖缺失',
          categoryId: w.categories.garbage,
          location: IN_GRID_A,
          reporter: { name: '王五', phone: '13912341111' },
        });
        assert.equal(r.statusCode, 201, r.body);
        // Instance 1 (the test app) delivers; the stream is served by instance 2.
        await deliverOutbox(t.database, { clock, bus: t.notificationBus, senders: [], instanceId: 'instance-1' });
        const event = await stream.next();
        assert.equal(event.event, 'notification');
        assert.equal(event.data.caseId, r.json().case.id);
      } finally {
        stream.close();
      }
    });
  });
}
