import { z } from 'zod';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { deleteSavedFilter, listSavedFilters } from './saved-filters.repository.ts';
import {
  createSavedFilterBody,
  savedFilterIdParam,
  savedFilterList,
  savedFilterPageQuery,
  savedFilterResponse,
} from './saved-filters.schema.ts';
import { saveFilter } from './saved-filters.service.ts';

const tags = ['cases'];

/** My saved filters (常用筛选) of the case list pages: only ever my own; someone else's id is 404. */
export async function savedFiltersRoutes(app: App, { database, clock }: Services) {
  const db = database.db;

  app.get(
    '/api/me/saved-filters',
    {
      schema: {
        tags,
        summary: 'My saved filters of a case list page (worklist, cases or supervision), oldest first',
        querystring: savedFilterPageQuery,
        response: { 200: savedFilterList },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => ({ items: await listSavedFilters(db, actorOf(request).accountId, request.query.page) }),
  );

  app.post(
    '/api/me/saved-filters',
    {
      schema: {
        tags,
        summary:
          'Save the current filter of a list page under a name. The same name twice on a page is 409 DUPLICATE; ' +
          'more than 50 on a page is 409 CONFLICT (details.reason TOO_MANY).',
        body: createSavedFilterBody,
        response: { 201: savedFilterResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request, reply) => {
      const { accountId } = actorOf(request);
      const saved = await database.transaction((trx) => saveFilter(trx, accountId, request.body, clock.now()));
      reply.code(201);
      return { savedFilter: saved };
    },
  );

  app.delete(
    '/api/me/saved-filters/:id',
    {
      schema: {
        tags,
        summary: 'Delete one of my saved filters',
        params: savedFilterIdParam,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => {
      const removed = await deleteSavedFilter(db, actorOf(request).accountId, request.params.id);
      if (!removed) throw notFound('Saved filter');
      return { ok: true as const };
    },
  );
}
