import { z } from 'zod';
import { dbId, queryId } from '../people/refs.schema.ts';
import { pageQuery } from '../units/units.schema.ts';

export const NOTICE_STATUSES = ['published', 'withdrawn'] as const;
/** Units that address notices: a notice reaches the residents living under its unit. */
export const AUDIENCE_UNIT_KINDS = ['city', 'district', 'street', 'town', 'community', 'village', 'grid'] as const;
export const TITLE_MAX = 100;
export const BODY_MAX = 5000;

/** The outbox topic of an urgent notice's push. */
export const URGENT_TOPIC = 'notice.urgent';

export const noticeIdParam = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });

const noticeFields = {
  unitId: dbId.meta({
    description: 'The audience: a district, street, community or grid in my scope; its residents get the notice',
  }),
  title: z.string().trim().min(1).max(TITLE_MAX),
  body: z.string().trim().min(1).max(BODY_MAX),
  urgent: z.boolean().meta({
    description: 'Urgent notices are pushed once to every resident of the audience: live in the app and by SMS',
  }),
  pinned: z.boolean().meta({ description: 'Pinned notices come first in the residents’ list' }),
};

export const createNoticeBody = z.strictObject({
  ...noticeFields,
  urgent: noticeFields.urgent.default(false),
  pinned: noticeFields.pinned.default(false),
});
export type CreateNoticeInput = z.infer<typeof createNoticeBody>;

export const updateNoticeBody = z.strictObject({
  version: z.number().int().positive().meta({
    description: 'The version I saw; a stale one is refused with 409 VERSION_CONFLICT',
  }),
  ...noticeFields,
});
export type UpdateNoticeInput = z.infer<typeof updateNoticeBody>;

export const withdrawNoticeBody = z.strictObject({ version: z.number().int().positive() });

export const listNoticesQuery = z.strictObject({
  /** Notices addressed to this unit or to any unit below it. */
  unitId: queryId.optional().meta({ description: 'Only notices addressed to this unit or a unit below it' }),
  status: z.enum(NOTICE_STATUSES).optional(),
  q: z.string().trim().max(100).optional().meta({ description: 'Text in the title or the body' }),
  ...pageQuery,
});
export type ListNoticesQuery = z.infer<typeof listNoticesQuery>;

const unitRef = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });

/** A notice as staff see it: with its audience size, how many of them read it, and what may be done now. */
export const notice = z.object({
  id: z.number().int(),
  unit: unitRef,
  title: z.string(),
  body: z.string(),
  urgent: z.boolean(),
  pinned: z.boolean(),
  status: z.enum(NOTICE_STATUSES),
  publishedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  pushedAt: z.string().nullable().meta({ description: 'When the urgent push went to the outbox; null if never' }),
  audience: z.number().int().meta({ description: 'Resident accounts whose home lies under the unit' }),
  readCount: z.number().int().meta({ description: 'Residents who opened the notice' }),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  actions: z.object({ edit: z.boolean(), withdraw: z.boolean() }),
});
export type NoticeDto = z.infer<typeof notice>;

export const noticePage = z.object({
  items: z.array(notice),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const noticeResponse = z.object({ notice });
export const publishNoticeResponse = z.object({
  notice,
  pushed: z.number().int().meta({ description: 'Residents the urgent push goes to (0 when not pushed)' }),
});

// ——— Resident side ———

const publisher = unitRef.meta({ description: 'The unit that published the notice (my grid, community …)' });

export const residentNoticeSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string().meta({ description: 'The first lines of the body' }),
  urgent: z.boolean(),
  pinned: z.boolean(),
  publisher,
  publishedAt: z.string(),
  read: z.boolean(),
});
export type ResidentNoticeSummaryDto = z.infer<typeof residentNoticeSummary>;

export const residentNotice = residentNoticeSummary.omit({ summary: true }).extend({ body: z.string() });
export type ResidentNoticeDto = z.infer<typeof residentNotice>;

export const myNoticesQuery = z.strictObject({
  unread: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional()
    .meta({ description: 'true: only the notices I have not opened yet' }),
  ...pageQuery,
});
export type MyNoticesQuery = z.infer<typeof myNoticesQuery>;

export const residentNoticePage = z.object({
  items: z.array(residentNoticeSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  unreadCount: z.number().int(),
});
export const residentNoticeResponse = z.object({ notice: residentNotice, unreadCount: z.number().int() });
export const unreadNoticesResponse = z.object({ unreadCount: z.number().int() });
export const readAllNoticesResponse = z.object({ marked: z.number().int(), unreadCount: z.number().int() });
