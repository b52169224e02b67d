import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import {
  anonymous,
  buildTerritory,
  Client,
  createTestApp,
  errorCode,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import type { Actor } from '../../access/actor.ts';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../http/errors.ts';
import { createSession } from '../auth/session.service.ts';
import {
  hasNoSecrets,
  jpegSegments,
  jpegWithMetadata,
  phonePhoto,
  pngChunks,
  pngHeaderOnly,
  pngWithMetadata,
  tinyPdf,
  undecodableWebp,
} from './attachments.fixtures.ts';
import { attachmentsOfCase, claimAttachments } from './attachments.service.ts';

const UPLOAD_MAX_BYTES = 4096;

interface Part {
  name: string;
  value: string | Buffer;
  fileName?: string;
  type?: string;
}

function upload(client: Client, parts: Part[]) {
  const boundary = `----linli${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.fileName === undefined
        ? `form-data; name="${p.name}"`
        : `form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return client.request({
    method: 'POST',
    url: '/api/attachments',
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const photo = (bytes: Buffer, fileName = 'photo.jpg', type = 'image/jpeg'): Part => ({
  name: 'file',
  value: bytes,
  fileName,
  type,
});

interface Uploaded {
  id: string;
  kind: string;
  contentType: string;
  byteSize: number;
  width?: number;
  height?: number;
  url: string;
}

async function uploaded(client: Client, parts: Part[]): Promise<Uploaded> {
  const response = await upload(client, parts);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { attachment: Uploaded }).attachment;
}

async function residentClient(t: TestApp, phone: string) {
  const account = await t.database.db
    .insertInto('accounts')
    .values({ kind: 'resident', phone, display_name: phone })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(t.database.db, t.config, account.id, '127.0.0.1', 'test');
  const client = new Client(t.app, session.token, session.csrfToken) as Client & { accountId: number };
  client.accountId = account.id;
  return client;
}

/** claimAttachments only needs who is acting; the rest of an Actor does not matter to it. */
const actorFor = (accountId: number, kind: Actor['kind'] = 'resident'): Actor => ({
  accountId,
  kind,
  personId: null,
  displayName: 'test',
  username: null,
  grants: [],
  sessionId: 'test',
  csrfToken: 'test',
  mustChangePassword: false,
});

let caseSeq = 0;
/** A case in grid A reported by the resident, with its first event (the case API is built elsewhere). */
async function insertCase(t: TestApp, territory: Territory, reporterAccountId: number, at: Date) {
  caseSeq += 1;
  const row = await t.database.db
    .insertInto('cases')
    .values({
      number: `TEST-${process.pid}-${caseSeq}`,
      case_type: 'appeal',
      channel: 'h5',
      title: '路灯不亮',
      description: '小区门口的路灯坏了',
      territory_unit_id: territory.gridA.id,
      territory_path: territory.gridA.path,
      grid_id: territory.gridA.id,
      reporter_account_id: reporterAccountId,
      state: 'dispatched',
      owner_unit_id: territory.gridA.id,
      owner_unit_path: territory.gridA.path,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const event = await t.database.db
    .insertInto('case_events')
    .values({
      case_id: row.id,
      seq: 1,
      action: 'intake',
      to_state: 'dispatched',
      actor_account_id: reporterAccountId,
      actor_name: 'resident',
      data: '{}',
      owner_unit_id: territory.gridA.id,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { caseId: row.id, eventId: event.id };
}

async function storedRow(t: TestApp, id: string) {
  return t.database.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

for (const kind of await databaseKinds()) {
  describe(`attachments (${kind})`, () => {
    let t: TestApp;
    let dataDir: string;
    let territory: Territory;
    let resident: Client & { accountId: number };
    let neighbour: Client & { accountId: number };
    let gridWorker: Client & { accountId: number };
    let otherCommunity: Client & { accountId: number };
    const clock = new ManualClock('2026-11-23T09:00:00+08:00');

    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'linli-attachments-'));
      t = await createTestApp(kind, { DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) }, clock);
      territory = await buildTerritory(t.database);
      resident = await residentClient(t, '13900000001');
      neighbour = await residentClient(t, '13900000002');
      gridWorker = await staffClient(t, `grid-a-${kind}`, [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      otherCommunity = await staffClient(t, `community-b-${kind}`, [
        { role: 'communityWorker', unitId: territory.communityB.id },
      ]);
    });
    after(async () => {
      await t.dispose();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('stores a JPEG re-encoded without its EXIF, XMP and Photoshop segments; the uploader reads back a sound JPEG', async () => {
      const original = jpegWithMetadata();
      const attachment = await uploaded(resident, [photo(original, '我的照片.jpg')]);
      assert.equal(attachment.kind, 'image');
      assert.equal(attachment.contentType, 'image/jpeg');
      assert.deepEqual([attachment.width, attachment.height], [16, 8]);
      assert.equal(attachment.url, `/api/attachments/${attachment.id}`);

      const row = await storedRow(t, attachment.id);
      assert.match(row.storage_key, /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}$/, 'a generated name, not the client’s');
      assert.equal(row.original_name, '我的照片.jpg');
      assert.equal(row.uploader_account_id, resident.accountId);
      assert.equal(row.case_id, null);
      assert.equal(new Date(row.created_at).toISOString(), clock.now().toISOString());
      const onDisk = await readFile(path.join(dataDir, 'uploads', row.storage_key));
      assert.equal(onDisk.length, attachment.byteSize);
      assert.equal(row.sha256, createHash('sha256').update(onDisk).digest('hex'));

      const markers = jpegSegments(onDisk).map((s) => s.marker);
      assert.ok(!markers.includes(0xe1), 'no APP1 (EXIF/XMP) left');
      assert.ok(!markers.includes(0xed), 'no APP13 left');
      assert.ok(markers.includes(0xc0) && markers.includes(0xda), 'a sound baseline JPEG');
      assert.ok(hasNoSecrets(onDisk));

      const response = await resident.get(attachment.url);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/jpeg');
      assert.equal(response.headers['content-disposition'], `inline; filename="image-${attachment.id}.jpg"`);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.match(String(response.headers['cache-control']), /^private\b/);
      assert.ok(response.rawPayload.equals(onDisk));
    });

    it('turns a phone photo upright, shrinks it to 1920 px and serves a thumbnail of at most 320 px', async () => {
      const portrait = await uploaded(resident, [photo(await phonePhoto('jpeg', { orientation: 6 }))]);
      assert.deepEqual([portrait.width, portrait.height], [20, 40], 'upright: the EXIF orientation applied');
      const stored = (await resident.get(portrait.url)).rawPayload;
      assert.ok(hasNoSecrets(stored));
      assert.equal((await sharp(stored).metadata()).orientation, undefined);

      const wide = await sharp({ create: { width: 4000, height: 1000, channels: 3, background: '#3080c0' } })
        .png({ palette: true, colours: 2 })
        .toBuffer();
      assert.ok(wide.length < UPLOAD_MAX_BYTES);
      const big = await uploaded(resident, [photo(wide, 'wide.png', 'image/png')]);
      assert.deepEqual([big.width, big.height], [1920, 480]);
      const full = await resident.get(big.url);
      assert.equal(full.headers['content-type'], 'image/png');
      const fullInfo = await sharp(full.rawPayload).metadata();
      assert.deepEqual([fullInfo.width, fullInfo.height], [1920, 480]);

      const thumb = await resident.get(`${big.url}?size=thumb`);
      assert.equal(thumb.statusCode, 200);
      assert.equal(thumb.headers['content-type'], 'image/webp');
      assert.equal(thumb.headers['content-disposition'], `inline; filename="image-${big.id}-thumb.webp"`);
      const thumbInfo = await sharp(thumb.rawPayload).metadata();
      assert.deepEqual([thumbInfo.format, thumbInfo.width, thumbInfo.height], ['webp', 320, 80]);
      assert.equal((await resident.get(`${portrait.url}?size=thumb`)).headers['content-type'], 'image/jpeg');

      // The same access rule as the photo: nobody else reads the thumbnail of my unattached upload.
      const other = await neighbour.get(`${big.url}?size=thumb`);
      assert.equal(other.statusCode, 404);
      assert.equal(errorCode(other), 'NOT_FOUND');
      assert.equal((await resident.get(`${big.url}?size=huge`)).statusCode, 400);

      // A GIF keeps its bytes and has no thumbnail: size=thumb serves the file itself.
      const gif = Buffer.from('GIF89a\x02\x00\x03\x00\x00\x00\x00;', 'latin1');
      const stillGif = await uploaded(resident, [photo(gif, 'a.gif', 'image/gif')]);
      const gifThumb = await resident.get(`${stillGif.url}?size=thumb`);
      assert.equal(gifThumb.headers['content-type'], 'image/gif');
      assert.ok(gifThumb.rawPayload.equals(gif));
    });

    it('stores a PNG without its text and EXIF chunks', async () => {
      const attachment = await uploaded(resident, [photo(pngWithMetadata(), 'scan.png', 'image/png')]);
      assert.equal(attachment.contentType, 'image/png');
      assert.deepEqual([attachment.width, attachment.height], [2, 3], 'its eXIf orientation (6) applied');
      const response = await resident.get(attachment.url);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/png');
      const { types, pixels } = pngChunks(response.rawPayload);
      for (const dropped of ['tEXt', 'iTXt', 'zTXt', 'eXIf']) assert.ok(!types.includes(dropped), dropped);
      assert.equal(pixels.length, 3 * (1 + 3 * 2));
      assert.ok(hasNoSecrets(response.rawPayload));
    });

    it('refuses a photo that does not decode (415) and a decompression bomb (413), keeping nothing', async () => {
      const count = async () =>
        (
          await t.database.db
            .selectFrom('attachments')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      const files = async () => (await readdir(path.join(dataDir, 'uploads'), { recursive: true })).length;
      const [rowsBefore, filesBefore] = [await count(), await files()];
      const fake = await upload(resident, [photo(undecodableWebp(), 'x.webp', 'image/webp')]);
      assert.equal(fake.statusCode, 415);
      assert.equal(errorCode(fake), 'UNSUPPORTED_MEDIA_TYPE');
      const bomb = await upload(resident, [photo(pngHeaderOnly(30_000, 30_000), 'bomb.png', 'image/png')]);
      assert.equal(bomb.statusCode, 413);
      assert.equal(errorCode(bomb), 'PAYLOAD_TOO_LARGE');
      assert.equal(await count(), rowsBefore);
      assert.equal(await files(), filesBefore);
    });

    it('judges the type by the bytes: a text file named .jpg is refused and nothing is kept', async () => {
      const before = await t.database.db
        .selectFrom('attachments')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute();
      const response = await upload(resident, [photo(Buffer.from('just some text, honestly'), 'photo.jpg')]);
      assert.equal(response.statusCode, 415);
      assert.equal(errorCode(response), 'UNSUPPORTED_MEDIA_TYPE');
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
      assert.equal((await upload(resident, [photo(svg, 'x.png', 'image/png')])).statusCode, 415);
      const afterwards = await t.database.db
        .selectFrom('attachments')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute();
      assert.deepEqual(afterwards, before);
    });

    it('takes a PDF only as a document, and serves it as a download', async () => {
      const asImage = await upload(resident, [photo(tinyPdf(), 'report.pdf', 'application/pdf')]);
      assert.equal(asImage.statusCode, 415);
      assert.equal(errorCode(asImage), 'UNSUPPORTED_MEDIA_TYPE');
      const document = await uploaded(gridWorker, [
        photo(tinyPdf(), 'report.pdf', 'application/pdf'),
        { name: 'kind', value: 'document' },
      ]);
      assert.equal(document.kind, 'document');
      assert.equal(document.contentType, 'application/pdf');
      assert.equal(document.width, undefined);
      const response = await gridWorker.get(document.url);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      assert.equal(response.headers['content-disposition'], `attachment; filename="document-${document.id}.pdf"`);
      assert.ok(response.rawPayload.equals(tinyPdf()));

      const badKind = await upload(resident, [{ name: 'kind', value: 'video' }, photo(jpegWithMetadata())]);
      assert.equal(badKind.statusCode, 400);
      assert.equal(errorCode(badKind), 'VALIDATION_FAILED');
    });

    it('refuses an empty file, a file over UPLOAD_MAX_BYTES and a request without the file field', async () => {
      const empty = await upload(resident, [photo(Buffer.alloc(0))]);
      assert.equal(empty.statusCode, 413);
      assert.equal(errorCode(empty), 'PAYLOAD_TOO_LARGE');
      const big = Buffer.concat([jpegWithMetadata(), Buffer.alloc(UPLOAD_MAX_BYTES)]);
      const tooLarge = await upload(resident, [photo(big)]);
      assert.equal(tooLarge.statusCode, 413);
      assert.equal(errorCode(tooLarge), 'PAYLOAD_TOO_LARGE');
      assert.deepEqual(tooLarge.json().error.details, { maxBytes: UPLOAD_MAX_BYTES });
      const wrongField = await upload(resident, [{ ...photo(jpegWithMetadata()), name: 'image' }]);
      assert.equal(wrongField.statusCode, 400);
      assert.equal(errorCode(wrongField), 'BAD_REQUEST');
      const cut = await resident.request({
        method: 'POST',
        url: '/api/attachments',
        payload: Buffer.concat([
          Buffer.from('--b0\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'),
          jpegWithMetadata().subarray(0, 40),
        ]),
        headers: { 'content-type': 'multipart/form-data; boundary=b0' },
      });
      assert.equal(cut.statusCode, 400);
      assert.equal(errorCode(cut), 'BAD_REQUEST');
      const json = await resident.post('/api/attachments', { file: 'x' });
      assert.equal(json.statusCode, 415);
      assert.equal((await anonymous(t).get(`/api/attachments/${randomUUID()}`)).statusCode, 401);
    });

    it('is readable only by its uploader until it is attached to a case, then by whoever may read the case', async () => {
      const attachment = await uploaded(resident, [photo(jpegWithMetadata(6))]);
      for (const other of [neighbour, gridWorker, otherCommunity]) {
        const response = await other.get(attachment.url);
        assert.equal(response.statusCode, 404);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      const missing = await resident.get(`/api/attachments/${randomUUID()}`);
      assert.equal(missing.statusCode, 404);
      assert.equal((await resident.get('/api/attachments/not-a-uuid')).statusCode, 400);

      const { caseId, eventId } = await insertCase(t, territory, resident.accountId, clock.now());
      const claimed = await t.database.transaction((trx) =>
        claimAttachments(trx, actorFor(resident.accountId), [attachment.id], { caseId, eventId }),
      );
      assert.deepEqual(
        claimed.map((a) => a.id),
        [attachment.id],
      );

      assert.equal((await gridWorker.get(attachment.url)).statusCode, 200, 'the grid worker of the case’s grid');
      assert.equal((await resident.get(attachment.url)).statusCode, 200, 'the uploader still');
      assert.equal((await otherCommunity.get(attachment.url)).statusCode, 404, 'staff of another community');
      assert.equal((await neighbour.get(attachment.url)).statusCode, 404, 'another resident');

      // A photo the grid worker adds to the resident's case: the reporter sees it on their case.
      const workerPhoto = await uploaded(gridWorker, [photo(pngWithMetadata(), 'after.png', 'image/png')]);
      assert.equal((await resident.get(workerPhoto.url)).statusCode, 404);
      await t.database.transaction((trx) =>
        claimAttachments(trx, actorFor(gridWorker.accountId, 'staff'), [workerPhoto.id], { caseId, eventId: null }),
      );
      assert.equal((await resident.get(workerPhoto.url)).statusCode, 200);

      const listed = await attachmentsOfCase(t.database.db, caseId);
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      assert.deepEqual(
        listed.map((a) => ({ id: a.id, eventId: a.eventId, url: a.url })).sort(byId),
        [
          { id: attachment.id, eventId, url: attachment.url },
          { id: workerPhoto.id, eventId: null, url: workerPhoto.url },
        ].sort(byId),
      );
    });

    it("claimAttachments refuses someone else's, an already attached or an unknown id, and writes nothing", async () => {
      const { caseId, eventId } = await insertCase(t, territory, resident.accountId, clock.now());
      const mine = await uploaded(resident, [photo(jpegWithMetadata())]);
      const theirs = await uploaded(neighbour, [photo(jpegWithMetadata())]);
      const unknown = randomUUID();
      const claim = (ids: string[]) =>
        t.database.transaction((trx) => claimAttachments(trx, actorFor(resident.accountId), ids, { caseId, eventId }));
      const rejectedWith = (ids: string[]) => (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'BAD_REQUEST');
        assert.deepEqual(error.details, { ids });
        return true;
      };

      await assert.rejects(claim([mine.id, theirs.id]), rejectedWith([theirs.id]));
      await assert.rejects(claim([unknown, mine.id, 'nonsense']), rejectedWith([unknown, 'nonsense']));
      assert.equal((await storedRow(t, mine.id)).case_id, null, 'nothing written');
      assert.equal((await storedRow(t, theirs.id)).case_id, null);

      await claim([mine.id, mine.id.toUpperCase()]);
      assert.equal((await storedRow(t, mine.id)).case_id, caseId);
      await assert.rejects(claim([mine.id]), rejectedWith([mine.id]), 'already attached');

      const ten = Array.from({ length: 10 }, () => randomUUID());
      await assert.rejects(claim(ten), (error: unknown) => error instanceof AppError && error.code === 'BAD_REQUEST');
      assert.deepEqual(await claim([]), []);
    });

    it('keeps the files under DATA_DIR/uploads only, under generated names, never served as static files', async () => {
      const traversal = await upload(resident, [photo(jpegWithMetadata(), '../../dist/web/console/evil.html')]);
      assert.equal(traversal.statusCode, 200, traversal.body);
      const rows = await t.database.db.selectFrom('attachments').select(['storage_key', 'original_name']).execute();
      assert.ok(rows.length > 0);
      const uploads = path.join(dataDir, 'uploads');
      for (const r of rows) {
        assert.ok(existsSync(path.join(uploads, r.storage_key)));
        // ab/cd/<random uuid>: nothing of the client's file name reaches the file system.
        assert.match(r.storage_key, /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}$/);
        if (r.original_name) assert.ok(!r.storage_key.includes(path.basename(r.original_name)));
      }
      const names = (await readdir(uploads, { recursive: true })).map(String);
      assert.ok(
        names.every((n) => !/\.(jpe?g|png|pdf|html?|svg)$/i.test(n) && !n.includes('..')),
        `stored names: ${names.join(', ')}`,
      );
      // The bytes are reached only through the access-checked route: not as a file under any static path.
      const key = rows[0]!.storage_key;
      for (const url of [`/uploads/${key}`, `/${key}`, `/console/../uploads/${key}`, `/h5/uploads/${key}`]) {
        const response = await anonymous(t).get(url);
        assert.ok(response.statusCode === 404 || !response.rawPayload.includes(Buffer.from([0xff, 0xd8, 0xff])), url);
      }
      // …and the server refuses to start with its data (and so the uploads) inside the web root.
      assert.throws(
        () =>
          loadConfig({ SESSION_SECRET: 'x'.repeat(32), DATA_DIR: '/srv/linli/web/data', WEB_DIR: '/srv/linli/web' }),
        /DATA_DIR .* inside WEB_DIR/,
      );
    });
  });
}
