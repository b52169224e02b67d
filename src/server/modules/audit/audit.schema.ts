import { z } from 'zod';

/** A day (YYYY-MM-DD, in the server's time zone, whole day) or an instant with its offset. */
const bound = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const auditFilterQuery = {
  from: bound.optional(),
  to: bound.optional(),
  /** Exact action (`account.create`), or a prefix ending in `*` (`account.*`). */
  action: z
    .string()
    .trim()
    .max(60)
    .regex(/^[a-zA-Z][\w.]*\*?$/, 'an action code, optionally ending in *')
    .optional(),
  actorAccountId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  targetType: z.string().trim().min(1).max(40).optional(),
  targetId: z.string().trim().min(1).max(64).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
};

export const auditListQuery = z.strictObject({
  ...auditFilterQuery,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditExportQuery = z.strictObject(auditFilterQuery);
export type AuditFilter = z.infer<typeof auditExportQuery>;

export const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorAccountId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['success', 'failure']),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntryDto = z.infer<typeof auditEntry>;

export const auditPage = z.object({
  items: z.array(auditEntry),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
