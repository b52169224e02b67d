import { z } from 'zod';
import { MAX_VERTICES } from '../../geo/polygon.ts';
import { idParam, pageQuery } from '../units/units.schema.ts';
import { unitPostItem } from './unit-posts.schema.ts';

export { idParam };

/** A GeoJSON Polygon as the server sends it: 2-D positions, outer ring counter-clockwise, holes clockwise. */
export const geoJsonPolygon = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(z.array(z.number()))),
  })
  .meta({ description: 'GeoJSON Polygon (RFC 7946), [longitude, latitude] in WGS 84' });

const boolFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const listGridsQuery = z.strictObject({
  /** Grids anywhere below this unit (a street, a community…) or the grid itself. */
  within: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  q: z.string().trim().max(50).optional(),
  withBoundary: boolFlag,
  ...pageQuery,
});

export const gridSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string().nullable(),
  communityId: z.number().int().nullable(),
  communityName: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  postCount: z.number().int(),
  hasBoundary: z.boolean(),
  boundaryUpdatedAt: z.string().nullable(),
  /** Present only when asked for with withBoundary=true. */
  boundary: geoJsonPolygon.nullable().optional(),
});
export type GridSummaryDto = z.infer<typeof gridSummary>;

export const gridPage = z.object({
  items: z.array(gridSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const gridDetail = gridSummary.extend({
  address: z.string().nullable(),
  boundary: geoJsonPolygon.nullable(),
  /** Spherical area of the boundary in square metres. */
  areaSquareMetres: z.number().nullable(),
});
export type GridDetailDto = z.infer<typeof gridDetail>;

export const gridResponse = z.object({ grid: gridDetail });

export const setBoundaryBody = z.strictObject({
  // Checked by the geometry validator, so that every geometry problem answers INVALID_GEOMETRY with a reason.
  geometry: z.unknown().meta({
    description: `GeoJSON Polygon: closed rings, at most ${MAX_VERTICES} vertices, no self-intersection, holes inside`,
  }),
});

export const locateQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});

export const locateResponse = z.object({
  grid: z
    .object({
      id: z.number().int(),
      name: z.string(),
      communityId: z.number().int().nullable(),
      communityName: z.string().nullable(),
    })
    .nullable(),
});

/** Post holders on the card, phones in full: the card is a work contact card. */
const cardPerson = unitPostItem;

export const gridCardResponse = z.object({
  card: z.object({
    grid: z.object({
      id: z.number().int(),
      name: z.string(),
      phone: z.string().nullable(),
      address: z.string().nullable(),
    }),
    community: z
      .object({
        id: z.number().int(),
        kind: z.string(),
        name: z.string(),
        phone: z.string().nullable(),
        address: z.string().nullable(),
      })
      .nullable(),
    posts: z.array(cardPerson),
    subUnits: z.array(
      z.object({
        id: z.number().int(),
        parentId: z.number().int().nullable(),
        kind: z.enum(['compound', 'building']),
        name: z.string(),
        heads: z.array(cardPerson),
      }),
    ),
  }),
});
export type GridCardDto = z.infer<typeof gridCardResponse>['card'];

const gridCard = gridCardResponse.shape.card;

/** The resident's card of their home grid (GET /api/me/grid): sub-units are their own compound, building, entrance. */
export const residentGridCardResponse = z.object({
  card: gridCard
    .extend({
      subUnits: z.array(gridCard.shape.subUnits.element.extend({ kind: z.enum(['compound', 'building', 'entrance']) })),
    })
    .nullable()
    .meta({ description: 'Null when I have no home in a grid yet' }),
});
export type ResidentGridCardDto = NonNullable<z.infer<typeof residentGridCardResponse>['card']>;

/** GET /api/me/map: what the H5's "pin on the map" draws. */
export const residentMapResponse = z.object({
  tileUrl: z.string().nullable().meta({ description: 'Leaflet URL template (MAP_TILE_URL); null: a plain background' }),
  attribution: z.string().nullable(),
  home: z
    .object({ lng: z.number(), lat: z.number() })
    .nullable()
    .meta({ description: 'A point inside my home grid (where the map opens); null without a home or a boundary' }),
  grids: z
    .array(z.object({ id: z.number().int(), name: z.string(), geometry: geoJsonPolygon }))
    .meta({ description: 'The grids of my community that have a boundary (public information)' }),
});
export type ResidentMapDto = z.infer<typeof residentMapResponse>;
