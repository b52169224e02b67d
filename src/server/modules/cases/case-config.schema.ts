import { z } from 'zod';
import { dbId, queryId } from '../people/refs.schema.ts';
import { URGENCIES } from './cases.schema.ts';

/** A case type's code, as the CHECK of migration 0100 allows it. */
export const caseTypeCode = z.string().regex(/^[a-z][A-Za-z]{1,31}$/, 'a case type code such as appeal');
/** A category code, as the CHECK of migration 0100 allows it: latin camelCase, dotted for the second level. */
export const categoryCode = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-zA-Z0-9.]{1,63}$/,
    'latin letters and digits starting with a small letter, e.g. environment.garbage',
  );

const text = (max: number) => z.string().trim().min(1).max(max);
const version = z.number().int().positive().meta({
  description: 'The version the user saw; a stale one is refused with 409 VERSION_CONFLICT',
});

export const caseTypeParam = z.strictObject({ code: caseTypeCode });
export const categoryIdParam = z.strictObject({ id: queryId });
export const timeLimitIdParam = z.strictObject({ id: queryId });

export const caseTypeDto = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  routesToGrid: z.boolean(),
  visitRule: z.enum(['reporter', 'none']),
  manualColour: z.boolean(),
  orangeShare: z.number(),
  active: z.boolean(),
  version: z.number().int(),
});
export type CaseTypeDto = z.infer<typeof caseTypeDto>;

export const updateCaseTypeBody = z
  .strictObject({
    version,
    name: text(50).optional(),
    nameEn: text(80).optional(),
    routesToGrid: z.boolean().optional(),
    visitRule: z.enum(['reporter', 'none']).optional(),
    manualColour: z.boolean().optional(),
    /** Kept to three decimals (the column is numeric(4,3)), so the bounds are those a stored value can have. */
    orangeShare: z.number().min(0.001).max(0.999).optional().meta({
      description: 'Orange once this share of the working time allowed is used (0 < share < 1)',
    }),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: 'Nothing to change' });
export type UpdateCaseTypeInput = z.infer<typeof updateCaseTypeBody>;

const keywords = z
  .array(z.string().trim().min(1).max(20))
  .max(30)
  .transform((list) => [...new Set(list)])
  .meta({ description: 'Words in a report that suggest the category' });

const departmentRef = z.object({ id: z.number().int(), name: z.string() });

const categoryFields = {
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  keywords: z.array(z.string()),
  department: departmentRef.nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
};
export const categoryDto = z.object(categoryFields);
export type CategoryDto = z.infer<typeof categoryDto>;
export const categoryTreeNode = z.object({ ...categoryFields, children: z.array(categoryDto) });
export type CategoryTreeNode = z.infer<typeof categoryTreeNode>;

export const listCategoriesQuery = z.strictObject({
  all: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Include inactive categories (needs case.configure)' }),
});

export const createCategoryBody = z.strictObject({
  parentId: dbId.nullable().default(null).meta({
    description: 'An active first-level category, or null for a new first-level category',
  }),
  code: categoryCode,
  name: text(50),
  nameEn: text(80),
  keywords: keywords.default([]),
  departmentId: dbId.nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreateCategoryInput = z.infer<typeof createCategoryBody>;

export const updateCategoryBody = z.strictObject({
  version,
  name: text(50).optional(),
  nameEn: text(80).optional(),
  keywords: keywords.optional(),
  departmentId: dbId.nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  active: z.boolean().optional(),
});
export type UpdateCategoryInput = z.infer<typeof updateCategoryBody>;

export const categoryResponse = z.object({ category: categoryDto });

export const suggestQuery = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  limit: z.coerce.number().int().min(1).max(10).default(3),
});

export const suggestResponse = z.object({
  items: z.array(
    z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable(), score: z.number() }),
  ),
});

const minutes = z.number().int().min(1).max(48_000).meta({ description: 'Working minutes (a working day is 480)' });

export const timeLimitDto = z.object({
  id: z.number().int(),
  caseType: z.string(),
  category: z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable() }).nullable(),
  urgency: z.enum(URGENCIES).nullable(),
  responseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  visitMinutes: z.number().int(),
  /** The type's catch-all rule (any category, any urgency): always present, never deleted. */
  catchAll: z.boolean(),
  version: z.number().int(),
});
export type TimeLimitDto = z.infer<typeof timeLimitDto>;

export const listTimeLimitsQuery = z.strictObject({ caseType: caseTypeCode.optional() });

export const upsertTimeLimitBody = z.strictObject({
  caseType: caseTypeCode,
  categoryId: dbId.nullable().meta({ description: 'A category of either level; null for any category' }),
  urgency: z.enum(URGENCIES).nullable().meta({ description: 'null for any urgency' }),
  responseMinutes: minutes,
  resolutionMinutes: minutes,
  visitMinutes: minutes,
  version: version.optional(),
});
export type UpsertTimeLimitInput = z.infer<typeof upsertTimeLimitBody>;

export const timeLimitResponse = z.object({ timeLimit: timeLimitDto });
export const upsertTimeLimitResponse = z.object({ timeLimit: timeLimitDto, created: z.boolean() });

export const resolveTimeLimitQuery = z.strictObject({
  caseType: caseTypeCode.default('appeal'),
  categoryId: queryId.optional(),
  urgency: z.enum(URGENCIES).default('normal'),
});
