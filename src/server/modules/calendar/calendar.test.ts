import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  buildTerritory,
  createTestApp,
  errorCode,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import { CALENDAR_MAX_STALE_MS, getWorkCalendar, invalidateWorkCalendar } from './calendar.service.ts';
import { parseWorkHours } from './work-hours.ts';
import { libraryCovers, WorkCalendar } from './working-time.ts';

/** An instant given as Shanghai wall-clock time, e.g. at('2026-10-08 10:00'). */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
/** An instant back as Shanghai wall-clock time 'YYYY-MM-DD HH:MM[:SS]'. */
const local = (d: Date) => {
  const s = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return s.endsWith(':00.000Z') ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : `${s.slice(0, 10)} ${s.slice(11, 19)}`;
};

describe('working days from the official 2026 schedule', () => {
  const calendar = new WorkCalendar({ timeZone: 'Asia/Shanghai' });

  test('the library covers 2026 but not 2027 yet', () => {
    assert.equal(libraryCovers(2026), true);
    assert.equal(calendar.libraryCovers(2026), true);
    assert.equal(libraryCovers(2027), false);
  });

  test('National Day week is off, the adjusted Saturday after it and the Sunday before it are worked', () => {
    for (let d = 1; d <= 7; d++) assert.equal(calendar.isWorkingDay(`2026-10-0${d}`), false, `2026-10-0${d}`);
    assert.equal(calendar.isWorkingDay('2026-10-08'), true); // Thursday
    assert.equal(calendar.isWorkingDay('2026-09-20'), true); // Sunday, adjusted working day
    assert.equal(calendar.isWorkingDay('2026-10-10'), true); // Saturday, adjusted working day
    assert.equal(calendar.isWorkingDay('2026-10-11'), false); // plain Sunday
  });

  test('Spring Festival: nine days off, the Saturdays around it worked', () => {
    for (let d = 15; d <= 23; d++) assert.equal(calendar.isWorkingDay(`2026-02-${d}`), false, `2026-02-${d}`);
    assert.equal(calendar.isWorkingDay('2026-02-14'), true);
    assert.equal(calendar.isWorkingDay('2026-02-28'), true);
    assert.equal(calendar.isWorkingDay('2026-02-24'), true);
    assert.equal(calendar.isWorkingDay('2026-01-04'), true); // Sunday after New Year's Day
  });

  test('plain weekdays work and plain weekends do not', () => {
    assert.equal(calendar.isWorkingDay('2026-03-09'), true); // Monday
    assert.equal(calendar.isWorkingDay('2026-03-07'), false); // Saturday
    assert.equal(calendar.isWorkingDay('2026-03-08'), false); // Sunday
  });

  test('the year listing names the holidays and adjusted working days', () => {
    const days = calendar.specialDays(2026);
    const byDay = new Map(days.map((d) => [d.day, d]));
    assert.deepEqual(byDay.get('2026-10-01'), {
      day: '2026-10-01',
      kind: 'holiday',
      name: '国庆节',
      nameEn: 'National Day',
      source: 'library',
    });
    assert.equal(byDay.get('2026-10-10')?.kind, 'workday');
    assert.equal(byDay.get('2026-02-17')?.name, '春节');
    assert.equal(byDay.has('2026-03-07'), false, 'a plain weekend is not listed');
    assert.deepEqual(
      days.map((d) => d.day),
      [...days.map((d) => d.day)].sort(),
    );
  });

  test('a date that does not exist is refused', () => {
    assert.throws(() => calendar.isWorkingDay('2026-02-30'), RangeError);
    assert.throws(() => calendar.isWorkingDay('2026-2-3'), RangeError);
  });
});

describe('adding working minutes (09:00-17:00)', () => {
  const calendar = new WorkCalendar({ workHours: '09:00-17:00' });

  test('a working day has 480 minutes', () => {
    assert.equal(calendar.minutesPerWorkingDay, 480);
  });

  test('inside one window', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 10:15'), 90)), '2026-03-09 11:45');
  });

  test('over a night', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 16:00'), 120)), '2026-03-10 10:00');
  });

  test('reported in the evening or at the weekend, the clock starts at the next window', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-10 20:00'), 30)), '2026-03-11 09:30');
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-07 11:00'), 60)), '2026-03-09 10:00');
  });

  test('over the National Day week', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-09-30 16:00'), 120)), '2026-10-08 10:00');
  });

  test('into an adjusted working Saturday and Sunday', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-10-09 16:30'), 60)), '2026-10-10 09:30');
    assert.equal(local(calendar.addWorkingMinutes(at('2026-09-19 10:00'), 30)), '2026-09-20 09:30');
  });

  test('over Spring Festival', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-02-13 16:00'), 120)), '2026-02-14 10:00');
    assert.equal(local(calendar.addWorkingMinutes(at('2026-02-14 16:59'), 2)), '2026-02-24 09:01');
  });

  test('a limit that uses a window up exactly ends at the window end, not the next morning', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 09:00'), 480)), '2026-03-09 17:00');
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-06 09:00'), 960)), '2026-03-09 17:00');
  });

  test('zero minutes leave the start as it is', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-07 11:00'), 0)), '2026-03-07 11:00');
  });

  test('seconds and milliseconds are kept', () => {
    const start = new Date(at('2026-03-09 16:59').getTime() + 30_500);
    assert.equal(calendar.addWorkingMinutes(start, 1).toISOString(), '2026-03-10T01:00:30.500Z');
    assert.equal(calendar.workingMinutesBetween(start, at('2026-03-09 17:00')), 29.5 / 60);
  });

  test('the next working time and whether an instant is working time', () => {
    assert.equal(local(calendar.nextWorkingTime(at('2026-09-30 17:00'))), '2026-10-08 09:00');
    assert.equal(local(calendar.nextWorkingTime(at('2026-03-09 12:00'))), '2026-03-09 12:00');
    assert.equal(calendar.isWorkingTime(at('2026-03-09 16:59')), true);
    assert.equal(calendar.isWorkingTime(at('2026-03-09 17:00')), false);
    assert.equal(calendar.isWorkingTime(at('2026-10-02 10:00')), false);
    assert.equal(calendar.dayOf(at('2026-03-09 23:59')), '2026-03-09');
    assert.equal(calendar.dayOf(at('2026-03-10 00:00')), '2026-03-10');
  });

  test('bad amounts and spans beyond ten years are refused', () => {
    assert.throws(() => calendar.addWorkingMinutes(at('2026-03-09 09:00'), -1), RangeError);
    assert.throws(() => calendar.addWorkingMinutes(at('2026-03-09 09:00'), Number.NaN), RangeError);
    assert.throws(() => calendar.addWorkingMinutes(new Date(Number.NaN), 1), RangeError);
    assert.throws(() => calendar.addWorkingMinutes(at('2026-03-09 09:00'), 480 * 260 * 11), RangeError);
    assert.throws(() => calendar.workingMinutesBetween(at('2026-03-09 09:00'), at('2037-03-09 09:00')), RangeError);
  });
});

describe('working minutes between two instants', () => {
  const calendar = new WorkCalendar();

  test('nothing when the end is not after the start', () => {
    assert.equal(calendar.workingMinutesBetween(at('2026-03-09 12:00'), at('2026-03-09 10:00')), 0);
    assert.equal(calendar.workingMinutesBetween(at('2026-03-09 12:00'), at('2026-03-09 12:00')), 0);
  });

  test('only working windows of working days count', () => {
    assert.equal(calendar.workingMinutesBetween(at('2026-09-30 09:00'), at('2026-10-08 09:00')), 480);
    // Mon 28 Sep to Mon 12 Oct: Mon–Wed, then Thu 8, Fri 9 and the adjusted Saturday 10 Oct.
    assert.equal(calendar.workingMinutesBetween(at('2026-09-28 00:00'), at('2026-10-12 00:00')), 6 * 480);
    assert.equal(calendar.workingMinutesBetween(at('2026-03-09 16:30'), at('2026-03-10 09:30')), 60);
  });
});

describe('working windows with a lunch break', () => {
  const calendar = new WorkCalendar({ workHours: '08:30-12:00,13:30-17:30' });

  test('the break does not count', () => {
    assert.equal(calendar.minutesPerWorkingDay, 450);
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 11:00'), 90)), '2026-03-09 14:00');
    assert.equal(calendar.workingMinutesBetween(at('2026-03-09 11:00'), at('2026-03-09 14:00')), 90);
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 12:30'), 10)), '2026-03-09 13:40');
  });

  test('a morning limit ends at noon; the afternoon and the next morning follow', () => {
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 08:30'), 210)), '2026-03-09 12:00');
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 08:30'), 211)), '2026-03-09 13:31');
    assert.equal(local(calendar.addWorkingMinutes(at('2026-03-09 17:00'), 60)), '2026-03-10 09:00');
  });
});

describe('overrides and years the library does not know', () => {
  const calendar = new WorkCalendar({
    overrides: [
      { day: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { day: '2026-10-05', kind: 'workday', name: '应急值守' },
      { day: '2026-03-14', kind: 'workday', name: null },
    ],
  });

  test('an override wins over the library and over the weekday rule', () => {
    assert.equal(calendar.isWorkingDay('2026-10-05'), true);
    assert.equal(calendar.isWorkingDay('2026-03-14'), true); // a Saturday
    assert.equal(calendar.isWorkingDay('2027-10-01'), false); // a Friday
  });

  test('without the library, weekdays work and weekends do not', () => {
    assert.equal(calendar.isWorkingDay('2027-10-04'), true); // Monday
    assert.equal(calendar.isWorkingDay('2027-10-02'), false); // Saturday
    assert.equal(local(calendar.addWorkingMinutes(at('2027-09-30 16:00'), 120)), '2027-10-04 10:00');
  });

  test('the listing marks overrides as such', () => {
    const days = calendar.specialDays(2026);
    assert.deepEqual(
      days.find((d) => d.day === '2026-10-05'),
      { day: '2026-10-05', kind: 'workday', name: '应急值守', nameEn: null, source: 'override' },
    );
    assert.deepEqual(calendar.specialDays(2027), [
      { day: '2027-10-01', kind: 'holiday', name: '国庆节', nameEn: null, source: 'override' },
    ]);
  });

  test("the library's days do not depend on the process time zone", () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      // 2024 is read for the first time here: Spring Festival 10–17 Feb, adjusted working Sunday 4 Feb.
      const fresh = new WorkCalendar();
      assert.equal(fresh.isWorkingDay('2024-02-04'), true);
      assert.equal(fresh.isWorkingDay('2024-02-10'), false);
      assert.equal(fresh.isWorkingDay('2024-02-17'), false);
      assert.equal(fresh.isWorkingDay('2024-02-19'), true);
      assert.equal(local(fresh.addWorkingMinutes(at('2024-02-09 16:00'), 120)), '2024-02-18 10:00');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('the WORK_HOURS setting', () => {
  test('well-formed windows are accepted', () => {
    assert.deepEqual(parseWorkHours('08:30-12:00, 13:30-17:30'), [
      { start: 510, end: 720 },
      { start: 810, end: 1050 },
    ]);
    assert.deepEqual(parseWorkHours('00:00-24:00'), [{ start: 0, end: 1440 }]);
  });

  test('anything else stops the start-up with a message naming the setting', () => {
    for (const bad of [
      '',
      '9-17',
      '09:00-17:00;',
      '17:00-09:00',
      '08:00-12:00,11:00-13:00',
      '13:00-14:00,08:00-09:00',
    ]) {
      assert.throws(() => parseWorkHours(bad), /WORK_HOURS must be/, bad);
    }
    assert.throws(() => parseWorkHours('09:60-17:00'), /WORK_HOURS/);
    assert.throws(() => parseWorkHours('24:30-25:00'), /WORK_HOURS/);
    const env = { SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', DATA_DIR: '/tmp/linli-test-unused' };
    assert.throws(() => loadConfig({ ...env, WORK_HOURS: '9:00-17:00' }), /WORK_HOURS must be/);
    assert.equal(loadConfig(env).workHours, '09:00-17:00');
    assert.equal(loadConfig({ ...env, WORK_HOURS: '08:30-12:00,13:30-17:30' }).workHours, '08:30-12:00,13:30-17:30');
  });
});

describe('working-time arithmetic properties', () => {
  const calendars = [
    new WorkCalendar(),
    new WorkCalendar({ workHours: '08:30-12:00,13:30-17:30' }),
    new WorkCalendar({ workHours: '00:00-24:00', overrides: [{ day: '2026-12-31', kind: 'holiday', name: null }] }),
    new WorkCalendar({ workHours: '07:00-07:01,12:00-13:00,13:00-13:30,23:59-24:00' }),
  ];
  // From before New Year 2026 into 2027, which the library does not know: holidays, adjusted days, both rules.
  const from = at('2025-12-20 00:00').getTime();
  const to = at('2027-02-01 00:00').getTime();
  const instant = fc.integer({ min: from, max: to }).map((t) => new Date(t));
  // An index, so a counterexample prints as a number rather than the whole calendar.
  const calendar = fc.integer({ min: 0, max: calendars.length - 1 }).map((i) => calendars[i] as WorkCalendar);
  const minutes = fc.integer({ min: 0, max: 30_000 });

  test('adding then measuring gives the minutes back', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (c, a, m) => {
        assert.equal(c.workingMinutesBetween(a, c.addWorkingMinutes(a, m)), m);
      }),
      { numRuns: 300 },
    );
  });

  test('later starts and longer limits never give earlier deadlines', () => {
    fc.assert(
      fc.property(calendar, instant, instant, minutes, minutes, (c, a, b, m, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        assert.ok(c.addWorkingMinutes(early, m) <= c.addWorkingMinutes(late, m));
        const [less, more] = m <= n ? [m, n] : [n, m];
        assert.ok(c.addWorkingMinutes(a, less) <= c.addWorkingMinutes(a, more));
      }),
      { numRuns: 300 },
    );
  });

  test('adding is additive: add(a, m + n) = add(add(a, m), n)', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (c, a, m, n) => {
        assert.equal(
          c.addWorkingMinutes(a, m + n).getTime(),
          c.addWorkingMinutes(c.addWorkingMinutes(a, m), n).getTime(),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('measuring is additive over a point between, and a deadline lies in working time', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, fc.integer({ min: 1, max: 30_000 }), (c, x, y, z, m) => {
        const [a, b, d] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        assert.equal(
          c.workingMillisecondsBetween(a, d),
          c.workingMillisecondsBetween(a, b) + c.workingMillisecondsBetween(b, d),
        );
        const due = c.addWorkingMinutes(a, m);
        assert.ok(c.isWorkingTime(new Date(due.getTime() - 1)));
      }),
      { numRuns: 300 },
    );
  });
});

for (const kind of await databaseKinds()) {
  describe(`calendar routes (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    const clock = new ManualClock(at('2026-03-02 09:00'));
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      territory = await buildTerritory(t.database);
    });
    after(() => t.dispose());

    test('any staff member reads the year: library holidays, adjusted days and the working hours', async () => {
      const worker = await staffClient(t, 'cal-grid', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const response = await worker.get('/api/calendar?year=2026');
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.equal(body.libraryCovers, true);
      assert.equal(body.workHours, '09:00-17:00');
      assert.equal(body.minutesPerWorkingDay, 480);
      assert.equal(body.timeZone, 'Asia/Shanghai');
      const national = body.days.find((d: { day: string }) => d.day === '2026-10-01');
      assert.deepEqual(national, {
        day: '2026-10-01',
        kind: 'holiday',
        name: '国庆节',
        nameEn: 'National Day',
        source: 'library',
      });
      assert.equal(body.days.find((d: { day: string }) => d.day === '2026-10-10').kind, 'workday');

      const thisYear = await worker.get('/api/calendar');
      assert.equal(thisYear.json().year, 2026, 'the clock stands in March 2026');

      const unknown = await worker.get('/api/calendar?year=2027');
      assert.equal(unknown.json().libraryCovers, false);
    });

    test('an override makes a weekday a holiday and the deadline moves; deleting it restores the deadline', async () => {
      const admin = await staffClient(t, 'cal-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const start = at('2026-03-09 16:00');
      const initial = await getWorkCalendar(t.database.db, t.config, clock.now());
      assert.equal(local(initial.addWorkingMinutes(start, 120)), '2026-03-10 10:00');

      const set = await admin.put('/api/calendar/days/2026-03-10', { kind: 'holiday', name: ' 区运动会 ' });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(set.json().day, {
        day: '2026-03-10',
        kind: 'holiday',
        name: '区运动会',
        nameEn: null,
        source: 'override',
      });
      const during = await getWorkCalendar(t.database.db, t.config, clock.now());
      assert.equal(local(during.addWorkingMinutes(start, 120)), '2026-03-11 10:00');
      const listed = (await admin.get('/api/calendar?year=2026')).json().days;
      assert.equal(listed.find((d: { day: string }) => d.day === '2026-03-10').source, 'override');

      const changed = await admin.put('/api/calendar/days/2026-03-10', { kind: 'workday' });
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().day.name, null);

      const removed = await admin.delete('/api/calendar/days/2026-03-10');
      assert.equal(removed.statusCode, 204);
      const afterDelete = await getWorkCalendar(t.database.db, t.config, clock.now());
      assert.equal(local(afterDelete.addWorkingMinutes(start, 120)), '2026-03-10 10:00');
      const again = await admin.delete('/api/calendar/days/2026-03-10');
      assert.equal(again.statusCode, 404);
      assert.equal(errorCode(again), 'NOT_FOUND');

      const entries = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'actor_account_id'])
        .where('target_type', '=', 'calendarDay')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        entries.map((e) => [e.action, e.target_id, e.actor_account_id]),
        [
          ['calendar.day.set', '2026-03-10', admin.accountId],
          ['calendar.day.set', '2026-03-10', admin.accountId],
          ['calendar.day.delete', '2026-03-10', admin.accountId],
        ],
      );
    });

    test('an adjusted working Saturday and a holiday the library lacks', async () => {
      const admin = await staffClient(t, 'cal-admin2', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      assert.equal(
        (await admin.put('/api/calendar/days/2026-03-14', { kind: 'workday', name: '补班' })).statusCode,
        200,
      );
      assert.equal(
        (await admin.put('/api/calendar/days/2027-02-08', { kind: 'holiday', name: '春节' })).statusCode,
        200,
      );
      const calendar = await getWorkCalendar(t.database.db, t.config, clock.now());
      assert.equal(local(calendar.addWorkingMinutes(at('2026-03-13 16:00'), 120)), '2026-03-14 10:00');
      assert.equal(calendar.isWorkingDay('2027-02-08'), false);
      const days2027 = (await admin.get('/api/calendar?year=2027')).json().days;
      assert.deepEqual(days2027, [
        { day: '2027-02-08', kind: 'holiday', name: '春节', nameEn: null, source: 'override' },
      ]);
      assert.equal((await admin.delete('/api/calendar/days/2026-03-14')).statusCode, 204);
      assert.equal((await admin.delete('/api/calendar/days/2027-02-08')).statusCode, 204);
    });

    test('staff without case.configure may not change the calendar', async () => {
      const worker = await staffClient(t, 'cal-grid2', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const put = await worker.put('/api/calendar/days/2026-03-10', { kind: 'holiday' });
      assert.equal(put.statusCode, 403);
      assert.equal(errorCode(put), 'FORBIDDEN');
      const del = await worker.delete('/api/calendar/days/2026-03-10');
      assert.equal(del.statusCode, 403);
      const calendar = await getWorkCalendar(t.database.db, t.config, clock.now());
      assert.equal(calendar.isWorkingDay('2026-03-10'), true);
    });

    test('bad dates, years and bodies are 400', async () => {
      const admin = await staffClient(t, 'cal-admin3', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      for (const day of ['2026-02-30', '2026-13-01', '20260301', '2026-3-1', '1999-12-31', '2101-01-01']) {
        const response = await admin.put(`/api/calendar/days/${day}`, { kind: 'holiday' });
        assert.equal(response.statusCode, 400, day);
        assert.equal(errorCode(response), 'VALIDATION_FAILED', day);
        assert.equal((await admin.delete(`/api/calendar/days/${day}`)).statusCode, 400, day);
      }
      for (const query of ['year=1999', 'year=2101', 'year=abc', 'year=', 'year=20260', 'year=2026&x=1']) {
        const response = await admin.get(`/api/calendar?${query}`);
        assert.equal(response.statusCode, 400, query);
        assert.equal(errorCode(response), 'VALIDATION_FAILED', query);
      }
      for (const body of [
        { kind: 'weekend' },
        {},
        { kind: 'holiday', name: 'x'.repeat(51) },
        { kind: 'holiday', extra: 1 },
        { kind: 'holiday', name: 'a\u0000b' },
      ]) {
        const response = await admin.put('/api/calendar/days/2026-03-10', body);
        assert.equal(response.statusCode, 400, JSON.stringify(body));
      }
      const rows = await t.database.db.selectFrom('calendar_days').selectAll().execute();
      assert.deepEqual(rows, []);
    });

    test('another instance’s change is seen within a minute; loading works inside a transaction', async () => {
      invalidateWorkCalendar(t.config);
      const first = await getWorkCalendar(t.database.db, t.config, clock.now());
      assert.equal(first.isWorkingDay('2026-03-11'), true);
      // Written directly, as another instance would: this instance does not know yet.
      await t.database.db
        .insertInto('calendar_days')
        .values({ day: '2026-03-11', kind: 'holiday', name: null })
        .execute();
      const soon = await getWorkCalendar(t.database.db, t.config, new Date(clock.now().getTime() + 30_000));
      assert.equal(soon.isWorkingDay('2026-03-11'), true);
      const later = new Date(clock.now().getTime() + CALENDAR_MAX_STALE_MS + 1_000);
      const reloaded = await getWorkCalendar(t.database.db, t.config, later);
      assert.equal(reloaded.isWorkingDay('2026-03-11'), false);

      await t.database.db.deleteFrom('calendar_days').where('day', '=', '2026-03-11').execute();
      invalidateWorkCalendar(t.config);
      const inside = await t.database.transaction((trx) => getWorkCalendar(trx, t.config, clock.now()));
      assert.equal(inside.isWorkingDay('2026-03-11'), true);
    });
  });
}
