import { z } from 'zod';
import { UNIT_KINDS } from '../units/units.schema.ts';

const id = z.number().int().positive().max(2_147_483_647);
const place = z.object({ id: z.number().int(), name: z.string(), kind: z.enum(UNIT_KINDS) });

/** Where a resident may say they live: a compound, building or entrance, or just the grid. */
export const HOME_KINDS = ['grid', 'compound', 'building', 'entrance'] as const;

export const meResponse = z.object({
  account: z.object({ id: z.number().int(), phone: z.string().nullable(), displayName: z.string() }),
  person: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** The home unit and everything above it, from the top of the tree down. Empty until the profile is set. */
  home: z.array(place),
  /** The grid the home belongs to: whose grid worker answers this resident. */
  grid: place.nullable(),
});
export type MeDto = z.infer<typeof meResponse>;

export const profileBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  unitId: id,
});

export const placesQuery = z.strictObject({
  parentId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  /** Search communities and compounds by name (at least two characters). */
  q: z.string().trim().min(2).max(50).optional(),
});

export const placesResponse = z.object({
  items: z.array(
    place.extend({
      hasChildren: z.boolean(),
      /** For search results: the names above the place, from the top down, to tell namesakes apart. */
      within: z.array(z.string()).optional(),
    }),
  ),
});
