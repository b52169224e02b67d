import { type UnitScope, unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { searchPlacesInScope } from './places.repository.ts';
import { placeSearchQuery, placeSearchResponse } from './places.schema.ts';

/** The wider of two scopes (a subtree grant of either permission counts). */
function widest(a: UnitScope, b: UnitScope): UnitScope {
  if (a.kind === 'all' || b.kind === 'all') return { kind: 'all' };
  if (a.kind === 'none') return b;
  if (b.kind === 'none') return a;
  return {
    kind: 'some',
    subtreePaths: [...new Set([...a.subtreePaths, ...b.subtreePaths])],
    unitIds: [...new Set([...a.unitIds, ...b.unitIds])],
    own: a.own || b.own,
  };
}

/** Staff address search for intake: the territory's places inside my scope, with where to put the pin. */
export async function placesRoutes(app: App, { database }: Services) {
  app.get(
    '/api/places/search',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Address search for intake: communities, grids, compounds and buildings in my scope whose names match, ' +
          'each with its grid, a point inside that grid to centre on, and the area to show',
        querystring: placeSearchQuery,
        response: { 200: placeSearchResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const scope = widest(unitScope(actor, 'case.read'), unitScope(actor, 'case.intake'));
      return { items: await searchPlacesInScope(database.db, scope, request.query.q, request.query.limit) };
    },
  );
}
