import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import { Random } from '../src/server/demo/random.ts';
import type { SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { type CaseSetup, intakeBody, nextIntake } from './cases.ts';
import { runBenchProcess } from './child.ts';
import type { H5LoadSample } from './h5.ts';
import type { InstancesDetails } from './instances.ts';
import type { NotifyLatencyDetails } from './live.ts';
import type { PageLoadDetails } from './pages.ts';
import type { Prepared } from './prepare.ts';
import type { RawConfig, RawResult } from './raw.ts';
import { readHttpScenarios, readRawScenarios } from './reads.ts';
import type { RunningServer } from './server.ts';
import { type distribution, latencySummary } from './tti.ts';
import { enrolmentScenarios, rawWriteScenarios, transitionScenarios } from './writes.ts';

export const WORKLOADS = [
  'login',
  'units-within',
  'people-list',
  'intake',
  'intake-raw',
  'worklist',
  'three-rates',
  'page-load',
  'h5-load',
  'case-detail',
  'search',
  'dashboard',
  'rankings',
  'transitions',
  'transitions-raw',
  'enrolment',
  'enrolment-raw',
  'sweep',
  'export',
  'notify-latency',
  'instances',
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

/** Workloads that need the synthetic cases (`--cases`). */
export const CASE_WORKLOADS: readonly WorkloadName[] = [
  'intake',
  'intake-raw',
  'worklist',
  'three-rates',
  'page-load',
  'case-detail',
  'search',
  'dashboard',
  'rankings',
  'transitions',
  'transitions-raw',
  'enrolment',
  'enrolment-raw',
  'sweep',
  'export',
  'instances',
];
/** Workloads with a raw-SQL part, measured before the server starts (the embedded data directory is free then). */
export const RAW_WORKLOADS: readonly WorkloadName[] = [
  'intake-raw',
  'worklist',
  'three-rates',
  'case-detail',
  'search',
  'dashboard',
  'rankings',
  'transitions-raw',
  'enrolment-raw',
];

/** Connections of the intake workloads (HTTP and raw). */
export const INTAKE_CONNECTIONS = 50;
/**
 * The read workloads (worklists, three-rates) run twice: with one connection (the time one request takes
 * with the server otherwise idle; suffix `:single`) and with 10 (under load, as the people lists).
 */
const QUERY_CONNECTIONS = [1, 10] as const;
const suffix = (connections: number) => (connections === 1 ? ':single' : '');
const workers = (connections: number) => (connections === 1 ? '1 worker' : `${connections} workers`);
/** The app's pool size (DB_POOL_MAX, default 10): the raw PostgreSQL runs use a pool as large. */
export const POOL_MAX = Number(process.env.DB_POOL_MAX || 10);

export interface Measurement {
  workload: string;
  /** Through the API (autocannon against the server), the same SQL sent straight to the database, or console
   * pages loaded in headless Chromium (`page-load`: latencies are times to interactive, no req/s). */
  via: 'http' | 'raw' | 'browser';
  description: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Of the server (HTTP), or of the raw process on the embedded database (PGlite runs inside it); null for the
   * raw process on PostgreSQL, which is only a client. */
  rssPeakMiB: number | null;
  rssEndMiB: number | null;
  /** page-load only: every figure of the loads (bench/pages.ts). */
  pageLoad?: PageLoadDetails;
  /** h5-load only: transfer sizes, first paints and request counts of the loads (bench/h5.ts). */
  h5Load?: {
    transferredKiB: ReturnType<typeof distribution>;
    fcpMs: ReturnType<typeof distribution>;
    requests: ReturnType<typeof distribution>;
    samples: H5LoadSample[];
  };
  /** notify-latency only: messages expected, delivered, missing and duplicated (bench/live.ts). */
  notifyLatency?: NotifyLatencyDetails;
  /** instances only: the once-only checks of the background work with two instances (bench/instances.ts). */
  instances?: InstancesDetails;
  /** sweep only: open cases, items drained, per-sweep times, claim plans (bench/sweep.ts). */
  sweep?: Record<string, unknown>;
  /** export only: rows, bytes, times, the server's RSS before and during each export (bench/export.ts). */
  export?: Record<string, unknown>;
}

/** One measured run: a path (or request set) hammered by a fixed number of connections. */
interface Scenario {
  workload: string;
  description: string;
  connections: number;
  options: Partial<autocannon.Options>;
}

let ipCounter = 0;
/** A different client address per request (10.x.y.z), so the per-IP sign-in limit does not kick in. */
function nextClientIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

async function signInWithToken(baseUrl: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextClientIp() },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('linli_sid='));
  if (!cookie) throw new Error(`no session cookie for ${username}`);
  const { session } = (await response.json()) as { session: { csrfToken: string } };
  return { cookie: cookie.split(';')[0] as string, csrf: session.csrfToken };
}

async function signIn(baseUrl: string, username: string): Promise<string> {
  return (await signInWithToken(baseUrl, username)).cookie;
}

async function getJson(baseUrl: string, path: string, cookie: string) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { total: number };
}

function caseSetupOf(cases: CaseSetup | null): CaseSetup {
  if (!cases) throw new Error('the case workloads need synthetic cases (--cases)');
  return cases;
}

const PAGE_SIZE = 20;

async function scenarios(
  name: WorkloadName,
  baseUrl: string,
  logins: SyntheticLogin[],
  cases: CaseSetup | null,
): Promise<Scenario[]> {
  const login = (role: string) => {
    const found = logins.find((l) => l.role === role);
    if (!found) throw new Error(`no bench login with role ${role}`);
    return found;
  };
  switch (name) {
    case 'login':
      // Argon2id costs ~40 ms of one core per sign-in, so a handful of connections saturates the server.
      return [
        {
          workload: 'login',
          description: 'POST /api/auth/login (argon2id verify, session + audit insert)',
          connections: 4,
          options: {
            requests: [
              {
                method: 'POST',
                path: '/api/auth/login',
                setupRequest: (request) => ({
                  ...request,
                  headers: {
                    ...request.headers,
                    'content-type': 'application/json',
                    'x-forwarded-for': nextClientIp(),
                  },
                  body: JSON.stringify({ username: login('communityWorker').username, password: DEMO_PASSWORD }),
                }),
              },
            ],
          },
        },
      ];
    case 'units-within': {
      const admin = login('districtAdmin');
      const cookie = await signIn(baseUrl, admin.username);
      return [
        {
          workload: 'units-within',
          description: `GET /api/units?within=<district>&pageSize=${PAGE_SIZE} as district admin`,
          connections: 10,
          options: { url: `${baseUrl}/api/units?within=${admin.unitId}&pageSize=${PAGE_SIZE}`, headers: { cookie } },
        },
      ];
    }
    case 'people-list': {
      const out: Scenario[] = [];
      for (const [role, label] of [
        ['communityWorker', 'community worker'],
        ['districtAdmin', 'district admin'],
      ] as const) {
        const who = login(role);
        const cookie = await signIn(baseUrl, who.username);
        const first = `/api/people?page=1&pageSize=${PAGE_SIZE}`;
        const { total } = await getJson(baseUrl, first, cookie);
        const deepPage = Math.max(1, Math.floor((total - 1) / PAGE_SIZE));
        const key = role === 'communityWorker' ? 'community' : 'district';
        out.push(
          {
            workload: `people-list:${key}:page1`,
            description: `GET ${first} as ${label} (${total} people in scope)`,
            connections: 10,
            options: { url: `${baseUrl}${first}`, headers: { cookie } },
          },
          {
            workload: `people-list:${key}:deep`,
            description: `GET /api/people?page=${deepPage}&pageSize=${PAGE_SIZE} as ${label} (offset ${(deepPage - 1) * PAGE_SIZE})`,
            connections: 10,
            options: { url: `${baseUrl}/api/people?page=${deepPage}&pageSize=${PAGE_SIZE}`, headers: { cookie } },
          },
        );
      }
      return out;
    }
    case 'intake': {
      const setup = caseSetupOf(cases);
      const { cookie, csrf } = await signInWithToken(baseUrl, login('hotlineOperator').username);
      const random = new Random(42);
      return [1, INTAKE_CONNECTIONS].map((connections) => ({
        workload: `intake${suffix(connections)}`,
        description:
          'POST /api/cases as a hotline operator of the whole territory: a category and a point in a random grid, so one ' +
          'transaction writes the case, its intake and classify events, the grid assignment, the outbox message and ' +
          'the statistics (then the response reads the case back)',
        connections,
        options: {
          requests: [
            {
              method: 'POST',
              path: '/api/cases',
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
                body: JSON.stringify(intakeBody(nextIntake(random, setup.intake))),
              }),
            },
          ],
        },
      }));
    }
    case 'worklist': {
      const setup = caseSetupOf(cases);
      const out: Scenario[] = [];
      for (const [key, role, label] of [
        ['worklist:toHandle', 'gridWorker', 'the grid worker of the busiest grid'],
        ['worklist:overdue', 'supervisor', 'a district supervisor'],
      ] as const) {
        const who = logins.find((l) => l.role === role && (role !== 'gridWorker' || l.unitId === setup.busiestGridId));
        if (!who) throw new Error(`no bench login for ${label}`);
        const cookie = await signIn(baseUrl, who.username);
        const url = setup.paths[key] as string;
        const { total } = await getJson(baseUrl, url, cookie);
        for (const connections of QUERY_CONNECTIONS) {
          out.push({
            workload: `${key}${suffix(connections)}`,
            description: `GET ${url} as ${label} (${total.toLocaleString('en-US')} cases in the list)`,
            connections,
            options: { url: `${baseUrl}${url}`, headers: { cookie } },
          });
        }
      }
      return out;
    }
    case 'three-rates': {
      const setup = caseSetupOf(cases);
      const cookie = await signIn(baseUrl, login('supervisor').username);
      const out: Scenario[] = [];
      for (const key of ['three-rates:year', 'three-rates:month']) {
        const url = setup.paths[key] as string;
        const probe = await fetch(`${baseUrl}${url}`, { headers: { cookie } });
        if (probe.status !== 200) {
          console.warn(`  ${key}: GET ${url} answered ${probe.status}: not measured (${await probe.text()})`);
          continue;
        }
        for (const connections of QUERY_CONNECTIONS) {
          out.push({
            workload: `${key}${suffix(connections)}`,
            description: `GET ${url} as a district supervisor (sums of the daily rollups)`,
            connections,
            options: { url: `${baseUrl}${url}`, headers: { cookie } },
          });
        }
      }
      return out;
    }
    case 'case-detail': // bench/reads.ts
    case 'search':
    case 'dashboard':
    case 'rankings':
      return readHttpScenarios(name, baseUrl, caseSetupOf(cases).reads, signIn, QUERY_CONNECTIONS);
    case 'transitions': // bench/writes.ts
      return transitionScenarios();
    case 'enrolment':
      return enrolmentScenarios();
    case 'intake-raw':
    case 'transitions-raw':
    case 'enrolment-raw':
    case 'page-load': // bench/pages.ts, in a browser
    case 'h5-load': // bench/h5.ts, in a browser
    case 'notify-latency': // bench/live.ts
    case 'instances': // bench/instances.ts, on servers of its own
    case 'sweep': // bench/sweep.ts, in a process of its own with the server stopped
    case 'export': // bench/export.ts
      return [];
  }
}

/** autocannon's result and every response's latency (ms): autocannon's own percentiles stop at p90 and p97.5. */
export interface Fired {
  result: autocannon.Result;
  latencies: number[];
  /** Seconds from the start to the last response (autocannon's own duration ends on its 1-second tick). */
  activeSeconds?: number;
}

export function fire(
  baseUrl: string | string[],
  scenario: { connections: number; options: Partial<autocannon.Options> },
  seconds: number,
): Promise<Fired> {
  const latencies: number[] = [];
  const started = performance.now();
  let last = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl as string, // autocannon spreads the connections over an array of URLs (its types say string)
        connections: scenario.connections,
        duration: seconds,
        timeout: 30,
        ...scenario.options,
      },
      (error, result) =>
        error ? reject(error) : resolve({ result, latencies, activeSeconds: (last - started) / 1000 }),
    );
    instance.on('response', (_client, _status, _bytes, responseTime: number) => {
      last = performance.now();
      latencies.push(responseTime);
    });
  });
}

/** The measurement of one HTTP scenario from its fired run and the server's RSS. */
export function httpMeasurement(
  scenario: { workload: string; description: string; connections: number },
  fired: Fired,
  durationSeconds: number,
  rss: { peakMiB: number; lastMiB: number },
): Measurement {
  const { result, latencies } = fired;
  // A run that stopped early (a one-use pool used up, bench/escalate.ts) ran until its last response.
  const ran =
    result.duration && result.duration < durationSeconds - 0.05
      ? Math.max(fired.activeSeconds ?? result.duration, 0.001)
      : durationSeconds;
  return {
    workload: scenario.workload,
    via: 'http',
    description: scenario.description,
    connections: scenario.connections,
    durationSeconds,
    requestsPerSecond: result.requests.total / ran,
    latencyMs: latencySummary(latencies),
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rssPeakMiB: Math.round(rss.peakMiB),
    rssEndMiB: Math.round(rss.lastMiB),
  };
}

/** Runs every scenario of a workload: a warm-up (discarded), then the measured run with RSS sampling. */
export async function runWorkload(
  name: WorkloadName,
  server: RunningServer,
  logins: SyntheticLogin[],
  durationSeconds: number,
  warmupSeconds: number,
  cases: CaseSetup | null = null,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const scenario of await scenarios(name, server.baseUrl, logins, cases)) {
    if (warmupSeconds > 0) await fire(server.baseUrl, scenario, warmupSeconds);
    server.resetRss();
    const fired = await fire(server.baseUrl, scenario, durationSeconds);
    out.push(httpMeasurement(scenario, fired, durationSeconds, server.rss()));
  }
  return out;
}

interface RawScenario {
  workload: string;
  description: string;
  connections: number;
  scenario: RawConfig['scenario'];
}

function rawScenarios(name: WorkloadName, kind: Prepared['kind'], setup: CaseSetup): RawScenario[] {
  const db =
    kind === 'postgres'
      ? `pg.Pool of ${POOL_MAX} (the app's DB_POOL_MAX)`
      : "PGlite, one connection: the workers queue for it, one at a time, as at the app's connection mutex";
  const sql = (key: string, what: string): RawScenario[] => {
    const set = setup.queries[key];
    if (!set) throw new Error(`no captured SQL for ${key}`);
    return QUERY_CONNECTIONS.map((connections) => ({
      workload: `${key}:sql${suffix(connections)}`,
      description:
        `the ${set.queries.length} statement(s) the app runs for ${setup.paths[key]} (${what}), compiled from the ` +
        `app's own query code${set.parallel ? ', sent in parallel as the service does' : ''}; ` +
        `${workers(connections)}, ${db}`,
      connections,
      scenario: { type: 'queries', set },
    }));
  };
  switch (name) {
    case 'intake-raw':
      return [INTAKE_CONNECTIONS, 1].flatMap((connections): RawScenario[] => [
        {
          workload: `intake-raw:writes${suffix(connections)}`,
          description:
            `the intake transaction's writes, as the app issues them: BEGIN; INSERT cases; INSERT case_events (intake); ` +
            `upsert case_stats_daily; INSERT case_events (classify); INSERT case_assignments; UPDATE cases; INSERT ` +
            `outbox; upsert case_stats_daily (2 rows); COMMIT — ${workers(connections)}, ${db}`,
          connections,
          scenario: { type: 'intake', variant: 'writes', operator: setup.operator, targets: setup.intake },
        },
        {
          workload: `intake-raw:statements${suffix(connections)}`,
          description:
            `every statement of the app's intake transaction (the writes plus its reads: case type with category, the ` +
            `grid holding the point, unit, case number, the case locked with its context, category, time limit — 15 in ` +
            `all) — ${workers(connections)}, ${db}`,
          connections,
          scenario: { type: 'intake', variant: 'statements', operator: setup.operator, targets: setup.intake },
        },
      ]);
    case 'worklist':
      return [
        ...sql('worklist:toHandle', 'the busiest grid worker'),
        ...sql('worklist:overdue', 'a district supervisor'),
      ];
    case 'three-rates':
      return [
        ...sql('three-rates:year', 'a district supervisor'),
        ...sql('three-rates:month', 'a district supervisor'),
      ];
    case 'case-detail': // bench/reads.ts
    case 'search':
    case 'dashboard':
    case 'rankings':
      return readRawScenarios(name, setup.reads, db, QUERY_CONNECTIONS);
    case 'transitions-raw': // bench/writes.ts
    case 'enrolment-raw':
      return rawWriteScenarios(name, db);
    default:
      return [];
  }
}

/** Runs bench/raw.ts as its own process, sampling its RSS while it measures. */
function runRaw(config: RawConfig): Promise<{ result: RawResult; rssPeakMiB: number; rssEndMiB: number }> {
  return runBenchProcess<RawResult>('raw.ts', config, { waitForMeasuring: true });
}

/** The raw-SQL scenarios of a workload, each in its own process, with the server not running. */
export async function runRawWorkload(
  name: WorkloadName,
  prepared: Prepared,
  durationSeconds: number,
  warmupSeconds: number,
): Promise<Measurement[]> {
  const setup = caseSetupOf(prepared.cases);
  const out: Measurement[] = [];
  for (const raw of rawScenarios(name, prepared.kind, setup)) {
    console.log(`  ${raw.workload}: ${warmupSeconds} s warm-up, ${durationSeconds} s measured …`);
    const { result, rssPeakMiB, rssEndMiB } = await runRaw({
      kind: prepared.kind,
      ...(prepared.kind === 'postgres'
        ? { databaseUrl: prepared.env.DATABASE_URL as string }
        : { dataDir: prepared.env.DATA_DIR as string }),
      poolMax: POOL_MAX,
      connections: raw.connections,
      durationSeconds,
      warmupSeconds,
      scenario: raw.scenario,
    });
    if (result.firstError) console.warn(`  ${raw.workload}: ${result.errors} errors, first: ${result.firstError}`);
    out.push({
      workload: raw.workload,
      via: 'raw',
      description: raw.description,
      connections: raw.connections,
      durationSeconds,
      requestsPerSecond: result.requestsPerSecond,
      latencyMs: result.latencyMs,
      requests: result.requests,
      errors: result.errors,
      timeouts: 0,
      non2xx: 0,
      rssPeakMiB: prepared.kind === 'embedded' ? Math.round(rssPeakMiB) : null,
      rssEndMiB: prepared.kind === 'embedded' ? Math.round(rssEndMiB) : null,
    });
  }
  return out;
}
