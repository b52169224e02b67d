import assert from 'node:assert/strict';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * Test images built byte by byte, with the metadata a phone would add, and independent readers of their
 * structure (segments, chunks) to check what the server stored.
 */

const GPS_TEXT = 'GPS 39.9042N 116.4074E';
export const SECRET_MARKERS = ['GPS', '39.9042', 'xmpmeta', 'Photoshop', 'secret'];

const u16be = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);

function segment(marker: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, marker]), u16be(payload.length + 2), payload]);
}

/** A little-endian EXIF block with IFD0 holding an ImageDescription (the "location") and, if given, Orientation. */
export function exifPayload(orientation?: number): Buffer {
  const text = Buffer.from(`${GPS_TEXT}\0`, 'latin1');
  const entries = orientation === undefined ? 1 : 2;
  const ifdSize = 2 + entries * 12 + 4;
  const tiff = Buffer.alloc(8 + ifdSize + text.length);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(entries, 8);
  let at = 10;
  tiff.writeUInt16LE(0x010e, at); // ImageDescription, ASCII, stored after the IFD
  tiff.writeUInt16LE(2, at + 2);
  tiff.writeUInt32LE(text.length, at + 4);
  tiff.writeUInt32LE(8 + ifdSize, at + 8);
  at += 12;
  if (orientation !== undefined) {
    tiff.writeUInt16LE(0x0112, at);
    tiff.writeUInt16LE(3, at + 2);
    tiff.writeUInt32LE(1, at + 4);
    tiff.writeUInt16LE(orientation, at + 8);
    at += 12;
  }
  tiff.writeUInt32LE(0, at);
  text.copy(tiff, 8 + ifdSize);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

/**
 * A decodable 16×8 grey baseline JPEG (two 8×8 blocks, every coefficient zero, a restart marker between
 * them) wrapped in JFIF, EXIF, XMP and Photoshop segments, with a trailer after EOI like phones append.
 */
export function jpegWithMetadata(orientation?: number): Buffer {
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const sof = Buffer.from([8, ...u16be(8), ...u16be(16), 1, 1, 0x11, 0]);
  const dhtCounts = [1, ...new Array(15).fill(0)];
  const dhtDc = Buffer.from([0x00, ...dhtCounts, 0x00]);
  const dhtAc = Buffer.from([0x10, ...dhtCounts, 0x00]); // the one AC code is EOB
  const dri = u16be(1);
  const sos = Buffer.from([1, 1, 0x00, 0, 63, 0]);
  // Each block: DC difference category 0 ("0"), then EOB ("0"), padded with ones: 0b00111111.
  const scan = Buffer.from([0x3f, 0xff, 0xd0, 0x3f]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from([...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    segment(0xe1, exifPayload(orientation)),
    segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${GPS_TEXT}</x:xmpmeta>`, 'latin1')),
    segment(0xed, Buffer.from('Photoshop 3.0\x008BIM secret caption', 'latin1')),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, dhtDc),
    segment(0xc4, dhtAc),
    segment(0xdd, dri),
    segment(0xda, sos),
    scan,
    Buffer.from([0xff, 0xd9]),
    Buffer.from(`trailer with another EXIF: ${GPS_TEXT}`, 'latin1'),
  ]);
}

export interface JpegSegment {
  marker: number;
  payload: Buffer;
}

/** Reads a JPEG's segments from SOI to EOI, asserting the structure holds and nothing follows EOI. */
export function jpegSegments(b: Buffer): JpegSegment[] {
  assert.deepEqual([...b.subarray(0, 2)], [0xff, 0xd8], 'starts with SOI');
  const out: JpegSegment[] = [];
  let pos = 2;
  for (;;) {
    assert.equal(b[pos], 0xff, `a marker at ${pos}`);
    const marker = b[pos + 1]!;
    if (marker === 0xd9) {
      assert.equal(pos + 2, b.length, 'ends with EOI');
      return out;
    }
    const length = b.readUInt16BE(pos + 2);
    assert.ok(pos + 2 + length <= b.length, 'segment inside the file');
    out.push({ marker, payload: b.subarray(pos + 4, pos + 2 + length) });
    pos += 2 + length;
    if (marker === 0xda) {
      // entropy-coded data up to a marker that is neither stuffing (FF00) nor a restart (FFD0–FFD7)
      while (!(b[pos] === 0xff && b[pos + 1] !== 0x00 && !(b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7))) {
        assert.ok(pos < b.length - 1, 'scan ends before the file does');
        pos += b[pos] === 0xff ? 2 : 1;
      }
    }
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 3×2 RGB PNG with text, international text, compressed text and EXIF chunks, and a trailer after IEND. */
export function pngWithMetadata(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(3, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat([
    Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 255]),
    Buffer.from([0, 9, 9, 9, 99, 99, 99, 199, 199, 199]),
  ]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('tEXt', Buffer.from(`Comment\0${GPS_TEXT}`, 'latin1')),
    pngChunk('eXIf', exifPayload(6).subarray(6)),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>${GPS_TEXT}</x:xmpmeta>`, 'latin1')),
    pngChunk('zTXt', Buffer.concat([Buffer.from('Author\0\0', 'latin1'), deflateSync(Buffer.from('secret'))])),
    pngChunk('IEND', Buffer.alloc(0)),
    Buffer.from('trailing secret', 'latin1'),
  ]);
}

/** Reads a PNG's chunks, asserting signature, CRCs, IEND last; returns the types and the inflated pixel rows. */
export function pngChunks(b: Buffer): { types: string[]; pixels: Buffer } {
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const types: string[] = [];
  const idat: Buffer[] = [];
  let pos = 8;
  while (pos < b.length) {
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const data = b.subarray(pos + 8, pos + 8 + length);
    assert.equal(b.readUInt32BE(pos + 8 + length), crc32(b.subarray(pos + 4, pos + 8 + length)), `${type} CRC`);
    types.push(type);
    if (type === 'IDAT') idat.push(data);
    pos += 12 + length;
  }
  assert.equal(pos, b.length);
  assert.equal(types.at(-1), 'IEND');
  return { types, pixels: inflateSync(Buffer.concat(idat)) };
}

/**
 * A WebP in the extended format whose image data is a stub: its chunks parse (VP8X, ICCP, VP8L, EXIF, XMP) but
 * nothing decodes it, like a file that only starts like an image.
 */
export function undecodableWebp(): Buffer {
  const chunk = (fourcc: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(fourcc, 0, 'latin1');
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x20 | 0x08 | 0x04; // ICC, EXIF, XMP
  vp8x.writeUIntLE(5 - 1, 4, 3);
  vp8x.writeUIntLE(4 - 1, 7, 3);
  const vp8l = Buffer.alloc(5);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE((5 - 1) | ((4 - 1) << 14), 1);
  const body = Buffer.concat([
    chunk('VP8X', vp8x),
    chunk('ICCP', Buffer.from('icc')),
    chunk('VP8L', vp8l),
    chunk('EXIF', exifPayload(1).subarray(6)),
    chunk('XMP ', Buffer.from(`<x:xmpmeta>${GPS_TEXT}</x:xmpmeta>`)),
  ]);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/**
 * A photo as a phone sends it: `width` × `height` pixels, the left half red and the right half blue, with an
 * EXIF orientation, EXIF tags holding a location and a copyright, and an XMP packet with the location.
 * Encoded by sharp in the given format (WebP lossless, so the colours survive exactly).
 */
export async function phonePhoto(
  format: 'jpeg' | 'png' | 'webp',
  { width = 40, height = 20, orientation = 1 }: { width?: number; height?: number; orientation?: number } = {},
): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) pixels[(y * width + x) * 3 + (x < width / 2 ? 0 : 2)] = 255;
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } })
    .withMetadata({ orientation })
    .withExifMerge({ IFD0: { ImageDescription: GPS_TEXT, Copyright: 'secret' }, IFD3: { GPSLatitudeRef: 'N' } })
    .withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/">${GPS_TEXT}</x:xmpmeta>`);
  const bytes = await (format === 'jpeg'
    ? image.jpeg({ quality: 95 })
    : format === 'png'
      ? image.png()
      : image.webp({ lossless: true })
  ).toBuffer();
  assert.ok(!hasNoSecrets(bytes), 'the fixture carries its metadata');
  return bytes;
}

/** The colour of a pixel of an encoded image, as [r, g, b]. */
export async function pixelAt(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

/** A PNG whose header declares `width` × `height` pixels and whose image data is a few bytes: a "bomb". */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const tinyPdf = () =>
  Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** True when none of the tell-tale metadata strings is left in the bytes. */
export function hasNoSecrets(b: Buffer): boolean {
  const text = b.toString('latin1');
  return SECRET_MARKERS.every((s) => !text.includes(s));
}
