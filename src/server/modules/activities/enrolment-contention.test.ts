import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  buildTerritory,
  Client,
  createTestApp,
  insertUnit,
  staffClient,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { buildApp } from '../../app.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import type { App } from '../../http/context.ts';
import { createSession } from '../auth/session.service.ts';

/**
 * THE CONTENTION TEST. 1,000 residents enrol at the same moment in an activity with 100 places and a waiting
 * list of 50: all requests are in flight at once, through the HTTP route and its real transaction. On the
 * embedded database they queue on the one connection; on PostgreSQL they race on a pool of real connections
 * (the production default of 10), each taking the activity row with the guarded UPDATE. Exactly 100 get a
 * place, exactly 50 wait with positions 1..50, the other 850 are refused 409 full, and the counters equal the
 * rows. Then 30 of the enrolled cancel at once: exactly the first 30 waiting move up.
 */

const RESIDENTS = 1000;
const CAPACITY = 100;
const WAITLIST = 50;
const CANCELS = 30;
const POOL = 10;

interface Enrolment {
  status: 'enrolled' | 'waiting' | 'cancelled';
  position: number | null;
}

for (const kind of await databaseKinds()) {
  describe(`enrolment contention (${kind})`, { timeout: 600_000 }, () => {
    let t: TestApp;
    /** The app the residents hit: on PostgreSQL one with its own pool of POOL connections. */
    let app: App;
    let racing: Database | undefined;
    let activityId: number;
    const clients: Array<Client & { accountId: number }> = [];
    const enrolments = new Map<number, Enrolment>();

    before(async () => {
      t = await createTestApp(kind);
      const territory = await buildTerritory(t.database);
      const building = await insertUnit(t.database, 'building', '争抢楼', territory.gridA);
      const staff = await staffClient(t, 'contention-staff', [
        { role: 'communityWorker', unitId: territory.communityA.id },
      ]);
      const now = Date.now();
      const created = await staff.post('/api/activities', {
        kind: 'course',
        unitId: territory.communityA.id,
        title: '社区大学·热门课',
        venue: '甲社区礼堂',
        startsAt: new Date(now + 3 * 86_400_000).toISOString(),
        endsAt: new Date(now + 3 * 86_400_000 + 7_200_000).toISOString(),
        capacity: CAPACITY,
        waitlistCapacity: WAITLIST,
      });
      assert.equal(created.statusCode, 201, created.body);
      activityId = created.json().activity.id;

      const people = await t.database.db
        .insertInto('people')
        .values(
          Array.from({ length: RESIDENTS }, (_, i) => ({
            name: `争抢居民${i}`,
            phone: `1860000${String(i).padStart(4, '0')}`,
            unit_id: building.id,
          })),
        )
        .returning(['id', 'phone'])
        .execute();
      const accounts = await t.database.db
        .insertInto('accounts')
        .values(
          people.map((p) => ({
            kind: 'resident' as const,
            phone: p.phone,
            person_id: p.id,
            display_name: `居民${p.phone?.slice(-4)}`,
          })),
        )
        .returning('id')
        .execute();
      assert.equal(new Set(accounts.map((a) => a.id)).size, RESIDENTS, 'distinct resident accounts');

      if (kind === 'postgres') {
        racing = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: '/nonexistent', poolMax: POOL });
        app = await buildApp(
          { database: racing, config: t.config, otpSender: t.otpSender, clock: { now: () => new Date() } },
          { logger: false },
        );
        await app.ready();
      } else {
        app = t.app;
      }
      for (const account of accounts) {
        const session = await createSession(t.database.db, t.config, account.id, '127.0.0.1', 'contention');
        clients.push(Object.assign(new Client(app, session.token, session.csrfToken), { accountId: account.id }));
      }
    });

    after(async () => {
      if (racing) {
        await app.close();
        await racing.close();
      }
      await t?.dispose();
    });

    async function stored() {
      const activity = await t.database.db
        .selectFrom('activities')
        .select(['enrolled_count', 'waiting_count', 'capacity', 'waitlist_capacity'])
        .where('id', '=', activityId)
        .executeTakeFirstOrThrow();
      const rows = await t.database.db
        .selectFrom('enrolments')
        .select(['account_id', 'status', 'waiting_seq'])
        .where('activity_id', '=', activityId)
        .execute();
      const of = (status: string) => rows.filter((r) => r.status === status);
      return { activity, rows, enrolled: of('enrolled'), waiting: of('waiting'), cancelled: of('cancelled') };
    }

    const positionsOf = (list: Enrolment[]) => list.map((e) => e.position ?? -1).sort((a, b) => a - b);
    const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    test(`${RESIDENTS} simultaneous enrolments for ${CAPACITY} places and ${WAITLIST} on the waiting list`, async () => {
      const responses: LightMyRequestResponse[] = await Promise.all(
        clients.map((c) => c.post(`/api/me/activities/${activityId}/enrolment`)),
      );
      const statuses = new Map<number, number>();
      for (const r of responses) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(statuses), {
        201: CAPACITY + WAITLIST,
        409: RESIDENTS - CAPACITY - WAITLIST,
      });

      const accepted: Enrolment[] = [];
      responses.forEach((r, i) => {
        if (r.statusCode === 409) {
          assert.equal(r.json().error.details.reason, 'full');
          return;
        }
        const enrolment = r.json().enrolment as Enrolment;
        accepted.push(enrolment);
        enrolments.set(clients[i]!.accountId, enrolment);
      });
      const enrolled = accepted.filter((e) => e.status === 'enrolled');
      const waiting = accepted.filter((e) => e.status === 'waiting');
      assert.equal(enrolled.length, CAPACITY, 'exactly the places');
      assert.equal(waiting.length, WAITLIST, 'exactly the waiting list');
      assert.deepEqual(positionsOf(waiting), oneTo(WAITLIST), 'waiting positions 1..50 without gaps');

      const s = await stored();
      assert.equal(s.activity.enrolled_count, CAPACITY);
      assert.equal(s.activity.waiting_count, WAITLIST);
      assert.equal(s.enrolled.length, s.activity.enrolled_count, 'enrolled counter equals the rows');
      assert.equal(s.waiting.length, s.activity.waiting_count, 'waiting counter equals the rows');
      assert.equal(s.rows.length, CAPACITY + WAITLIST, 'no row for a refused resident');
      assert.equal(new Set(s.rows.map((r) => r.account_id)).size, s.rows.length, 'one enrolment per resident');

      const seen = await clients[0]!.get(`/api/me/activities/${activityId}`);
      const activity = seen.json().activity;
      assert.deepEqual(
        [activity.enrolled, activity.placesLeft, activity.waiting],
        [CAPACITY, 0, WAITLIST],
        'what residents are shown comes from the counters',
      );
    });

    test(`${CANCELS} simultaneous cancellations move exactly the first ${CANCELS} waiting residents up`, async () => {
      const enrolledIds = [...enrolments].filter(([, e]) => e.status === 'enrolled').map(([id]) => id);
      const leaving = new Set(enrolledIds.slice(0, CANCELS));
      const firstWaiting = new Set(
        [...enrolments]
          .filter(([, e]) => e.status === 'waiting' && (e.position ?? Infinity) <= CANCELS)
          .map(([id]) => id),
      );
      assert.equal(firstWaiting.size, CANCELS);

      const responses = await Promise.all(
        clients
          .filter((c) => leaving.has(c.accountId))
          .map((c) => c.delete(`/api/me/activities/${activityId}/enrolment`)),
      );
      for (const r of responses) {
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().enrolment.status, 'cancelled');
      }

      const s = await stored();
      assert.equal(s.activity.enrolled_count, CAPACITY, 'every freed place is taken again');
      assert.equal(s.activity.waiting_count, WAITLIST - CANCELS);
      assert.equal(s.enrolled.length, s.activity.enrolled_count);
      assert.equal(s.waiting.length, s.activity.waiting_count);
      assert.equal(s.cancelled.length, CANCELS);
      const promoted = s.enrolled.filter((r) => enrolments.get(r.account_id)?.status === 'waiting');
      assert.equal(promoted.length, CANCELS, 'exactly 30 promoted');
      assert.deepEqual(new Set(promoted.map((r) => r.account_id)), firstWaiting, 'first come, first served');

      const stillWaiting = clients.filter((c) => s.waiting.some((w) => w.account_id === c.accountId));
      const positions = await Promise.all(
        stillWaiting.map(async (c) => (await c.get(`/api/me/activities/${activityId}`)).json().activity.enrolment),
      );
      assert.deepEqual(positionsOf(positions), oneTo(WAITLIST - CANCELS), 'positions close up without gaps');

      const outbox = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('topic', '=', 'activity.promoted')
        .execute();
      const notified = outbox.flatMap(
        (o) => (o.payload as { recipients: { accountIds: number[] } }).recipients.accountIds,
      );
      assert.deepEqual(new Set(notified), firstWaiting, 'each promoted resident is notified once');
      assert.equal(notified.length, CANCELS);
    });
  });
}
