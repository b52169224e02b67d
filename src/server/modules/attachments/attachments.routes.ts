import type { FastifyRequest } from 'fastify';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { AppError, badRequest, notFound } from '../../http/errors.ts';
import { perAccountPerHour } from '../../http/rate-limits.ts';
import { FORMATS, thumbnailType } from './attachments.content.ts';
import { attachmentIdParam, attachmentReadQuery, uploadKindField, uploadResponse } from './attachments.schema.ts';
import { findReadable, storeUpload, type Upload } from './attachments.service.ts';
import { createFileStore, thumbnailKey } from './file-store.ts';

const UPLOAD_DESCRIPTION =
  'multipart/form-data with one file in the field `file` and optionally the field `kind`: ' +
  '`image` (default) accepts JPEG, PNG, WebP and GIF; `document` also accepts PDF. The type is read from the ' +
  'bytes, not from the name or declared type (anything else: 415). Empty or larger than UPLOAD_MAX_BYTES: 413. ' +
  'JPEG, PNG and WebP photos are re-encoded: turned upright, fitted inside 1920 px, with all metadata (EXIF ' +
  'with the location, XMP, IPTC, ICC) removed, and a thumbnail of at most 320 px is kept beside them; a photo ' +
  'that cannot be decoded is 415, one declaring more than 120 megapixels is 413. GIF and PDF are kept as sent. ' +
  'The upload is mine until a case write attaches it (by id) to a case or case event.';

const READ_DESCRIPTION =
  'The bytes, with the stored content type: images inline, PDFs as a download with a generated name. ' +
  "`size=thumb` gives a photo's thumbnail (at most 320 px: JPEG for a JPEG, else WebP); a file without one " +
  '(GIF, PDF) is served as it is. Readable by its uploader and by anyone who may read the case it is attached ' +
  'to; otherwise 404.';

/** Reads the multipart body: the one file (kept in memory, at most `maxBytes`) and the optional kind field. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  let file: { bytes: Buffer; fileName: string } | undefined;
  let misplaced: string | undefined;
  let kindValue: string | undefined;
  for await (const part of request.parts({ limits: { fileSize: maxBytes } })) {
    if (part.type === 'field') {
      if (part.fieldname === 'kind') kindValue = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file') {
      misplaced = part.fieldname;
      part.file.resume();
      continue;
    }
    try {
      file = { bytes: await part.toBuffer(), fileName: part.filename };
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`, { maxBytes });
      }
      throw error;
    }
  }
  if (!file) {
    throw badRequest(
      misplaced === undefined
        ? 'Attach the file as multipart/form-data in the field "file"'
        : `Send the file in the field "file", not "${misplaced}"`,
    );
  }
  const kind = uploadKindField.safeParse(kindValue === '' ? undefined : kindValue);
  if (!kind.success) {
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
      { in: 'body', path: 'kind', message: 'kind must be image or document' },
    ]);
  }
  return { bytes: file.bytes, kind: kind.data, fileName: file.fileName };
}

export async function attachmentsRoutes(app: App, { database, config, clock }: Services) {
  const db = database.db;
  // The one place attachments' storage is chosen (DATA_DIR/uploads today; object storage later).
  const store = createFileStore(config);

  app.post(
    '/api/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Upload a photo or a PDF (multipart/form-data) to attach to a case or case event later',
        description: UPLOAD_DESCRIPTION,
        response: { 200: uploadResponse },
      },
      config: { access: { auth: 'any' }, rateLimit: perAccountPerHour(config.uploadsPerHour) },
    },
    async (request) => {
      const actor = actorOf(request);
      const upload = await readUpload(request, config.uploadMaxBytes);
      return { attachment: await storeUpload(db, store, clock, actor, upload) };
    },
  );

  app.get(
    '/api/attachments/:id',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Download an attachment (image inline, PDF as a file)',
        description: READ_DESCRIPTION,
        params: attachmentIdParam,
        querystring: attachmentReadQuery,
      },
      config: { access: { auth: 'any' } },
    },
    async (request, reply) => {
      const row = await findReadable(db, actorOf(request), request.params.id);
      if (!row) throw notFound('Attachment');
      const thumbType = request.query.size === 'thumb' ? thumbnailType(row.content_type) : null;
      const thumb = thumbType ? await store.get(thumbnailKey(row.storage_key)) : null;
      const stored = thumb ?? (await store.get(row.storage_key));
      if (!stored) {
        request.log.error({ attachmentId: row.id, storageKey: row.storage_key }, 'attachment file is missing');
        throw notFound('Attachment');
      }
      const contentType = thumb && thumbType ? thumbType : row.content_type;
      const format = Object.values(FORMATS).find((f) => f.contentType === contentType);
      const fileName = `${row.kind}-${row.id}${thumb ? '-thumb' : ''}.${format?.extension ?? 'bin'}`;
      return reply
        .type(contentType)
        .header('content-length', stored.byteSize)
        .header('content-disposition', `${row.kind === 'image' ? 'inline' : 'attachment'}; filename="${fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .send(stored.stream);
    },
  );
}
