import { z } from 'zod';

export const attachmentKind = z.enum(['image', 'document']);

/** The optional multipart field `kind`: image (the default) accepts images only; document also accepts PDF. */
export const uploadKindField = attachmentKind.default('image');

export const attachmentIdParam = z.strictObject({ id: z.uuid() });

/** `size=thumb`: the photo's thumbnail (at most 320 px) instead of the photo. */
export const attachmentReadQuery = z.strictObject({ size: z.enum(['thumb']).optional() });

export const attachmentSummary = z.object({
  id: z.uuid(),
  kind: attachmentKind,
  contentType: z.string(),
  byteSize: z.number().int(),
  /** Pixel size from the image header; absent for documents (and images whose header gives none). */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** Where the bytes are: GET it with the session cookie. */
  url: z.string(),
});
export type AttachmentSummary = z.infer<typeof attachmentSummary>;

/** An attachment as listed on a case's detail: with the event it was added with (null: the case itself). */
export const caseAttachment = attachmentSummary.extend({ eventId: z.number().int().nullable() });
export type CaseAttachment = z.infer<typeof caseAttachment>;

export const uploadResponse = z.object({ attachment: attachmentSummary });

/** For the case API's request bodies: the ids of my uploads to attach (at most MAX_CLAIM). */
export const MAX_CLAIM = 9;
export const attachmentIds = z.array(z.uuid()).max(MAX_CLAIM);
