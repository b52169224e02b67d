import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { createFileStore } from '../modules/attachments/file-store.ts';
import { BackupError, writeBackup } from './backup.ts';
import { restoreBackup } from './restore.ts';
import { checkUploadFiles, describeAfterBackup, describeAfterRestore } from './upload-files.ts';

/**
 * `npm run backup -- <file>`, `npm run restore -- <file>` and `npm run check:uploads` (scripts/backup.ts,
 * scripts/restore.ts, scripts/check-uploads.ts): the database the server would use (DATABASE_URL, else the embedded
 * one in DATA_DIR) and its upload folder (DATA_DIR/uploads). Exit 0 done, 2 refused (usage, a running server holding
 * the embedded database, a non-empty target, a damaged file: nothing written), 1 anything else; check:uploads exits
 * 1 when an attachment's file is missing or of the wrong size.
 */
type Command = 'backup' | 'restore' | 'check-uploads';

const USAGE: Record<Command, string> = {
  backup: 'usage: npm run backup -- <file>   (writes a new gzip file; DATABASE_URL or DATA_DIR as for the server)',
  restore: 'usage: npm run restore -- <file>  (into an EMPTY database: a new DATABASE_URL database or a new DATA_DIR)',
  'check-uploads': 'usage: npm run check:uploads   (every attachment has its file in DATA_DIR/uploads; no arguments)',
};

/** A relative path is taken from where `npm run` was typed, not the project folder npm changes to. */
function resolveFile(file: string): string {
  return path.resolve(process.env.INIT_CWD || process.cwd(), file);
}

async function open(command: Command, config: Config): Promise<Database> {
  if (!config.databaseUrl && command !== 'restore' && !existsSync(path.join(config.dataDir, 'pgdata'))) {
    throw new BackupError(`there is no embedded database in DATA_DIR ${config.dataDir} (and DATABASE_URL is not set)`);
  }
  try {
    return await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new BackupError(
        `${error.message}\n  The embedded database can be opened by one process only: stop the server for the ${command} ` +
          '(a backup of the demo data takes about a second), then start it again. For backups while serving, run Linli ' +
          'on a PostgreSQL server (DATABASE_URL): its backup reads one consistent snapshot while the server keeps writing.',
      );
    }
    throw error;
  }
}

const thousands = (n: number) => n.toLocaleString('en-US');

export async function runCli(command: Command, argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (command === 'check-uploads' ? args.length !== 0 : args.length !== 1 || args[0]?.startsWith('-')) {
    console.error(USAGE[command]);
    return 2;
  }
  const file = args[0] ? resolveFile(args[0]) : '';
  let database: Database | undefined;
  try {
    // The session secret is not needed here: a placeholder keeps loadConfig from generating one into DATA_DIR.
    const config = loadConfig({ ...process.env, SESSION_SECRET: process.env.SESSION_SECRET || 'x'.repeat(32) });
    database = await open(command, config);
    const log = (line: string) => console.log(line);
    const store = createFileStore(config);
    const folder = path.join(config.dataDir, 'uploads');
    if (command === 'backup') {
      console.log(`Backing up ${database.location} to ${file}`);
      const s = await writeBackup(database, file, { log });
      console.log(
        `✔ ${thousands(s.rows)} rows in ${s.tables.length} tables, ${s.sequences} sequences, ${s.migrations} migrations; ` +
          `${thousands(s.bytes)} bytes in ${(s.ms / 1000).toFixed(1)} s → ${s.file}`,
      );
      for (const line of describeAfterBackup(await checkUploadFiles(database, store), folder, s.file))
        console.log(line);
    } else if (command === 'restore') {
      console.log(`Restoring ${file} into ${database.location}`);
      const s = await restoreBackup(database, file, { log });
      console.log(
        `✔ ${thousands(s.rows)} rows in ${s.tables.length} tables, ${s.sequences} sequences restored in ${(s.ms / 1000).toFixed(1)} s` +
          (s.upgraded.length ? `; then ${s.upgraded.length} newer migrations applied: ${s.upgraded.join(', ')}` : ''),
      );
      for (const line of describeAfterRestore(await checkUploadFiles(database, store), folder)) console.log(line);
    } else {
      const check = await checkUploadFiles(database, store);
      for (const line of describeAfterRestore(check, folder)) console.log(line);
      return check.present === check.attachments ? 0 : 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(`✖ ${command} refused: ${error.message}`);
      return 2;
    }
    console.error(`✖ ${command} failed:`, error);
    return 1;
  } finally {
    await database?.close();
  }
}
