import { createHash, randomUUID } from 'node:crypto';
import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Clock } from '../../clock.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { AppError, badRequest } from '../../http/errors.ts';
import { caseVisibleTo } from '../cases/cases.access.ts';
import { type DetectedFormat, FORMATS, prepareUpload } from './attachments.content.ts';
import { type AttachmentSummary, type CaseAttachment, MAX_CLAIM } from './attachments.schema.ts';
import type { AttachmentKind, AttachmentsTable } from './attachments.tables.ts';
import { type FileStore, newStorageKey, thumbnailKey } from './file-store.ts';

export type { AttachmentSummary, CaseAttachment };
export type AttachmentRow = Selectable<AttachmentsTable>;

export const attachmentUrl = (id: string) => `/api/attachments/${id}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type SummaryRow = Pick<AttachmentRow, 'id' | 'kind' | 'content_type' | 'byte_size' | 'width' | 'height'>;

export function presentAttachment(row: SummaryRow): AttachmentSummary {
  return {
    id: row.id,
    kind: row.kind,
    contentType: row.content_type,
    byteSize: row.byte_size,
    ...(row.width === null ? {} : { width: row.width }),
    ...(row.height === null ? {} : { height: row.height }),
    url: attachmentUrl(row.id),
  };
}

/** What an upload may be: an image unless the client asked for a document (then a PDF or an image). */
export function allowedFormats(kind: AttachmentKind): DetectedFormat[] {
  return kind === 'document' ? ['pdf', 'jpeg', 'png', 'webp', 'gif'] : ['jpeg', 'png', 'webp', 'gif'];
}

/** The client's file name for display only: no folders, no control characters, at most 255 characters. */
export function displayName(fileName: string | undefined): string | null {
  if (!fileName) return null;
  const base = fileName.split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean ? [...clean].slice(0, 255).join('') : null;
}

export interface Upload {
  bytes: Buffer;
  kind: AttachmentKind;
  fileName: string | undefined;
}

/**
 * Checks the bytes (type by magic number; photos must decode), re-encodes photos without metadata (with a
 * thumbnail beside them), stores the file and records it as an unlinked upload of the actor. The files are
 * written before the row; if the row cannot be written they are removed again.
 */
export async function storeUpload(
  q: Queryable,
  store: FileStore,
  clock: Clock,
  actor: Actor,
  upload: Upload,
): Promise<AttachmentSummary> {
  if (upload.bytes.length === 0) throw new AppError('PAYLOAD_TOO_LARGE', 'The file is empty');
  const content = await prepareUpload(upload.bytes, allowedFormats(upload.kind));
  const format = FORMATS[content.format];
  const key = newStorageKey();
  const removeFiles = () => Promise.all([store.delete(key), store.delete(thumbnailKey(key))]).catch(() => {});
  try {
    await store.put(key, content.bytes);
    if (content.thumbnail) await store.put(thumbnailKey(key), content.thumbnail);
    const row = await q
      .insertInto('attachments')
      .values({
        id: randomUUID(),
        uploader_account_id: actor.accountId,
        kind: format.kind,
        content_type: format.contentType,
        byte_size: content.bytes.length,
        sha256: createHash('sha256').update(content.bytes).digest('hex'),
        storage_key: key,
        original_name: displayName(upload.fileName),
        width: content.width,
        height: content.height,
        created_at: clock.now(),
      })
      .returning(['id', 'kind', 'content_type', 'byte_size', 'width', 'height'])
      .executeTakeFirstOrThrow();
    return presentAttachment(row);
  } catch (error) {
    await removeFiles();
    throw error;
  }
}

/**
 * The attachment when the actor may read it: they uploaded it, or it hangs off a case they may read
 * (the cases' one scope rule). Otherwise null, whether it exists or not.
 */
export async function findReadable(q: Queryable, actor: Actor, id: string): Promise<AttachmentRow | null> {
  const row = await q.selectFrom('attachments').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row) return null;
  if (row.uploader_account_id === actor.accountId) return row;
  if (row.case_id !== null && (await caseVisibleTo(q, actor, row.case_id))) return row;
  return null;
}

/**
 * Links the actor's own unlinked uploads to a case (and optionally one of its events), inside the caller's
 * transaction. Every id must be an upload of this actor not yet linked (and of the given kind, when one is
 * given); otherwise 400 naming the bad ids and nothing is written. At most MAX_CLAIM ids per call; repeated ids
 * count once. Returns them in the order given.
 */
export async function claimAttachments(
  trx: Trx,
  actor: Actor,
  ids: string[],
  target: { caseId: number; eventId: number | null },
  only?: AttachmentKind,
): Promise<AttachmentSummary[]> {
  if (ids.length > MAX_CLAIM) {
    throw badRequest(`At most ${MAX_CLAIM} attachments can be added at a time`, { max: MAX_CLAIM });
  }
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const wellFormed = wanted.filter((id) => UUID.test(id));
  const rows =
    wellFormed.length === 0
      ? []
      : await trx
          .selectFrom('attachments')
          .select(['id', 'kind', 'content_type', 'byte_size', 'width', 'height'])
          .where('id', 'in', wellFormed)
          .where('uploader_account_id', '=', actor.accountId)
          .where('case_id', 'is', null)
          .$if(only !== undefined, (qb) => qb.where('kind', '=', only as AttachmentKind))
          .forUpdate()
          .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const bad = wanted.filter((id) => !byId.has(id));
  if (bad.length > 0) {
    throw badRequest(`Attachments not found among your unattached uploads: ${bad.join(', ')}`, { ids: bad });
  }
  await trx
    .updateTable('attachments')
    .set({ case_id: target.caseId, event_id: target.eventId })
    .where('id', 'in', wanted)
    .execute();
  return wanted.map((id) => presentAttachment(byId.get(id)!));
}

/** The attachments of a case, oldest first, for the case detail (the caller has checked the case is readable). */
type CaseAttachmentJson = SummaryRow & { event_id: number | null };

/**
 * A case's attachments in upload order as one JSON array (null when none), for a select list: the case detail
 * reads them in its one statement. `caseId` is the SQL of the case's id (a column reference or a value).
 */
export const caseAttachmentsJson = (caseId: RawBuilder<unknown>) =>
  sql<CaseAttachmentJson[] | null>`(SELECT json_agg(json_build_object('id', f.id, 'kind', f.kind,
      'content_type', f.content_type, 'byte_size', f.byte_size, 'width', f.width, 'height', f.height,
      'event_id', f.event_id) ORDER BY f.created_at, f.id)
    FROM attachments f WHERE f.case_id = ${caseId})`;

export function presentCaseAttachments(rows: CaseAttachmentJson[] | null): CaseAttachment[] {
  return (rows ?? []).map((r) => ({ ...presentAttachment(r), eventId: r.event_id }));
}

export async function attachmentsOfCase(q: Queryable, caseId: number): Promise<CaseAttachment[]> {
  const { rows } = await sql<{ files: CaseAttachmentJson[] | null }>`
    SELECT ${caseAttachmentsJson(sql`${caseId}`)} AS files`.execute(q);
  return presentCaseAttachments(rows[0]?.files ?? null);
}
