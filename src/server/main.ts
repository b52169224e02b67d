import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { DataDirLockedError } from './db/lock.ts';
import { migrate } from './db/migrate.ts';
import { loadDemoDataIfEmpty } from './demo/demo-data.ts';
import { DEFAULT_JOBS, startWorkers } from './jobs/workers.ts';
import { DevelopmentOtpSender } from './modules/auth/otp-sender.ts';
import { purgeExpiredSessions } from './modules/auth/session.service.ts';
import { ensureCaseNumberSequence } from './modules/cases/cases.repository.ts';
import { createNotificationBus } from './modules/notifications/notification-bus.ts';
import { deliveryDeps, outboxJob, wakeOnOutbox } from './modules/notifications/outbox-delivery.ts';

/** `npm start`: open the database, migrate, load the demo data on first run, serve API + web apps. */
async function main() {
  const config = loadConfig();
  process.env.TZ ??= config.timeZone;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.dbPoolMax,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`\n✖ ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const applied = await migrate(database);
  // This year's and next year's case-number sequences, so New Year's first intakes find theirs.
  const year = new Date().getUTCFullYear();
  for (const y of [year, year + 1]) await database.transaction((trx) => ensureCaseNumberSequence(trx, y));
  const otpSender = new DevelopmentOtpSender();
  const notificationBus = await createNotificationBus(database, config.databaseUrl);
  const services = { database, config, otpSender, clock: systemClock, notificationBus };
  const app = await buildApp(services);
  otpSender.attachLogger(app.log);
  notificationBus.attachLogger?.(app.log);
  if (applied.length) app.log.info({ applied }, 'migrations applied');
  const demo = config.demoData ? await loadDemoDataIfEmpty(database, app.log, { config, clock: systemClock }) : null;

  // Expired sessions are dropped at start-up and hourly (idempotent, so every instance may do it).
  const purge = () =>
    purgeExpiredSessions(database.db, config).catch((error: unknown) =>
      app.log.warn({ err: error }, 'purging expired sessions failed'),
    );
  await purge();
  setInterval(purge, 3_600_000).unref();
  // The sweeps and the outbox (BACKGROUND_WORKERS): each item is claimed once, so every instance may run them.
  const outbox = deliveryDeps(services, app.log.child({ module: 'notifications' }));
  const workers = config.workers
    ? startWorkers({ database, config, clock: systemClock, log: app.log.child({ module: 'workers' }) }, [
        ...DEFAULT_JOBS,
        outboxJob(outbox),
      ])
    : null;
  const outboxWake = config.workers ? wakeOnOutbox(database, outbox) : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await workers?.stop();
      await outboxWake?.stop();
      await app.close();
      await notificationBus.close();
    } finally {
      await database.close();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const base = `http://${shownHost}:${port}`;
  const lines = [
    '',
    `Linli 邻里 is running (${database.kind === 'embedded' ? `embedded PostgreSQL in ${database.location}` : database.location})`,
    `  Staff console  员工工作台   ${base}/console/`,
    `  Resident H5    居民端       ${base}/h5/`,
    `  API docs       接口文档     ${base}/api/docs`,
  ];
  if (demo) {
    lines.push('', `Demo logins (password for all staff: ${demo.password}):`);
    for (const login of demo.logins) lines.push(`  ${login.username.padEnd(17)} ${login.description}`);
    lines.push(
      `  Residents sign in at /h5/ with a phone number, e.g. ${demo.residentPhone}; the code is printed in this log.`,
    );
  }
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
