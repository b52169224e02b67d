import type { FastifyRequest } from 'fastify';

/**
 * Rate limits of the abuse-prone routes that need an account (a resident's reports and one-tap calls, uploads),
 * counted per account: many residents reach the server from one carrier-NAT address, so an IP limit would let
 * one of them lock out a whole neighbourhood. Without an account (never, on these routes: the auth hook runs
 * first and answers 401) the client IP counts. Over the limit is `429 RATE_LIMITED` with `Retry-After`, in the
 * one error shape (app.ts). Counters live in each instance's memory: with several instances the limit applies
 * per instance. Sign-in keeps its own limits (auth.routes.ts, auth.service.ts). Counted before the handler and
 * after validation (`preHandler`): a malformed request is refused as 400 without using up the account's allowance.
 */
export function perAccountPerHour(max: number) {
  return {
    max,
    timeWindow: '1 hour',
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) =>
      request.actor ? `account:${request.actor.accountId}` : `ip:${request.ip}`,
  };
}
