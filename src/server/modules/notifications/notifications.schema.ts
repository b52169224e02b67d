import { z } from 'zod';

export const notificationIdParam = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const listNotificationsQuery = z.strictObject({
  unread: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notification = z.object({
  id: z.number().int(),
  topic: z.string().meta({ description: 'What happened: `case.<action>` or `callRequest.<action>`' }),
  title: z.string().meta({ description: 'The case number and title' }),
  body: z.string().meta({ description: 'The action code (e.g. `resolve`), for the apps to translate' }),
  caseId: z.number().int().nullable(),
  callRequestId: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationDto = z.infer<typeof notification>;

export const notificationPage = z.object({
  items: z.array(notification),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  unreadCount: z.number().int(),
});

export const unreadCountResponse = z.object({ unreadCount: z.number().int() });

export const readResponse = z.object({ notification, unreadCount: z.number().int() });

export const readAllResponse = z.object({ marked: z.number().int(), unreadCount: z.number().int() });
