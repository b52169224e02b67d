import type { ServerProcess } from '../test/db/server-process.ts';
import {
  createDrillDatabase,
  killApp,
  SERVER_URL,
  type Session,
  seedDrillDatabase,
  signIn,
  startApp,
  withDatabase,
} from './app.ts';
import { type Ack, IntakeLoad } from './intake-load.ts';
import { freePort, sleep, tempDir, withTimeout } from './processes.ts';
import type { DrillRow } from './table.ts';
import { verifyAcks } from './verify.ts';

export interface CrashOptions {
  rounds: number;
  clients: number;
  log: (line: string) => void;
}

/** Load runs this long (random in the range) before the kill. */
const LOAD_BEFORE_KILL_MS: [number, number] = [1_000, 3_000];
/** Every outstanding key must be acknowledged within this after the restart. */
const DRAIN_TIMEOUT_MS = 240_000;

/**
 * Crash drill: the real server under intake load from `clients` concurrent clients is killed with SIGKILL after
 * 1–3 s, started again on the same database, and the clients retry every outstanding Idempotency-Key until it is
 * acknowledged. After the rounds the server is killed once more and the database itself is read: every
 * acknowledged case must be there with its marker (lost) and no marker twice (duplicated).
 */
export async function crashDrill(kind: 'postgres' | 'embedded', options: CrashOptions): Promise<DrillRow> {
  const started = Date.now();
  const row: DrillRow = {
    drill: 'crash (kill -9 under intake)',
    database: kind,
    rounds: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    notes: '',
  };
  const acks: Ack[] = [];
  const perRound: number[] = [];
  const caught: number[] = [];
  const restartMs: number[] = [];
  let retries = 0;
  let committed = 0;
  let replayed = 0;
  let serverErrors = 0;
  const failures: string[] = [];
  const dataDir = tempDir(`linli-drill-${kind}-`);
  const databaseUrl = kind === 'postgres' ? await createDrillDatabase(SERVER_URL, 'crash') : undefined;
  const target = databaseUrl ? { databaseUrl, dataDir } : { dataDir };
  let server: ServerProcess | undefined;
  try {
    await seedDrillDatabase(target);
    const port = await freePort();
    const env: Record<string, string> = { PORT: String(port), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    server = await startApp(dataDir, env);
    const base = server.base;
    const session: Session = await signIn(base);
    for (let round = 1; round <= options.rounds; round++) {
      const load = new IntakeLoad({ base: () => base, session, clients: options.clients, round });
      load.start();
      const [low, high] = LOAD_BEFORE_KILL_MS;
      await sleep(low + Math.random() * (high - low));
      caught.push(load.outstanding);
      await killApp(server);
      load.drain();
      const restartAt = Date.now();
      server = await startApp(dataDir, env);
      restartMs.push(Date.now() - restartAt);
      await withTimeout(load.finished(), DRAIN_TIMEOUT_MS, `round ${round}: clients settling their keys`);
      acks.push(...load.acks);
      perRound.push(load.acks.length);
      retries += load.counters.requests - load.acks.length - load.counters.failures.length;
      committed += load.acks.filter((a) => a.via === 'committed').length;
      replayed += load.acks.filter((a) => a.via === 'replayed').length;
      serverErrors += load.counters.serverErrors;
      failures.push(...load.counters.failures);
      row.rounds = round;
      options.log(
        `  ${kind} round ${round}: ${load.acks.length} acknowledged, ${caught.at(-1)} in flight at the kill, ` +
          `restart ${((restartMs.at(-1) ?? 0) / 1000).toFixed(1)} s, ${load.counters.networkErrors} network errors, ` +
          `${load.counters.serverErrors} 5xx, ${load.counters.inProgress} in-progress 409`,
      );
    }
    // The last word is a crash too: the database is read as the killed server left it.
    await killApp(server);
    const verdict = await withDatabase(target, (database) => verifyAcks(database, acks));
    row.acknowledged = verdict.acknowledged;
    row.lost = verdict.lost;
    row.duplicated = verdict.duplicated;
    const notes = [
      `${options.clients} clients; per round ${perRound.join('/')}`,
      `in flight at each kill ${caught.join('/')}`,
      `${committed} settled by the committed 409, ${replayed} by a replayed answer, ${retries} retries (${serverErrors} 5xx)`,
      `restart ${fmt(Math.min(...restartMs))}–${fmt(Math.max(...restartMs))} s`,
    ];
    if (verdict.unacknowledged) notes.push(`${verdict.unacknowledged} unacknowledged cases present`);
    if (verdict.lostExamples.length) notes.push(`lost e.g. ${verdict.lostExamples.join(', ')}`);
    if (verdict.duplicatedExamples.length) notes.push(`duplicated e.g. ${verdict.duplicatedExamples.join(', ')}`);
    if (failures.length) {
      row.failed = true;
      notes.push(`${failures.length} keys refused or given up, e.g. ${failures.slice(0, 2).join('; ')}`);
    }
    notes.push(`${fmt(Date.now() - started)} s`);
    row.notes = notes.join('; ');
  } catch (error) {
    row.failed = true;
    row.acknowledged = acks.length;
    row.notes = `${(error as Error).message.split('\n')[0]} (after ${row.rounds} rounds)`;
    if (server) options.log(`  server output (tail):\n${server.output().slice(-2000)}`);
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await killApp(server);
  }
  return row;
}

const fmt = (ms: number) => (ms / 1000).toFixed(1);
