import { CASE_CONTEXT_LOCK, escalateRunner, type RawEscalateScenario } from './raw-escalate.ts';

/**
 * The raw sides of the write workloads of bench/writes.ts, run in bench/raw.ts's process: the statements the
 * app's transaction sends, as PostgreSQL logged them (log_statement = all) for `POST /api/cases/:id/transitions
 * {action: chase}` and `POST /api/me/activities/:id/enrolment` on 2026-11-24, and for the cancellation as
 * enrolments.repository.ts builds them. If that code changes its statements, update them here.
 *
 * `writes`: the transaction's writes and the reads they need (the locked row, my enrolment); `statements`: every
 * statement of the app's transaction, its other reads included. Neither has the app's session lookup or the
 * read of the response after COMMIT.
 */
export type RawWritesScenario =
  | RawEscalateScenario
  | {
      type: 'writes';
      workload: 'transitions';
      variant: 'writes' | 'statements';
      caseIds: number[];
      supervisor: { accountId: number; unitId: number; displayName: string; scopePath: string };
    }
  | {
      type: 'writes';
      workload: 'enrolment';
      variant: 'writes' | 'statements';
      activityId: number;
      accountIds: number[];
      liveTarget: number;
    };

type Row = Record<string, unknown>;
interface Conn {
  query(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}
interface RawDb extends Conn {
  transaction<T>(fn: (c: Conn) => Promise<T>): Promise<T>;
}

/**
 * Who enrols or cancels next: until `liveTarget` residents hold an enrolment every turn enrols one more; then
 * the turns alternate between the oldest live enrolment cancelling (its place, if it has one, goes to the
 * first waiting) and the longest idle resident enrolling. A resident comes back only after ~liveTarget other
 * turns, so none has two requests in flight at 50 connections.
 */
export class EnrolmentTurns {
  readonly #live: number[] = [];
  readonly #idle: number[];
  readonly #target: number;
  #turn = 0;
  constructor(residents: number, liveTarget: number) {
    this.#idle = Array.from({ length: residents }, (_, i) => i);
    this.#target = liveTarget;
  }
  /**
   * `settled` (optional): whether a resident's enrolment has been answered; a cancel turn whose oldest live
   * resident is still waiting for that answer enrols one more instead (the HTTP run: a slow enrolment overtaken
   * ~liveTarget turns later by its own cancel would answer 404).
   */
  next(settled?: (resident: number) => boolean): { resident: number; action: 'enrol' | 'cancel' } {
    this.#turn += 1;
    const oldest = this.#live[0];
    const due = this.#live.length >= this.#target && this.#turn % 2 === 0;
    if (due && oldest !== undefined && (!settled || settled(oldest))) {
      const resident = this.#live.shift()!;
      this.#idle.push(resident);
      return { resident, action: 'cancel' };
    }
    const resident = this.#idle.shift()!;
    this.#live.push(resident);
    return { resident, action: 'enrol' };
  }
  live(): number {
    return this.#live.length;
  }
}

const CHASE = {
  lockCase:
    'select "cases".* from "cases" where "cases"."id" = $1 and ("cases"."territory_path" like $2 or exists (select 1 as "one" from "case_assignments" as "a" where "a"."case_id" = "cases"."id" and "a"."unit_path" like $3)) for update',
  insertEvent:
    'insert into "case_events" ("case_id", "seq", "action", "from_state", "to_state", "actor_account_id", "actor_unit_id", "actor_name", "owner_unit_id", "note", "data", "created_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning "id"',
  updateCase:
    'update "cases" set "state" = $1, "colour" = $2, "next_colour_at" = $3, "event_count" = $4, "version" = $5, "updated_at" = $6 where "id" = $7 returning "version"',
  insertOutbox:
    'insert into "outbox" ("topic", "case_id", "event_id", "payload", "created_at") values ($1, $2, $3, $4, $5)',
};

const POSITION = `CASE WHEN e.status = 'waiting' THEN (
	    SELECT count(*)::int FROM enrolments w
	     WHERE w.activity_id = e.activity_id AND w.status = 'waiting' AND w.waiting_seq <= e.waiting_seq) END`;
const ENROL = {
  home: 'select "ac"."person_id", "u"."path" as "unit_path" from "accounts" as "ac" left join "people" as "p" on "p"."id" = "ac"."person_id" left join "units" as "u" on "u"."id" = "p"."unit_id" where "ac"."id" = $1',
  forResident: (units: number) =>
    `select "a".*, "u"."name" as "organiser_name", "u"."kind" as "organiser_kind", "e"."status" as "e_status", "e"."enrolled_at" as "e_enrolled_at", "e"."checked_in_at" as "e_checked_in_at", ${POSITION} as "e_position" from "activities" as "a" inner join "units" as "u" on "u"."id" = "a"."unit_id" left join "enrolments" as "e" on "e"."activity_id" = "a"."id" and "e"."account_id" = $1 and "e"."status" in ($2, $3) where "a"."id" = $4 and ("a"."unit_id" in (${Array.from({ length: units }, (_, i) => `$${i + 5}`).join(', ')}) or exists (select 1 as "one" from "enrolments" as "m" where "m"."activity_id" = "a"."id" and "m"."account_id" = $${units + 5}))`,
  takePlace:
    'update "activities" set "enrolled_count" = "enrolled_count" + $1 where "id" = $2 and (("status" = $3 and ("enrol_from" is null or "enrol_from" <= $4) and coalesce(enrol_until, ends_at) > $5) and "enrolled_count" < "capacity") returning "id"',
  takeWaitingPlace:
    'update "activities" set "waiting_count" = "waiting_count" + $1, "waiting_seq" = "waiting_seq" + $2 where "id" = $3 and (("status" = $4 and ("enrol_from" is null or "enrol_from" <= $5) and coalesce(enrol_until, ends_at) > $6) and "enrolled_count" >= "capacity" and "waiting_count" < "waitlist_capacity") returning "waiting_seq"',
  insert:
    'insert into "enrolments" ("activity_id", "account_id", "person_id", "status", "waiting_seq", "enrolled_at") values ($1, $2, $3, $4, $5, $6) on conflict ("activity_id", "account_id") where status IN (\'enrolled\', \'waiting\') do nothing returning "id"',
  lockActivity: 'select * from "activities" where "id" = $1 for update',
  mine: `select "e"."id", "e"."status", "e"."enrolled_at", "e"."checked_in_at", "e"."cancelled_at", ${POSITION} as "position" from "enrolments" as "e" where "e"."activity_id" = $1 and "e"."account_id" = $2 and "e"."status" in ($3, $4)`,
  release:
    'update "enrolments" set "status" = $1, "waiting_seq" = $2, "cancelled_at" = $3 where "id" = $4 and "status" = $5 returning "id"',
  releasePlace: 'update "activities" set "enrolled_count" = "enrolled_count" - $1 where "id" = $2',
  releaseWaiting: 'update "activities" set "waiting_count" = "waiting_count" - $1 where "id" = $2',
  counts: 'select "capacity", "enrolled_count", "waiting_count", "status" from "activities" where "id" = $1',
  promote:
    'update "enrolments" set "status" = $1, "waiting_seq" = $2, "promoted_at" = $3 where "id" in (select "id" from "enrolments" where "activity_id" = $4 and "status" = $5 order by "waiting_seq" limit $6) returning "account_id"',
  promoted:
    'update "activities" set "enrolled_count" = "enrolled_count" + $1, "waiting_count" = "waiting_count" - $2 where "id" = $3',
  notify: 'insert into "outbox" ("topic", "payload", "created_at") values ($1, $2, $3)',
};

const homeIds = (path: unknown) => (path ? String(path).split('/').filter(Boolean).map(Number) : []);

async function chaseRunner(db: RawDb, s: Extract<RawWritesScenario, { workload: 'transitions' }>) {
  const scope = `${s.supervisor.scopePath}%`;
  const full = s.variant === 'statements';
  let next = 0;
  return () =>
    db.transaction(async (c) => {
      const id = s.caseIds[next++ % s.caseIds.length]!;
      const now = new Date();
      // `statements`: the case locked with its type, units and open assignments, one statement as the app sends it.
      const row = (await c.query(full ? CASE_CONTEXT_LOCK : CHASE.lockCase, [id, scope, scope])).rows[0];
      if (!row) throw new Error(`case ${id} not found`);
      const owner = Number(row.owner_unit_id);
      const lead = row.lead_unit_id === null ? null : Number(row.lead_unit_id);
      const state = String(row.state);
      const events = Number(row.event_count);
      const eventId = (
        await c.query(CHASE.insertEvent, [
          id,
          events + 1,
          'chase',
          state,
          state,
          s.supervisor.accountId,
          s.supervisor.unitId,
          s.supervisor.displayName,
          owner,
          '请尽快办理',
          '{}',
          now,
        ])
      ).rows[0]!.id;
      await c.query(CHASE.updateCase, [
        state,
        row.colour,
        row.next_colour_at,
        events + 1,
        Number(row.version) + 1,
        now,
        id,
      ]);
      await c.query(CHASE.insertOutbox, [
        'case.chase',
        id,
        eventId,
        JSON.stringify({
          body: 'chase',
          phone: null,
          state,
          title: `${row.number} ${row.title}`,
          action: 'chase',
          caseNumber: row.number,
          recipients: { unitIds: [owner, ...(lead ? [lead] : [])], accountIds: [] },
          supervisorsOf: [],
          excludeAccountId: s.supervisor.accountId,
        }),
        now,
      ]);
    });
}

async function enrolmentRunner(db: RawDb, s: Extract<RawWritesScenario, { workload: 'enrolment' }>) {
  const full = s.variant === 'statements';
  const activity = (await db.query('SELECT title FROM activities WHERE id = $1', [s.activityId])).rows[0]!;
  // The person of each account (the app reads it with the home, in the timed transaction; `statements` does too).
  const people = new Map(
    (await db.query('SELECT id, person_id FROM accounts WHERE id = ANY($1::int[])', [s.accountIds])).rows.map((r) => [
      Number(r.id),
      r.person_id === null ? null : Number(r.person_id),
    ]),
  );
  const turns = new EnrolmentTurns(s.accountIds.length, s.liveTarget);
  const open = async (c: Conn, accountId: number) => {
    const home = (await c.query(ENROL.home, [accountId])).rows[0]!;
    const ids = homeIds(home.unit_path);
    await c.query(ENROL.forResident(ids.length), [accountId, 'enrolled', 'waiting', s.activityId, ...ids, accountId]);
    return home.person_id === null ? null : Number(home.person_id);
  };
  return () => {
    const { resident, action } = turns.next();
    const accountId = s.accountIds[resident]!;
    const id = s.activityId;
    return db.transaction(async (c) => {
      const now = new Date();
      if (action === 'enrol') {
        const personId = full ? await open(c, accountId) : (people.get(accountId) ?? null);
        const placed = (await c.query(ENROL.takePlace, [1, id, 'published', now, now])).rows.length > 0;
        let seq: number | null = null;
        if (!placed) {
          const w = (await c.query(ENROL.takeWaitingPlace, [1, 1, id, 'published', now, now])).rows[0];
          if (!w) throw new Error('full');
          seq = Number(w.waiting_seq);
        }
        const inserted = await c.query(ENROL.insert, [
          id,
          accountId,
          personId,
          placed ? 'enrolled' : 'waiting',
          seq,
          now,
        ]);
        if (!inserted.rows.length) throw new Error(`account ${accountId} already enrolled`);
        return;
      }
      if (full) await open(c, accountId);
      await c.query(ENROL.lockActivity, [id]);
      const mine = (await c.query(ENROL.mine, [id, accountId, 'enrolled', 'waiting'])).rows[0];
      if (!mine) throw new Error(`account ${accountId} holds no enrolment`);
      const status = String(mine.status);
      await c.query(ENROL.release, ['cancelled', null, now, mine.id, status]);
      await c.query(status === 'enrolled' ? ENROL.releasePlace : ENROL.releaseWaiting, [1, id]);
      if (status !== 'enrolled') return;
      const a = (await c.query(ENROL.counts, [id])).rows[0]!;
      const free = Math.min(Number(a.capacity) - Number(a.enrolled_count), Number(a.waiting_count));
      if (a.status !== 'published' || free <= 0) return;
      const promoted = (await c.query(ENROL.promote, ['enrolled', null, now, id, 'waiting', free])).rows;
      if (!promoted.length) return;
      await c.query(ENROL.promoted, [promoted.length, promoted.length, id]);
      await c.query(ENROL.notify, [
        'activity.promoted',
        JSON.stringify({
          recipients: { accountIds: promoted.map((p) => Number(p.account_id)), unitIds: [] },
          title: activity.title,
          body: 'promoted',
          action: 'promoted',
          activityId: id,
        }),
        now,
      ]);
    });
  };
}

/** One iteration of a write workload's raw side: one transaction, as the app's request runs it. */
export async function writesRunner(db: RawDb, scenario: RawWritesScenario): Promise<() => Promise<void>> {
  if (scenario.workload === 'escalate') return escalateRunner(db, scenario); // bench/raw-escalate.ts
  return scenario.workload === 'transitions' ? chaseRunner(db, scenario) : enrolmentRunner(db, scenario);
}
