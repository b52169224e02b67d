import { runCli } from '../src/server/backup/cli.ts';

/** `npm run restore -- <file>`: see src/server/backup/restore.ts. */
process.exitCode = await runCli('restore', process.argv.slice(2));
