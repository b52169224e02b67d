import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { rowDigests, type TableChecksum, tableChecksums } from '../src/server/backup/checksums.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { loadDemoDataIfEmpty } from '../src/server/demo/demo-data.ts';
import { ensureCaseNumberSequence } from '../src/server/modules/cases/cases.repository.ts';
import { createDrillDatabase, SERVER_URL, withDatabase } from './app.ts';
import { tempDir, withTimeout } from './processes.ts';
import type { DrillRow } from './table.ts';

/**
 * Backup drill, per database: a database with the demo data (territory, people, accounts, cases with their
 * timelines, notices, activities), backed up with the real `npm run backup` and restored with the real
 * `npm run restore` (child processes, configured by DATABASE_URL / DATA_DIR as the server is) into a fresh
 * database; then every table is compared by row count and checksum (checksums.ts), and where a table differs,
 * row by row. acknowledged = rows backed up, lost = rows missing or different after the restore, duplicated =
 * rows the restore has that the original has not (or has more often).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMMAND_TIMEOUT_MS = 300_000;

type Kind = DrillRow['database'];
interface Place {
  databaseUrl?: string;
  dataDir: string;
}

async function place(kind: Kind, label: string): Promise<Place> {
  if (kind === 'postgres')
    return { databaseUrl: await createDrillDatabase(SERVER_URL, label), dataDir: tempDir('linli-bk-') };
  return { dataDir: path.join(tempDir('linli-bk-'), 'data') };
}

/** As `npm start` leaves a new installation: migrated, demo data and demo cases, this and next year's sequences. */
async function seedDemo(where: Place): Promise<void> {
  const config = loadConfig({
    SESSION_SECRET: 'drill-secret-drill-secret-drill-secret-0',
    DATA_DIR: where.dataDir,
    LOG_LEVEL: 'silent',
  });
  await withDatabase(where, async (database) => {
    await migrate(database);
    const year = new Date().getUTCFullYear();
    for (const y of [year, year + 1]) await database.transaction((trx) => ensureCaseNumberSequence(trx, y));
    await loadDemoDataIfEmpty(database, pino({ level: 'silent' }), { config, clock: systemClock });
  });
}

/** Runs `npm run -s <script> -- <file>` in the project with the place's configuration; resolves to its time in ms. */
async function npmRun(script: 'backup' | 'restore', file: string, where: Place): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['run', '-s', script, '--', file], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: where.databaseUrl ?? '', DATA_DIR: where.dataDir, INIT_CWD: ROOT },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await withTimeout(
    new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c))),
    COMMAND_TIMEOUT_MS,
    `npm run ${script}`,
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  if (code !== 0)
    throw new Error(`npm run ${script} exited with ${code}: ${output.trim().split('\n').slice(-3).join(' / ')}`);
  return performance.now() - started;
}

/** Rows of `table` in `before` that are missing or different in `after`, and rows `after` has in excess. */
async function rowDifferences(before: Place, after: Place, table: string) {
  const a = await withDatabase(before, (database) => rowDigests(database, table));
  const b = await withDatabase(after, (database) => rowDigests(database, table));
  let lost = 0;
  let extra = 0;
  for (const [key, digest] of a) if (b.get(key) !== digest) lost += 1;
  for (const key of b.keys()) if (!a.has(key)) extra += 1;
  return { lost, extra };
}

async function drillOne(kind: Kind): Promise<DrillRow> {
  const row: DrillRow = {
    drill: 'backup and restore',
    database: kind,
    rounds: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    notes: '',
  };
  try {
    const source = await place(kind, 'bksrc');
    await seedDemo(source);
    const file = path.join(tempDir('linli-bk-file-'), 'linli.backup.gz');
    const backupMs = await npmRun('backup', file, source);
    const target = await place(kind, 'bkdst');
    const restoreMs = await npmRun('restore', file, target);
    const before = await withDatabase(source, (database) => tableChecksums(database));
    const after = new Map(
      (await withDatabase(target, (database) => tableChecksums(database))).map((t): [string, TableChecksum] => [
        t.table,
        t,
      ]),
    );
    const differing: string[] = [];
    for (const table of before) {
      if (table.table === '(sequences)') {
        if (after.get(table.table)?.checksum !== table.checksum) differing.push('sequences');
        continue;
      }
      row.acknowledged += table.rows;
      const restored = after.get(table.table);
      if (restored && restored.rows === table.rows && restored.checksum === table.checksum) continue;
      differing.push(table.table);
      const { lost, extra } = restored
        ? await rowDifferences(source, target, table.table)
        : { lost: table.rows, extra: 0 };
      row.lost += lost;
      row.duplicated += extra;
    }
    for (const name of after.keys()) if (!before.some((t) => t.table === name)) differing.push(`${name} (extra)`);
    row.rounds = 1;
    const tables = before.length - 1;
    const sequences = before.find((t) => t.table === '(sequences)')?.rows ?? 0;
    row.notes =
      `${tables} tables + ${sequences} sequences compared (count and checksum), ` +
      (differing.length ? `DIFFERENT: ${differing.join(', ')}` : 'all equal') +
      `; file ${(statSync(file).size / 1024).toFixed(0)} KiB; backup ${(backupMs / 1000).toFixed(1)} s, restore ${(restoreMs / 1000).toFixed(1)} s (npm run, incl. start-up)`;
    if (differing.includes('sequences')) row.failed = true;
  } catch (error) {
    row.failed = true;
    row.notes = (error as Error).message.split('\n')[0] ?? String(error);
  }
  return row;
}

export async function backupDrill(): Promise<DrillRow[]> {
  const rows: DrillRow[] = [];
  for (const kind of ['postgres', 'embedded'] as const) rows.push(await drillOne(kind));
  return rows;
}
