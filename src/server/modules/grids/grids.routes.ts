import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { findUnitInScope } from '../units/units.repository.ts';
import { findGridInScope, listGrids, locateGrid } from './grids.repository.ts';
import {
  gridCardResponse,
  gridPage,
  gridResponse,
  idParam,
  listGridsQuery,
  locateQuery,
  locateResponse,
  setBoundaryBody,
} from './grids.schema.ts';
import { gridCard, removeBoundary, setBoundary } from './grids.service.ts';
import { mapRoutes } from './map.routes.ts';
import { residentGridRoutes } from './resident-grid.routes.ts';
import { unitPostsRoutes } from './unit-posts.routes.ts';

export async function gridsRoutes(app: App, services: Services) {
  const { database } = services;
  const db = database.db;
  await mapRoutes(app, services);

  app.get(
    '/api/grids',
    {
      schema: {
        tags: ['grids'],
        summary: 'Grids in my scope, optionally within a unit, with post counts and (if asked) boundaries',
        querystring: listGridsQuery,
        response: { 200: gridPage },
      },
      config: { access: { auth: 'staff', permission: 'grid.read' } },
    },
    async (request) => {
      const scope = unitScope(actorOf(request), 'grid.read');
      const { within, q, withBoundary, page, pageSize } = request.query;
      let withinPath: string | undefined;
      if (within !== undefined) {
        const anchor = await findUnitInScope(db, within, scope);
        if (!anchor) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const { items, total } = await listGrids(db, scope, { withinPath, q }, withBoundary ?? false, page, pageSize);
      return { items, total, page, pageSize };
    },
  );

  app.get(
    '/api/grids/locate',
    {
      schema: {
        tags: ['grids'],
        summary: 'The grid a point lies in (public information: the grid and its community, nothing personal)',
        querystring: locateQuery,
        response: { 200: locateResponse },
      },
      config: { access: { auth: 'any' } },
    },
    async (request) => ({ grid: await locateGrid(db, request.query.lng, request.query.lat) }),
  );

  app.get(
    '/api/grids/:id',
    {
      schema: {
        tags: ['grids'],
        summary: 'One grid with its boundary',
        params: idParam,
        response: { 200: gridResponse },
      },
      config: { access: { auth: 'staff', permission: 'grid.read' } },
    },
    async (request) => {
      const grid = await findGridInScope(db, request.params.id, unitScope(actorOf(request), 'grid.read'));
      if (!grid) throw notFound('Grid');
      return { grid };
    },
  );

  app.get(
    '/api/grids/:id/card',
    {
      schema: {
        tags: ['grids'],
        summary: "The grid's contact card: post holders with work phones, community, compounds and buildings",
        params: idParam,
        response: { 200: gridCardResponse },
      },
      config: { access: { auth: 'staff', permission: 'grid.read' } },
    },
    async (request) => ({ card: await gridCard(db, actorOf(request), request.params.id) }),
  );

  app.put(
    '/api/grids/:id/boundary',
    {
      schema: {
        tags: ['grids'],
        summary: "Draw or replace a grid's boundary (GeoJSON Polygon); bad geometry answers INVALID_GEOMETRY",
        params: idParam,
        body: setBoundaryBody,
        response: { 200: gridResponse },
      },
      config: { access: { auth: 'staff', permission: 'grid.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      return database.transaction(async (trx) => {
        const { grid, vertexCount, holeCount } = await setBoundary(
          trx,
          actor,
          request.params.id,
          request.body.geometry,
        );
        await audit(trx, request, {
          action: 'grid.boundary',
          targetType: 'unit',
          targetId: grid.id,
          unitId: grid.id,
          detail: { operation: 'set', vertexCount, holeCount, areaSquareMetres: grid.areaSquareMetres },
        });
        return { grid };
      });
    },
  );

  app.delete(
    '/api/grids/:id/boundary',
    {
      schema: { tags: ['grids'], summary: "Remove a grid's boundary", params: idParam },
      config: { access: { auth: 'staff', permission: 'grid.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction(async (trx) => {
        const grid = await removeBoundary(trx, actor, request.params.id);
        await audit(trx, request, {
          action: 'grid.boundary',
          targetType: 'unit',
          targetId: grid.id,
          unitId: grid.id,
          detail: { operation: 'delete' },
        });
      });
      return reply.status(204).send();
    },
  );

  await unitPostsRoutes(app, services);
  await residentGridRoutes(app, services);
}
