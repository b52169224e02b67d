import type autocannon from 'autocannon';
import { sql } from 'kysely';
import type { Config } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import { createSession } from '../src/server/modules/auth/session.service.ts';
import type { RawEscalateScenario } from './raw-escalate.ts';
import type { Measurement } from './workloads.ts';

/**
 * `transitions:escalate`: grid workers escalating (上报) their grid's `inGrid` cases to the community, the case
 * loop's most common state-changing step (every case a grid does not settle itself takes it). One transaction
 * per request locks the case, reads the community above, finishes the grid's assignment and opens the
 * community's, moves the case (state, owner, time limit), appends the event, adds the day's statistics and writes
 * the outbox message; the response reads the case back. A case escalated is no longer `inGrid`, so each case of
 * the pool is used once; the HTTP run and each raw run have pools of their own, disjoint.
 *
 * `prepareEscalate` (called by bench/writes.ts's `prepareWrites`) makes a grid worker account (role gridWorker
 * in its grid; created once, reused with --keep) for each of the district's ESCALATE_GRIDS grids with the most
 * `inGrid` cases, a session each (inserted as session.service.ts stores them), and deals those grids' `inGrid`
 * cases, taken round robin over the grids, into the pools.
 */

/** Grids whose grid workers escalate (those with the most inGrid cases). */
export const ESCALATE_GRIDS = 50;
/** Cases per pool at most (the round-robin list is dealt into the pools, POOL_SHARES parts of it each). */
const MAX_CASES = 600_000;
const ACCOUNT_PREFIX = 'bench.escalate.';
const REASON = '超出网格处置能力，请社区协调';

export type EscalatePoolName =
  | 'http'
  | 'http:single'
  | 'raw:writes'
  | 'raw:statements'
  | 'raw:writes:single'
  | 'raw:statements:single';

/** How the round-robin list is dealt: out of every 12 cases, so many go to each pool (50 connections get 3). */
const POOL_SHARES: Array<[EscalatePoolName, number]> = [
  ['http', 3],
  ['raw:writes', 3],
  ['raw:statements', 3],
  ['http:single', 1],
  ['raw:writes:single', 1],
  ['raw:statements:single', 1],
];

export interface GridWorker {
  accountId: number;
  unitId: number;
  displayName: string;
  token: string;
  csrf: string;
}

export interface EscalateCase {
  id: number;
  /** Index into `workers`: the grid worker of the case's grid. */
  worker: number;
}

export interface EscalateSetup {
  workers: GridWorker[];
  pools: Record<EscalatePoolName, EscalateCase[]>;
  /** inGrid cases of the chosen grids when prepared (all pools together). */
  total: number;
}

let current: EscalateSetup | null = null;
/** The run's warm-up and measured seconds (bench/run.ts): the warm-up may use its share of each pool, no more. */
let timing = { warmupSeconds: 3, durationSeconds: 10 };

export function setEscalateTiming(warmupSeconds: number, durationSeconds: number): void {
  timing = { warmupSeconds, durationSeconds };
}

/** Cases of a pool the warm-up may use: its share of the run's time, so that the measured run never starts empty. */
function warmupCases(pool: number): number {
  const { warmupSeconds, durationSeconds } = timing;
  return warmupSeconds > 0 ? Math.floor((pool * warmupSeconds) / (warmupSeconds + durationSeconds)) : 0;
}

export function escalateSetup(): EscalateSetup {
  if (!current) throw new Error('transitions:escalate was not prepared (prepareEscalate)');
  return current;
}

/** The grid workers, their sessions and the pools (see the module comment). */
export async function prepareEscalate(
  db: Database['db'],
  districtPath: string,
  sessionConfig: Config,
): Promise<EscalateSetup> {
  // Counted by owner path: an index-only range of cases_owner_path_idx (state, owner_unit_path), even at 20M cases.
  const { rows: grids } = await sql<{ id: number; name: string; n: number }>`
    SELECT u.id, u.name, g.n
      FROM (SELECT owner_unit_path, count(*)::int AS n FROM cases
             WHERE state = 'inGrid' AND owner_unit_path LIKE ${`${districtPath}%`}
             GROUP BY owner_unit_path) g
      JOIN units u ON u.path = g.owner_unit_path AND u.kind = 'grid'
     ORDER BY g.n DESC, u.id
     LIMIT ${ESCALATE_GRIDS}`.execute(db);
  const role = await db.selectFrom('roles').select('id').where('code', '=', 'gridWorker').executeTakeFirstOrThrow();
  const workers: GridWorker[] = [];
  for (const grid of grids) {
    const username = `${ACCOUNT_PREFIX}${grid.id}`;
    let account = await db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!account) {
      account = await db
        .insertInto('accounts')
        .values({ kind: 'staff', username, display_name: `${grid.name}·压测网格员` })
        .returning(['id', 'display_name'])
        .executeTakeFirstOrThrow();
      await db
        .insertInto('role_grants')
        .values({ account_id: account.id, role_id: role.id, unit_id: grid.id })
        .execute();
    }
    const session = await createSession(db, sessionConfig, account.id, '127.0.0.1', 'bench');
    workers.push({
      accountId: account.id,
      unitId: grid.id,
      displayName: account.display_name,
      token: session.token,
      csrf: session.csrfToken,
    });
  }
  const workerOf = new Map(workers.map((w, i) => [w.unitId, i]));
  // Round robin over the grids: every grid's newest case, then every grid's second newest, …
  const { rows } = await sql<{ id: number; owner_unit_id: number }>`
    SELECT id, owner_unit_id FROM (
      SELECT id, owner_unit_id, row_number() OVER (PARTITION BY owner_unit_id ORDER BY id DESC) AS rn
        FROM cases
       WHERE state = 'inGrid' AND owner_unit_id = ANY(${workers.map((w) => w.unitId)}::int[])
    ) c
    ORDER BY rn, owner_unit_id
    LIMIT ${MAX_CASES}`.execute(db);
  const deal: EscalatePoolName[] = POOL_SHARES.flatMap(([name, share]) => Array<EscalatePoolName>(share).fill(name));
  const pools = Object.fromEntries(POOL_SHARES.map(([name]) => [name, [] as EscalateCase[]])) as Record<
    EscalatePoolName,
    EscalateCase[]
  >;
  rows.forEach((r, i) => {
    pools[deal[i % deal.length]!].push({ id: Number(r.id), worker: workerOf.get(Number(r.owner_unit_id))! });
  });
  if (rows.length < 1000) console.warn(`  transitions:escalate: only ${rows.length} inGrid cases in the top grids`);
  current = { workers, pools, total: rows.length };
  return current;
}

interface Scenario {
  workload: string;
  description: string;
  connections: number;
  options: Partial<autocannon.Options>;
}

const n = (x: number) => x.toLocaleString('en-US');

function poolLine(setup: EscalateSetup, pool: EscalateCase[]): string {
  const grids = new Set(pool.map((c) => c.worker)).size;
  return (
    `a pool of ${n(pool.length)} inGrid cases of their ${grids} grids, round robin over the grids, each escalated ` +
    `once (of ${n(setup.total)} dealt into the HTTP and raw pools); requests = cases escalated, and a run that ` +
    'empties its pool stops there'
  );
}

/**
 * `transitions:escalate` (50 connections) and `transitions:escalate:single`: POST /api/cases/:id/transitions
 * {action: escalate} by the case's grid worker. autocannon stops after as many requests as the pool has left
 * (`maxOverallRequests`, read when each run — the warm-up, then the measured one — starts).
 */
export function escalateScenarios(): Scenario[] {
  const setup = escalateSetup();
  return ([50, 1] as const).flatMap((connections) => {
    const pool = setup.pools[connections === 1 ? 'http:single' : 'http'];
    if (pool.length === 0) {
      console.warn(
        `  transitions:escalate: no inGrid cases left to escalate (${connections === 1 ? 'one connection' : `${connections} connections`}) — skipped`,
      );
      return [];
    }
    let next = 0;
    let fires = 0;
    const warmup = warmupCases(pool.length);
    // Read once per run, as fire() spreads the options: the warm-up (first, when there is one) gets its share.
    const quota = () => {
      const left = pool.length - next;
      return fires++ === 0 && timing.warmupSeconds > 0 ? Math.min(left, Math.max(warmup, 1)) : left;
    };
    let runQuota = 0;
    const options: Partial<autocannon.Options> = {
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            // Past the end (only when a run starts with fewer cases left than connections) the last case is
            // asked again: a 409, counted as non-2xx.
            const c = pool[Math.min(next++, pool.length - 1)]!;
            const w = setup.workers[c.worker]!;
            return {
              ...request,
              path: `/api/cases/${c.id}/transitions`,
              headers: {
                ...request.headers,
                cookie: `linli_sid=${w.token}`,
                'x-csrf-token': w.csrf,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ action: 'escalate', reason: REASON }),
            };
          },
        },
      ],
    };
    // fire() spreads the options over its defaults: a run gets as many requests as the pool has left for it, and
    // no more connections than that (autocannon gives every connection at least one request).
    Object.defineProperty(options, 'maxOverallRequests', {
      enumerable: true,
      get: () => {
        runQuota = quota();
        return Math.max(runQuota, 1);
      },
    });
    Object.defineProperty(options, 'connections', {
      enumerable: true,
      get: () => Math.max(1, Math.min(connections, runQuota)),
    });
    const scenario: Scenario = {
      workload: connections === 1 ? 'transitions:escalate:single' : 'transitions:escalate',
      description:
        `POST /api/cases/:id/transitions {action: escalate} (上报) by the grid workers of the district's ` +
        `${setup.workers.length} grids with the most inGrid cases, each with its own session, ${poolLine(setup, pool)}: ` +
        "one transaction locks the case, finds the community, finishes the grid's assignment and opens the " +
        "community's, moves the case, appends the event, adds the day's statistics and writes the outbox message; " +
        'the response reads the case back',
      connections,
      options,
    };
    return [scenario];
  });
}

/** The raw sides (bench/raw-escalate.ts), as workloads.ts's RawScenario; each variant a pool of its own. */
export function rawEscalateScenarios(
  db: string,
): Array<{ workload: string; description: string; connections: number; scenario: RawEscalateScenario }> {
  const setup = escalateSetup();
  return ([50, 1] as const).flatMap((connections) =>
    (['writes', 'statements'] as const).map((variant) => {
      const single = connections === 1 ? ':single' : '';
      const pool = setup.pools[`raw:${variant}${single}`];
      return {
        workload: `transitions-raw:escalate:${variant}${single}`,
        description:
          (variant === 'writes'
            ? "the escalate transaction's writes and the reads they need: BEGIN; the case locked (SELECT … FOR " +
              'UPDATE); the community above; UPDATE the open assignments (done); INSERT the community’s; INSERT ' +
              'case_events; UPDATE cases; the statistics upserts; INSERT outbox; COMMIT'
            : "every statement of the app's escalate transaction (the writes plus its other reads: the case's " +
              'units, case type, assignments, time limits…)') +
          ` — ${poolLine(setup, pool)}; ${connections === 1 ? '1 worker' : `${connections} workers`}, ${db}`,
        connections,
        scenario: {
          type: 'writes',
          workload: 'escalate',
          variant,
          cases: pool.map((c) => c.id),
          workerOf: pool.map((c) => c.worker),
          workers: setup.workers.map((w) => ({ accountId: w.accountId, unitId: w.unitId, displayName: w.displayName })),
          reason: REASON,
          warmupSeconds: timing.warmupSeconds,
          warmupCases: warmupCases(pool.length),
        },
      };
    }),
  );
}

/**
 * After the run: notes in each escalate measurement's description (and on the console) whether its pool was used
 * up before the measured seconds were over, and how many cases it escalated.
 */
export function noteEscalations(measurements: Measurement[]): void {
  for (const m of measurements) {
    if (!/^transitions(-raw)?:escalate/.test(m.workload)) continue;
    const seconds = m.requestsPerSecond > 0 ? m.requests / m.requestsPerSecond : 0;
    const line =
      seconds < m.durationSeconds * 0.98
        ? `pool used up after ${seconds.toFixed(1)} of ${m.durationSeconds} s: ${n(m.requests)} cases escalated`
        : `${n(m.requests)} cases escalated in ${m.durationSeconds} s, pool not used up`;
    m.description += ` — ${line}`;
    console.log(`  ${m.workload}: ${line}`);
  }
}
