import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { residentGridCardResponse, residentMapResponse } from './grids.schema.ts';
import { homeChain, homeGridCard, homeMap } from './resident-grid.service.ts';

/** The resident's own grid: its contact card, and the map the H5 pins a report on. */
export async function residentGridRoutes(app: App, { database, config }: Services) {
  const db = database.db;

  app.get(
    '/api/me/grid',
    {
      schema: {
        tags: ['resident'],
        summary: "My home grid's contact card: grid workers and heads with their phones and services",
        description:
          'The grid card staff see (GET /api/grids/{id}/card), with the heads of my own compound, building and ' +
          'entrance only. card is null until my home is in a grid.',
        response: { 200: residentGridCardResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => ({ card: await homeGridCard(db, await homeChain(db, actorOf(request).accountId)) }),
  );

  app.get(
    '/api/me/map',
    {
      schema: {
        tags: ['resident'],
        summary: "The map to pin a report on: the tile layer, my community's grid boundaries, a point in my grid",
        response: { 200: residentMapResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => ({
      tileUrl: config.mapTileUrl || null,
      attribution: config.mapTileUrl ? config.mapTileAttribution || null : null,
      ...(await homeMap(db, await homeChain(db, actorOf(request).accountId))),
    }),
  );
}
