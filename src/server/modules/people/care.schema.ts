import { z } from 'zod';
import { pageQuery } from '../units/units.schema.ts';
import { careKind, careRecord, dbId, optionalText, queryId, unitRef } from './refs.schema.ts';

export const listCarePersonsQuery = z.strictObject({
  within: queryId.optional(),
  kind: careKind.optional(),
  /** Part of a name. */
  q: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
});

export const setCareBody = z.strictObject({
  kinds: z
    .array(careKind)
    .min(1)
    .max(7)
    .refine((k) => new Set(k).size === k.length, 'each kind once'),
  note: optionalText(2000),
  visitCycleDays: z.number().int().min(1).max(365).nullable().optional(),
  responsiblePersonId: dbId.nullable().optional(),
  /** The file's version when changing an existing file; omitted when adding one. */
  version: dbId.optional(),
});

export const carePersonItem = careRecord.extend({
  person: z.object({
    id: z.number().int(),
    name: z.string(),
    gender: z.enum(['male', 'female']).nullable(),
    birthDate: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    unit: unitRef.nullable(),
  }),
});

export const carePersonPage = z.object({
  items: z.array(carePersonItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const careResponse = z.object({ care: careRecord });
