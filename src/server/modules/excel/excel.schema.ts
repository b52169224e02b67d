import { z } from 'zod';
import { WORKBOOK_KINDS } from './excel.columns.ts';

export const workbookKind = z.enum(WORKBOOK_KINDS);
export const kindParam = z.strictObject({ kind: workbookKind });

export const importQuery = z.strictObject({
  /** true: check every row and roll back; nothing is written. */
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export const exportQuery = z.strictObject({
  /** Export this unit and everything below it (it must be in my scope); everything in my scope when absent. */
  within: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});

export const importResult = z.object({
  imported: z.number().int(),
  dryRun: z.boolean(),
});
