import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/support/cases.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { DEFAULT_JOBS, type Job, startWorkers, type WorkerLog } from './workers.ts';

const MONDAY_10 = '2026-11-23T02:00:00Z';
const DAY = 86_400_000;

/** Waits until `done()` holds; fails after `within` ms (generous: a bound for a hang, not a measurement). */
async function eventually(done: () => boolean | Promise<boolean>, what: string, within = 10_000) {
  const until = Date.now() + within;
  while (!(await done())) {
    if (Date.now() > until) assert.fail(`never: ${what}`);
    await sleep(5);
  }
}

function recordingLog() {
  const errors: Array<{ obj: Record<string, unknown>; msg: string | undefined }> = [];
  const log: WorkerLog = {
    error: (obj, msg) => errors.push({ obj: obj as Record<string, unknown>, msg }),
    debug: () => {},
  };
  return { log, errors };
}

const services = (log: WorkerLog) => ({
  database: {} as Database,
  config: loadConfig({ SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent' }),
  clock: new ManualClock(MONDAY_10),
  log,
});

describe('background workers', () => {
  test('the default jobs: colours every 30 s; chases, visits and overdue calls every 60 s; old idempotency keys every 10 min; expired audit records every hour', () => {
    assert.deepEqual(
      DEFAULT_JOBS.map((j) => [j.name, j.intervalMs]),
      [
        ['caseColours', 30_000],
        ['chases', 60_000],
        ['visitInvitations', 60_000],
        ['visitExpiry', 60_000],
        ['callbackOverdue', 60_000],
        ['idempotencyKeys', 600_000],
        ['auditRetention', 3_600_000],
      ],
    );
  });

  test('a job runs again and again but never overlaps itself', async () => {
    let runs = 0;
    let active = 0;
    let most = 0;
    const job: Job = {
      name: 'slow',
      intervalMs: 1,
      limit: 10,
      async run() {
        active += 1;
        most = Math.max(most, active);
        await sleep(10);
        active -= 1;
        runs += 1;
        return 0;
      },
    };
    const workers = startWorkers(services(recordingLog().log), [job], { firstRunWithinMs: 0 });
    await eventually(() => runs >= 5, 'five runs');
    await workers.stop();
    assert.equal(most, 1);
  });

  test('a failing run is logged and the job carries on', async () => {
    const { log, errors } = recordingLog();
    let runs = 0;
    const job: Job = {
      name: 'flaky',
      intervalMs: 1,
      limit: 10,
      async run() {
        runs += 1;
        if (runs === 1) throw new Error('database unreachable');
        return 0;
      },
    };
    const workers = startWorkers(services(log), [job], { firstRunWithinMs: 0 });
    await eventually(() => runs >= 3, 'runs after the failure');
    await workers.stop();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.obj.job, 'flaky');
    assert.equal((errors[0]!.obj.err as Error).message, 'database unreachable');
  });

  test('a run that used its whole batch is followed at once by another, until the backlog is gone', async () => {
    const batches = [5, 5, 5, 2];
    let runs = 0;
    const job: Job = {
      name: 'backlog',
      intervalMs: 3_600_000,
      limit: 5,
      async run() {
        return batches[runs++] ?? 0;
      },
    };
    const workers = startWorkers(services(recordingLog().log), [job], { firstRunWithinMs: 0 });
    await eventually(() => runs >= 4, 'the backlog drained without waiting an interval');
    await workers.stop();
    assert.equal(runs, 4, 'after a short batch the job waits its interval');
  });

  test('stop waits for the run under way and nothing runs after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    let finished = 0;
    const job: Job = {
      name: 'held',
      intervalMs: 1,
      limit: 10,
      async run() {
        started += 1;
        await gate;
        finished += 1;
        return 0;
      },
    };
    const workers = startWorkers(services(recordingLog().log), [job], { firstRunWithinMs: 0 });
    await eventually(() => started === 1, 'the first run started');
    let stopped = false;
    const stopping = workers.stop().then(() => {
      stopped = true;
    });
    await sleep(20);
    assert.equal(stopped, false, 'stop waits for the run');
    release();
    await stopping;
    assert.equal(finished, 1);
    await sleep(20);
    assert.equal(started, 1, 'no run after stop');
  });
});

for (const kind of await databaseKinds()) {
  describe(`background workers on the case loop (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    test('the default jobs chase a task-force item that is due', async () => {
      const created = await w.streetA.post('/api/cases', {
        caseType: 'task',
        channel: 'task',
        title: '背街小巷环境整治',
        description: '专班任务：背街小巷环境整治，按周报送进度。',
        unitId: w.territory.streetA.id,
        manualColour: 'red',
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().case.id as number;
      clock.set(new Date(Date.parse(MONDAY_10) + 7 * DAY));
      const { log, errors } = recordingLog();
      const fast = DEFAULT_JOBS.map((job) => ({ ...job, intervalMs: 10 }));
      const workers = startWorkers({ database: t.database, config: t.config, clock, log }, fast, {
        firstRunWithinMs: 0,
      });
      const chases = async () =>
        (
          await t.database.db
            .selectFrom('case_events')
            .select('id')
            .where('case_id', '=', id)
            .where('action', '=', 'chase')
            .execute()
        ).length;
      try {
        await eventually(async () => (await chases()) > 0, 'the chase');
      } finally {
        await workers.stop();
      }
      assert.equal(await chases(), 1);
      assert.deepEqual(errors, []);
    });
  });
}
