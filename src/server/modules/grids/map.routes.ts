import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { findUnitInScope } from '../units/units.repository.ts';
import { gridsCaseLoad } from './case-load.repository.ts';
import { caseLoadQuery, caseLoadResponse, mapSettingsResponse } from './case-load.schema.ts';

/** The grid map (网格地图): each grid's open-case load, and the map's optional tile layer. */
export async function mapRoutes(app: App, services: Services) {
  const { database, config, clock } = services;

  app.get(
    '/api/grids/case-load',
    {
      schema: {
        tags: ['grids'],
        summary: 'Open cases now in every grid of my scope (below unitId): open, by colour, supervised, overdue',
        querystring: caseLoadQuery,
        response: { 200: caseLoadResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const scope = unitScope(actor, 'case.read');
      let withinPath: string | undefined;
      if (request.query.unitId !== undefined) {
        const anchor = await findUnitInScope(database.db, request.query.unitId, scope);
        if (!anchor) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const now = clock.now();
      const { items, totals } = await gridsCaseLoad(database.db, actor, scope, withinPath, now);
      return { asOf: now.toISOString(), items, totals };
    },
  );

  app.get(
    '/api/map/settings',
    {
      schema: {
        tags: ['grids'],
        summary: 'How the console draws maps: the optional tile layer (MAP_TILE_URL) and its attribution',
        response: { 200: mapSettingsResponse },
      },
      config: { access: { auth: 'staff' } },
    },
    async () => ({
      tileUrl: config.mapTileUrl || null,
      attribution: config.mapTileUrl ? config.mapTileAttribution || null : null,
    }),
  );
}
