import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../../test/support/app.ts';
import { buildCaseWorld, type CaseWorld, IN_GRID_A } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { getWorkCalendar } from '../calendar/calendar.service.ts';

/** Monday 23 November 2026, 10:00 in Asia/Shanghai: no public holiday or adjusted working day for weeks. */
const MONDAY_10 = '2026-11-23T02:00:00Z';
const MINUTE = 60_000;

/**
 * Working minutes between two instants counted the plain way, minute by minute: Monday to Friday, 09:00–17:00
 * Asia/Shanghai (UTC+8, no daylight saving). Valid for the holiday-free weeks these tests run in.
 */
function plainWorkingMinutes(from: Date, to: Date): number {
  let minutes = 0;
  for (let t = from.getTime(); t < to.getTime(); t += MINUTE) {
    const local = new Date(t + 8 * 60 * MINUTE);
    const day = local.getUTCDay();
    const hour = local.getUTCHours();
    if (day >= 1 && day <= 5 && hour >= 9 && hour < 17) minutes += 1;
  }
  return minutes;
}

for (const kind of await databaseKinds()) {
  describe(`working time left on case summaries (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, { WORK_HOURS: '09:00-17:00' }, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    test('a fresh case has the working minutes until its deadline; once past it, a negative time that list and detail agree on', async () => {
      const created = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '小区垃圾清运不及时',
        description: '垃圾桶满了三天没人清运',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
      });
      assert.equal(created.statusCode, 201, created.body);
      const fresh = created.json().case;
      assert.ok(fresh.dueAt, 'a dispatched case has a deadline');
      const due = new Date(fresh.dueAt);
      const now = clock.now();

      const calendar = await getWorkCalendar(t.database.db, t.config, now);
      const expected = Math.round(calendar.workingMinutesBetween(now, due));
      assert.ok(expected > 0, 'the deadline is ahead');
      assert.equal(fresh.timeLeftMinutes, expected, 'the working minutes on the calendar');
      assert.equal(fresh.timeLeftMinutes, plainWorkingMinutes(now, due), 'the same counted by hand');
      const listed = await w.gridWorkerA.get('/api/cases?worklist=toHandle&pageSize=100');
      const inList = listed.json().items.find((c: { id: number }) => c.id === fresh.id);
      assert.equal(inList.timeLeftMinutes, expected, 'the list says the same');

      // Two calendar days and three hours past the deadline.
      clock.set(new Date(due.getTime() + 2 * 24 * 60 * MINUTE + 3 * 60 * MINUTE));
      const later = clock.now();
      const overdue = -plainWorkingMinutes(due, later);
      assert.ok(overdue < 0);

      const detail = (await w.gridWorkerA.get(`/api/cases/${fresh.id}`)).json().case;
      const list = (await w.gridWorkerA.get('/api/cases?worklist=overdue&pageSize=100')).json();
      const row = list.items.find((c: { id: number }) => c.id === fresh.id);
      assert.ok(row, 'the case is in the overdue worklist');
      assert.equal(detail.timeLeftMinutes, overdue, 'negative: the working minutes since the deadline');
      assert.equal(row.timeLeftMinutes, detail.timeLeftMinutes, 'list and detail agree');
      assert.equal(row.dueAt, detail.dueAt);
    });
  });
}
