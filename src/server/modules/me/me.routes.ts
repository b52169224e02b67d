import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { childPlaces, findPlace, searchPlaces } from './me.repository.ts';
import { meResponse, placesQuery, placesResponse, profileBody } from './me.schema.ts';
import { loadMe, updateProfile } from './me.service.ts';

/** The resident's own profile, and the public place names they choose their home from. */
export async function meRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['resident'],
        summary: 'My account, my record, my home and the grid it belongs to',
        response: { 200: meResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => loadMe(db, actorOf(request).accountId),
  );

  app.put(
    '/api/me/profile',
    {
      schema: {
        tags: ['resident'],
        summary: 'Set my name and where I live (compound, building or entrance); answers with my grid',
        body: profileBody,
        response: { 200: meResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => {
      const actor = actorOf(request);
      return database.transaction(async (trx) => {
        const placed = await updateProfile(trx, actor, request.body);
        await audit(trx, request, {
          action: 'me.updateProfile',
          targetType: 'person',
          targetId: placed.personId,
          unitId: placed.unitId,
          detail: { created: placed.created, gridId: placed.gridId },
        });
        return loadMe(trx, actor.accountId);
      });
    },
  );

  app.get(
    '/api/places',
    {
      schema: {
        tags: ['resident'],
        summary: 'Public place names to pick an address step by step: top places, children of parentId, or a search',
        querystring: placesQuery,
        response: { 200: placesResponse },
      },
      config: { access: { auth: 'any' } },
    },
    async (request) => {
      const { parentId, q } = request.query;
      if (q !== undefined) return { items: await searchPlaces(db, q) };
      if (parentId === undefined) return { items: await childPlaces(db, null) };
      const parent = await findPlace(db, parentId);
      if (!parent?.active) throw notFound('Place');
      return { items: await childPlaces(db, parentId) };
    },
  );
}
