import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from '../../../test/support/app.ts';
import { type DbKind, databaseKinds, freshDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { buildApp } from '../app.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { listMigrations, migrate } from '../db/migrate.ts';
import { DEMO_PASSWORD, loadDemoDataIfEmpty } from '../demo/demo-data.ts';
import { createFileStore, newStorageKey } from '../modules/attachments/file-store.ts';
import { DevelopmentOtpSender } from '../modules/auth/otp-sender.ts';
import { ensureCaseNumberSequence } from '../modules/cases/cases.repository.ts';
import { createNotificationBus } from '../modules/notifications/notification-bus.ts';
import { BackupError, writeBackup } from './backup.ts';
import { publicRelations } from './catalog.ts';
import { tableChecksums } from './checksums.ts';
import { restoreBackup } from './restore.ts';
import { checkUploadFiles, describeAfterBackup, describeAfterRestore } from './upload-files.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = loadConfig({
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  DATA_DIR: '/tmp/linli-test-unused',
  WEB_DIR: '/nonexistent',
  LOG_LEVEL: 'silent',
});
const silentLog = { info() {}, warn() {}, error() {}, debug() {} } as never;

/** An EMPTY database (no migrations): in-memory PGlite, or a new database on the server, dropped by `dispose`. */
const emptyDatabase = (kind: DbKind) => freshDatabase(kind, { migrate: false });

/** As a first `npm start` leaves it: migrated, demo territory, people, accounts, cases, notices, activities. */
async function demoDatabase(kind: DbKind) {
  const target = await emptyDatabase(kind);
  await loadDemo(target.database);
  return target;
}

async function loadDemo(database: Database) {
  await migrate(database);
  const year = new Date().getUTCFullYear();
  for (const y of [year, year + 1]) await database.transaction((trx) => ensureCaseNumberSequence(trx, y));
  assert.ok(await loadDemoDataIfEmpty(database, silentLog, { config, clock: systemClock }));
}

/**
 * Three attachments on the first case, their files put into `dataDir`'s store: one whole, one cut short (a
 * different size than recorded), one never written. Returns the storage keys in that order.
 */
const ATTACHMENT_BYTES = Buffer.from('%PDF-1.4\n% a scanned notice\n%%EOF\n');

async function addAttachments(database: Database, dataDir: string): Promise<[string, string, string]> {
  const store = createFileStore({ dataDir });
  const someCase = await database.db
    .selectFrom('cases')
    .select(['id'])
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const account = await database.db
    .selectFrom('accounts')
    .select(['id'])
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const keys = [newStorageKey(), newStorageKey(), newStorageKey()] as [string, string, string];
  const bytes = ATTACHMENT_BYTES;
  await store.put(keys[0], bytes);
  await store.put(keys[1], bytes.subarray(0, 10));
  for (const key of keys) {
    await database.db
      .insertInto('attachments')
      .values({
        id: randomUUID(),
        case_id: someCase.id,
        uploader_account_id: account.id,
        kind: 'document',
        content_type: 'application/pdf',
        byte_size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        storage_key: key,
      })
      .execute();
  }
  return keys;
}

async function assertSameData(original: Database, restored: Database) {
  const before = await tableChecksums(original);
  const after = await tableChecksums(restored);
  assert.deepEqual(
    after.map((t) => t.table),
    before.map((t) => t.table),
    'the same tables',
  );
  for (const [i, table] of before.entries()) {
    assert.equal(after[i]?.rows, table.rows, `${table.table}: row count`);
    assert.equal(after[i]?.checksum, table.checksum, `${table.table}: checksum`);
  }
  return before;
}

const folder = mkdtempSync(path.join(tmpdir(), 'linli-backup-test-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let fileSeq = 0;
const newFile = () => path.join(folder, `backup-${++fileSeq}.jsonl.gz`);

const kinds = await databaseKinds();
for (const kind of kinds) {
  describe(`backup and restore (${kind})`, () => {
    let source: TestDatabase;
    let file: string;
    before(async () => {
      source = await demoDatabase(kind);
      file = newFile();
      await writeBackup(source.database, file);
    });
    after(() => source.dispose());

    test('a restore into a fresh database has every table with the same rows and checksums, and the app serves it', async () => {
      const target = await emptyDatabase(kind);
      try {
        const summary = await restoreBackup(target.database, file);
        assert.deepEqual(summary.upgraded, [], 'backup and code are at the same schema');
        const checksums = await assertSameData(source.database, target.database);
        const counted = Object.fromEntries(checksums.map((t) => [t.table, t.rows]));
        for (const table of ['units', 'people', 'accounts', 'cases', 'case_events', 'schema_migrations']) {
          assert.ok((counted[table] ?? 0) > 0, `${table} has rows in the demo data`);
        }
        assert.equal(
          summary.rows,
          checksums.filter((t) => t.table !== '(sequences)').reduce((s, t) => s + t.rows, 0),
        );

        // The restored database is a working Linli: a demo login signs in and reads a case; new ids do not collide.
        const notificationBus = await createNotificationBus(target.database, undefined);
        const app = await buildApp(
          {
            database: target.database,
            config,
            otpSender: new DevelopmentOtpSender(),
            clock: systemClock,
            notificationBus,
          },
          { logger: false },
        );
        try {
          const client = new Client(app);
          const login = await client.post('/api/auth/login', { username: 'sysadmin', password: DEMO_PASSWORD });
          assert.equal(login.statusCode, 200, login.body);
          const cases = await client.get('/api/cases');
          assert.equal(cases.statusCode, 200, cases.body);
          assert.ok((cases.json() as { items: unknown[] }).items.length > 0);
          const unit = await target.database.db
            .insertInto('units')
            .values({ kind: 'district', name: '恢复后新建', path: `/x-${Date.now()}/`, depth: 0 })
            .returning('id')
            .executeTakeFirstOrThrow();
          const highest = await source.database.db
            .selectFrom('units')
            .select((eb) => eb.fn.max('id').as('max'))
            .executeTakeFirstOrThrow();
          assert.ok(unit.id > Number(highest.max), 'the identity sequence continues after the restored rows');
        } finally {
          await app.close();
          await notificationBus.close();
        }
      } finally {
        await target.dispose();
      }
    });

    test('a database that is not empty is refused and left as it was', async () => {
      const target = await emptyDatabase(kind);
      try {
        await migrate(target.database);
        const relations = await publicRelations(target.database.db);
        await assert.rejects(restoreBackup(target.database, file), (error: Error) => {
          assert.ok(error instanceof BackupError);
          assert.match(error.message, /not empty/);
          return true;
        });
        assert.deepEqual(await publicRelations(target.database.db), relations);
        const units = await target.database.db.selectFrom('units').select('id').execute();
        assert.equal(units.length, 0);
      } finally {
        await target.dispose();
      }
    });

    test('a truncated, corrupted or tampered file is refused with a clear message and nothing is written', async () => {
      const whole = readFileSync(file);
      const lines = gunzipSync(whole).toString('utf8').split('\n');
      const casesAt = lines.findIndex((l) => l.startsWith('{"table":"cases"'));
      assert.ok(casesAt > 0);
      const migrationsAt = lines.findIndex((l) => l.startsWith('{"table":"schema_migrations"'));
      assert.ok(migrationsAt > 0);
      const unitsAt = lines.findIndex((l) => l.startsWith('{"table":"units"'));
      assert.match(lines[unitsAt + 1] ?? '', /"(city|district)"/, 'the first unit is the city or the district');
      const flipped = Buffer.from(whole);
      const middle = Math.floor(flipped.length / 2);
      flipped[middle] = (flipped[middle] ?? 0) ^ 0xff;
      const damaged: Array<[string, Buffer, RegExp]> = [
        [
          'cut in the middle of the gzip stream',
          whole.subarray(0, Math.floor(whole.length * 0.6)),
          /damaged or incomplete/,
        ],
        ['one byte changed', flipped, /damaged/],
        ['cut at a line (valid gzip, no end record)', gzipSync(lines.slice(0, casesAt + 5).join('\n')), /incomplete/],
        [
          'a row dropped from a table',
          gzipSync(lines.filter((_, i) => i !== casesAt + 1).join('\n')),
          /cases should have \d+ rows/,
        ],
        [
          'a schema_migrations row that disagrees with the header',
          gzipSync(
            lines
              .map((l, i) => (i === migrationsAt + 1 ? l.replace(/"[0-9a-f]{64}"/, `"${'0'.repeat(64)}"`) : l))
              .join('\n'),
          ),
          /schema_migrations rows do not match its header/,
        ],
        [
          'a well-formed row the schema refuses (a unit of an unknown kind)',
          gzipSync(
            lines.map((l, i) => (i === unitsAt + 1 ? l.replace(/"(city|district)"/, '"kingdom"') : l)).join('\n'),
          ),
          /damaged: rows of units are refused by the schema \(.*units_kind_check/,
        ],
        ['not a backup at all', gzipSync('{"hello":"world"}\n'), /not a Linli backup/],
        ['not gzip', Buffer.from('plain text\n'), /damaged or incomplete/],
      ];
      const target = await emptyDatabase(kind);
      try {
        for (const [what, bytes, message] of damaged) {
          const bad = newFile();
          writeFileSync(bad, bytes);
          await assert.rejects(
            restoreBackup(target.database, bad),
            (error: Error) => error instanceof BackupError && message.test(error.message),
            what,
          );
          assert.deepEqual(await publicRelations(target.database.db), [], `${what}: nothing half-written`);
        }
        // The same empty database then takes the whole file.
        await restoreBackup(target.database, file);
        await assertSameData(source.database, target.database);
      } finally {
        await target.dispose();
      }
    });

    test('an old backup restores into the newer code: its own migrations, its rows, then the newer migrations', async () => {
      const all = listMigrations();
      const third = all[2]?.name as string;
      const old = await emptyDatabase(kind);
      const target = await emptyDatabase(kind);
      try {
        await migrate(old.database, undefined, { upTo: third });
        await old.database.db
          .insertInto('units')
          .values({ kind: 'district', name: '旧版本区', path: '/1/', depth: 0, id: 1 })
          .execute();
        const oldFile = newFile();
        await writeBackup(old.database, oldFile);
        const summary = await restoreBackup(target.database, oldFile);
        assert.deepEqual(
          summary.upgraded,
          all.slice(3).map((m) => m.name),
        );
        const unit = await target.database.db.selectFrom('units').select('name').executeTakeFirstOrThrow();
        assert.equal(unit.name, '旧版本区');
      } finally {
        await old.dispose();
        await target.dispose();
      }
    });

    test('a backup never overwrites a file and leaves no partial file when it fails', async () => {
      await assert.rejects(writeBackup(source.database, file), /exists already/);
      const empty = await emptyDatabase(kind);
      try {
        const target = newFile();
        await assert.rejects(writeBackup(empty.database, target), /not a Linli database/);
        assert.equal(existsSync(target), false);
        assert.deepEqual(
          readdirSync(folder).filter((f) => f.includes('.partial')),
          [],
        );
      } finally {
        await empty.dispose();
      }
    });
  });
}

for (const kind of kinds) {
  describe(`attachment files beside a backup (${kind})`, () => {
    test('backup and restore say which upload files must be copied and whether the target has them', async () => {
      const source = await demoDatabase(kind);
      const target = await emptyDatabase(kind);
      const sourceDir = path.join(folder, `uploads-source-${kind}`);
      const targetDir = path.join(folder, `uploads-target-${kind}`);
      try {
        const [whole, cut, never] = await addAttachments(source.database, sourceDir);
        const atSource = await checkUploadFiles(source.database, createFileStore({ dataDir: sourceDir }));
        assert.equal(atSource.attachments, 3);
        assert.equal(atSource.present, 1);
        assert.equal(atSource.missing, 1);
        assert.equal(atSource.wrongSize, 1);
        assert.deepEqual(new Set(atSource.examples), new Set([cut, never]));
        assert.ok(!atSource.examples.includes(whole));
        const file = newFile();
        await writeBackup(source.database, file);
        const told = describeAfterBackup(atSource, path.join(sourceDir, 'uploads'), file).join('\n');
        assert.match(told, new RegExp(`rsync -a ${path.join(sourceDir, 'uploads')}/ ${file}\\.uploads/`));
        assert.match(told, /1 missing and 1 of the wrong size/);

        // Restored rows without their files: every attachment is reported missing, nothing is taken as present.
        await restoreBackup(target.database, file);
        const targetStore = createFileStore({ dataDir: targetDir });
        const bare = await checkUploadFiles(target.database, targetStore);
        assert.deepEqual([bare.attachments, bare.present, bare.missing], [3, 0, 3]);
        assert.match(describeAfterRestore(bare, 'X').join('\n'), /0 of 3 attachment files are in X; 3 missing/);

        // Once the folder is copied over, the whole file is found again; the two broken ones stay reported.
        cpSync(path.join(sourceDir, 'uploads'), path.join(targetDir, 'uploads'), { recursive: true });
        const copied = await checkUploadFiles(target.database, targetStore);
        assert.deepEqual([copied.present, copied.missing, copied.wrongSize], [1, 1, 1]);
      } finally {
        await source.dispose();
        await target.dispose();
      }
    });
  });
}

if (kinds.includes('postgres')) {
  describe('backup and restore across databases', () => {
    test('a backup of the embedded database restores into a PostgreSQL server with the same data', async () => {
      const source = await demoDatabase('embedded');
      const target = await emptyDatabase('postgres');
      try {
        const file = newFile();
        await writeBackup(source.database, file);
        await restoreBackup(target.database, file);
        await assertSameData(source.database, target.database);
      } finally {
        await source.dispose();
        await target.dispose();
      }
    });
  });
}

describe('npm run backup / restore', () => {
  test('backing up the embedded database while a server holds DATA_DIR is refused with what to do', async () => {
    const dataDir = path.join(folder, 'locked-data');
    const held = await openDatabase({ dataDir });
    try {
      await migrate(held);
      const target = newFile();
      const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/backup.ts'), target], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /in use by another Linli process/);
      assert.match(run.stderr, /stop the server/);
      assert.equal(existsSync(target), false);
    } finally {
      await held.close();
    }
  });

  test('npm run check:uploads exits 1 while an attachment file is missing and 0 once every file is there', async () => {
    const dataDir = path.join(folder, 'check-uploads-data');
    const database = await openDatabase({ dataDir });
    let keys: [string, string, string];
    try {
      await loadDemo(database);
      keys = await addAttachments(database, dataDir);
    } finally {
      await database.close();
    }
    const check = () =>
      spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-uploads.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const broken = check();
    assert.equal(broken.status, 1, broken.stderr);
    assert.match(broken.stdout, /1 of 3 attachment files are in .*uploads; 1 missing and 1 of the wrong size/);
    const store = createFileStore({ dataDir });
    await store.delete(keys[1]);
    await store.put(keys[1], ATTACHMENT_BYTES);
    await store.put(keys[2], ATTACHMENT_BYTES);
    const mended = check();
    assert.equal(mended.status, 0, mended.stderr);
    assert.match(mended.stdout, /All 3 attachment files are in .*uploads with their recorded size/);
  });

  test('without a file name it prints the usage and exits 2', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/restore.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: path.join(folder, 'unused') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /usage: npm run restore -- <file>/);
  });
});
