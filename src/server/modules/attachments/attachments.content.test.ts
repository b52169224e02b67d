import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../../http/errors.ts';
import { detectFormat, MAX_EDGE, prepareUpload, THUMB_EDGE } from './attachments.content.ts';
import {
  hasNoSecrets,
  jpegSegments,
  jpegWithMetadata,
  phonePhoto,
  pixelAt,
  pngChunks,
  pngHeaderOnly,
  pngWithMetadata,
  tinyPdf,
  undecodableWebp,
} from './attachments.fixtures.ts';
import { FilesystemFileStore, newStorageKey, thumbnailKey } from './file-store.ts';

const IMAGES = ['jpeg', 'png', 'webp', 'gif'] as const;
const ALL = [...IMAGES, 'pdf'] as const;
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

async function rejects(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (error: unknown) => error instanceof AppError && error.code === code);
}

/** Within JPEG's rounding of a flat colour. */
function near(actual: number[], expected: number[]) {
  assert.ok(
    actual.every((v, i) => Math.abs(v - expected[i]!) <= 8),
    `${actual} is not ${expected}`,
  );
}

describe('attachment content checks', () => {
  it('tells the type from the first bytes, whatever the file is called', async () => {
    assert.equal(detectFormat(jpegWithMetadata()), 'jpeg');
    assert.equal(detectFormat(pngWithMetadata()), 'png');
    assert.equal(detectFormat(await phonePhoto('webp')), 'webp');
    assert.equal(detectFormat(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')), 'gif');
    assert.equal(detectFormat(tinyPdf()), 'pdf');
    assert.equal(detectFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(detectFormat(Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'latin1')), null);
    assert.equal(detectFormat(Buffer.from('PK\x03\x04', 'latin1')), null);
  });

  it('accepts a PDF only where documents are allowed, and keeps it as it is', async () => {
    await rejects(prepareUpload(tinyPdf(), [...IMAGES]), 'UNSUPPORTED_MEDIA_TYPE');
    const pdf = await prepareUpload(tinyPdf(), [...ALL]);
    assert.equal(pdf.format, 'pdf');
    assert.ok(pdf.bytes.equals(tinyPdf()));
    assert.equal(pdf.thumbnail, null);
  });

  it('re-encodes a JPEG without its EXIF, XMP and Photoshop segments or the trailer phones append', async () => {
    const { format, bytes, width, height, thumbnail } = await prepareUpload(jpegWithMetadata(), [...IMAGES]);
    assert.equal(format, 'jpeg');
    assert.deepEqual([width, height], [16, 8]);
    assert.ok(hasNoSecrets(bytes));
    const markers = jpegSegments(bytes).map((s) => s.marker);
    assert.ok(!markers.includes(0xe1), 'no APP1 (EXIF/XMP) left');
    assert.ok(!markers.includes(0xed), 'no APP13 (Photoshop/IPTC) left');
    assert.ok(markers.includes(0xda), 'a sound JPEG with its scan');
    const info = await sharp(bytes).metadata();
    assert.deepEqual([info.format, info.width, info.height], ['jpeg', 16, 8]);
    assert.equal(info.exif, undefined);
    assert.equal((await sharp(thumbnail!).metadata()).format, 'jpeg');
  });

  for (const kind of ['jpeg', 'png', 'webp'] as const) {
    it(`turns a ${kind} photo upright by its EXIF orientation and leaves no metadata behind`, async () => {
      const original = await phonePhoto(kind, { width: 40, height: 20, orientation: 6 });
      const { format, bytes, width, height, thumbnail } = await prepareUpload(original, [...IMAGES]);
      assert.equal(format, kind, 'the format is kept');
      assert.deepEqual([width, height], [20, 40], 'turned a quarter clockwise, as the camera said');
      near(await pixelAt(bytes, 10, 2), RED); // the left (red) half is now on top
      near(await pixelAt(bytes, 10, 37), BLUE);
      assert.ok(hasNoSecrets(bytes));
      const info = await sharp(bytes).metadata();
      assert.equal(info.orientation, undefined, 'no orientation left to apply twice');
      assert.equal(info.exif, undefined);
      assert.equal(info.xmp, undefined);
      assert.equal(info.icc, undefined);
      const thumb = await sharp(thumbnail!).metadata();
      assert.equal(thumb.format, kind === 'jpeg' ? 'jpeg' : 'webp');
      assert.deepEqual([thumb.width, thumb.height], [20, 40], 'a small photo is never enlarged');
      assert.ok(hasNoSecrets(thumbnail!));
    });
  }

  it(`fits a large photo inside ${MAX_EDGE} px and its thumbnail inside ${THUMB_EDGE} px`, async () => {
    const wide = await sharp({ create: { width: 4000, height: 1000, channels: 3, background: '#3080c0' } })
      .png({ palette: true, colours: 2 })
      .toBuffer();
    const { bytes, width, height, thumbnail } = await prepareUpload(wide, [...IMAGES]);
    assert.deepEqual([width, height], [MAX_EDGE, MAX_EDGE / 4]);
    const stored = await sharp(bytes).metadata();
    assert.deepEqual([stored.format, stored.width, stored.height], ['png', MAX_EDGE, MAX_EDGE / 4]);
    const thumb = await sharp(thumbnail!).metadata();
    assert.deepEqual([thumb.width, thumb.height], [THUMB_EDGE, THUMB_EDGE / 4]);
  });

  it('re-encodes a PNG without its text and EXIF chunks', async () => {
    const { bytes, width, height } = await prepareUpload(pngWithMetadata(), [...IMAGES]);
    // The fixture's eXIf chunk says orientation 6: 3 × 2 pixels stand up as 2 × 3.
    assert.deepEqual([width, height], [2, 3]);
    assert.ok(hasNoSecrets(bytes));
    const { types, pixels } = pngChunks(bytes);
    for (const dropped of ['tEXt', 'iTXt', 'zTXt', 'eXIf']) assert.ok(!types.includes(dropped), dropped);
    assert.equal(pixels.length, height! * (1 + 3 * width!));
  });

  it('refuses, as 415, a file that starts like a photo but does not decode', async () => {
    const whole = jpegWithMetadata();
    const cut = whole.subarray(0, whole.indexOf(Buffer.from([0xff, 0xd9])));
    for (const bytes of [
      cut,
      Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x40, 0x01]),
      pngWithMetadata().subarray(0, 40),
      undecodableWebp(),
    ]) {
      await rejects(prepareUpload(bytes, [...IMAGES]), 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses a decompression bomb from its header, before decoding it', async () => {
    const bomb = pngHeaderOnly(30_000, 30_000);
    assert.ok(bomb.length < 1000, 'a few bytes declaring 900 megapixels');
    await rejects(prepareUpload(bomb, [...IMAGES]), 'PAYLOAD_TOO_LARGE');
  });

  it('reads GIF dimensions and keeps the file as it is', async () => {
    const gif = Buffer.from('GIF89a\x02\x00\x03\x00\x00\x00\x00;', 'latin1');
    const result = await prepareUpload(gif, [...IMAGES]);
    assert.deepEqual([result.width, result.height], [2, 3]);
    assert.ok(result.bytes.equals(gif));
    assert.equal(result.thumbnail, null);
  });
});

describe('filesystem file store', () => {
  it('stores under a generated two-level key, reads back, deletes, and refuses keys it did not make', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'linli-store-'));
    try {
      const store = new FilesystemFileStore(root);
      const key = newStorageKey();
      assert.match(key, /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}$/);
      await store.put(key, Buffer.from('hello'));
      await store.put(thumbnailKey(key), Buffer.from('hi'));
      assert.equal(await readFile(path.join(root, key), 'utf8'), 'hello');
      assert.deepEqual(
        (await readdir(path.join(root, path.dirname(key)))).sort(),
        [path.basename(key), `${path.basename(key)}.thumb`],
        'the thumbnail beside it, no temp file left',
      );
      const stored = await store.get(key);
      assert.equal(stored?.byteSize, 5);
      assert.equal(await text(stored!.stream), 'hello');
      await store.delete(key);
      assert.equal(await store.get(key), null);
      await store.delete(key);
      await assert.rejects(store.put('../../etc/passwd', Buffer.from('x')), /not a storage key/);
      await assert.rejects(store.get('ab/cd/../../x'), /not a storage key/);
      await assert.rejects(store.get(`${key}.part`), /not a storage key/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
