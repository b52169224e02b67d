import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  buildTerritory,
  type Client,
  createTestApp,
  errorCode,
  insertUnit,
  staffClient,
  type Territory,
  type TestApp,
  type TestUnit,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { deliverOutbox } from '../notifications/outbox-delivery.ts';
import { hoursFrom, type ResidentClient, residentOf } from './activities.fixtures.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = '2026-11-23T02:00:00Z';

/** A minimal valid activity, ten days after MONDAY_10. */
const PLAIN = {
  kind: 'course',
  title: '读书会',
  venue: '图书室',
  startsAt: '2026-12-03T02:00:00Z',
  endsAt: '2026-12-03T04:00:00Z',
  capacity: 20,
};

interface ActivityJson {
  id: number;
  version: number;
  enrolled: number;
  waiting: number;
  placesLeft: number;
  checkedIn: number;
  capacity: number;
  status: string;
  title: string;
  enrolment?: { status: string; position: number | null; checkedInAt: string | null } | null;
}

for (const kind of await databaseKinds()) {
  describe(`activities and courses (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let buildingA: TestUnit;
    let staffA: Client & { accountId: number };
    let staffB: Client & { accountId: number };
    const clock = new ManualClock(MONDAY_10);
    const now = () => clock.now();

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      territory = await buildTerritory(t.database);
      buildingA = await insertUnit(t.database, 'building', '甲一号楼', territory.gridA);
      staffA = await staffClient(t, 'activity-staff-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      staffB = await staffClient(t, 'activity-staff-b', [{ role: 'communityWorker', unitId: territory.communityB.id }]);
    });
    after(() => t.dispose());

    /** A resident living in building 1 of grid A (community A, street A). */
    const residentA = () => residentOf(t, buildingA.id, 'A');

    async function publish(body: Record<string, unknown> = {}, by: Client = staffA): Promise<ActivityJson> {
      const response = await by.post('/api/activities', {
        kind: 'course',
        unitId: territory.communityA.id,
        title: '社区大学·智能手机课',
        description: '教老年朋友用手机挂号、视频通话。',
        venue: '甲社区党群服务中心二楼',
        startsAt: hoursFrom(now(), 72),
        endsAt: hoursFrom(now(), 74),
        capacity: 2,
        waitlistCapacity: 2,
        contactPhone: '0375-1234567',
        ...body,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().activity;
    }

    async function enrol(resident: ResidentClient, id: number, expected = 201) {
      const response = await resident.post(`/api/me/activities/${id}/enrolment`);
      assert.equal(response.statusCode, expected, response.body);
      return response.json().enrolment as { status: string; position: number | null; checkedInAt: string | null };
    }

    const staffView = async (id: number): Promise<ActivityJson> =>
      (await staffA.get(`/api/activities/${id}`)).json().activity;

    async function counters(id: number) {
      const row = await t.database.db
        .selectFrom('activities')
        .select(['enrolled_count', 'waiting_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const rows = await t.database.db
        .selectFrom('enrolments')
        .select(['status'])
        .where('activity_id', '=', id)
        .execute();
      return {
        enrolled: row.enrolled_count,
        waiting: row.waiting_count,
        enrolledRows: rows.filter((r) => r.status === 'enrolled').length,
        waitingRows: rows.filter((r) => r.status === 'waiting').length,
      };
    }

    async function inbox(client: Client) {
      const response = await client.get('/api/notifications');
      assert.equal(response.statusCode, 200, response.body);
      return response.json().items as Array<{ topic: string; title: string; data: Record<string, unknown> }>;
    }

    const deliver = () =>
      deliverOutbox(t.database, { clock, bus: t.notificationBus, senders: [], instanceId: 'activities-test' });

    test('a resident sees the activities of the units on their home path only', async () => {
      clock.set(MONDAY_10);
      const community = await publish({ title: '甲社区书法课' });
      const grid = await publish({ title: '甲一网格楼道议事', kind: 'activity', unitId: territory.gridA.id });
      const streetAdmin = await staffClient(t, 'activity-street-a', [
        { role: 'streetAdmin', unitId: territory.streetA.id },
      ]);
      const street = await publish(
        { title: '甲街道党课', kind: 'partyClass', unitId: territory.streetA.id },
        streetAdmin,
      );
      const forbidden = await staffA.post('/api/activities', { ...PLAIN, unitId: territory.streetA.id });
      assert.equal(forbidden.statusCode, 404, 'community staff do not publish for the street');
      const other = await publish({ title: '乙社区健身课', unitId: territory.communityB.id }, staffB);
      const past = await publish({
        title: '甲社区上周的讲座',
        startsAt: hoursFrom(now(), -50),
        endsAt: hoursFrom(now(), -48),
        enrolFrom: null,
      });
      const cancelled = await publish({ title: '甲社区取消的课' });
      const c = await staffA.post(`/api/activities/${cancelled.id}/cancel`, {
        version: cancelled.version,
        reason: '场地维修',
      });
      assert.equal(c.statusCode, 200, c.body);

      const resident = await residentA();
      const upcoming = await resident.get('/api/me/activities?pageSize=100');
      assert.equal(upcoming.statusCode, 200, upcoming.body);
      const ids = upcoming.json().items.map((a: ActivityJson) => a.id);
      for (const open of [community, grid, street]) assert.ok(ids.includes(open.id), `${open.title} is listed`);
      for (const closed of [other, past, cancelled]) assert.ok(!ids.includes(closed.id), `${closed.title} is not`);
      const first = upcoming.json().items[0];
      assert.equal(first.organiser.name, '甲社区');
      assert.equal(first.placesLeft, 2);
      assert.equal(first.enrolment, null);

      const pastList = await resident.get('/api/me/activities?when=past');
      assert.deepEqual(
        pastList.json().items.map((a: ActivityJson) => a.id),
        [past.id],
      );
      const courses = await resident.get('/api/me/activities?kind=partyClass&pageSize=100');
      assert.deepEqual(
        courses.json().items.map((a: ActivityJson) => a.id),
        [street.id],
      );

      const hidden = await resident.get(`/api/me/activities/${other.id}`);
      assert.equal(hidden.statusCode, 404);
      assert.equal(errorCode(hidden), 'NOT_FOUND');
      assert.equal((await resident.post(`/api/me/activities/${other.id}/enrolment`)).statusCode, 404);
      const detail = await resident.get(`/api/me/activities/${cancelled.id}`);
      assert.equal(detail.statusCode, 200);
      assert.equal(detail.json().activity.status, 'cancelled');
      assert.equal(detail.json().activity.cancelReason, '场地维修');

      const homeless = await residentOf(t, null, 'H');
      const none = await homeless.get('/api/me/activities');
      assert.deepEqual(none.json().items, []);
    });

    test('enrolment: places, then the waiting list with positions, then full; a double tap is one enrolment', async () => {
      clock.set(MONDAY_10);
      const a = await publish();
      const [r1, r2, r3, r4, r5] = await Promise.all([1, 2, 3, 4, 5].map(() => residentA()));
      assert.ok(r1 && r2 && r3 && r4 && r5);
      assert.equal((await enrol(r1, a.id)).status, 'enrolled');
      const again = await enrol(r1, a.id, 200);
      assert.equal(again.status, 'enrolled');
      assert.equal((await enrol(r2, a.id)).status, 'enrolled');
      assert.deepEqual(await enrol(r3, a.id), {
        status: 'waiting',
        position: 1,
        enrolledAt: clock.now().toISOString(),
        checkedInAt: null,
      });
      assert.equal((await enrol(r4, a.id)).position, 2);
      const refused = await r5.post(`/api/me/activities/${a.id}/enrolment`);
      assert.equal(refused.statusCode, 409);
      assert.equal(errorCode(refused), 'CONFLICT');
      assert.equal(refused.json().error.details.reason, 'full');

      assert.deepEqual(await counters(a.id), { enrolled: 2, waiting: 2, enrolledRows: 2, waitingRows: 2 });
      const seen = (await r4.get(`/api/me/activities/${a.id}`)).json().activity;
      assert.equal(seen.enrolled, 2);
      assert.equal(seen.placesLeft, 0);
      assert.equal(seen.waiting, 2);
      assert.deepEqual(seen.enrolment, {
        status: 'waiting',
        position: 2,
        enrolledAt: clock.now().toISOString(),
        checkedInAt: null,
      });
      const mine = await r4.get('/api/me/enrolments');
      assert.deepEqual(
        mine.json().items.map((i: { activity: ActivityJson }) => i.activity.id),
        [a.id],
      );
    });

    test('a cancellation gives the place to the first waiting resident, who is notified', async () => {
      clock.set(MONDAY_10);
      const a = await publish({ title: '剪纸课' });
      const [r1, r2, r3, r4] = await Promise.all([1, 2, 3, 4].map(() => residentA()));
      assert.ok(r1 && r2 && r3 && r4);
      for (const r of [r1, r2, r3, r4]) await enrol(r, a.id);
      await deliver();

      const cancelled = await r1.delete(`/api/me/activities/${a.id}/enrolment`);
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().enrolment.status, 'cancelled');
      assert.equal((await r3.get(`/api/me/activities/${a.id}`)).json().activity.enrolment.status, 'enrolled');
      assert.equal((await r4.get(`/api/me/activities/${a.id}`)).json().activity.enrolment.position, 1);
      assert.deepEqual(await counters(a.id), { enrolled: 2, waiting: 1, enrolledRows: 2, waitingRows: 1 });

      await deliver();
      const promoted = (await inbox(r3)).filter((n) => n.topic === 'activity.promoted');
      assert.equal(promoted.length, 1);
      assert.equal(promoted[0]?.title, '剪纸课');
      assert.equal(promoted[0]?.data.activityId, a.id);
      assert.deepEqual(
        (await inbox(r4)).filter((n) => n.topic.startsWith('activity.')),
        [],
        'the one still waiting hears nothing',
      );

      const twice = await r1.delete(`/api/me/activities/${a.id}/enrolment`);
      assert.equal(twice.statusCode, 200);
      assert.equal(twice.json().enrolment.status, 'cancelled');
      assert.deepEqual(await counters(a.id), { enrolled: 2, waiting: 1, enrolledRows: 2, waitingRows: 1 });
      // Back in line behind r4.
      assert.deepEqual(
        { status: (await enrol(r1, a.id)).status, position: (await staffView(a.id)).waiting },
        { status: 'waiting', position: 2 },
      );
      const waitingOne = await r4.delete(`/api/me/activities/${a.id}/enrolment`);
      assert.equal(waitingOne.statusCode, 200);
      assert.equal((await r1.get(`/api/me/activities/${a.id}`)).json().activity.enrolment.position, 1);
      const never = await residentA();
      assert.equal((await never.delete(`/api/me/activities/${a.id}/enrolment`)).statusCode, 404);

      clock.set(hoursFrom(now(), 72.5));
      const late = await r2.delete(`/api/me/activities/${a.id}/enrolment`);
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.details.reason, 'closed');
    });

    test('check-in by the venue code: wrong code, not enrolled, too early, then once', async () => {
      clock.set(MONDAY_10);
      const a = await publish({ title: '急救培训', capacity: 1, waitlistCapacity: 1 });
      const enrolled = await residentA();
      const waiting = await residentA();
      await enrol(enrolled, a.id);
      await enrol(waiting, a.id);
      const code = (await staffA.get(`/api/activities/${a.id}/check-in-code`)).json().code as string;

      const wrong = await enrolled.post(`/api/me/activities/${a.id}/check-in`, { code: 'not-the-code-1234' });
      assert.equal(wrong.statusCode, 400);
      assert.equal(errorCode(wrong), 'BAD_REQUEST');
      assert.equal(wrong.json().error.details.reason, 'code');
      const notEnrolled = await waiting.post(`/api/me/activities/${a.id}/check-in`, { code });
      assert.equal(notEnrolled.statusCode, 409);
      assert.equal(notEnrolled.json().error.details.reason, 'notEnrolled');
      const early = await enrolled.post(`/api/me/activities/${a.id}/check-in`, { code });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().error.details.reason, 'notOpen');

      clock.set(hoursFrom(now(), 71.5)); // half an hour before the start
      const ok = await enrolled.post(`/api/me/activities/${a.id}/check-in`, { code });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().enrolment.checkedInAt, clock.now().toISOString());
      const checkedAt = ok.json().enrolment.checkedInAt;
      clock.advance(60_000);
      const again = await enrolled.post(`/api/me/activities/${a.id}/check-in`, { code });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().enrolment.checkedInAt, checkedAt, 'the first check-in stands');
      assert.equal((await staffView(a.id)).checkedIn, 1);

      const rotated = await staffA.post(`/api/activities/${a.id}/check-in-code`);
      assert.equal(rotated.statusCode, 200);
      assert.notEqual(rotated.json().code, code);
      const stale = await waiting.post(`/api/me/activities/${a.id}/check-in`, { code });
      assert.equal(stale.json().error.details.reason, 'code', 'the old code no longer works');

      clock.set(hoursFrom(new Date(MONDAY_10), 75)); // after the end
      const cancelled = await enrolled.delete(`/api/me/activities/${a.id}/enrolment`);
      assert.equal(cancelled.statusCode, 409);
    });

    test('enrolment opens and closes with the window, and is closed once cancelled or ended', async () => {
      clock.set(MONDAY_10);
      const later = await publish({ enrolFrom: hoursFrom(now(), 24), enrolUntil: hoursFrom(now(), 48) });
      const resident = await residentA();
      const early = await resident.post(`/api/me/activities/${later.id}/enrolment`);
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().error.details.reason, 'closed');
      clock.set(hoursFrom(new Date(MONDAY_10), 30));
      assert.equal((await enrol(resident, later.id)).status, 'enrolled');
      clock.set(hoursFrom(new Date(MONDAY_10), 49));
      const tooLate = await (await residentA()).post(`/api/me/activities/${later.id}/enrolment`);
      assert.equal(tooLate.json().error.details.reason, 'closed');

      clock.set(MONDAY_10);
      const called = await publish();
      const c = await staffA.post(`/api/activities/${called.id}/cancel`, {
        version: called.version,
        reason: '天气原因',
      });
      assert.equal(c.statusCode, 200);
      const refused = await resident.post(`/api/me/activities/${called.id}/enrolment`);
      assert.equal(refused.json().error.details.reason, 'closed');
      assert.equal((await counters(called.id)).enrolledRows, 0);
    });

    test('staff: create, list with counts, raise capacity (promotes), refuse a capacity below the enrolled', async () => {
      clock.set(MONDAY_10);
      const a = await publish({ title: '志愿者服务日', kind: 'volunteer', serviceHours: 2.5 });
      assert.equal(a.capacity, 2);
      const [r1, r2, r3, r4] = await Promise.all([1, 2, 3, 4].map(() => residentA()));
      assert.ok(r1 && r2 && r3 && r4);
      for (const r of [r1, r2, r3, r4]) await enrol(r, a.id);

      const list = await staffA.get('/api/activities?kind=volunteer&q=志愿者');
      assert.equal(list.statusCode, 200, list.body);
      const listed = list.json().items.find((i: ActivityJson) => i.id === a.id);
      assert.deepEqual(
        { enrolled: listed.enrolled, capacity: listed.capacity, waiting: listed.waiting, checkedIn: listed.checkedIn },
        { enrolled: 2, capacity: 2, waiting: 2, checkedIn: 0 },
      );
      assert.equal(listed.serviceHours, 2.5);
      assert.deepEqual(listed.actions, { edit: true, cancel: true, checkIn: true });

      const lower = await staffA.patch(`/api/activities/${a.id}`, { version: a.version, capacity: 1 });
      assert.equal(lower.statusCode, 409);
      assert.equal(lower.json().error.details.reason, 'belowEnrolled');
      const stale = await staffA.patch(`/api/activities/${a.id}`, { version: a.version + 5, capacity: 3 });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');

      await deliver();
      const raised = await staffA.patch(`/api/activities/${a.id}`, {
        version: a.version,
        capacity: 3,
        venue: '甲社区广场',
      });
      assert.equal(raised.statusCode, 200, raised.body);
      assert.equal(raised.json().promoted, 1);
      assert.equal(raised.json().activity.enrolled, 3);
      assert.equal(raised.json().activity.waiting, 1);
      assert.equal(raised.json().activity.venue, '甲社区广场');
      assert.equal(raised.json().activity.version, a.version + 1);
      assert.equal((await r3.get(`/api/me/activities/${a.id}`)).json().activity.enrolment.status, 'enrolled');
      assert.equal((await r4.get(`/api/me/activities/${a.id}`)).json().activity.enrolment.position, 1);
      await deliver();
      assert.equal((await inbox(r3)).filter((n) => n.topic === 'activity.promoted').length, 1);
      assert.equal((await inbox(r4)).filter((n) => n.topic === 'activity.promoted').length, 0);

      const audit = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_type', '=', 'activity')
        .where('target_id', '=', String(a.id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((e) => e.action),
        ['activity.create', 'activity.update'],
      );
    });

    test('staff: cancelling notifies everyone enrolled or waiting; the activity can no longer be edited', async () => {
      clock.set(MONDAY_10);
      const a = await publish({ title: '端午包粽子', kind: 'activity', capacity: 1, waitlistCapacity: 1 });
      const enrolled = await residentA();
      const waiting = await residentA();
      const bystander = await residentA();
      await enrol(enrolled, a.id);
      await enrol(waiting, a.id);
      await deliver();
      const empty = await staffA.post(`/api/activities/${a.id}/cancel`, { version: a.version, reason: '' });
      assert.equal(empty.statusCode, 400);
      const cancelled = await staffA.post(`/api/activities/${a.id}/cancel`, {
        version: a.version,
        reason: '场地临时征用',
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().activity.status, 'cancelled');
      assert.equal(cancelled.json().activity.cancelReason, '场地临时征用');
      assert.deepEqual(cancelled.json().activity.actions, { edit: false, cancel: false, checkIn: false });
      await deliver();
      for (const r of [enrolled, waiting]) {
        const got = (await inbox(r)).filter((n) => n.topic === 'activity.cancelled');
        assert.equal(got.length, 1);
        assert.equal(got[0]?.data.reason, '场地临时征用');
        assert.equal(got[0]?.data.activityId, a.id);
      }
      assert.equal((await inbox(bystander)).length, 0);
      const mine = await waiting.get('/api/me/enrolments');
      const item = mine.json().items.find((i: { activity: ActivityJson }) => i.activity.id === a.id);
      assert.equal(item.activity.status, 'cancelled');

      const edit = await staffA.patch(`/api/activities/${a.id}`, { version: a.version + 1, title: '改个名' });
      assert.equal(edit.statusCode, 409);
      const again = await staffA.post(`/api/activities/${a.id}/cancel`, { version: a.version + 1, reason: '再取消' });
      assert.equal(again.statusCode, 409);
    });

    test('staff: attendance with masked phones and waiting positions, manual check-in, and the .xlsx', async () => {
      clock.set(MONDAY_10);
      const a = await publish({ title: '太极拳班', capacity: 2, waitlistCapacity: 1 });
      const [r1, r2, r3] = await Promise.all([1, 2, 3].map(() => residentA()));
      assert.ok(r1 && r2 && r3);
      for (const r of [r1, r2, r3]) await enrol(r, a.id);

      const list = await staffA.get(`/api/activities/${a.id}/enrolments`);
      assert.equal(list.statusCode, 200, list.body);
      const body = list.json();
      assert.deepEqual(body.counts, { enrolled: 2, waiting: 1, checkedIn: 0, cancelled: 0 });
      assert.deepEqual(
        body.items.map((i: { status: string; position: number | null }) => [i.status, i.position]),
        [
          ['enrolled', null],
          ['enrolled', null],
          ['waiting', 1],
        ],
      );
      const first = body.items[0];
      assert.match(first.name, /^活动居民A/);
      assert.equal(first.phone, `${r1.phone.slice(0, 3)}****${r1.phone.slice(-4)}`);
      assert.ok(!list.body.includes(r1.phone), 'no full phone number in the attendance');

      const tooEarly = await staffA.post(`/api/activities/${a.id}/enrolments/${first.id}/check-in`);
      assert.equal(tooEarly.statusCode, 409);
      clock.set(hoursFrom(new Date(MONDAY_10), 72.2));
      const waitingLine = body.items[2];
      const notEnrolled = await staffA.post(`/api/activities/${a.id}/enrolments/${waitingLine.id}/check-in`);
      assert.equal(notEnrolled.json().error.details.reason, 'notEnrolled');
      const checked = await staffA.post(`/api/activities/${a.id}/enrolments/${first.id}/check-in`);
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(checked.json().enrolment.checkedInBy.id, staffA.accountId);
      assert.equal(checked.json().enrolment.checkedInAt, clock.now().toISOString());

      const xlsx = await staffA.get(`/api/activities/${a.id}/enrolments.xlsx`);
      assert.equal(xlsx.statusCode, 200, xlsx.body);
      assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
      assert.match(String(xlsx.headers['content-disposition']), /activity-\d+-attendance\.xlsx/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('签到表');
      assert.ok(sheet);
      assert.match(String(sheet.getCell('A1').value), /^太极拳班（社区大学课程）签到表$/);
      assert.match(String(sheet.getCell('A2').value), /地点：甲社区党群服务中心二楼/);
      assert.deepEqual((sheet.getRow(3).values as unknown[]).slice(1, 5), ['序号', '姓名', '手机号', '状态']);
      const rows = [4, 5, 6].map((n) => (sheet.getRow(n).values as unknown[]).slice(1));
      assert.equal(rows[0]?.[1], first.name);
      assert.equal(rows[0]?.[2], first.phone);
      assert.equal(rows[0]?.[3], '已报名');
      assert.equal(rows[0]?.[8], '工作人员 activity-staff-a');
      assert.deepEqual([rows[2]?.[3], rows[2]?.[4]], ['候补', 1]);
      assert.equal(sheet.rowCount, 6);
    });

    test('the check-in QR code encodes the H5 check-in URL and is drawn as SVG', async () => {
      clock.set(MONDAY_10);
      const a = await publish();
      const response = await staffA.get(`/api/activities/${a.id}/check-in-code`);
      assert.equal(response.statusCode, 200, response.body);
      const { code, url, svg } = response.json();
      assert.match(code, /^[A-Za-z0-9_-]{16}$/);
      assert.equal(url, `http://localhost:80/h5/activities/${a.id}/check-in?code=${code}`);
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

      const configured = await createTestApp(kind, { PUBLIC_URL: 'https://linli.example.gov.cn/' }, clock);
      try {
        const d = await buildTerritory(configured.database);
        const staff = await staffClient(configured, 'qr-staff', [{ role: 'streetAdmin', unitId: d.streetA.id }]);
        const created = await staff.post('/api/activities', {
          kind: 'partyClass',
          unitId: d.streetA.id,
          title: '党课',
          venue: '街道会议室',
          startsAt: hoursFrom(now(), 2),
          endsAt: hoursFrom(now(), 3),
          capacity: 50,
        });
        assert.equal(created.statusCode, 201, created.body);
        const id = created.json().activity.id;
        const qr = (await staff.get(`/api/activities/${id}/check-in-code`)).json();
        assert.equal(qr.url, `https://linli.example.gov.cn/h5/activities/${id}/check-in?code=${qr.code}`);
      } finally {
        await configured.dispose();
      }
    });

    test('staff outside the organiser unit get 404 and learn nothing', async () => {
      clock.set(MONDAY_10);
      const a = await publish({ title: '甲社区内部活动' });
      const resident = await residentA();
      await enrol(resident, a.id);
      const enrolmentId = (await staffA.get(`/api/activities/${a.id}/enrolments`)).json().items[0].id;
      const attempts = [
        staffB.get(`/api/activities/${a.id}`),
        staffB.patch(`/api/activities/${a.id}`, { version: a.version, title: '改' }),
        staffB.post(`/api/activities/${a.id}/cancel`, { version: a.version, reason: '越权' }),
        staffB.get(`/api/activities/${a.id}/enrolments`),
        staffB.get(`/api/activities/${a.id}/enrolments.xlsx`),
        staffB.post(`/api/activities/${a.id}/enrolments/${enrolmentId}/check-in`),
        staffB.get(`/api/activities/${a.id}/check-in-code`),
        staffB.post(`/api/activities/${a.id}/check-in-code`),
      ];
      for (const response of await Promise.all(attempts)) {
        assert.equal(response.statusCode, 404, response.body);
        assert.equal(errorCode(response), 'NOT_FOUND');
        assert.ok(!response.body.includes('甲社区内部活动'));
      }
      const list = await staffB.get('/api/activities?pageSize=200');
      assert.ok(!list.json().items.some((i: ActivityJson) => i.id === a.id));
      const within = await staffB.get(`/api/activities?unitId=${territory.communityA.id}`);
      assert.equal(within.statusCode, 404);
      const foreign = await staffB.post('/api/activities', {
        kind: 'course',
        unitId: territory.communityA.id,
        title: '别人的社区',
        venue: '某处',
        startsAt: hoursFrom(now(), 10),
        endsAt: hoursFrom(now(), 11),
        capacity: 5,
      });
      assert.equal(foreign.statusCode, 404);
      const still = await staffView(a.id);
      assert.equal(still.version, a.version);
      assert.equal(still.status, 'published');
      const grid = await staffClient(t, 'activity-grid-worker', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      assert.equal((await grid.get('/api/activities')).statusCode, 403, 'grid workers do not run activities');
      assert.equal((await resident.get('/api/activities')).statusCode, 403);
    });

    test('bad input is refused with 400 and nothing is written', async () => {
      clock.set(MONDAY_10);
      const count = async () =>
        Number(
          (
            await t.database.db
              .selectFrom('activities')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const base = {
        kind: 'course',
        unitId: territory.communityA.id,
        title: '好课',
        venue: '活动室',
        startsAt: hoursFrom(now(), 10),
        endsAt: hoursFrom(now(), 12),
        capacity: 10,
      };
      const cases: Array<[string, Record<string, unknown>]> = [
        ['ends before it starts', { endsAt: hoursFrom(now(), 9) }],
        ['ends as it starts', { endsAt: hoursFrom(now(), 10) }],
        ['capacity 0', { capacity: 0 }],
        ['capacity 10,001', { capacity: 10_001 }],
        ['a 50,000-character description', { description: '长'.repeat(50_000) }],
        ['a 50,000-character title', { title: '题'.repeat(50_000) }],
        ['an empty title', { title: '   ' }],
        ['an unknown kind', { kind: 'party' }],
        ['enrolment closing after the end', { enrolUntil: hoursFrom(now(), 13) }],
        ['enrolment closing before it opens', { enrolFrom: hoursFrom(now(), 5), enrolUntil: hoursFrom(now(), 4) }],
        ['a date in year 0', { startsAt: '0000-01-01T00:00:00Z' }],
        ['an impossible offset', { startsAt: '2026-12-01T10:00:00+23:03' }],
        ['service hours with two decimals', { serviceHours: 1.25 }],
        ['a phone that is not one', { contactPhone: 'call me' }],
        ['an unknown field', { price: 10 }],
        ['a grid as text', { unitId: 'gridA' }],
      ];
      for (const [what, change] of cases) {
        const response = await staffA.post('/api/activities', { ...base, ...change });
        assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
        assert.equal(errorCode(response), 'VALIDATION_FAILED', what);
      }
      const building = await staffA.post('/api/activities', { ...base, unitId: buildingA.id });
      assert.equal(building.statusCode, 400, 'a building does not organise activities');
      const missing = await staffA.post('/api/activities', { ...base, unitId: 2_000_000_000 });
      assert.equal(missing.statusCode, 404);
      assert.equal(await count(), before);

      const a = await publish();
      const patch = await staffA.patch(`/api/activities/${a.id}`, { version: a.version, endsAt: hoursFrom(now(), 1) });
      assert.equal(patch.statusCode, 400);
      assert.equal((await staffView(a.id)).version, a.version);
      const resident = await residentA();
      const longCode = await resident.post(`/api/me/activities/${a.id}/check-in`, { code: 'x'.repeat(50_000) });
      assert.equal(longCode.statusCode, 400);
      assert.equal(errorCode(longCode), 'VALIDATION_FAILED');
      assert.equal((await resident.get('/api/me/activities?when=soon')).statusCode, 400);
      assert.equal((await resident.post('/api/me/activities/abc/enrolment')).statusCode, 400);
    });
  });
}
