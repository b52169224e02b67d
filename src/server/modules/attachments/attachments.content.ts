import sharp, { type Sharp } from 'sharp';
import { AppError } from '../../http/errors.ts';
import type { AttachmentKind } from './attachments.tables.ts';

/**
 * What an upload is, decided from its bytes (magic numbers), never from the declared type or the file name;
 * and the bytes as they are stored. JPEG, PNG and WebP photos are decoded and encoded again with sharp
 * (libvips): turned upright by their EXIF orientation, fitted inside MAX_EDGE pixels (never enlarged), in
 * their own format (JPEG at quality 82), with every piece of metadata left behind — EXIF with GPS, XMP,
 * IPTC, comments, ICC profiles (the colours are converted to sRGB), trailers phones append — and a
 * thumbnail of at most THUMB_EDGE pixels is made beside it. Whatever libvips cannot decode although its
 * first bytes say image is refused (415); an image declaring more than MAX_INPUT_PIXELS is refused before
 * it is decoded (413: a "decompression bomb" of a few kilobytes can declare billions of pixels).
 * GIF (no location metadata) and PDF are stored as they are.
 */

/** The longer edge of a stored photo, at most: a phone screen's width twice over. */
export const MAX_EDGE = 1920;
/** The longer edge of a thumbnail, at most. */
export const THUMB_EDGE = 320;
/** More pixels than any phone photo (a 108-megapixel sensor is 12000 × 9000): refused before decoding. */
export const MAX_INPUT_PIXELS = 120_000_000;
const JPEG_QUALITY = 82;
const THUMB_QUALITY = 75;

// Every upload is a different image: libvips' operation cache would only hold on to memory.
sharp.cache(false);

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

export interface PreparedContent {
  format: DetectedFormat;
  bytes: Buffer;
  width: number | null;
  height: number | null;
  /** A small copy of a photo (JPEG for a JPEG, WebP for PNG and WebP); null for GIF and PDF. */
  thumbnail: Buffer | null;
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

const tooManyPixels = () =>
  new AppError('PAYLOAD_TOO_LARGE', `The image has more than ${MAX_INPUT_PIXELS} pixels`, {
    maxPixels: MAX_INPUT_PIXELS,
  });

/** The content type of an attachment's thumbnail, by the attachment's own; null when it has none. */
export function thumbnailType(contentType: string): string | null {
  if (contentType === FORMATS.jpeg.contentType) return FORMATS.jpeg.contentType;
  if (contentType === FORMATS.png.contentType || contentType === FORMATS.webp.contentType) {
    return FORMATS.webp.contentType;
  }
  return null;
}

/**
 * Detects the format and checks it is allowed (415 otherwise); re-encodes photos without metadata, upright and
 * at most MAX_EDGE pixels, with a thumbnail. GIF and PDF are kept as they are.
 */
export async function prepareUpload(bytes: Buffer, allowed: DetectedFormat[]): Promise<PreparedContent> {
  const format = detectFormat(bytes);
  if (!format || !allowed.includes(format)) throw unsupportedType(allowed);
  switch (format) {
    case 'jpeg':
    case 'png':
    case 'webp':
      return { format, ...(await reencode(bytes, format)) };
    case 'gif':
      if (bytes.length < 13) throw unreadable(format);
      return {
        format,
        bytes,
        width: dimension(bytes.readUInt16LE(6)),
        height: dimension(bytes.readUInt16LE(8)),
        thumbnail: null,
      };
    case 'pdf':
      return { format, bytes, width: null, height: null, thumbnail: null };
  }
}

type PhotoFormat = 'jpeg' | 'png' | 'webp';

async function reencode(bytes: Buffer, format: PhotoFormat) {
  const refusal = (error: unknown) =>
    error instanceof AppError
      ? error
      : /pixel limit/i.test(String((error as Error).message))
        ? tooManyPixels()
        : unreadable(format);
  // The header alone first: how many pixels the image claims is checked before anything is decoded.
  const header = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .metadata()
    .catch((error: unknown) => {
      throw refusal(error);
    });
  if (header.format !== format || !header.width || !header.height) throw unreadable(format);
  try {
    const photo = await encode(
      sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' })
        .rotate()
        .resize(MAX_EDGE, MAX_EDGE, { fit: 'inside', withoutEnlargement: true }),
      format,
      JPEG_QUALITY,
    ).toBuffer({ resolveWithObject: true });
    // From the stored photo (already upright and small), not the original: one full decode per upload.
    const thumbnail = await encode(
      sharp(photo.data).resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }),
      format === 'jpeg' ? 'jpeg' : 'webp',
      THUMB_QUALITY,
    ).toBuffer();
    return { bytes: photo.data, width: photo.info.width, height: photo.info.height, thumbnail };
  } catch (error) {
    throw refusal(error);
  }
}

/** Encodes in the format; sharp writes no metadata unless asked to. */
function encode(image: Sharp, format: PhotoFormat, quality: number): Sharp {
  if (format === 'jpeg') return image.jpeg({ quality });
  if (format === 'webp') return image.webp({ quality });
  return image.png();
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

/** A pixel count fit for the integer columns; 0 (unknown) or absurd values become null. */
function dimension(n: number): number | null {
  return n > 0 && n <= 2_147_483_647 ? n : null;
}
