import { z } from 'zod';

/** The case list pages a filter can be saved for. */
export const SAVED_FILTER_PAGES = ['worklist', 'cases', 'supervision'] as const;
export type SavedFilterPage = (typeof SAVED_FILTER_PAGES)[number];

/** How many filters one account may keep per page. */
export const MAX_SAVED_FILTERS_PER_PAGE = 50;
/** The largest filter object, as JSON text in UTF-8. */
export const MAX_QUERY_BYTES = 4096;

const filterValue = z.union([z.string().max(500), z.number().finite(), z.array(z.string().max(500)).max(50)]);

/**
 * The list filter to remember: an object of strings, numbers and arrays of strings, as the page keeps it (e.g.
 * `{ "worklist": "toHandle", "colour": "red", "state": ["inGrid", "atCommunity"] }`). The page applies it again
 * through GET /api/cases, which validates it then; here only its shape and size are checked.
 */
export const savedFilterQuery = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, 'a filter name such as `colour`'), filterValue)
  .refine((query) => Object.keys(query).length <= 30, 'at most 30 filter fields')
  .refine(
    (query) => new TextEncoder().encode(JSON.stringify(query)).length <= MAX_QUERY_BYTES,
    `at most ${MAX_QUERY_BYTES} bytes as JSON`,
  );
export type SavedFilterQuery = z.infer<typeof savedFilterQuery>;

export const savedFilterPageQuery = z.strictObject({ page: z.enum(SAVED_FILTER_PAGES) });

export const savedFilterIdParam = z.strictObject({
  id: z.coerce.number().int().positive().max(2_147_483_647),
});

export const createSavedFilterBody = z.strictObject({
  page: z.enum(SAVED_FILTER_PAGES),
  name: z.string().trim().min(1).max(50),
  query: savedFilterQuery,
});
export type CreateSavedFilterInput = z.infer<typeof createSavedFilterBody>;

export const savedFilter = z.object({
  id: z.number().int(),
  page: z.enum(SAVED_FILTER_PAGES),
  name: z.string(),
  query: z.record(z.string(), filterValue),
  createdAt: z.string(),
});
export type SavedFilterDto = z.infer<typeof savedFilter>;

export const savedFilterList = z.object({ items: z.array(savedFilter) });
export const savedFilterResponse = z.object({ savedFilter });
