import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../access/actor.ts';
import type { Permission } from '../access/permissions.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { OtpSender } from '../modules/auth/otp-sender.ts';
import type { NotificationBus } from '../modules/notifications/notification-bus.ts';

/** What every route module receives: the database, the settings and the outside-world adapters. */
export interface Services {
  database: Database;
  config: Config;
  otpSender: OtpSender;
  clock: Clock;
  /** Live notifications across instances; when absent, the notifications module makes an in-process one. */
  notificationBus?: NotificationBus;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Who may call a route, declared in the route's config. The auth hook enforces it, and the access-matrix
 * test reads it from the route table so every new route is covered.
 *  - public: anyone
 *  - staff / resident / any: a signed-in account of that kind
 *  - permission: a staff account holding the permission somewhere (record scope is then checked in SQL)
 */
export interface RouteAccess {
  auth: 'public' | 'staff' | 'resident' | 'any';
  permission?: Permission;
}

/** One row of the route table: what the access matrix and the fuzz tests iterate over. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  hasBody: boolean;
  /** Keeps Idempotency-Key records (http/idempotency.ts): every POST that needs an account, unless it opts out. */
  idempotent: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The signed-in actor; the auth hook guarantees it exists on routes that are not public. */
export function actorOf(request: { actor: Actor | null }): Actor {
  if (!request.actor) throw new Error('actorOf() called on a public route');
  return request.actor;
}
