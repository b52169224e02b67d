import os from 'node:os';
import type autocannon from 'autocannon';
import { sql } from 'kysely';
import type { Config } from '../src/server/config.ts';
import { type Database, openDatabase } from '../src/server/db/database.ts';
import { createSession } from '../src/server/modules/auth/session.service.ts';
import { ACTIVE_STATES } from '../src/server/modules/cases/case-machine.ts';
import { escalateScenarios, noteEscalations, prepareEscalate, rawEscalateScenarios } from './escalate.ts';
import type { Prepared } from './prepare.ts';
import { EnrolmentTurns, type RawWritesScenario } from './raw-writes.ts';
import type { Measurement } from './workloads.ts';

/**
 * The write workloads beyond intake (bench/README.md, "Write workloads"):
 *
 * - `transitions`: the district supervisor chases (催办) the district's active cases, round robin over a pool of
 *   them: one transaction per request locks the case, appends the event, bumps the case row, writes the outbox
 *   message for the owner (and lead); the response reads the case back. `chase` applies to every active case
 *   any number of times, so the pool never runs out, at any duration or connection count. Its state-changing
 *   sibling `transitions:escalate` (grid workers escalating inGrid cases, each once) is in bench/escalate.ts.
 * - `enrolment`: residents enrolling into one popular course (100 places, a waiting list) and cancelling, which
 *   promotes the first on the waiting list; the counters' invariant is checked after the run.
 *
 * Both need rows the server cannot create for us cheaply (resident sessions, a fresh activity), so
 * `prepareWrites` writes them straight into the database before the raw sides and the server run (the
 * embedded data directory has one owner at a time); the scenarios read them from this module.
 */

export const WRITE_WORKLOADS = ['transitions', 'transitions-raw', 'enrolment', 'enrolment-raw'] as const;
/** Connections of the transitions workloads (as intake: 50, and one). */
export const TRANSITION_CONNECTIONS = [50, 1] as const;
export const ENROLMENT_CONNECTIONS = 50;
/** Active cases the transitions go round (each chased once per round). */
const CHASE_POOL = 5000;
/** Residents who enrol and cancel, the course's places, and its waiting list (room for everyone else). */
export const RESIDENTS = 2000;
export const CAPACITY = 100;
/** Residents holding a live enrolment (enrolled or waiting) once the run is going: the places and 200 waiting. */
export const LIVE_TARGET = CAPACITY + 200;
const RESIDENT_MARK = '压测居民';
/**
 * The bench residents' phones: `198` and the person id (mod 10⁸), 8 digits. Not `199…`: notify-latency's live
 * residents are `1990000xxxx` (bench/live.ts), which the people with ids below 10,000 would have had too, so that
 * notify-latency took the first 1,000 bench residents for its own and replaced their sessions.
 */
const RESIDENT_PHONE = '198';

/**
 * Kept databases from before RESIDENT_PHONE: moves the bench residents' phones out of notify-latency's range
 * (called by both preparations; a no-op once done).
 */
export async function separateResidentPhones(db: Database['db']): Promise<void> {
  await sql`
    UPDATE accounts SET phone = ${RESIDENT_PHONE} || substr(phone, 4)
     WHERE kind = 'resident' AND display_name LIKE ${`${RESIDENT_MARK}%`} AND phone LIKE '199%'`.execute(db);
}

export interface CaseTarget {
  id: number;
}

export interface Resident {
  accountId: number;
  token: string;
  csrf: string;
}

export interface WritesSetup {
  supervisor: {
    accountId: number;
    unitId: number;
    displayName: string;
    scopePath: string;
    token: string;
    csrf: string;
  };
  chasePool: number[];
  /** The course of the HTTP run and those of the raw variants (each starts empty). */
  activityId: number;
  rawActivityIds: { writes: number; statements: number };
  residents: Resident[];
}

let current: WritesSetup | null = null;

export function writesSetup(): WritesSetup {
  if (!current) throw new Error('the write workloads were not prepared (prepareWrites)');
  return current;
}

export async function openPrepared(prepared: Prepared): Promise<Database> {
  return prepared.kind === 'postgres'
    ? openDatabase({ databaseUrl: prepared.env.DATABASE_URL as string, dataDir: os.tmpdir(), poolMax: 2 })
    : openDatabase({ dataDir: prepared.env.DATA_DIR as string });
}

const SESSION_CONFIG = { sessionAbsoluteHours: 24 } as Config;

/** Sessions, the chase pool, two fresh courses and the bench residents (created once, reused with --keep). */
export async function prepareWrites(prepared: Prepared): Promise<WritesSetup> {
  const cases = prepared.cases;
  if (!cases) throw new Error('the write workloads need synthetic cases (--cases)');
  const database = await openPrepared(prepared);
  try {
    const { db } = database;
    const supervisorRow = await db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('username', '=', 'district.supervisor')
      .executeTakeFirstOrThrow();
    const district = await db
      .selectFrom('units')
      .select(['id', 'path'])
      .where('id', '=', cases.districtId)
      .executeTakeFirstOrThrow();
    const supervisorSession = await createSession(db, SESSION_CONFIG, supervisorRow.id, '127.0.0.1', 'bench');
    const pool = await db
      .selectFrom('cases')
      .select('id')
      .where('state', 'in', [...ACTIVE_STATES])
      .where('territory_path', 'like', `${district.path}%`)
      .orderBy('id', 'desc')
      .limit(CHASE_POOL)
      .execute();
    if (pool.length < 200) console.warn(`  transitions: only ${pool.length} active cases to chase`);

    // The bench residents: accounts for people of the district without one (their home is their unit).
    await separateResidentPhones(db);
    const benchResidents = () =>
      db
        .selectFrom('accounts')
        .select('id')
        .where('display_name', 'like', `${RESIDENT_MARK}%`)
        .orderBy('id')
        .limit(RESIDENTS)
        .execute();
    let residents = await benchResidents();
    if (residents.length < RESIDENTS) {
      await sql`
        INSERT INTO accounts (kind, phone, person_id, display_name)
        SELECT 'resident', ${RESIDENT_PHONE} || lpad((p.id % 100000000)::text, 8, '0'), p.id, ${RESIDENT_MARK} || p.id
          FROM people p JOIN units u ON u.id = p.unit_id
         WHERE u.path LIKE ${`${district.path}%`}
           AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
           AND NOT EXISTS (
             SELECT 1 FROM accounts a WHERE a.phone = ${RESIDENT_PHONE} || lpad((p.id % 100000000)::text, 8, '0'))
         ORDER BY p.id
         LIMIT ${RESIDENTS - residents.length}`.execute(db);
      residents = await benchResidents();
    }
    if (residents.length < RESIDENTS) throw new Error(`only ${residents.length} residents for enrolment`);
    const withSessions: Resident[] = [];
    for (const r of residents) {
      const s = await createSession(db, SESSION_CONFIG, r.id, '127.0.0.1', 'bench');
      withSessions.push({ accountId: r.id, token: s.token, csrf: s.csrfToken });
    }
    const course = async (title: string) => {
      const now = Date.now();
      const row = await db
        .insertInto('activities')
        .values({
          unit_id: district.id,
          kind: 'course',
          title,
          venue: '街道党群服务中心',
          starts_at: new Date(now + 7 * 86_400_000),
          ends_at: new Date(now + 7 * 86_400_000 + 7_200_000),
          capacity: CAPACITY,
          waitlist_capacity: RESIDENTS,
          check_in_code: `bench${now}${Math.random().toString(36).slice(2, 12)}`,
          created_by: supervisorRow.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const stamp = new Date().toISOString().slice(0, 19);
    // transitions:escalate's grid workers, their sessions and case pools (bench/escalate.ts).
    await prepareEscalate(db, district.path, SESSION_CONFIG);
    current = {
      supervisor: {
        accountId: supervisorRow.id,
        unitId: district.id,
        displayName: supervisorRow.display_name,
        scopePath: district.path,
        token: supervisorSession.token,
        csrf: supervisorSession.csrfToken,
      },
      chasePool: pool.map((p) => p.id),
      activityId: await course(`社区大学·热门课（压测 ${stamp}）`),
      rawActivityIds: {
        writes: await course(`社区大学·热门课（压测直连 ${stamp}）`),
        statements: await course(`社区大学·热门课（压测直连全语句 ${stamp}）`),
      },
      residents: withSessions,
    };
    return current;
  } finally {
    await database.close();
  }
}

interface Scenario {
  workload: string;
  description: string;
  connections: number;
  options: Partial<autocannon.Options>;
}

let chaseNext = 0;

/** `transitions` and `transitions:single`: POST /api/cases/:id/transitions {action: chase} round the pool. */
export function transitionScenarios(): Scenario[] {
  const setup = writesSetup();
  const pool = setup.chasePool;
  if (pool.length === 0) throw new Error('no active cases to chase');
  const headers = {
    cookie: `linli_sid=${setup.supervisor.token}`,
    'x-csrf-token': setup.supervisor.csrf,
    'content-type': 'application/json',
  };
  const chase: Scenario[] = TRANSITION_CONNECTIONS.map((connections) => ({
    workload: connections === 1 ? 'transitions:single' : 'transitions',
    description:
      `POST /api/cases/:id/transitions {action: chase} as the district supervisor, round robin over the district's ` +
      `${pool.length.toLocaleString('en-US')} newest active cases: one transaction locks the case, appends the ` +
      'event, bumps the case row and writes the outbox message to the owner (and lead); the response reads the ' +
      'case back',
    connections,
    options: {
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const id = pool[chaseNext++ % pool.length];
            return {
              ...request,
              path: `/api/cases/${id}/transitions`,
              headers: { ...request.headers, ...headers },
              body: JSON.stringify({ action: 'chase', note: '请尽快办理' }),
            };
          },
        },
      ],
    },
  }));
  // And the state-changing transitions:escalate (bench/escalate.ts).
  return [...chase, ...escalateScenarios()];
}

let httpTurns: EnrolmentTurns | null = null;

export function enrolmentScenarios(): Scenario[] {
  const setup = writesSetup();
  const turns = new EnrolmentTurns(setup.residents.length, LIVE_TARGET);
  httpTurns = turns;
  const path = `/api/me/activities/${setup.activityId}/enrolment`;
  // Enrolments sent and not yet answered: their cancels wait (EnrolmentTurns.next). One request is in flight per
  // connection, so more than ENROLMENT_CONNECTIONS outstanding means a new autocannon run (the measured one after
  // the warm-up, whose requests still in flight when it stopped are never answered): forget the old ones.
  const unanswered = new Set<number>();
  let outstanding = 0;
  const settled = (resident: number) => !unanswered.has(resident);
  return [
    {
      workload: 'enrolment',
      description:
        `POST (enrol) and DELETE (cancel) ${path} by ${setup.residents.length.toLocaleString('en-US')} residents ` +
        `with their own sessions, one course of ${CAPACITY} places and a waiting list: first ${LIVE_TARGET} ` +
        'enrol, then cancels of the oldest enrolments (promoting the first waiting) alternate with new enrolments',
      connections: ENROLMENT_CONNECTIONS,
      options: {
        requests: [
          {
            method: 'POST',
            setupRequest: (request, context: { resident?: number }) => {
              if (outstanding >= ENROLMENT_CONNECTIONS) {
                unanswered.clear();
                outstanding = 0;
              }
              outstanding += 1;
              const { resident, action } = turns.next(settled);
              const r = setup.residents[resident]!;
              if (action === 'enrol') unanswered.add(resident);
              context.resident = resident;
              return {
                ...request,
                method: action === 'enrol' ? 'POST' : 'DELETE',
                path,
                headers: { ...request.headers, cookie: `linli_sid=${r.token}`, 'x-csrf-token': r.csrf },
              };
            },
            // One request in flight per connection: the context names the resident of this answer.
            onResponse: (_status, _body, context: { resident?: number }) => {
              outstanding = Math.max(0, outstanding - 1);
              if (context.resident !== undefined) unanswered.delete(context.resident);
            },
          },
        ],
      },
    },
  ];
}

export interface EnrolmentCheck {
  ok: boolean;
  summary: string;
}

/** The invariant of one course: never overbooked, counters = rows, the waiting list in one gapless order. */
export async function checkEnrolment(db: Database['db'], activityId: number, expectedLive: number | null) {
  const { rows } = await sql<{
    capacity: number;
    waitlist_capacity: number;
    enrolled_count: number;
    waiting_count: number;
    waiting_seq: number;
    enrolled: string;
    waiting: string;
    cancelled: string;
    distinct_seq: string;
    max_seq: number | null;
    live_accounts: string;
  }>`
    SELECT a.capacity, a.waitlist_capacity, a.enrolled_count, a.waiting_count, a.waiting_seq,
           count(*) FILTER (WHERE e.status = 'enrolled') AS enrolled,
           count(*) FILTER (WHERE e.status = 'waiting') AS waiting,
           count(*) FILTER (WHERE e.status = 'cancelled') AS cancelled,
           count(DISTINCT e.waiting_seq) FILTER (WHERE e.status = 'waiting') AS distinct_seq,
           max(e.waiting_seq) FILTER (WHERE e.status = 'waiting') AS max_seq,
           count(DISTINCT e.account_id) FILTER (WHERE e.status IN ('enrolled', 'waiting')) AS live_accounts
      FROM activities a LEFT JOIN enrolments e ON e.activity_id = a.id
     WHERE a.id = ${activityId}
     GROUP BY a.id`.execute(db);
  const r = rows[0]!;
  const enrolled = Number(r.enrolled);
  const waiting = Number(r.waiting);
  const problems: string[] = [];
  if (r.enrolled_count > r.capacity) problems.push(`enrolled ${r.enrolled_count} > capacity ${r.capacity}`);
  if (r.enrolled_count !== enrolled) problems.push(`enrolled_count ${r.enrolled_count} ≠ ${enrolled} rows`);
  if (r.waiting_count !== waiting) problems.push(`waiting_count ${r.waiting_count} ≠ ${waiting} rows`);
  if (Number(r.distinct_seq) !== waiting) problems.push('two waiting residents share a waiting-list number');
  if (r.max_seq !== null && r.max_seq > r.waiting_seq) problems.push('a waiting number above the last handed out');
  if (waiting > 0 && enrolled < r.capacity) problems.push(`${waiting} waiting while ${r.capacity - enrolled} free`);
  if (Number(r.live_accounts) !== enrolled + waiting) problems.push('a resident holds two live enrolments');
  // The requests still in flight when autocannon stopped may or may not have been taken.
  if (expectedLive !== null && Math.abs(enrolled + waiting - expectedLive) > ENROLMENT_CONNECTIONS)
    problems.push(`${enrolled + waiting} live enrolments, the requests sent left ${expectedLive}`);
  const rowsSummary = `${enrolled}/${r.capacity} enrolled, ${waiting} waiting, ${Number(r.cancelled)} cancelled`;
  return {
    ok: problems.length === 0,
    summary: problems.length
      ? `${problems.join('; ')} (rows: ${rowsSummary})`
      : `${rowsSummary}; ≤ capacity, counters = rows, waiting positions 1–${waiting} gapless ✓`,
  };
}

/**
 * After the run (server stopped): checks both courses and notes the result in the enrolment measurements'
 * descriptions (and on the console, with a clear FAIL).
 */
export async function checkWrites(prepared: Prepared, measurements: Measurement[]): Promise<void> {
  noteEscalations(measurements); // bench/escalate.ts: pools used up?
  if (!current) return;
  const http = measurements.find((m) => m.workload === 'enrolment');
  const raws = (['writes', 'statements'] as const).map(
    (v) => [measurements.find((m) => m.workload === `enrolment-raw:${v}`), current!.rawActivityIds[v], null] as const,
  );
  if (!http && !raws.some(([m]) => m)) return;
  const database = await openPrepared(prepared);
  try {
    for (const [m, activityId, live] of [
      [http, current.activityId, http && http.non2xx === 0 && http.errors === 0 ? (httpTurns?.live() ?? null) : null],
      ...raws,
    ] as const) {
      if (!m) continue;
      const check = await checkEnrolment(database.db, activityId, live);
      const line = `invariant ${check.ok ? 'OK' : 'FAIL'}: ${check.summary}`;
      m.description += ` — ${line}`;
      if (check.ok) console.log(`  ${m.workload}: ${line}`);
      else console.error(`  ✗ ${m.workload}: ${line}`);
    }
  } finally {
    await database.close();
  }
}

/** The raw sides (bench/raw-writes.ts runs them in bench/raw.ts's process), as workloads.ts's RawScenario. */
export function rawWriteScenarios(
  name: 'transitions-raw' | 'enrolment-raw',
  db: string,
): Array<{ workload: string; description: string; connections: number; scenario: RawWritesScenario }> {
  const setup = writesSetup();
  const workers = (n: number) => (n === 1 ? '1 worker' : `${n} workers`);
  const suffix = (n: number) => (n === 1 ? ':single' : '');
  if (name === 'transitions-raw') {
    const chase: ReturnType<typeof rawWriteScenarios> = TRANSITION_CONNECTIONS.flatMap((connections) =>
      (['writes', 'statements'] as const).map((variant) => ({
        workload: `transitions-raw:${variant}${suffix(connections)}`,
        description:
          (variant === 'writes'
            ? "the chase transaction's writes, as the app issues them: BEGIN; SELECT … FOR UPDATE of the case; " +
              'INSERT case_events; UPDATE cases; INSERT outbox; COMMIT'
            : "every statement of the app's chase transaction (the writes plus its reads: the case locked, its " +
              'units, case type, assignments, time limit…)') +
          ` — round robin over the same ${setup.chasePool.length.toLocaleString('en-US')} cases, ${workers(connections)}, ${db}`,
        connections,
        scenario: {
          type: 'writes',
          workload: 'transitions',
          variant,
          caseIds: setup.chasePool,
          supervisor: setup.supervisor,
        },
      })),
    );
    return [...chase, ...rawEscalateScenarios(db)]; // transitions-raw:escalate:… (bench/escalate.ts)
  }
  return (['writes', 'statements'] as const).map((variant) => ({
    workload: `enrolment-raw:${variant}`,
    description:
      (variant === 'writes'
        ? 'enrol: the guarded UPDATE activities … WHERE enrolled_count < capacity (else the waiting-list one) and ' +
          'INSERT enrolments; cancel: the activity locked, UPDATE enrolments, UPDATE activities, and for a place ' +
          'the first waiting promoted (UPDATE enrolments, UPDATE activities, INSERT outbox)'
        : 'the same with the reads of the app (home, the activity as the resident sees it, my enrolment)') +
      ` — same turns as enrolment, on a course of its own, ${workers(ENROLMENT_CONNECTIONS)}, ${db}`,
    connections: ENROLMENT_CONNECTIONS,
    scenario: {
      type: 'writes',
      workload: 'enrolment',
      variant,
      activityId: setup.rawActivityIds[variant],
      accountIds: setup.residents.map((r) => r.accountId),
      liveTarget: LIVE_TARGET,
    },
  }));
}
