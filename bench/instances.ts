import pg from 'pg';
import { DEMO_PASSWORD } from '../src/server/demo/demo-logins.ts';
import { Random } from '../src/server/demo/random.ts';
import type { SyntheticLogin } from '../src/server/demo/synthetic-accounts.ts';
import { ACTIVE_STATES } from '../src/server/modules/cases/case-machine.ts';
import { type CaseSetup, intakeBody, nextIntake } from './cases.ts';
import type { Prepared } from './prepare.ts';
import { type RunningServer, startServer } from './server.ts';
import { fire, httpMeasurement, INTAKE_CONNECTIONS, type Measurement } from './workloads.ts';

/**
 * `instances` (PostgreSQL only): two server processes on one database, background workers on in both, as in
 * production. The intake load at 50 connections against one instance, then spread over both (autocannon's URL
 * array); then proof that the background work happened once: (a) every outbox message of the intake cases was
 * delivered, each (message, recipient) inbox entry once; (b) K open cases' colour markers made due, and each got
 * exactly one colourChange event from the two instances' sweeps.
 */

/** Cases whose colour is made due for the sweep check. */
const SWEEP_CASES = Number(process.env.LINLI_BENCH_SWEEP_CASES || 2000);
/** How long the checks wait for the background work. */
const WAIT_MS = 180_000;

export interface InstancesDetails {
  oneInstanceRps: number;
  twoInstancesRps: number;
  /** two / one. */
  ratio: number;
  outbox: {
    messages: number;
    delivered: number;
    undelivered: number;
    /** (message, recipient) pairs with more than one inbox entry, and with more than one SMS delivery. */
    duplicateInbox: number;
    duplicateDeliveries: number;
    /** The instances that delivered them (outbox.claimed_by), with counts. */
    byInstance: Record<string, number>;
    secondsUntilDelivered: number | null;
  };
  sweep: {
    cases: number;
    colourChanged: number;
    missed: number;
    duplicates: number;
    secondsUntilDone: number | null;
  };
  ok: boolean;
}

async function signIn(baseUrl: string, username: string) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.251.0.1' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('linli_sid='));
  const { session } = (await response.json()) as { session: { csrfToken: string } };
  return { cookie: (cookie as string).split(';')[0] as string, csrf: session.csrfToken };
}

async function waitFor(check: () => Promise<boolean>): Promise<number | null> {
  const start = performance.now();
  while (performance.now() - start < WAIT_MS) {
    if (await check()) return (performance.now() - start) / 1000;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

export async function runInstances(
  prepared: Prepared,
  logins: SyntheticLogin[],
  cases: CaseSetup | null,
  durationSeconds: number,
  warmupSeconds: number,
): Promise<Measurement[]> {
  const url = prepared.env.DATABASE_URL;
  if (prepared.kind !== 'postgres' || !url) {
    console.log('  instances: skipped: one process owns the data directory (embedded database)');
    return [];
  }
  if (!cases) throw new Error('instances needs the synthetic cases (--cases)');
  const operator = logins.find((l) => l.role === 'hotlineOperator');
  if (!operator) throw new Error('instances: no hotlineOperator bench login');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const servers: RunningServer[] = [];
  try {
    const one = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows[0];
    const outboxBefore = Number((await one('SELECT coalesce(max(id), 0) AS n FROM outbox')).n);
    console.log('  instances: starting two servers …');
    servers.push(await startServer(prepared.env), await startServer(prepared.env));
    const [a, b] = servers as [RunningServer, RunningServer];
    const { cookie, csrf } = await signIn(a.baseUrl, operator.username);
    const random = new Random(4242);
    const scenario = (label: string) => ({
      workload: `instances:${label}`,
      description:
        `POST /api/cases (the intake workload) at ${INTAKE_CONNECTIONS} connections against ${label === '1' ? 'one instance' : 'two instances (connections spread over both)'}` +
        ' on one PostgreSQL database, background workers on in both',
      connections: INTAKE_CONNECTIONS,
      options: {
        requests: [
          {
            method: 'POST' as const,
            path: '/api/cases',
            setupRequest: (request: Record<string, unknown>) => ({
              ...request,
              headers: {
                ...(request.headers as Record<string, string>),
                cookie,
                'x-csrf-token': csrf,
                'content-type': 'application/json',
              },
              body: JSON.stringify(intakeBody(nextIntake(random, cases.intake))),
            }),
          },
        ],
      },
    });
    const out: Measurement[] = [];
    // Both instances warmed up first (JIT, pools, caches), so that neither measured run starts cold.
    if (warmupSeconds > 0) {
      console.log(`  instances: ${warmupSeconds} s warm-up on both …`);
      await fire([a.baseUrl, b.baseUrl], scenario('2') as never, warmupSeconds);
    }
    for (const [label, urls] of [
      ['1', [a.baseUrl]],
      ['2', [a.baseUrl, b.baseUrl]],
    ] as const) {
      const s = scenario(label);
      console.log(`  instances:${label}: ${durationSeconds} s measured …`);
      const target = urls.length === 1 ? (urls[0] as string) : [...urls];
      a.resetRss();
      b.resetRss();
      const fired = await fire(target, s as never, durationSeconds);
      const rssA = a.rss();
      const rssB = b.rss();
      const rss =
        urls.length === 1
          ? rssA
          : { peakMiB: Math.max(rssA.peakMiB, rssB.peakMiB), lastMiB: Math.max(rssA.lastMiB, rssB.lastMiB) };
      out.push(httpMeasurement(s, fired, durationSeconds, rss));
    }
    const [m1, m2] = out as [Measurement, Measurement];

    // (a) The intake cases' outbox messages: delivered once, by whichever instance claimed each.
    console.log('  instances: waiting for the outbox to be delivered …');
    const pending = async () =>
      Number((await one('SELECT count(*) AS n FROM outbox WHERE id > $1 AND delivered_at IS NULL', [outboxBefore])).n);
    const deliveredAfter = await waitFor(async () => (await pending()) === 0);
    const messages = Number((await one('SELECT count(*) AS n FROM outbox WHERE id > $1', [outboxBefore])).n);
    const undelivered = await pending();
    const duplicateInbox = Number(
      (
        await one(
          `SELECT count(*) AS n FROM (SELECT outbox_id, account_id FROM notifications WHERE outbox_id > $1
             GROUP BY 1, 2 HAVING count(*) > 1) d`,
          [outboxBefore],
        )
      ).n,
    );
    const duplicateDeliveries = Number(
      (
        await one(
          `SELECT count(*) AS n FROM (SELECT outbox_id, channel, recipient FROM notification_deliveries
             WHERE outbox_id > $1 GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
          [outboxBefore],
        )
      ).n,
    );
    const byInstance: Record<string, number> = {};
    for (const r of (
      await client.query(
        `SELECT coalesce(split_part(claimed_by, ':', 2), '?') AS pid, count(*)::int AS n FROM outbox
         WHERE id > $1 AND delivered_at IS NOT NULL GROUP BY 1`,
        [outboxBefore],
      )
    ).rows)
      byInstance[r.pid === String(a.pid) ? `A (pid ${r.pid})` : r.pid === String(b.pid) ? `B (pid ${r.pid})` : r.pid] =
        r.n;

    // (b) The colour sweep: K open green cases with the orange moment and the marker in the past.
    const eventsBefore = Number((await one('SELECT coalesce(max(id), 0) AS n FROM case_events')).n);
    const marked = await client.query(
      `WITH c AS (
         SELECT id FROM cases
         WHERE state = ANY ($1::text[]) AND colour = 'green' AND manual_colour IS NULL AND due_at > now() + interval '1 day'
         ORDER BY id DESC LIMIT $2 FOR UPDATE)
       UPDATE cases SET orange_at = now() - interval '1 minute', next_colour_at = now() - interval '1 minute'
       FROM c WHERE cases.id = c.id RETURNING cases.id`,
      [[...ACTIVE_STATES], SWEEP_CASES],
    );
    const ids = marked.rows.map((r) => Number(r.id));
    console.log(`  instances: ${ids.length} cases' colour made due; waiting for the sweeps …`);
    const sweepAfter = await waitFor(
      async () =>
        Number(
          (
            await one('SELECT count(*) AS n FROM cases WHERE id = ANY ($1::bigint[]) AND next_colour_at <= now()', [
              ids,
            ])
          ).n,
        ) === 0,
    );
    const perCase = await client.query(
      `SELECT c.id, count(e.id)::int AS n FROM unnest($1::bigint[]) AS c(id)
       LEFT JOIN case_events e ON e.case_id = c.id AND e.action = 'colourChange' AND e.id > $2
       GROUP BY c.id`,
      [ids, eventsBefore],
    );
    const colourChanged = perCase.rows.filter((r) => r.n >= 1).length;
    const missed = perCase.rows.filter((r) => r.n === 0).length;
    const duplicates = perCase.rows.filter((r) => r.n > 1).length;

    const ok =
      undelivered === 0 && duplicateInbox === 0 && duplicateDeliveries === 0 && missed === 0 && duplicates === 0;
    const details: InstancesDetails = {
      oneInstanceRps: Math.round(m1.requestsPerSecond * 10) / 10,
      twoInstancesRps: Math.round(m2.requestsPerSecond * 10) / 10,
      ratio: m1.requestsPerSecond > 0 ? Math.round((m2.requestsPerSecond / m1.requestsPerSecond) * 100) / 100 : 0,
      outbox: {
        messages,
        delivered: messages - undelivered,
        undelivered,
        duplicateInbox,
        duplicateDeliveries,
        byInstance,
        secondsUntilDelivered: deliveredAfter === null ? null : Math.round(deliveredAfter * 10) / 10,
      },
      sweep: {
        cases: ids.length,
        colourChanged,
        missed,
        duplicates,
        secondsUntilDone: sweepAfter === null ? null : Math.round(sweepAfter * 10) / 10,
      },
      ok,
    };
    m2.description +=
      `; 2/1 = ${details.ratio}; outbox: ${messages - undelivered}/${messages} delivered (${JSON.stringify(byInstance)}), ` +
      `${duplicateInbox + duplicateDeliveries} duplicates; colour sweep: ${colourChanged}/${ids.length} changed, ` +
      `${missed} missed, ${duplicates} duplicated, done in ${details.sweep.secondsUntilDone ?? '—'} s`;
    m2.instances = details;
    console.log(
      `  instances: 1 → 2 instances: ${details.oneInstanceRps} → ${details.twoInstancesRps} req/s (×${details.ratio})`,
    );
    console.log(
      `  instances: outbox ${messages - undelivered}/${messages} delivered in ${details.outbox.secondsUntilDelivered ?? '—'} s ` +
        `by ${JSON.stringify(byInstance)}; duplicate inbox entries ${duplicateInbox}, duplicate SMS ${duplicateDeliveries}`,
    );
    console.log(
      `  instances: colour sweep ${colourChanged}/${ids.length} changed in ${details.sweep.secondsUntilDone ?? '—'} s; ` +
        `missed ${missed}, duplicated ${duplicates}`,
    );
    if (!ok) console.log('  ✗✗✗ FAIL: instances: background work duplicated or missed (see above) ✗✗✗');
    return out;
  } finally {
    for (const s of servers) await s.stop();
    await client.end();
  }
}
