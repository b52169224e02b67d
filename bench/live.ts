import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { type Database, openDatabase } from '../src/server/db/database.ts';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import { Random } from '../src/server/demo/random.ts';
import type { SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { type CaseSetup, intakeBody, nextIntake } from './cases.ts';
import type { Prepared } from './prepare.ts';
import type { RunningServer } from './server.ts';
import { latencySummary } from './tti.ts';
import type { Measurement } from './workloads.ts';
import { separateResidentPhones } from './writes.ts';

/**
 * `notify-latency`: 1,000 signed-in residents hold `GET /api/notifications/stream` (SSE) open while a system
 * administrator publishes urgent notices to the unit they live in, at a steady rate, through the API. Each notice
 * is one outbox message that the server's deliverer turns into 1,000 inbox rows and pushes to the open streams
 * (PostgreSQL: pg NOTIFY to every instance; embedded: an in-process emitter). Measured per delivered message: the
 * time from sending the POST to the message's arrival on the client.
 */

/** Clients holding a stream open. */
export const LIVE_CLIENTS = Number(process.env.LINLI_BENCH_LIVE_CLIENTS || 1000);
/** Urgent notices published per second during the measured seconds (each fans out to every client). */
const NOTICES_PER_SECOND = Number(process.env.LINLI_BENCH_LIVE_RATE || 2);
/** How long to wait, after the last notice, for its messages to arrive. */
const DRAIN_MS = 30_000;
/** The phones of the bench's live residents: `1990000xxxx`, so a kept database reuses them. */
const PHONE_PREFIX = '1990000';

export interface LiveSetup {
  unitId: number;
  unitName: string;
  /** Session tokens (the `linli_sid` cookie value) of the clients, one per account. */
  tokens: string[];
  accountIds: number[];
  /** The database part of a delivery, measured directly (before the server starts). */
  raw: Measurement[];
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

async function openPrepared(prepared: Prepared): Promise<Database> {
  return openDatabase({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.DATA_DIR ?? '', poolMax: 2 });
}

/**
 * Before the server starts (the embedded data directory is free then): resident accounts for `LIVE_CLIENTS`
 * people of the smallest unit with that many people, each with a session inserted as
 * src/server/modules/auth/session.service.ts stores it (sha256 of the cookie token). Sessions are inserted rather
 * than signed in through the API: 1,000 Argon2id sign-ins would take ~40 s of a core and hit the per-IP limit,
 * and the sign-in is not what this workload measures. Then the raw yardstick.
 */
export async function prepareLive(prepared: Prepared, rawSeconds: number): Promise<LiveSetup> {
  const database = await openPrepared(prepared);
  try {
    const { db } = database;
    // Kept databases where the enrolment residents (bench/writes.ts) still had phones in this range.
    await separateResidentPhones(db);
    const liveAccounts = () =>
      db
        .selectFrom('accounts')
        .select(['id', 'person_id'])
        .where('phone', 'like', `${PHONE_PREFIX}%`)
        .where('display_name', 'like', 'bench live %')
        .where('kind', '=', 'resident')
        .orderBy('id')
        .execute();
    let existing = await liveAccounts();
    if (existing.length < LIVE_CLIENTS) {
      // The smallest unit (of the kinds a notice addresses) with enough people who have no account yet.
      const unit = await sql<{ id: number }>`
        WITH g AS (
          SELECT p.unit_path, count(*)::int AS n FROM people p
          WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) AND p.unit_path IS NOT NULL
          GROUP BY p.unit_path)
        SELECT u.id FROM units u JOIN g ON starts_with(g.unit_path, u.path)
        WHERE u.kind IN ('district', 'street', 'town', 'community', 'village', 'grid')
        GROUP BY u.id HAVING sum(g.n) >= ${LIVE_CLIENTS}
        ORDER BY sum(g.n), u.id LIMIT 1`.execute(db);
      const unitId = unit.rows[0]?.id;
      if (unitId === undefined) throw new Error(`notify-latency: no unit with ${LIVE_CLIENTS} people without accounts`);
      const path = (await db.selectFrom('units').select('path').where('id', '=', unitId).executeTakeFirstOrThrow())
        .path;
      const start = existing.length;
      await sql`
        INSERT INTO accounts (kind, phone, person_id, display_name)
        SELECT 'resident', ${PHONE_PREFIX} || lpad((${start} + row_number() OVER (ORDER BY p.id))::text, 4, '0'),
               p.id, 'bench live ' || (${start} + row_number() OVER (ORDER BY p.id))
        FROM people p
        WHERE starts_with(p.unit_path, ${path})
          AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
        ORDER BY p.id
        LIMIT ${LIVE_CLIENTS - start}`.execute(db);
      existing = await liveAccounts();
    }
    const accounts = existing.slice(0, LIVE_CLIENTS);
    // The audience: the smallest unit under which all of them live.
    const audience = await sql<{ id: number; name: string }>`
      SELECT u.id, u.name FROM units u
      WHERE u.kind IN ('district', 'street', 'town', 'community', 'village', 'grid')
        AND NOT EXISTS (
          SELECT 1 FROM accounts a JOIN people p ON p.id = a.person_id
          WHERE a.id = ANY (${`{${accounts.map((a) => a.id).join(',')}}`}::int[])
            AND NOT starts_with(p.unit_path, u.path))
      ORDER BY length(u.path) DESC LIMIT 1`.execute(db);
    const unitRow = audience.rows[0];
    if (!unitRow) throw new Error('notify-latency: the live residents share no unit');
    const ids = accounts.map((a) => a.id);
    await db.deleteFrom('sessions').where('account_id', 'in', ids).execute();
    const tokens = ids.map(() => randomBytes(32).toString('base64url'));
    const expires = new Date(Date.now() + 24 * 3_600_000);
    await db
      .insertInto('sessions')
      .values(
        ids.map((id, i) => ({
          id: hashToken(tokens[i] as string),
          account_id: id,
          csrf_token: randomBytes(24).toString('base64url'),
          expires_at: expires,
          ip: '127.0.0.1',
          user_agent: 'bench notify-latency',
        })),
      )
      .execute();
    const raw = await rawYardstick(database, prepared, ids, rawSeconds);
    return { unitId: unitRow.id, unitName: unitRow.name, tokens, accountIds: ids, raw };
  } finally {
    await database.close();
  }
}

function rawMeasurement(workload: string, description: string, times: number[], seconds: number): Measurement {
  return {
    workload,
    via: 'raw',
    description,
    connections: 1,
    durationSeconds: seconds,
    requestsPerSecond: times.length / seconds,
    latencyMs: latencySummary(times),
    requests: times.length,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    rssPeakMiB: null,
    rssEndMiB: null,
  };
}

/**
 * The database side of one fan-out delivery, without the app: an outbox row and the deliverer's INSERT of its
 * inbox rows for the 1,000 accounts (the same columns, ON CONFLICT DO NOTHING, RETURNING as outbox-delivery.ts;
 * rolled back), one at a time. On PostgreSQL also a pg NOTIFY round trip with a payload of the deliverer's
 * size (~7,000 bytes) from a pool connection to a LISTENing one, which is how each instance hears a delivery.
 */
async function rawYardstick(database: Database, prepared: Prepared, ids: number[], seconds: number) {
  const out: Measurement[] = [];
  {
    const times: number[] = [];
    const until = performance.now() + seconds * 1000;
    const list = `{${ids.join(',')}}`;
    while (performance.now() < until) {
      const t0 = performance.now();
      await database
        .transaction(async (trx) => {
          const outbox = await sql<{ id: number }>`
            INSERT INTO outbox (topic, payload) VALUES ('notice.urgent', '{}'::jsonb) RETURNING id`.execute(trx);
          const outboxId = outbox.rows[0]?.id;
          await sql`
            INSERT INTO notifications (account_id, outbox_id, topic, title, body, data, created_at)
            SELECT a, ${outboxId}, 'notice.urgent', 'bench raw', 'urgent', '{}'::jsonb, now()
            FROM unnest(${list}::int[]) AS a
            ON CONFLICT (outbox_id, account_id) DO NOTHING
            RETURNING id, account_id`.execute(trx);
          throw new RollbackSignal();
        })
        .catch((e) => {
          if (!(e instanceof RollbackSignal)) throw e;
        });
      times.push(performance.now() - t0);
    }
    out.push(
      rawMeasurement(
        'notify-latency:inbox-insert',
        `an outbox row and the deliverer's INSERT of its ${ids.length} inbox rows (rolled back), one at a time`,
        times,
        seconds,
      ),
    );
  }
  if (prepared.kind === 'postgres' && prepared.env.DATABASE_URL) {
    const listener = new pg.Client({ connectionString: prepared.env.DATABASE_URL });
    const sender = new pg.Client({ connectionString: prepared.env.DATABASE_URL });
    await listener.connect();
    await sender.connect();
    try {
      await listener.query('LISTEN linli_bench_live');
      const payload = 'x'.repeat(7000);
      const times: number[] = [];
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const t0 = performance.now();
        const heard = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
        await sender.query('SELECT pg_notify($1, $2)', ['linli_bench_live', payload]);
        await heard;
        times.push(performance.now() - t0);
      }
      out.push(
        rawMeasurement(
          'notify-latency:pg-notify',
          'pg NOTIFY of a 7,000-byte payload (the bus message size) until a LISTENing connection has it',
          times,
          seconds,
        ),
      );
    } finally {
      await listener.end();
      await sender.end();
    }
  }
  return out;
}

class RollbackSignal extends Error {}

interface Client {
  index: number;
  hello: boolean;
  req: http.ClientRequest;
}

/** Opens one SSE stream and parses its `event:`/`data:` lines; calls onMessage per `notification`. */
function openStream(
  agent: http.Agent,
  baseUrl: string,
  token: string,
  index: number,
  onHello: () => void,
  onMessage: (index: number, data: { id: number; title: string }) => void,
  onError: (error: Error) => void,
): Client {
  const url = new URL('/api/notifications/stream', baseUrl);
  const client: Client = { index, hello: false, req: undefined as unknown as http.ClientRequest };
  client.req = http.get(
    url,
    { agent, headers: { accept: 'text/event-stream', cookie: `linli_sid=${token}` } },
    (res) => {
      if (res.statusCode !== 200) {
        onError(new Error(`stream ${index}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      let event = 'message';
      let data = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (event === 'hello' && !client.hello) {
              client.hello = true;
              onHello();
            } else if (event === 'notification' && data) onMessage(index, JSON.parse(data));
            event = 'message';
            data = '';
          } else if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).trimStart();
          nl = buffer.indexOf('\n');
        }
      });
    },
  );
  client.req.on('error', (e) => {
    if (!closing.has(client.req)) onError(e);
  });
  return client;
}
const closing = new WeakSet<http.ClientRequest>();

async function signIn(baseUrl: string, username: string) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.250.0.1' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('linli_sid='));
  const { session } = (await response.json()) as { session: { csrfToken: string } };
  return { cookie: (cookie as string).split(';')[0] as string, csrf: session.csrfToken };
}

export interface NotifyLatencyDetails {
  clients: number;
  audienceUnit: string;
  noticesSent: number;
  noticesPerSecond: number;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  /** Time from the first notice sent until the last message arrived. */
  spanSeconds: number;
  /** The measured POST /api/notices response times (the fan-out is not in them: the deliverer does it after the
   * commit). */
  publishMs: { p50: number; p95: number; p99: number; max: number };
  /** Server RSS with the streams open, before any notice. */
  rssIdleMiB: number | null;
}

/** Runs notify-latency against a running server: warm-up notices, then the measured ones; one Measurement. */
export async function runNotifyLatency(
  server: RunningServer,
  logins: SyntheticLogin[],
  live: LiveSetup,
  durationSeconds: number,
  warmupSeconds: number,
  cases: CaseSetup | null = null,
): Promise<Measurement[]> {
  const admin = logins.find((l) => l.role === 'systemAdmin');
  if (!admin) throw new Error('notify-latency: no systemAdmin bench login');
  const { cookie, csrf } = await signIn(server.baseUrl, admin.username);
  const agent = new http.Agent({ keepAlive: true, maxSockets: live.tokens.length + 100 });
  const sentAt = new Map<string, number>();
  // Per notice title: which clients got it (a second arrival is a duplicate).
  const seen = new Map<string, Set<number>>();
  const latencies: number[] = [];
  let duplicates = 0;
  let lastArrival = 0;
  const errors: Error[] = [];
  let hellos = 0;
  let helloResolve: () => void = () => {};
  const allHello = new Promise<void>((resolve) => {
    helloResolve = resolve;
  });
  const onMessage = (index: number, data: { title: string }) => {
    const t = performance.now();
    const sent = sentAt.get(data.title);
    if (sent === undefined) return; // not one of ours
    let got = seen.get(data.title);
    if (!got) {
      got = new Set();
      seen.set(data.title, got);
    }
    if (got.has(index)) {
      duplicates += 1;
      return;
    }
    got.add(index);
    if (measured.has(data.title)) {
      latencies.push(t - sent);
      lastArrival = t;
    }
  };
  const measured = new Set<string>();
  console.log(`    opening ${live.tokens.length} streams …`);
  const clients: Client[] = [];
  for (let i = 0; i < live.tokens.length; i++) {
    clients.push(
      openStream(
        agent,
        server.baseUrl,
        live.tokens[i] as string,
        i,
        () => {
          hellos += 1;
          if (hellos === live.tokens.length) helloResolve();
        },
        onMessage,
        (e) => errors.push(e),
      ),
    );
    // A few at a time: the server checks each session.
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  const helloTimeout = setTimeout(() => helloResolve(), 60_000);
  await allHello;
  clearTimeout(helloTimeout);
  if (hellos < live.tokens.length)
    console.warn(`    FAIL: only ${hellos} of ${live.tokens.length} streams said hello (${errors[0]?.message ?? ''})`);
  await new Promise((r) => setTimeout(r, 1000));
  const rssIdle = server.rss().lastMiB;
  const unicast = cases ? await openUnicast(server.baseUrl, logins, cases, agent) : null;
  const runId = randomBytes(3).toString('hex');
  let sequence = 0;
  const publishTimes: number[] = [];
  const publish = async (measure: boolean) => {
    sequence += 1;
    const title = `bench live ${runId} #${sequence}`;
    const t0 = performance.now();
    sentAt.set(title, t0);
    if (measure) measured.add(title);
    const response = await fetch(`${server.baseUrl}/api/notices`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ unitId: live.unitId, title, body: 'notify-latency', urgent: true }),
    });
    publishTimes.push(performance.now() - t0);
    if (response.status !== 201) throw new Error(`POST /api/notices: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  const steady = async (seconds: number, measure: boolean) => {
    const interval = 1000 / NOTICES_PER_SECOND;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let k = 0; k < Math.max(1, Math.round(seconds * NOTICES_PER_SECOND)); k++) {
      const at = start + k * interval;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(publish(measure));
      if (unicast) pending.push(unicast.intake(measure));
    }
    await Promise.all(pending);
  };
  const expectedOf = (titles: Iterable<string>) => [...titles].length * live.tokens.length;
  const arrivedOf = (titles: Iterable<string>) => [...titles].reduce((n, t) => n + (seen.get(t)?.size ?? 0), 0);
  const drain = async (titles: Set<string>) => {
    const until = performance.now() + DRAIN_MS;
    while (performance.now() < until && arrivedOf(titles) < expectedOf(titles))
      await new Promise((r) => setTimeout(r, 100));
    // A little longer, so late duplicates are seen too.
    await new Promise((r) => setTimeout(r, 500));
  };
  try {
    if (warmupSeconds > 0) {
      await steady(warmupSeconds, false);
      await drain(new Set([...sentAt.keys()]));
    }
    duplicates = 0;
    server.resetRss();
    publishTimes.length = 0;
    const first = performance.now();
    await steady(durationSeconds, true);
    await drain(measured);
    if (unicast) await unicast.drain();
    const expected = expectedOf(measured);
    const delivered = arrivedOf(measured);
    const spanSeconds = lastArrival > first ? (lastArrival - first) / 1000 : 0;
    const missing = expected - delivered;
    if (missing > 0 || duplicates > 0)
      console.warn(`    FAIL: notify-latency: ${missing} message(s) missing, ${duplicates} duplicate(s)`);
    const rss = server.rss();
    const details: NotifyLatencyDetails = {
      clients: live.tokens.length,
      audienceUnit: live.unitName,
      noticesSent: measured.size,
      noticesPerSecond: NOTICES_PER_SECOND,
      expected,
      delivered,
      missing,
      duplicates,
      spanSeconds: Math.round(spanSeconds * 100) / 100,
      publishMs: latencySummary(publishTimes),
      rssIdleMiB: Math.round(rssIdle),
    };
    const measurement: Measurement = {
      workload: 'notify-latency',
      via: 'http',
      description:
        `${live.tokens.length} residents hold GET /api/notifications/stream open; a system admin publishes ` +
        `${NOTICES_PER_SECOND} urgent notice(s)/s to ${live.unitName} (POST /api/notices); latency = POST sent → ` +
        `message parsed on a client; req/s = messages delivered per second; ${delivered}/${expected} delivered, ` +
        `${missing} missing, ${duplicates} duplicates; RSS ${Math.round(rssIdle)} MiB idle with the streams open`,
      connections: live.tokens.length,
      durationSeconds,
      requestsPerSecond: spanSeconds > 0 ? delivered / spanSeconds : 0,
      latencyMs: latencySummary(latencies),
      requests: delivered,
      errors: errors.length + duplicates,
      timeouts: missing,
      non2xx: 0,
      rssPeakMiB: Math.round(rss.peakMiB),
      rssEndMiB: Math.round(rss.lastMiB),
      notifyLatency: details,
    };
    const extra = unicast ? [unicast.measurement(durationSeconds, server.rss())] : [];
    return [...live.raw, measurement, ...extra];
  } finally {
    for (const c of clients) {
      closing.add(c.req);
      c.req.destroy();
    }
    if (unicast) {
      closing.add(unicast.client.req);
      unicast.client.req.destroy();
    }
    agent.destroy();
  }
}

/**
 * Unicast, beside the fan-out (when cases are loaded): `busy.grid.worker` holds a stream open too, and the hotline
 * operator takes a case into that grid (`POST /api/cases`) with each notice; the case's outbox message tells the
 * grid's handlers, this worker among them: one message to one of the streams. Matched by case id.
 */
async function openUnicast(baseUrl: string, logins: SyntheticLogin[], cases: CaseSetup, agent: http.Agent) {
  const grid = cases.intake.grids.find((g) => g.id === cases.busiestGridId);
  const worker = logins.find((l) => l.role === 'gridWorker' && l.unitId === cases.busiestGridId);
  const operator = logins.find((l) => l.role === 'hotlineOperator');
  if (!grid || !worker || !operator) return null;
  const workerSession = await signIn(baseUrl, worker.username);
  const hotline = await signIn(baseUrl, operator.username);
  const targets = { grids: [grid], categories: cases.intake.categories };
  const random = new Random(5303);
  const sentAt = new Map<number, number>();
  const measuredCases = new Set<number>();
  const arrivals = new Map<number, number[]>();
  const latencies: number[] = [];
  let duplicates = 0;
  let failed = 0;
  let first = 0;
  let lastArrival = 0;
  let ready: () => void = () => {};
  const hello = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const client = openStream(
    agent,
    baseUrl,
    workerSession.cookie.slice('linli_sid='.length),
    -1,
    () => ready(),
    (_i, data) => {
      const caseId = (data as { caseId?: number | null }).caseId;
      if (typeof caseId !== 'number') return;
      const list = arrivals.get(caseId) ?? [];
      list.push(performance.now());
      arrivals.set(caseId, list);
    },
    () => {
      failed += 1;
    },
  );
  await hello;
  return {
    client,
    async intake(measure: boolean) {
      const t0 = performance.now();
      if (measure && !first) first = t0;
      const response = await fetch(`${baseUrl}/api/cases`, {
        method: 'POST',
        headers: { cookie: hotline.cookie, 'x-csrf-token': hotline.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(intakeBody(nextIntake(random, targets))),
      });
      if (response.status !== 201) {
        failed += 1;
        await response.arrayBuffer();
        return;
      }
      const { case: c } = (await response.json()) as { case: { id: number } };
      sentAt.set(c.id, t0);
      if (measure) measuredCases.add(c.id);
    },
    async drain() {
      const until = performance.now() + DRAIN_MS;
      const done = () => [...measuredCases].every((id) => arrivals.has(id));
      while (performance.now() < until && !done()) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
    },
    measurement(durationSeconds: number, rss: { peakMiB: number; lastMiB: number }): Measurement {
      let delivered = 0;
      for (const id of measuredCases) {
        const list = arrivals.get(id);
        if (!list?.length) continue;
        delivered += 1;
        duplicates += list.length - 1;
        latencies.push((list[0] as number) - (sentAt.get(id) as number));
        lastArrival = Math.max(lastArrival, list[0] as number);
      }
      const missing = measuredCases.size - delivered;
      if (missing > 0 || duplicates > 0)
        console.warn(`    FAIL: notify-latency:unicast: ${missing} message(s) missing, ${duplicates} duplicate(s)`);
      const span = lastArrival > first ? (lastArrival - first) / 1000 : 0;
      return {
        workload: 'notify-latency:unicast',
        via: 'http',
        description:
          `${worker.username} holds a stream open beside the 1,000; the hotline operator takes a case into that grid ` +
          `(POST /api/cases) with each notice; latency = POST sent → the case's message parsed on that stream; ` +
          `${delivered}/${measuredCases.size} delivered, ${missing} missing, ${duplicates} duplicates, ${failed} failed requests`,
        connections: 1,
        durationSeconds,
        requestsPerSecond: span > 0 ? delivered / span : 0,
        latencyMs: latencySummary(latencies),
        requests: delivered,
        errors: failed + duplicates,
        timeouts: missing,
        non2xx: 0,
        rssPeakMiB: Math.round(rss.peakMiB),
        rssEndMiB: Math.round(rss.lastMiB),
      };
    },
  };
}
