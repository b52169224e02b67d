import type { Database } from '../db/database.ts';
import type { FileStore } from '../modules/attachments/file-store.ts';

/**
 * Attachment bytes live in the file store (DATA_DIR/uploads), not in the database, so a backup file does not hold
 * them: the operator copies the folder beside it. This check makes that step visible. After a backup it says how
 * many files the copy must hold; after a restore it says how many of the restored attachments have their file
 * in the target's store. Until the folder is copied, those attachments answer 404. Only sizes are compared with
 * the recorded byte_size; reading every file to hash it would take as long as copying them.
 */
export interface UploadFilesCheck {
  /** Attachment rows in the database. */
  attachments: number;
  /** Rows whose file is in the store with the recorded size. */
  present: number;
  /** Total recorded size of all attachments' files, in bytes. */
  bytes: number;
  /** Rows with no file under their storage key. */
  missing: number;
  /** Rows whose file has a size other than the recorded one (cut off or replaced). */
  wrongSize: number;
  /** Up to five storage keys of missing or wrong-size files, for the operator to look at. */
  examples: string[];
}

const PAGE = 1000;
const EXAMPLES = 5;

export async function checkUploadFiles(database: Database, store: FileStore): Promise<UploadFilesCheck> {
  const check: UploadFilesCheck = { attachments: 0, present: 0, bytes: 0, missing: 0, wrongSize: 0, examples: [] };
  let after: string | null = null;
  for (;;) {
    let page = database.db
      .selectFrom('attachments')
      .select(['id', 'storage_key', 'byte_size'])
      .orderBy('id')
      .limit(PAGE);
    if (after !== null) page = page.where('id', '>', after);
    const rows = await page.execute();
    for (const row of rows) {
      check.attachments += 1;
      check.bytes += row.byte_size;
      const size = await store.size(row.storage_key);
      if (size === row.byte_size) {
        check.present += 1;
        continue;
      }
      if (size === null) check.missing += 1;
      else check.wrongSize += 1;
      if (check.examples.length < EXAMPLES) check.examples.push(row.storage_key);
    }
    if (rows.length < PAGE) return check;
    after = (rows.at(-1) as { id: string }).id;
  }
}

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function problems(check: UploadFilesCheck): string | null {
  const parts = [
    check.missing ? `${check.missing.toLocaleString('en-US')} missing` : '',
    check.wrongSize ? `${check.wrongSize.toLocaleString('en-US')} of the wrong size` : '',
  ].filter(Boolean);
  return parts.length ? `${parts.join(' and ')} (e.g. ${check.examples.join(', ')})` : null;
}

/** What `npm run backup` prints about the files it did not take. */
export function describeAfterBackup(check: UploadFilesCheck, folder: string, backupFile: string): string[] {
  if (check.attachments === 0) return ['No attachments: there are no upload files to copy.'];
  const lines = [
    `Attachment files are not in the backup: copy ${folder} beside it, e.g. rsync -a ${folder}/ ${backupFile}.uploads/ ` +
      `(${check.attachments.toLocaleString('en-US')} attachments, ${mebibytes(check.bytes)} plus thumbnails).`,
  ];
  const wrong = problems(check);
  if (wrong) lines.push(`⚠ Already in ${folder}: ${wrong}. Those attachments answer 404 now and cannot be backed up.`);
  return lines;
}

/** What `npm run restore` prints about the restored attachments' files in the target's store. */
export function describeAfterRestore(check: UploadFilesCheck, folder: string): string[] {
  if (check.attachments === 0) return ['No attachments: no upload files are needed.'];
  const wrong = problems(check);
  if (!wrong) {
    return [
      `All ${check.attachments.toLocaleString('en-US')} attachment files are in ${folder} with their recorded size.`,
    ];
  }
  return [
    `⚠ ${check.present.toLocaleString('en-US')} of ${check.attachments.toLocaleString('en-US')} attachment files are in ${folder}; ` +
      `${wrong}. Copy the uploads folder saved with the backup into ${folder} (rsync -a <saved>/ ${folder}/); ` +
      'until then those attachments answer 404. Run `npm run check:uploads` to check again.',
  ];
}
