import { timingSafeEqual } from 'node:crypto';
import { hasPermission } from '../access/actor.ts';
import { requestOrigin } from '../modules/audit/audit.service.ts';
import { loadActor, SESSION_COOKIE } from '../modules/auth/session.service.ts';
import type { App, Services } from './context.ts';
import { AppError, forbidden, unauthenticated } from './errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authentication and the route-level access check, before the body is even validated:
 * load the actor from the session cookie, require the kind of account and permission the route declares,
 * and on unsafe methods require the session's CSRF token in the x-csrf-token header.
 * Routes without a declared access rule are refused, so a forgotten declaration fails closed.
 */
export function installAuth(app: App, { database, config }: Services) {
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    const isApi = request.url.startsWith('/api/');
    const token = request.cookies?.[SESSION_COOKIE];
    if (token && isApi) {
      const actor = await loadActor(database.db, config, token);
      if (actor) request.actor = { ...actor, origin: requestOrigin(request) };
    }
    if (!request.routeOptions.url) return; // 404 handler
    if (!access) {
      if (!isApi || request.url.startsWith('/api/docs')) return; // static files and the API docs page
      throw new AppError('FORBIDDEN', 'Route has no access rule');
    }
    if (access.auth === 'public') {
      if (
        request.actor &&
        !SAFE.has(request.method) &&
        !sameToken(request.headers['x-csrf-token'] as string, request.actor.csrfToken)
      ) {
        // A signed-in browser posting to a public route (e.g. login again) must still prove same-origin.
        throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header');
      }
      return;
    }
    const actor = request.actor;
    if (!actor) throw unauthenticated();
    if (!SAFE.has(request.method) && !sameToken(request.headers['x-csrf-token'] as string, actor.csrfToken)) {
      throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header');
    }
    if (actor.mustChangePassword && !request.url.startsWith('/api/auth/')) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'Change the temporary password before doing anything else');
    }
    if (access.auth === 'staff' && actor.kind !== 'staff') throw forbidden();
    if (access.auth === 'resident' && actor.kind !== 'resident') throw forbidden();
    if (access.permission && (actor.kind !== 'staff' || !hasPermission(actor, access.permission))) throw forbidden();
  });
}
