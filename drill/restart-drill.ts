import { sql } from 'kysely';
import type { ServerProcess } from '../test/db/server-process.ts';
import { health, killApp, type Session, seedDrillDatabase, signIn, startApp, withDatabase } from './app.ts';
import { type Ack, IntakeLoad } from './intake-load.ts';
import { createCluster, freePort, postgresBinaries, sleep, tempDir, withTimeout } from './processes.ts';
import type { DrillRow } from './table.ts';
import { verifyAcks } from './verify.ts';

export interface RestartOptions {
  rounds: number;
  clients: number;
  log: (line: string) => void;
}

/** How long the database stays down each round. */
const DOWN_MS = 4_000;
const UNHEALTHY_WITHIN_MS = 15_000;
const HEALTHY_WITHIN_MS = 60_000;
const OUTBOX_DRAINED_WITHIN_MS = 120_000;

/**
 * PostgreSQL restart drill, on a throw-away cluster of its own (the shared server is never touched): the app
 * serves intake load; the cluster is stopped with `-m immediate` (a crash: no checkpoint, every connection cut)
 * and started again a few seconds later. The app must report 503 on /api/health while the database is down,
 * return to 200 by itself (never restarted), lose nothing acknowledged and duplicate nothing, and its background
 * work must carry on (the outbox the intakes filled is delivered).
 */
export async function restartDrill(options: RestartOptions): Promise<DrillRow> {
  const started = Date.now();
  const row: DrillRow = {
    drill: 'PostgreSQL restart under intake',
    database: 'postgres',
    rounds: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    notes: '',
  };
  const binaries = postgresBinaries();
  if (!binaries) {
    row.skipped = true;
    row.notes = 'no PostgreSQL binaries (initdb, pg_ctl) in /usr/lib/postgresql/15/bin or LINLI_DRILL_PG_BIN';
    return row;
  }
  const acks: Ack[] = [];
  const perRound: number[] = [];
  const unhealthyAfter: number[] = [];
  const healthyAfter: number[] = [];
  const problems: string[] = [];
  let serverErrors = 0;
  const statuses = new Map<number, number>();
  let committed = 0;
  let server: ServerProcess | undefined;
  try {
    const cluster = await createCluster(binaries);
    cluster.start();
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: cluster.url('postgres'), connectionTimeoutMillis: 10_000 });
    await admin.connect();
    await admin.query('CREATE DATABASE linli');
    await admin.end();
    const databaseUrl = cluster.url('linli');
    const dataDir = tempDir('linli-drill-restart-');
    await seedDrillDatabase({ databaseUrl, dataDir });
    const port = await freePort();
    server = await startApp(dataDir, { PORT: String(port), DATABASE_URL: databaseUrl });
    const base = server.base;
    const pid = server.pid;
    const session: Session = await signIn(base);
    if ((await health(base)).status !== 200) throw new Error('health is not 200 before the first round');

    for (let round = 1; round <= options.rounds; round++) {
      const load = new IntakeLoad({ base: () => base, session, clients: options.clients, round });
      load.start();
      await sleep(1_000 + Math.random() * 1_000);
      const downAt = Date.now();
      cluster.crash();
      // Unhealthy while down: the first answer after the crash may still be in flight, then 503 and only 503.
      const unhealthy = await until(async () => (await health(base)).status === 503, UNHEALTHY_WITHIN_MS);
      if (unhealthy === null)
        problems.push(`round ${round}: /api/health did not answer 503 while the database was down`);
      else unhealthyAfter.push(unhealthy);
      const seen = new Set<string>();
      while (Date.now() - downAt < DOWN_MS) {
        seen.add(String((await health(base)).status));
        await sleep(250);
      }
      const wrong = [...seen].filter((s) => s !== '503');
      if (wrong.length) problems.push(`round ${round}: /api/health answered ${wrong.join(', ')} while down`);
      cluster.start();
      const healthy = await until(async () => (await health(base)).status === 200, HEALTHY_WITHIN_MS);
      if (healthy === null) throw new Error(`round ${round}: /api/health not 200 within 60 s of the database's return`);
      healthyAfter.push(healthy);
      await withTimeout(load.finished(), 240_000, `round ${round}: clients settling their keys`);
      if (server.child.exitCode !== null || server.child.signalCode !== null || server.pid !== pid) {
        throw new Error(`round ${round}: the app process ended (${server.child.exitCode ?? server.child.signalCode})`);
      }
      acks.push(...load.acks);
      perRound.push(load.acks.length);
      serverErrors += load.counters.serverErrors;
      for (const [status, n] of Object.entries(load.counters.serverStatuses)) {
        statuses.set(Number(status), (statuses.get(Number(status)) ?? 0) + n);
      }
      committed += load.acks.filter((a) => a.via === 'committed').length;
      for (const failure of load.counters.failures) problems.push(failure);
      row.rounds = round;
      options.log(
        `  restart round ${round}: ${load.acks.length} acknowledged, 503 after ${fmt(unhealthy ?? Number.NaN)} s, ` +
          `200 again ${fmt(healthy)} s after the database, ${load.counters.serverErrors} 5xx retried`,
      );
    }

    // Background work survived: every intake's outbox message is delivered by the same (never restarted) app.
    const target = { databaseUrl, dataDir };
    const drained = await until(
      () =>
        withDatabase(target, async (database) => {
          const left = await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL`.execute(database.db);
          return left.rows[0]?.n === 0;
        }),
      OUTBOX_DRAINED_WITHIN_MS,
      2_000,
    );
    if (drained === null) problems.push('outbox not delivered within 120 s after the last restart');
    // And the live listener: a fresh intake after the restarts is acknowledged normally.
    const after = new IntakeLoad({ base: () => base, session, clients: 1, round: options.rounds + 1 });
    after.start();
    await sleep(300);
    await withTimeout(after.finished(), 30_000, 'intake after the restarts');
    if (after.acks.length === 0 || after.counters.serverErrors) problems.push('intake after the restarts failed');
    acks.push(...after.acks);

    await killApp(server);
    const verdict = await withDatabase(target, (database) => verifyAcks(database, acks));
    row.acknowledged = verdict.acknowledged;
    row.lost = verdict.lost;
    row.duplicated = verdict.duplicated;
    const notes = [
      `${options.clients} clients; per round ${perRound.join('/')}`,
      `database down ${fmt(DOWN_MS)} s a round; health 503 after ${unhealthyAfter.map(fmt).join('/')} s, 200 again ${healthyAfter.map(fmt).join('/')} s after it was back, app never restarted`,
      `${serverErrors} 5xx retried (${[...statuses].map(([status, n]) => `${n}× ${status}`).join(', ') || 'none'}), ${committed} settled by the committed 409`,
      drained === null ? 'outbox NOT drained' : `outbox drained ${fmt(drained)} s after`,
    ];
    if (verdict.unacknowledged) notes.push(`${verdict.unacknowledged} unacknowledged cases present`);
    if (verdict.lostExamples.length) notes.push(`lost e.g. ${verdict.lostExamples.join(', ')}`);
    if (verdict.duplicatedExamples.length) notes.push(`duplicated e.g. ${verdict.duplicatedExamples.join(', ')}`);
    if (problems.length) {
      row.failed = true;
      notes.push(
        `problems: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3})` : ''}`,
      );
    }
    notes.push(`${fmt(Date.now() - started)} s`);
    row.notes = notes.join('; ');
  } catch (error) {
    row.failed = true;
    row.acknowledged = acks.length;
    row.notes = `${(error as Error).message.split('\n')[0]} (after ${row.rounds} rounds)`;
    if (server) options.log(`  server output (tail):\n${server.output().slice(-3000)}`);
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await killApp(server);
  }
  return row;
}

/** Polls `check` until it holds; resolves with the milliseconds it took, or null after `withinMs`. */
async function until(check: () => Promise<boolean>, withinMs: number, everyMs = 200): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start < withinMs) {
    try {
      if (await check()) return Date.now() - start;
    } catch {
      // not yet
    }
    await sleep(everyMs);
  }
  return null;
}

const fmt = (ms: number) => (ms / 1000).toFixed(1);
