import { z } from 'zod';

export const UNIT_KINDS = [
  'city',
  'district',
  'street',
  'town',
  'community',
  'village',
  'grid',
  'compound',
  'building',
  'entrance',
  'department',
] as const;

export const unitKind = z.enum(UNIT_KINDS);
export const idParam = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const unit = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  kind: unitKind,
  name: z.string(),
  code: z.string().nullable(),
  path: z.string(),
  depth: z.number().int(),
  sortOrder: z.number().int(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  childCount: z.number().int(),
});
export type UnitDto = z.infer<typeof unit>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const createUnitBody = z.strictObject({
  parentId: z.number().int().positive().nullable(),
  kind: unitKind,
  name: text(100),
  code: text(40).nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[\d\-+() ]{5,20}$/)
    .nullable()
    .optional(),
  address: z.string().trim().max(200).nullable().optional(),
  description: z.string().trim().max(2000).nullable().optional(),
});

export const updateUnitBody = z.strictObject({
  version: z.number().int().positive(),
  parentId: z.number().int().positive().optional(),
  name: text(100).optional(),
  code: text(40).nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[\d\-+() ]{5,20}$/)
    .nullable()
    .optional(),
  address: z.string().trim().max(200).nullable().optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  active: z.boolean().optional(),
});

export const listUnitsQuery = z.strictObject({
  parentId: z.coerce.number().int().positive().optional(),
  /** Every unit below this one (any depth), not only its children. */
  within: z.coerce.number().int().positive().optional(),
  kind: unitKind.optional(),
  q: z.string().trim().max(50).optional(),
  ...pageQuery,
});

export const unitPage = z.object({
  items: z.array(unit),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const unitResponse = z.object({ unit });
export const ancestorsResponse = z.object({ items: z.array(unit.pick({ id: true, name: true, kind: true })) });
