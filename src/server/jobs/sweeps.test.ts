import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, staffClient, type TestApp } from '../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A } from '../../../test/support/cases.ts';
import { databaseKinds, TEST_DATABASE_URL } from '../../../test/support/databases.ts';
import { ManualClock } from '../clock.ts';
import { type Database, openDatabase } from '../db/database.ts';
import type { Sweep, SweepDeps } from './sweep.ts';
import { sweepCallbackOverdue } from './sweep-callback-overdue.ts';
import { sweepCaseColours } from './sweep-case-colours.ts';
import { sweepChases } from './sweep-chases.ts';
import { sweepVisitExpiry } from './sweep-visit-expiry.ts';
import { sweepVisitInvitations } from './sweep-visit-invitations.ts';

// Times in Asia/Shanghai (UTC+8). Monday 2026-11-23 10:00; Wednesday 2026-11-25 is made a holiday below, so
// the five working days of a hotline case (2400 minutes of 480 a day) run Mon, Tue, Thu, Fri, (weekend), Mon.
const MONDAY_10 = '2026-11-23T02:00:00Z';
const DAY = 86_400_000;

for (const kind of await databaseKinds()) {
  describe(`background sweeps (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    let deps: SweepDeps;
    before(async () => {
      t = await createTestApp(kind, { LINLI_TIME_ZONE: 'Asia/Shanghai', WORK_HOURS: '09:00-17:00' }, clock);
      deps = { config: t.config, clock };
      w = await buildCaseWorld(t);
      const admin = await staffClient(t, 'calendar.admin', [
        { role: 'districtAdmin', unitId: w.territory.district.id },
      ]);
      const holiday = await admin.put('/api/calendar/days/2026-11-25', { kind: 'holiday', name: '测试假日' });
      assert.equal(holiday.statusCode, 200, holiday.body);
    });
    after(() => t.dispose());

    const hotlineCase = async () => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '小区垃圾清运不及时',
        description: '幸福小区3号楼旁的垃圾桶三天没有清运，气味很大。',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '张三', phone: '13912345678' },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; state: string; colour: string; resolutionDueAt: string };
    };

    const taskCase = async (manualColour: 'red' | 'orange' | 'green') => {
      const response = await w.streetA.post('/api/cases', {
        caseType: 'task',
        channel: 'task',
        title: '背街小巷环境整治',
        description: '专班任务：背街小巷环境整治，按周报送进度。',
        unitId: w.territory.streetA.id,
        manualColour,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; state: string; colour: string };
    };

    const detail = async (id: number) => {
      const response = await w.hotline.get(`/api/cases/${id}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().case as {
        state: string;
        colour: string;
        rating: string | null;
        events: Array<{ action: string; actorName: string; data: Record<string, unknown> }>;
      };
    };
    const eventsOf = async (id: number, action: string) => (await detail(id)).events.filter((e) => e.action === action);

    test('a hotline case turns orange after 80 % of its working time and red when overdue, once each', async () => {
      clock.set(MONDAY_10);
      const c = await hotlineCase();
      assert.equal(c.state, 'inGrid');
      assert.equal(c.colour, 'green');
      assert.equal(c.resolutionDueAt, '2026-12-01T02:00:00.000Z', 'Tuesday 10:00, after the holiday and weekend');

      // Friday evening and Sunday night: four working days are not used up yet (the holiday and weekend do not count).
      clock.set('2026-11-27T09:00:00Z');
      await sweepCaseColours(t.database, deps);
      clock.set('2026-11-29T14:00:00Z');
      await sweepCaseColours(t.database, deps);
      assert.equal((await detail(c.id)).colour, 'green');
      assert.equal((await eventsOf(c.id, 'colourChange')).length, 0);

      // Monday 10:00: 1920 of 2400 working minutes used.
      clock.set('2026-11-30T02:00:00Z');
      assert.ok((await sweepCaseColours(t.database, deps)) >= 1);
      assert.equal((await detail(c.id)).colour, 'orange');
      assert.equal(await sweepCaseColours(t.database, deps), 0, 'a second run finds nothing due');
      const orange = await eventsOf(c.id, 'colourChange');
      assert.equal(orange.length, 1);
      assert.deepEqual(
        { from: orange[0]!.data.from, to: orange[0]!.data.to, by: orange[0]!.actorName },
        { from: 'green', to: 'orange', by: '系统' },
      );

      // Tuesday 10:00: overdue.
      clock.set('2026-12-01T02:00:00Z');
      await sweepCaseColours(t.database, deps);
      await sweepCaseColours(t.database, deps);
      const after = await detail(c.id);
      assert.equal(after.colour, 'red');
      assert.deepEqual(
        after.events.filter((e) => e.action === 'colourChange').map((e) => `${e.data.from}→${e.data.to}`),
        ['green→orange', 'orange→red'],
      );
      // Red tells the supervisors as well as the grid.
      const messages = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('case_id', '=', c.id)
        .where('topic', '=', 'case.colourChange')
        .orderBy('id')
        .execute();
      assert.equal(messages.length, 2);
      assert.deepEqual(messages[1]!.payload.recipients.unitIds, [w.territory.gridA.id]);
      assert.deepEqual(messages[1]!.payload.supervisorsOf, [w.territory.gridA.id]);

      clock.set('2026-12-20T02:00:00Z');
      await sweepCaseColours(t.database, deps);
      assert.equal((await eventsOf(c.id, 'colourChange')).length, 2, 'red is the last colour');
    });

    test('a colour marker that came due without a change moves forward with no event', async () => {
      clock.set(MONDAY_10);
      const c = await hotlineCase();
      // As if the marker had been set for a limit that has since moved.
      await t.database.db
        .updateTable('cases')
        .set({ next_colour_at: new Date(Date.parse(MONDAY_10) - 60_000) })
        .where('id', '=', c.id)
        .execute();
      await sweepCaseColours(t.database, deps);
      const row = await t.database.db
        .selectFrom('cases')
        .select(['colour', 'next_colour_at', 'orange_at'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.colour, 'green');
      assert.equal(row.next_colour_at?.toISOString(), '2026-11-30T02:00:00.000Z');
      assert.equal(row.next_colour_at?.toISOString(), row.orange_at?.toISOString());
      assert.equal((await eventsOf(c.id, 'colourChange')).length, 0);
    });

    test('a red task-force item is chased weekly', async () => {
      clock.set(MONDAY_10);
      const c = await taskCase('red');
      assert.equal(c.colour, 'red');

      clock.set(new Date(Date.parse(MONDAY_10) + 7 * DAY - 60_000));
      await sweepChases(t.database, deps);
      assert.equal((await eventsOf(c.id, 'chase')).length, 0, 'not before the week is up');

      clock.set(new Date(Date.parse(MONDAY_10) + 7 * DAY));
      await sweepChases(t.database, deps);
      await sweepChases(t.database, deps);
      const first = await eventsOf(c.id, 'chase');
      assert.equal(first.length, 1);
      assert.equal(first[0]!.actorName, '系统');
      assert.equal(first[0]!.data.cadence, 'red');

      clock.set(new Date(Date.parse(MONDAY_10) + 14 * DAY));
      await sweepChases(t.database, deps);
      await sweepChases(t.database, deps);
      assert.equal((await eventsOf(c.id, 'chase')).length, 2);
      const told = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('case_id', '=', c.id)
        .where('topic', '=', 'case.chase')
        .execute();
      assert.equal(told.length, 2);
      assert.deepEqual(told[0]!.payload.recipients.unitIds, [w.territory.streetA.id]);
    });

    test('a green task-force item waits a month; a closed one is never chased', async () => {
      clock.set(MONDAY_10);
      const green = await taskCase('green');
      const closing = await taskCase('red');
      await act(w.streetA, closing.id, { action: 'reject', reason: '重复任务' });
      clock.set(new Date(Date.parse(MONDAY_10) + 29 * DAY));
      await sweepChases(t.database, deps);
      assert.equal((await eventsOf(green.id, 'chase')).length, 0);
      clock.set(new Date(Date.parse(MONDAY_10) + 30 * DAY));
      await sweepChases(t.database, deps);
      assert.equal((await eventsOf(green.id, 'chase')).length, 1);
      assert.equal((await eventsOf(closing.id, 'chase')).length, 0);
    });

    test('a case that cannot be chased is logged and retried next run; the others are chased meanwhile', async () => {
      clock.set(MONDAY_10);
      const broken = await taskCase('red');
      const fine = await taskCase('red');
      // Writing an event for the broken case fails, as a bug or a bad row would.
      await sql`CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.case_id = ${sql.lit(broken.id)} THEN RAISE EXCEPTION 'refused for the test'; END IF;
          RETURN NEW;
        END $$`.execute(t.database.db);
      await sql`CREATE TRIGGER test_refuse_event BEFORE INSERT ON case_events
        FOR EACH ROW EXECUTE FUNCTION test_refuse_event()`.execute(t.database.db);
      try {
        clock.set(new Date(Date.parse(MONDAY_10) + 7 * DAY));
        const logged: Array<Record<string, unknown>> = [];
        await sweepChases(t.database, {
          ...deps,
          log: { error: (obj) => logged.push(obj as Record<string, unknown>) },
        });
        assert.equal((await eventsOf(fine.id, 'chase')).length, 1);
        assert.equal((await eventsOf(broken.id, 'chase')).length, 0);
        assert.deepEqual(
          logged.map((l) => [l.sweep, l.id]),
          [['sweepChases', broken.id]],
        );
        // Without a logger the run still finishes, then reports the failure.
        await assert.rejects(sweepChases(t.database, deps), /sweepChases: 1 item\(s\) failed/);
      } finally {
        await sql`DROP TRIGGER test_refuse_event ON case_events`.execute(t.database.db);
        await sql`DROP FUNCTION test_refuse_event()`.execute(t.database.db);
      }
      await sweepChases(t.database, deps);
      assert.equal((await eventsOf(broken.id, 'chase')).length, 1);
      assert.equal((await eventsOf(fine.id, 'chase')).length, 1);
    });

    test('a resolved case invites its reporter once, then closes with noAnswer when the visit window ends', async () => {
      clock.set(MONDAY_10);
      const c = await hotlineCase();
      const resolved = await act(w.gridWorkerA, c.id, { action: 'selfResolve', result: '已联系环卫清运' });
      assert.equal(resolved.state, 'resolved');
      // Three working days: Tuesday, (holiday) Thursday, Friday 10:00.
      assert.equal(resolved.visitDueAt, '2026-11-27T02:00:00.000Z');

      await sweepVisitInvitations(t.database, deps);
      assert.equal(await sweepVisitInvitations(t.database, deps), 0);
      const invited = await eventsOf(c.id, 'inviteVisit');
      assert.equal(invited.length, 1);
      const invitation = await t.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('case_id', '=', c.id)
        .where('topic', '=', 'case.inviteVisit')
        .executeTakeFirstOrThrow();
      assert.equal(invitation.payload.phone, '13912345678', 'a hotline reporter without an account gets a text');

      clock.set('2026-11-27T01:59:00Z');
      await sweepVisitExpiry(t.database, deps);
      assert.equal((await detail(c.id)).state, 'resolved');

      clock.set('2026-11-27T02:00:00Z');
      await sweepVisitExpiry(t.database, deps);
      assert.equal(await sweepVisitExpiry(t.database, deps), 0);
      const closed = await detail(c.id);
      assert.equal(closed.state, 'closed');
      assert.equal(closed.rating, 'noAnswer');
      assert.equal(closed.events.filter((e) => e.action === 'expireVisit').length, 1);
      assert.equal(closed.events.filter((e) => e.action === 'inviteVisit').length, 1);
    });

    test('a one-tap call not called back in time is announced once to the grid and its community', async () => {
      clock.set(MONDAY_10);
      const due = new Date(Date.parse(MONDAY_10) + 3_600_000);
      const [late, answered] = await insertCallRequests(t.database, w, due, 2);
      await t.database.db
        .updateTable('call_requests')
        .set({ status: 'converted', called_back_at: clock.now() })
        .where('id', '=', answered!)
        .execute();

      clock.set(new Date(due.getTime() - 60_000));
      await sweepCallbackOverdue(t.database, deps);
      assert.equal(await overdueMessages(t.database, [late!]), 0);

      clock.set(due);
      await sweepCallbackOverdue(t.database, deps);
      assert.equal(await sweepCallbackOverdue(t.database, deps), 0);
      const messages = await t.database.db
        .selectFrom('outbox')
        .select(['payload', 'call_request_id'])
        .where('topic', '=', 'callRequest.overdue')
        .where('call_request_id', 'in', [late!, answered!])
        .execute();
      assert.equal(messages.length, 1);
      assert.equal(messages[0]!.call_request_id, late);
      assert.deepEqual(messages[0]!.payload.recipients, {
        accountIds: [],
        unitIds: [w.territory.gridA.id, w.territory.communityA.id],
      });
      const marked = await t.database.db
        .selectFrom('call_requests')
        .select(['id', 'overdue_at', 'version'])
        .where('id', 'in', [late!, answered!])
        .orderBy('id')
        .execute();
      assert.equal(marked[0]!.overdue_at?.toISOString(), due.toISOString());
      assert.equal(marked[0]!.version, 1, 'a grid worker holding the call request is not refused for it');
      assert.equal(marked[1]!.overdue_at, null);
    });

    test('two sweepers at once: every colour change, chase, invitation, expiry and overdue call happens once', async () => {
      // A second instance: its own connection pool on the same PostgreSQL database; on the embedded database,
      // the same handle (one process), with the sweeps interleaving their transactions.
      let other: Database = t.database;
      if (kind === 'postgres') {
        const name = await sql<{ name: string }>`SELECT current_database() AS name`.execute(t.database.db);
        const url = new URL(TEST_DATABASE_URL);
        url.pathname = `/${name.rows[0]!.name}`;
        other = await openDatabase({ databaseUrl: url.toString(), dataDir: '/nonexistent', poolMax: 5 });
      }
      try {
        const base = Date.parse('2026-12-14T02:00:00Z'); // Monday 10:00
        clock.set(new Date(base));
        const hotline: number[] = [];
        for (let i = 0; i < 50; i += 1) hotline.push((await hotlineCase()).id);
        const tasks: number[] = [];
        for (let i = 0; i < 30; i += 1) tasks.push((await taskCase('red')).id);
        const calls = await insertCallRequests(t.database, w, new Date(base + 3_600_000), 50);

        const race = async (sweep: Sweep) => {
          let total = 0;
          for (let round = 0; round < 20; round += 1) {
            const counts = await Promise.all([
              sweep(t.database, deps, 7),
              sweep(other, deps, 7),
              sweep(t.database, deps, 7),
              sweep(other, deps, 7),
            ]);
            const sum = counts.reduce((a, b) => a + b, 0);
            total += sum;
            if (sum === 0) return total;
          }
          assert.fail('the sweeps never ran dry');
        };
        const count = async (ids: number[], action: string) => {
          const rows = await t.database.db
            .selectFrom('case_events')
            .select(['case_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('case_id', 'in', ids)
            .where('action', '=', action)
            .groupBy('case_id')
            .execute();
          return ids.map((id) => Number(rows.find((r) => r.case_id === id)?.n ?? 0));
        };
        const once = (ids: number[]) => ids.map(() => 1);
        const marks = await t.database.db
          .selectFrom('cases')
          .select([(eb) => eb.fn.max('orange_at').as('orange'), (eb) => eb.fn.max('due_at').as('due')])
          .where('id', 'in', hotline)
          .executeTakeFirstOrThrow();

        clock.set(marks.orange as Date);
        assert.ok((await race(sweepCaseColours)) >= hotline.length);
        assert.deepEqual(await count(hotline, 'colourChange'), once(hotline), 'green → orange once');
        // Monday a week on: overdue, a week since the tasks came in, and long past the calls' callback limit.
        clock.set(marks.due as Date);
        assert.equal((marks.due as Date).getTime(), base + 7 * DAY);
        await Promise.all([race(sweepCaseColours), race(sweepChases), race(sweepCallbackOverdue)]);
        assert.deepEqual(
          await count(hotline, 'colourChange'),
          once(hotline).map(() => 2),
          'orange → red once',
        );
        assert.deepEqual(await count(tasks, 'chase'), once(tasks));
        assert.equal(await overdueMessages(t.database, calls), calls.length);
        const perCall = await t.database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.count<number>('call_request_id').distinct().as('n'))
          .where('topic', '=', 'callRequest.overdue')
          .where('call_request_id', 'in', calls)
          .executeTakeFirstOrThrow();
        assert.equal(Number(perCall.n), calls.length);

        const resolved = hotline.slice(0, 20);
        for (const id of resolved) await act(w.gridWorkerA, id, { action: 'selfResolve', result: '已处理' });
        await race(sweepVisitInvitations);
        assert.deepEqual(await count(resolved, 'inviteVisit'), once(resolved));

        // Two weeks on: the second chase, and the visit windows (three working days) are over.
        clock.set(new Date(base + 14 * DAY));
        await Promise.all([race(sweepChases), race(sweepVisitExpiry)]);
        assert.deepEqual(
          await count(tasks, 'chase'),
          once(tasks).map(() => 2),
        );
        assert.deepEqual(await count(resolved, 'expireVisit'), once(resolved));
        // Every event of a case has its own sequence number: no two writers appended at once.
        const seqs = await t.database.db
          .selectFrom('cases')
          .innerJoin('case_events', 'case_events.case_id', 'cases.id')
          .select(['cases.id', 'cases.event_count', (eb) => eb.fn.max('case_events.seq').as('last')])
          .where('cases.id', 'in', [...hotline, ...tasks])
          .groupBy(['cases.id', 'cases.event_count'])
          .execute();
        for (const s of seqs) assert.equal(Number(s.last), s.event_count);
      } finally {
        if (other !== t.database) await other.close();
      }
    });
  });
}

let phones = 0;

/** `n` waiting one-tap calls in grid A, each from its own resident (one waiting call per resident). */
async function insertCallRequests(database: Database, w: CaseWorld, callbackDueAt: Date, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i += 1) {
    phones += 1;
    const phone = `137${String(phones).padStart(8, '0')}`;
    const account = await database.db
      .insertInto('accounts')
      .values({ kind: 'resident', phone, display_name: `居民${phone.slice(-4)}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await database.db
      .insertInto('call_requests')
      .values({
        resident_account_id: account.id,
        phone,
        grid_id: w.territory.gridA.id,
        territory_unit_id: w.territory.gridA.id,
        territory_path: w.territory.gridA.path,
        callback_due_at: callbackDueAt,
        created_at: new Date(callbackDueAt.getTime() - 3_600_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

async function overdueMessages(database: Database, ids: number[]): Promise<number> {
  const row = await database.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('topic', '=', 'callRequest.overdue')
    .where('call_request_id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
