import { runCli } from '../src/server/backup/cli.ts';

/** `npm run check:uploads`: every attachment's file is in DATA_DIR/uploads; see src/server/backup/upload-files.ts. */
process.exitCode = await runCli('check-uploads', process.argv.slice(2));
