import { AppError } from '../../http/errors.ts';
import type { AttachmentKind } from './attachments.tables.ts';

/**
 * What an upload is, decided from its bytes (magic numbers), never from the declared type or the file name;
 * and the bytes as they are stored: images without the metadata that can give away where and by whom a
 * photo was taken.
 *  - JPEG: APP1 (EXIF, XMP) and APP13 (Photoshop/IPTC) segments are dropped, and anything after the end
 *    of the image (phones append previews and depth maps that carry their own EXIF). The EXIF orientation,
 *    if any, is kept in a minimal new APP1 holding nothing else, so portrait photos do not turn sideways.
 *  - PNG: eXIf, tEXt, iTXt and zTXt chunks are dropped, and anything after IEND.
 *  - WebP: EXIF and XMP chunks are dropped (with their VP8X flags) and the RIFF size fixed.
 *  - GIF and PDF are stored as they are.
 * The image data itself is copied byte for byte: nothing is decoded or re-encoded.
 */

export type DetectedFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'pdf';

export interface FormatInfo {
  kind: AttachmentKind;
  contentType: string;
  extension: string;
  label: string;
}

export const FORMATS: Record<DetectedFormat, FormatInfo> = {
  jpeg: { kind: 'image', contentType: 'image/jpeg', extension: 'jpg', label: 'JPEG' },
  png: { kind: 'image', contentType: 'image/png', extension: 'png', label: 'PNG' },
  webp: { kind: 'image', contentType: 'image/webp', extension: 'webp', label: 'WebP' },
  gif: { kind: 'image', contentType: 'image/gif', extension: 'gif', label: 'GIF' },
  pdf: { kind: 'document', contentType: 'application/pdf', extension: 'pdf', label: 'PDF' },
};

export interface CleanedContent {
  format: DetectedFormat;
  bytes: Buffer;
  width: number | null;
  height: number | null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The format the bytes begin with, or null for anything else. */
export function detectFormat(bytes: Buffer): DetectedFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif';
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  return null;
}

export const unsupportedType = (allowed: DetectedFormat[]) =>
  new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `The file is not one of the accepted types: ${allowed.map((f) => FORMATS[f].label).join(', ')}`,
    { accepted: allowed.map((f) => FORMATS[f].contentType) },
  );

const unreadable = (format: DetectedFormat) =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', `The file starts like a ${FORMATS[format].label} file but cannot be read`);

/** Detects the format, checks it is allowed, checks the structure and strips metadata. Throws 415 otherwise. */
export function cleanUpload(bytes: Buffer, allowed: DetectedFormat[]): CleanedContent {
  const format = detectFormat(bytes);
  if (!format || !allowed.includes(format)) throw unsupportedType(allowed);
  switch (format) {
    case 'jpeg':
      return { format, ...cleanJpeg(bytes) };
    case 'png':
      return { format, ...cleanPng(bytes) };
    case 'webp':
      return { format, ...cleanWebp(bytes) };
    case 'gif':
      if (bytes.length < 13) throw unreadable(format);
      return { format, bytes, width: dimension(bytes.readUInt16LE(6)), height: dimension(bytes.readUInt16LE(8)) };
    case 'pdf':
      return { format, bytes, width: null, height: null };
  }
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

/** A pixel count fit for the integer columns; 0 (unknown) or absurd values become null. */
function dimension(n: number): number | null {
  return n > 0 && n <= 2_147_483_647 ? n : null;
}

// ---------------------------------------------------------------------------------------------------- JPEG

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP13 = 0xed;
const SOS = 0xda;
/** Start-of-frame markers (C4 DHT, C8 JPG and CC DAC are not frames). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/**
 * Walks the segments from SOI to the first EOI after a scan, copying all but APP1 and APP13. After each SOS
 * header the entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker;
 * progressive files have several scans with tables between them, which the walk handles the same way.
 */
function cleanJpeg(b: Buffer): { bytes: Buffer; width: number | null; height: number | null } {
  const bad = () => unreadable('jpeg');
  const parts: Buffer[] = [SOI];
  let exifAt = 1; // where a kept orientation goes: after SOI, or after APP0 (JFIF) when that comes first
  let pos = 2;
  let width: number | null = null;
  let height: number | null = null;
  let orientation: number | null = null;
  let scanned = false;
  for (;;) {
    if (pos >= b.length || b[pos] !== 0xff) throw bad();
    while (pos < b.length && b[pos] === 0xff) pos += 1; // fill bytes
    if (pos >= b.length) throw bad();
    const marker = b[pos]!;
    pos += 1;
    if (marker === 0xd9) {
      if (!scanned) throw bad();
      parts.push(EOI);
      break;
    }
    if (isRestart(marker) || marker === 0x01) {
      parts.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (marker === 0x00 || marker === 0xd8) throw bad();
    if (pos + 2 > b.length) throw bad();
    const length = b.readUInt16BE(pos);
    if (length < 2 || pos + length > b.length) throw bad();
    const segment = b.subarray(pos, pos + length); // with its two length bytes
    pos += length;
    if (marker === APP1) {
      orientation ??= exifOrientation(segment.subarray(2));
      continue;
    }
    if (marker === APP13) continue;
    if (SOF.has(marker) && width === null) {
      if (length < 8) throw bad();
      height = dimension(segment.readUInt16BE(3));
      width = dimension(segment.readUInt16BE(5));
    }
    parts.push(Buffer.from([0xff, marker]), segment);
    if (marker === APP0 && parts.length === 3) exifAt = 3;
    if (marker === SOS) {
      scanned = true;
      const end = scanEnd(b, pos);
      if (end < 0) throw bad();
      parts.push(b.subarray(pos, end));
      pos = end;
    }
  }
  if (orientation !== null && orientation !== 1) parts.splice(exifAt, 0, orientationOnlyApp1(orientation));
  return { bytes: Buffer.concat(parts), width, height };
}

/** The offset of the marker ending the entropy-coded data that starts at `from`, or -1 when the file ends first. */
function scanEnd(b: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = b.indexOf(0xff, i);
    if (i < 0 || i + 1 >= b.length) return -1;
    const next = b[i + 1]!;
    if (next === 0x00 || isRestart(next)) i += 2;
    else if (next === 0xff) i += 1;
    else return i;
  }
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 EXIF payload, or null when absent or unreadable. */
export function exifOrientation(payload: Buffer): number | null {
  if (payload.length < 14 || ascii(payload, 0, 6) !== 'Exif\0\0') return null;
  const tiff = payload.subarray(6);
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let n = 0; n < count; n += 1) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) !== 0x0112) continue;
    if (u16(entry + 2) !== 3) return null; // SHORT
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/** FF E1, then an EXIF block whose IFD0 holds the Orientation tag alone (big-endian TIFF). */
export function orientationOnlyApp1(orientation: number): Buffer {
  const out = Buffer.alloc(36);
  out.writeUInt16BE(0xffe1, 0);
  out.writeUInt16BE(34, 2); // length: itself (2) + "Exif\0\0" (6) + TIFF header (8) + IFD (2 + 12 + 4)
  out.write('Exif\0\0', 4, 'latin1');
  out.write('MM', 10, 'latin1');
  out.writeUInt16BE(42, 12);
  out.writeUInt32BE(8, 14); // IFD0 right after the header
  out.writeUInt16BE(1, 18); // one entry
  out.writeUInt16BE(0x0112, 20); // Orientation
  out.writeUInt16BE(3, 22); // SHORT
  out.writeUInt32BE(1, 24); // count
  out.writeUInt16BE(orientation, 28); // value, left-justified in the 4-byte field
  out.writeUInt32BE(0, 32); // no next IFD
  return out;
}

// ----------------------------------------------------------------------------------------------------- PNG

const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt']);

function cleanPng(b: Buffer): { bytes: Buffer; width: number | null; height: number | null } {
  const bad = () => unreadable('png');
  const parts: Buffer[] = [PNG_SIGNATURE];
  let pos = 8;
  let width: number | null = null;
  let height: number | null = null;
  for (;;) {
    if (pos + 12 > b.length) throw bad();
    const length = b.readUInt32BE(pos);
    const type = ascii(b, pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > b.length) throw bad();
    if (pos === 8) {
      if (type !== 'IHDR' || length !== 13) throw bad();
      width = dimension(b.readUInt32BE(pos + 8));
      height = dimension(b.readUInt32BE(pos + 12));
    }
    if (!PNG_DROPPED.has(type)) parts.push(b.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  return { bytes: Buffer.concat(parts), width, height };
}

// ---------------------------------------------------------------------------------------------------- WebP

const WEBP_DROPPED = new Set(['EXIF', 'XMP ']);
const VP8X_EXIF_FLAG = 0x08;
const VP8X_XMP_FLAG = 0x04;

function cleanWebp(b: Buffer): { bytes: Buffer; width: number | null; height: number | null } {
  const bad = () => unreadable('webp');
  const end = 8 + b.readUInt32LE(4);
  if (end > b.length || end < 20) throw bad();
  const chunks: Buffer[] = [];
  let width: number | null = null;
  let height: number | null = null;
  let pos = 12;
  while (pos < end) {
    if (pos + 8 > end) throw bad();
    const fourcc = ascii(b, pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const dataEnd = pos + 8 + size;
    if (dataEnd > end) throw bad();
    const chunkEnd = Math.min(dataEnd + (size & 1), end);
    const data = b.subarray(pos + 8, dataEnd);
    if (pos === 12) {
      const canvas = webpSize(fourcc, data);
      if (!canvas) throw bad();
      [width, height] = canvas;
    }
    if (WEBP_DROPPED.has(fourcc)) {
      pos = chunkEnd;
      continue;
    }
    const chunk = Buffer.from(b.subarray(pos, chunkEnd));
    if (fourcc === 'VP8X') chunk[8] = chunk[8]! & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
    // Every chunk but a last one missing its pad byte is of even length; pad it so the next one stays aligned.
    chunks.push(chunk.length % 2 === 1 ? Buffer.concat([chunk, Buffer.alloc(1)]) : chunk);
    pos = chunkEnd;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return { bytes: Buffer.concat([header, body]), width, height };
}

/** Canvas size from the first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function webpSize(fourcc: string, d: Buffer): [number | null, number | null] | null {
  if (fourcc === 'VP8 ') {
    if (d.length < 10 || d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) return null;
    return [dimension(d.readUInt16LE(6) & 0x3fff), dimension(d.readUInt16LE(8) & 0x3fff)];
  }
  if (fourcc === 'VP8L') {
    if (d.length < 5 || d[0] !== 0x2f) return null;
    const bits = d.readUInt32LE(1);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (fourcc === 'VP8X') {
    if (d.length < 10) return null;
    return [d.readUIntLE(4, 3) + 1, d.readUIntLE(7, 3) + 1];
  }
  return null;
}
