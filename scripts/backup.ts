import { runCli } from '../src/server/backup/cli.ts';

/** `npm run backup -- <file>`: see src/server/backup/backup.ts. */
process.exitCode = await runCli('backup', process.argv.slice(2));
