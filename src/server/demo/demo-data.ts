import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database, Trx } from '../db/database.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { buildAccounts } from './build-accounts.ts';
import { buildParty } from './build-party.ts';
import { buildResidents } from './build-residents.ts';
import { buildStaff } from './build-staff.ts';
import { buildTerritory } from './build-territory.ts';
import { type Dataset, DatasetBuilder } from './dataset.ts';
import { loadDemoActivities } from './demo-activities.ts';
import { loadDemoCases } from './demo-cases.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo-logins.ts';
import { loadDemoNotices } from './demo-notices.ts';
import { type InsertedCounts, insertDataset } from './insert-dataset.ts';
import { DEMO_RESIDENT_PHONE, PeopleFactory } from './people-factory.ts';
import { Random } from './random.ts';

export { DEMO_LOGINS, DEMO_PASSWORD, DEMO_USERNAMES } from './demo-logins.ts';
export { DEMO_RESIDENT_PHONE } from './people-factory.ts';

export interface DemoSummary {
  password: string;
  logins: Array<{ username: string; description: string }>;
  residentPhone: string;
}

const SEED = 20_261_123;

/** The whole demo data set, built in memory from the seed: the same objects on every run. */
export function buildDemoDataset(seed = SEED): Dataset {
  const random = new Random(seed);
  const b = new DatasetBuilder();
  const people = new PeopleFactory(b, random);
  const territory = buildTerritory(b, random);
  const staff = buildStaff(b, people, random, territory);
  const residents = buildResidents(b, people, random, territory, staff);
  buildParty(b, people, random, territory, staff, residents);
  buildAccounts(b, people, territory, staff);
  return b;
}

/**
 * Loads the demo data inside the caller's transaction when the units table is empty; returns the counts,
 * or null when there was already data. An advisory lock makes two instances starting together against
 * one PostgreSQL server load it once.
 */
export async function loadDemoData(trx: Trx, passwordHash: string): Promise<InsertedCounts | null> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('linli:demo-data'))`.execute(trx);
  const existing = await trx.selectFrom('units').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  return insertDataset(trx, buildDemoDataset(), passwordHash);
}

function summary(): DemoSummary {
  return {
    password: DEMO_PASSWORD,
    logins: DEMO_LOGINS.map(({ username, description }) => ({ username, description })),
    residentPhone: DEMO_RESIDENT_PHONE,
  };
}

/**
 * Loads the demo territory on first run (an empty units table), in one transaction. On later runs it
 * returns the summary again while the demo accounts exist, so the start-up banner keeps showing them.
 * With `cases`, the demo cases follow (demo-cases.ts) while the cases table is empty.
 */
export async function loadDemoDataIfEmpty(
  database: Database,
  log: FastifyBaseLogger,
  cases?: { config: Config; clock: Clock },
): Promise<DemoSummary | null> {
  const hasUnits = await database.db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  if (hasUnits) {
    const demo = await database.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', DEMO_LOGINS[0]?.username ?? '')
      .executeTakeFirst();
    if (demo && cases) await loadCases(database, log, cases);
    return demo ? summary() : null;
  }
  const started = performance.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const counts = await database.transaction((trx) => loadDemoData(trx, passwordHash));
  if (!counts) return null;
  log.info({ ...counts, ms: Math.round(performance.now() - started) }, 'demo data loaded');
  if (cases) await loadCases(database, log, cases);
  return summary();
}

/**
 * The demo cases, notices and activities are a convenience: when they cannot be written the server still
 * starts. Each loader writes only while its own tables are empty and answers null when it wrote nothing.
 */
async function loadCases(database: Database, log: FastifyBaseLogger, deps: { config: Config; clock: Clock }) {
  const loaders = [
    ['cases', loadDemoCases],
    ['notices', loadDemoNotices],
    ['activities', loadDemoActivities],
  ] as const;
  for (const [what, load] of loaders) {
    const started = performance.now();
    try {
      const count = await load(database, deps.config, deps.clock);
      if (count !== null)
        log.info({ [what]: count, ms: Math.round(performance.now() - started) }, `demo ${what} loaded`);
    } catch (error) {
      log.warn({ err: error }, `demo ${what} were not loaded`);
    }
  }
}
