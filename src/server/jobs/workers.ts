import { pino } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { purgeAuditLogJob } from './purge-audit-log.ts';
import { purgeIdempotencyKeysJob } from './purge-idempotency-keys.ts';
import { DEFAULT_SWEEP_LIMIT, type Sweep } from './sweep.ts';
import { sweepCallbackOverdue } from './sweep-callback-overdue.ts';
import { sweepCaseColours } from './sweep-case-colours.ts';
import { sweepChases } from './sweep-chases.ts';
import { sweepVisitExpiry } from './sweep-visit-expiry.ts';
import { sweepVisitInvitations } from './sweep-visit-invitations.ts';

/** What the workers log through: pino's logger (or Fastify's) fits. */
export interface WorkerLog {
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface WorkerServices {
  database: Database;
  config: Config;
  clock: Clock;
  /** Where runs that fail are logged; a pino logger of its own when not given. */
  log?: WorkerLog | undefined;
}

/** A piece of background work run on an interval. */
export interface Job {
  name: string;
  /** Pause between the end of one run and the start of the next, before jitter. */
  intervalMs: number;
  /** Items per run: a run that used them all is followed at once by another, so a backlog drains quickly. */
  limit: number;
  run(services: WorkerServices & { log: WorkerLog }, limit: number): Promise<number>;
}

/** A job from a sweep with the shared signature `(database, deps, limit)`. */
export function sweepJob(name: string, sweep: Sweep, intervalMs: number, limit = DEFAULT_SWEEP_LIMIT): Job {
  return {
    name,
    intervalMs,
    limit,
    run: ({ database, config, clock, log }, n) => sweep(database, { config, clock, log }, n),
  };
}

/**
 * The background work of every instance. Each item is claimed once whatever the number of instances
 * (see sweep.ts), so every instance may run all of it. Add a job with one line.
 */
export const DEFAULT_JOBS: readonly Job[] = [
  sweepJob('caseColours', sweepCaseColours, 30_000),
  sweepJob('chases', sweepChases, 60_000),
  sweepJob('visitInvitations', sweepVisitInvitations, 60_000),
  sweepJob('visitExpiry', sweepVisitExpiry, 60_000),
  sweepJob('callbackOverdue', sweepCallbackOverdue, 60_000),
  purgeIdempotencyKeysJob,
  purgeAuditLogJob,
];

/** ±10 % around the interval, so instances started together drift apart instead of sweeping in lockstep. */
const JITTER = 0.1;
/** The first run of each job comes at a random moment within this many milliseconds of the start. */
const FIRST_RUN_WITHIN_MS = 5_000;
const jittered = (ms: number) => Math.round(ms * (1 - JITTER + Math.random() * 2 * JITTER));

export interface Workers {
  /** Stops scheduling and waits for the runs under way to finish. */
  stop(): Promise<void>;
}

/**
 * Runs each job on its interval with jitter. A job never overlaps itself: the next run is scheduled when the
 * current one has finished. A failing run is logged and the job carries on at its next interval.
 */
export function startWorkers(
  services: WorkerServices,
  jobs: readonly Job[] = DEFAULT_JOBS,
  options: { firstRunWithinMs?: number } = {},
): Workers {
  const spread = options.firstRunWithinMs ?? FIRST_RUN_WITHIN_MS;
  const log: WorkerLog = services.log ?? pino({ name: 'workers', level: services.config.logLevel });
  const context = { ...services, log };
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  const schedule = (job: Job, delay: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = runOnce(job);
      running.add(run);
      void run.finally(() => running.delete(run));
    }, delay);
    timer.unref();
    timers.add(timer);
  };

  const runOnce = async (job: Job) => {
    let next = jittered(job.intervalMs);
    try {
      const processed = await job.run(context, job.limit);
      if (processed >= job.limit) next = 0;
      if (processed > 0) log.debug({ job: job.name, processed }, 'background job run');
    } catch (error) {
      log.error({ err: error, job: job.name }, `background job ${job.name} failed`);
    }
    schedule(job, next);
  };

  // Soon after start (a restarted instance catches up at once), spread so that jobs do not all start together.
  for (const job of jobs) schedule(job, Math.round(Math.random() * Math.min(spread, job.intervalMs)));

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
