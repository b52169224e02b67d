import { z } from 'zod';
import { unitKind } from '../units/units.schema.ts';

/** A row id (PostgreSQL integer) in a body, and in a path or query string. */
export const dbId = z.number().int().positive().max(2_147_483_647);
export const queryId = z.coerce.number().int().positive().max(2_147_483_647);

/** Small references embedded in people, care-person and Party responses. */
export const unitRef = z.object({ id: z.number().int(), name: z.string(), kind: unitKind });
export const personRef = z.object({ id: z.number().int(), name: z.string() });

export const CARE_KINDS = [
  'livingAlone',
  'hardship',
  'disabled',
  'elderly',
  'leftBehindChild',
  'veteran',
  'other',
] as const;
export const careKind = z.enum(CARE_KINDS);

/** A care-person file (重点人群). Sensitive: only presented to actors with carePerson.read over the person. */
export const careRecord = z.object({
  kinds: z.array(careKind),
  note: z.string().nullable(),
  visitCycleDays: z.number().int().nullable(),
  responsiblePerson: personRef.nullable(),
  version: z.number().int(),
});
export type CareRecordDto = z.infer<typeof careRecord>;

/** Optional text: blank means "none". */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** A calendar date 'YYYY-MM-DD', not after today in China. */
export const pastDate = z.iso.date().refine((v) => v <= shanghaiDay.format(new Date()), 'must not be in the future');
