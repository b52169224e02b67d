import { z } from 'zod';

/** The kinds of unit an address search finds: the territory down to the building. */
export const PLACE_SEARCH_KINDS = ['community', 'village', 'grid', 'compound', 'building'] as const;

export const placeSearchQuery = z.strictObject({
  /** Words of a place name, e.g. 体育场家属院 3号楼 (every word must match the place or its parent). */
  q: z.string().trim().min(1).max(50),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const ref = z.object({ id: z.number().int(), name: z.string() });
const point = z.object({ lng: z.number(), lat: z.number() });

export const placeSearchItem = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(PLACE_SEARCH_KINDS),
  /** The names above the place from the district down (grids left out), to tell namesakes apart. */
  within: z.array(z.string()),
  /** The place as an address line: the names from the district down to the place, grids left out. */
  address: z.string(),
  /** The grid the place lies in (the grid itself for a grid); null for a community or village. */
  grid: ref.nullable(),
  community: ref.nullable(),
  point: point.nullable().meta({
    description:
      "Where to put the pin: a point inside the place's grid (places have no point of their own); null for a " +
      'community or village, or when the grid has no boundary',
  }),
  bounds: z
    .object({ west: z.number(), south: z.number(), east: z.number(), north: z.number() })
    .nullable()
    .meta({ description: "The area to show: the place's grid, or all grids of a community; null without boundaries" }),
});
export type PlaceSearchItem = z.infer<typeof placeSearchItem>;

export const placeSearchResponse = z.object({ items: z.array(placeSearchItem) });
