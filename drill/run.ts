import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crashDrill } from './crash-drill.ts';
import { cleanupAll } from './processes.ts';
import { restartDrill } from './restart-drill.ts';
import { type DrillRow, formatTable, passed } from './table.ts';

/**
 * `npm run drill [-- --only crash,restart,backup] [--rounds N] [--clients N] [--database postgres|embedded]`:
 * the crash, restart and backup drills; prints the table, writes it to drill/RESULTS.md, exits 1 when anything
 * acknowledged was lost or duplicated or a drill failed.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const DRILLS = ['crash', 'restart', 'backup'] as const;
type Drill = (typeof DRILLS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string' },
    clients: { type: 'string', default: '20' },
    database: { type: 'string' },
  },
  allowPositionals: false,
});

const only = new Set<Drill>(
  values.only
    ? values.only.split(',').map((name) => {
        const drill = name.trim() as Drill;
        if (!DRILLS.includes(drill)) throw new Error(`unknown drill "${name}" (choose from ${DRILLS.join(', ')})`);
        return drill;
      })
    : DRILLS,
);
const positive = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
};
const rounds = positive(values.rounds, 'rounds');
const clients = positive(values.clients, 'clients') ?? 20;
const databases = (values.database ? [values.database] : ['postgres', 'embedded']) as ('postgres' | 'embedded')[];
for (const kind of databases) {
  if (kind !== 'postgres' && kind !== 'embedded') throw new Error('--database must be postgres or embedded');
}

const log = (line: string) => console.log(line);

async function backupRows(): Promise<DrillRow[]> {
  const file = path.join(HERE, 'backup-drill.ts');
  if (!existsSync(file)) {
    return databases.map((database) => ({
      drill: 'backup and restore',
      database,
      rounds: 0,
      acknowledged: 0,
      lost: 0,
      duplicated: 0,
      notes: 'not present (drill/backup-drill.ts)',
      skipped: true,
    }));
  }
  const specifier = new URL('./backup-drill.ts', import.meta.url).href;
  const module = (await import(specifier)) as { backupDrill?: () => Promise<DrillRow[]> };
  if (typeof module.backupDrill !== 'function') throw new Error('drill/backup-drill.ts does not export backupDrill()');
  return module.backupDrill();
}

async function main(): Promise<number> {
  const started = Date.now();
  const rows: DrillRow[] = [];
  const failedRow = (drill: string, database: DrillRow['database'], error: unknown): DrillRow => ({
    drill,
    database,
    rounds: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    notes: (error as Error).message.split('\n')[0] ?? String(error),
    failed: true,
  });
  try {
    if (only.has('crash')) {
      for (const kind of databases) {
        log(`crash drill on ${kind} (${rounds ?? 10} rounds, ${clients} clients) …`);
        rows.push(await crashDrill(kind, { rounds: rounds ?? 10, clients, log }));
        await cleanupAll();
      }
    }
    if (only.has('restart') && databases.includes('postgres')) {
      log(`PostgreSQL restart drill (${rounds ?? 3} rounds, ${clients} clients) …`);
      rows.push(await restartDrill({ rounds: rounds ?? 3, clients, log }));
      await cleanupAll();
    }
    if (only.has('backup')) {
      log('backup drill …');
      try {
        rows.push(...(await backupRows()).filter((row) => databases.includes(row.database)));
      } catch (error) {
        rows.push(failedRow('backup and restore', databases[0] ?? 'postgres', error));
      }
      await cleanupAll();
    }
  } finally {
    await cleanupAll();
  }
  const table = formatTable(rows);
  const ok = passed(rows);
  const wall = ((Date.now() - started) / 1000).toFixed(0);
  const command = `npm run drill${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  console.log(`\n${table}\n\n${ok ? 'PASS' : 'FAIL'}: nothing lost or duplicated${ok ? '' : ' — NOT met'}; ${wall} s`);
  const results = [
    '# Drill results',
    '',
    `\`${command}\` on ${new Date().toISOString()} (${wall} s wall time, Node ${process.version}):`,
    '',
    table,
    '',
    `Verdict: ${ok ? 'PASS' : 'FAIL'}. See [README.md](README.md) for what each drill does.`,
    '',
  ].join('\n');
  writeFileSync(path.join(HERE, 'RESULTS.md'), results);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error);
    await cleanupAll();
    process.exit(1);
  },
);
