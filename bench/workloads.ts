import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import type { SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import type { RunningServer } from './server.ts';

export const WORKLOADS = ['login', 'units-within', 'people-list'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface Measurement {
  workload: string;
  description: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p97_5: number; p99: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  rssPeakMiB: number;
  rssEndMiB: number;
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

async function signIn(baseUrl: string, username: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextClientIp() },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('linli_sid='));
  if (!cookie) throw new Error(`no session cookie for ${username}`);
  return cookie.split(';')[0] as string;
}

async function getJson(baseUrl: string, path: string, cookie: string) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { total: number };
}

const PAGE_SIZE = 20;

async function scenarios(name: WorkloadName, baseUrl: string, logins: SyntheticLogin[]): Promise<Scenario[]> {
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
  }
}

function fire(baseUrl: string, scenario: Scenario, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    connections: scenario.connections,
    duration: seconds,
    timeout: 30,
    ...scenario.options,
  });
}

/** Runs every scenario of a workload: a warm-up (discarded), then the measured run with RSS sampling. */
export async function runWorkload(
  name: WorkloadName,
  server: RunningServer,
  logins: SyntheticLogin[],
  durationSeconds: number,
  warmupSeconds: number,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const scenario of await scenarios(name, server.baseUrl, logins)) {
    if (warmupSeconds > 0) await fire(server.baseUrl, scenario, warmupSeconds);
    server.resetRss();
    const result = await fire(server.baseUrl, scenario, durationSeconds);
    const rss = server.rss();
    out.push({
      workload: scenario.workload,
      description: scenario.description,
      connections: scenario.connections,
      durationSeconds,
      requestsPerSecond: result.requests.average,
      latencyMs: {
        p50: result.latency.p50,
        p97_5: result.latency.p97_5,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      rssPeakMiB: Math.round(rss.peakMiB),
      rssEndMiB: Math.round(rss.lastMiB),
    });
  }
  return out;
}
