import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { AppError } from '../../http/errors.ts';
import { cleanUpload, detectFormat, exifOrientation } from './attachments.content.ts';
import {
  exifPayload,
  hasNoSecrets,
  jpegSegments,
  jpegWithMetadata,
  pngChunks,
  pngWithMetadata,
  tinyPdf,
  webpWithMetadata,
} from './attachments.fixtures.ts';
import { FilesystemFileStore, newStorageKey } from './file-store.ts';

const IMAGES = ['jpeg', 'png', 'webp', 'gif'] as const;
const ALL = [...IMAGES, 'pdf'] as const;

function rejects415(fn: () => unknown) {
  assert.throws(fn, (error: unknown) => error instanceof AppError && error.code === 'UNSUPPORTED_MEDIA_TYPE');
}

describe('attachment content checks', () => {
  it('tells the type from the first bytes, whatever the file is called', () => {
    assert.equal(detectFormat(jpegWithMetadata()), 'jpeg');
    assert.equal(detectFormat(pngWithMetadata()), 'png');
    assert.equal(detectFormat(webpWithMetadata()), 'webp');
    assert.equal(detectFormat(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')), 'gif');
    assert.equal(detectFormat(tinyPdf()), 'pdf');
    assert.equal(detectFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(detectFormat(Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'latin1')), null);
    assert.equal(detectFormat(Buffer.from('PK\x03\x04', 'latin1')), null);
  });

  it('accepts a PDF only where documents are allowed', () => {
    rejects415(() => cleanUpload(tinyPdf(), [...IMAGES]));
    assert.equal(cleanUpload(tinyPdf(), [...ALL]).format, 'pdf');
  });

  it('drops EXIF, XMP, Photoshop segments and the trailer from a JPEG, keeping every image segment intact', () => {
    const original = jpegWithMetadata();
    const { bytes, width, height } = cleanUpload(original, [...IMAGES]);
    assert.deepEqual([width, height], [16, 8]);
    assert.ok(hasNoSecrets(bytes));
    const before = jpegSegments(original.subarray(0, original.indexOf('trailer')));
    const after = jpegSegments(bytes);
    const kept = before.filter((s) => s.marker !== 0xe1 && s.marker !== 0xed);
    assert.deepEqual(
      after.map((s) => s.marker),
      kept.map((s) => s.marker),
    );
    for (const [i, s] of after.entries()) assert.ok(s.payload.equals(kept[i]!.payload));
    // The entropy-coded scan with its restart marker is copied byte for byte.
    assert.ok(bytes.subarray(-6).equals(Buffer.from([0x3f, 0xff, 0xd0, 0x3f, 0xff, 0xd9])));
  });

  it("keeps a photo's orientation in a minimal EXIF block holding nothing else", () => {
    const { bytes } = cleanUpload(jpegWithMetadata(6), [...IMAGES]);
    assert.ok(hasNoSecrets(bytes));
    const segments = jpegSegments(bytes);
    assert.deepEqual(
      segments.map((s) => s.marker),
      [0xe0, 0xe1, 0xdb, 0xc0, 0xc4, 0xc4, 0xdd, 0xda],
      'after APP0 (JFIF), before the tables',
    );
    const app1 = segments[1]!.payload;
    assert.equal(app1.length, 32);
    assert.equal(exifOrientation(app1), 6);
    assert.equal(exifOrientation(exifPayload(8)), 8, 'little-endian EXIF is read too');
  });

  it('walks scans with stuffed bytes and several scans (progressive) without cutting them', () => {
    const seg = (marker: number, payload: number[]) => [0xff, marker, 0, payload.length + 2, ...payload];
    const jpeg = Buffer.from([
      0xff,
      0xd8,
      ...seg(0xc2, [8, 0, 2, 0, 3, 1, 1, 0x11, 0]),
      ...seg(0xda, [1, 1, 0, 0, 0, 0]),
      0x12,
      0xff,
      0x00,
      0x34,
      ...seg(0xc4, [0x10, 1, ...new Array(15).fill(0), 0]),
      ...seg(0xe1, [...Buffer.from('Exif\0\0II*\0', 'latin1')]),
      ...seg(0xda, [1, 1, 0, 1, 63, 0]),
      0xff,
      0x00,
      0xff,
      0xd7,
      0x56,
      0xff,
      0xd9,
    ]);
    const { bytes, width, height } = cleanUpload(jpeg, ['jpeg']);
    assert.deepEqual([width, height], [3, 2]);
    assert.deepEqual(
      jpegSegments(bytes).map((s) => s.marker),
      [0xc2, 0xda, 0xc4, 0xda],
    );
    assert.ok(bytes.includes(Buffer.from([0x12, 0xff, 0x00, 0x34])));
    assert.ok(bytes.includes(Buffer.from([0xff, 0x00, 0xff, 0xd7, 0x56])));
  });

  it('refuses a JPEG that is cut short or has no image data', () => {
    const whole = jpegWithMetadata();
    const cut = whole.subarray(0, whole.indexOf(Buffer.from([0xff, 0xd9])));
    rejects415(() => cleanUpload(cut, [...IMAGES]));
    rejects415(() => cleanUpload(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), [...IMAGES]));
    rejects415(() => cleanUpload(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x40, 0x01]), [...IMAGES]));
  });

  it('drops text and EXIF chunks from a PNG; the pixels still inflate to the declared size', () => {
    const { bytes, width, height } = cleanUpload(pngWithMetadata(), [...IMAGES]);
    assert.deepEqual([width, height], [3, 2]);
    assert.ok(hasNoSecrets(bytes));
    const { types, pixels } = pngChunks(bytes);
    assert.deepEqual(types, ['IHDR', 'IDAT', 'IEND']);
    assert.equal(pixels.length, height! * (1 + 3 * width!));
  });

  it('refuses a PNG whose chunks run past the end', () => {
    const png = pngWithMetadata();
    rejects415(() => cleanUpload(png.subarray(0, 40), [...IMAGES]));
  });

  it('drops EXIF and XMP chunks from a WebP, clears their flags and fixes the RIFF size', () => {
    const { bytes, width, height } = cleanUpload(webpWithMetadata(), [...IMAGES]);
    assert.deepEqual([width, height], [5, 4]);
    assert.ok(hasNoSecrets(bytes));
    assert.equal(bytes.readUInt32LE(4), bytes.length - 8);
    const fourccs: string[] = [];
    for (let pos = 12; pos < bytes.length; ) {
      fourccs.push(bytes.toString('latin1', pos, pos + 4));
      const size = bytes.readUInt32LE(pos + 4);
      pos += 8 + size + (size % 2);
    }
    assert.deepEqual(fourccs, ['VP8X', 'ICCP', 'VP8L']);
    assert.equal(bytes[20], 0x20, 'only the ICC flag is left');
  });

  it('reads GIF dimensions and keeps the file as it is', () => {
    const gif = Buffer.from('GIF89a\x02\x00\x03\x00\x00\x00\x00;', 'latin1');
    const result = cleanUpload(gif, [...IMAGES]);
    assert.deepEqual([result.width, result.height], [2, 3]);
    assert.ok(result.bytes.equals(gif));
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
      assert.equal(await readFile(path.join(root, key), 'utf8'), 'hello');
      assert.deepEqual(await readdir(path.join(root, path.dirname(key))), [path.basename(key)], 'no temp file left');
      const stored = await store.get(key);
      assert.equal(stored?.byteSize, 5);
      assert.equal(await text(stored!.stream), 'hello');
      await store.delete(key);
      assert.equal(await store.get(key), null);
      await store.delete(key);
      await assert.rejects(store.put('../../etc/passwd', Buffer.from('x')), /not a storage key/);
      await assert.rejects(store.get('ab/cd/../../x'), /not a storage key/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
