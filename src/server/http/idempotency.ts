import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { type Database, type TransactionHooks, type Trx, withTransactionHooks } from '../db/database.ts';
import type { App, RouteAccess } from './context.ts';
import { AppError } from './errors.ts';

/**
 * Idempotency-Key on every POST that needs an account (after the IETF draft "The Idempotency-Key HTTP Header
 * Field" and Stripe): a double tap or a client's retry after a timeout or a crash yields one record and the same
 * answer.
 *
 * - No header: nothing changes. A malformed key (not 1–255 visible ASCII characters) is 400
 *   IDEMPOTENCY_KEY_INVALID on every POST, before anything else is looked at.
 * - Keys are scoped by the signed-in account: another account's key is another key. Public POSTs (sign-in,
 *   one-time codes) create no record anyone could retry and are answered without a session, so their key is
 *   checked for form and otherwise ignored; so is a route that declares `config.idempotency: 'off'` (the audited
 *   reveals of personal data: every reveal is its own audited read, and the answer must not be kept).
 * - First use: the request runs as usual. The row (account, key, method, route, fingerprint of the canonical
 *   request, ids from the transaction's result) is inserted at the end of the first database transaction the
 *   request opens, inside it (db/database.ts `withTransactionHooks`), so it commits or rolls back with the
 *   creation: a request that fails and rolls back leaves no row and its retry runs again, and a 4xx decided before
 *   any write leaves none either. The answer (status, type, body) is added when it is sent (onSend).
 * - Same key, same request, answer stored: the stored answer is sent again with `Idempotent-Replayed: true`;
 *   nothing runs. Same key, different body, parameters or route: 422 IDEMPOTENCY_KEY_REUSED.
 * - Same key while the first request has not answered: 409 IDEMPOTENCY_IN_PROGRESS with Retry-After: 1 (the
 *   client retries with the same key and gets the replay). The primary key is what makes this safe: of two
 *   concurrent requests both may do their work, but only one transaction can insert the row — PostgreSQL makes the
 *   second wait for the first and then fail, and the embedded database runs them one after the other — and the
 *   loser's transaction rolls back with its work. We answer 409 rather than wait: the winner's answer is stored
 *   only after its commit, so waiting would mean polling inside a request.
 * - Crash window (committed, the server died before the answer was stored): the row is there without an answer,
 *   so a retry creates nothing and gets 409 IDEMPOTENCY_IN_PROGRESS with `details.committed: true` and
 *   `details.reference` (the ids the creating transaction returned, e.g. `{ "caseId": 12 }`), from which the client
 *   can open what it created; `details.answerLost` turns true once the row is a minute old. The same holds when
 *   the work committed but rendering the answer failed with a 5xx (5xx answers are never stored).
 * - A request that writes without a transaction is recorded only when it answers 2xx (not crash-safe, but a
 *   later retry still replays). Multipart uploads are fingerprinted without the file (the handler reads the
 *   stream after this check), so a reused key with a different file replays the first upload's answer.
 * - Rows are purged after 24 hours (jobs/purge-idempotency-keys.ts).
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** 1–255 visible ASCII characters (a UUID from crypto.randomUUID() is the usual key). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A committed row without an answer for this long: the server that took the request died before answering. */
const ANSWER_LOST_AFTER_MS = 60_000;
/** Answers larger than this are not kept (a retry gets the 409 with the reference instead). */
const MAX_STORED_BODY = 1024 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'off': the Idempotency-Key header is checked for form and otherwise ignored on this route. */
    idempotency?: 'off';
  }
}

/** Whether a route keeps Idempotency-Key records: every POST that needs an account, unless it opts out. */
export function idempotencyApplies(method: string | string[], config: unknown): boolean {
  const c = config as { access?: RouteAccess; idempotency?: 'off' } | undefined;
  return (
    [method].flat().includes('POST') && c?.access !== undefined && c.access.auth !== 'public' && c.idempotency !== 'off'
  );
}

/** The header as documented in the OpenAPI description (not validated by the route: the hook does that). */
export const idempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(IDEMPOTENCY_KEY)
    .optional()
    .meta({
      description:
        'A fresh key (e.g. a UUID) per user action, sent again on every retry of it: the first request runs, a retry ' +
        'with the same key and body gets the same answer (with Idempotent-Replayed: true), a retry while the first ' +
        'runs gets 409 IDEMPOTENCY_IN_PROGRESS, the key with another body 422 IDEMPOTENCY_KEY_REUSED. Kept 24 hours ' +
        'per account. 1–255 visible ASCII characters, else 400 IDEMPOTENCY_KEY_INVALID.',
    }),
});

type Phase =
  /** Waiting for the preHandler to check the key. */
  | 'pending'
  /** Checked and new: the next transaction records it. */
  | 'armed'
  /** A transaction is recording it. */
  | 'recording'
  /** Recorded in a committed transaction. */
  | 'recorded'
  /** Answered from the record, or ignored on this route. */
  | 'done';

interface KeyState {
  key: string;
  phase: Phase;
  accountId: number;
  method: string;
  route: string;
  fingerprint: string;
  createdAt: Date;
}

const states = new WeakMap<FastifyRequest, KeyState>();

/** The columns of a key's row that say whose key it is and what request it guards. */
const keyRow = (state: KeyState) => ({
  account_id: state.accountId,
  key: state.key,
  method: state.method,
  route: state.route,
  fingerprint: state.fingerprint,
  created_at: state.createdAt,
});

/** JSON with object keys sorted at every level, so the same request always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestFingerprint(parts: {
  method: string;
  route: string;
  params: unknown;
  query: unknown;
  body: unknown;
}): string {
  const text = JSON.stringify(
    canonical({
      method: parts.method,
      route: parts.route,
      params: parts.params ?? null,
      query: parts.query ?? null,
      body: parts.body ?? null,
    }),
  );
  return createHash('sha256').update(text).digest('hex');
}

/** The ids in a creating transaction's result (`12`, `{ caseId: 12, eventId: 40 }`), for the crash window. */
export function referenceOf(result: unknown): Record<string, number | string> | null {
  if (typeof result === 'number' || (typeof result === 'string' && result.length <= 100)) return { id: result };
  if (result === null || typeof result !== 'object') return null;
  const ids = Object.entries(result).filter(
    ([k, v]) =>
      (k === 'id' || k.endsWith('Id')) &&
      (typeof v === 'number' || (typeof v === 'string' && (v as string).length <= 100)),
  );
  return ids.length ? Object.fromEntries(ids.slice(0, 10)) : null;
}

function inProgress(committed: { created_at: Date; reference: unknown } | undefined, now: Date) {
  return new AppError(
    'IDEMPOTENCY_IN_PROGRESS',
    'A request with this Idempotency-Key has not answered yet; retry with the same key',
    committed
      ? {
          committed: true,
          reference: committed.reference ?? null,
          answerLost: now.getTime() - new Date(committed.created_at).getTime() > ANSWER_LOST_AFTER_MS,
        }
      : { committed: false },
    { 'retry-after': '1' },
  );
}

const reused = () =>
  new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used for a different request; send a new key for a new action',
  );

/** Keeps the Idempotency-Key records: call before the auth hook and the routes are installed. */
export function installIdempotency(app: App, { database, clock }: { database: Database; clock: Clock }) {
  // Checked before authentication, so a malformed key is the same 400 on every POST whoever sends it.
  app.addHook('onRequest', (request, _reply, done) => {
    const given = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || given === undefined || !request.routeOptions.url) {
      done();
      return;
    }
    if (typeof given !== 'string' || !IDEMPOTENCY_KEY.test(given)) {
      done(
        new AppError('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1–255 visible ASCII characters', {
          header: IDEMPOTENCY_HEADER,
        }),
      );
      return;
    }
    const state: KeyState = {
      key: given,
      phase: 'pending',
      accountId: 0,
      method: request.method,
      route: request.routeOptions.url,
      fingerprint: '',
      createdAt: new Date(0),
    };
    states.set(request, state);
    // The rest of the request (handler included) runs in this context, so its transactions find the key.
    withTransactionHooks({ next: () => hooksFor(state) }, done);
  });

  const hooksFor = (state: KeyState): TransactionHooks | undefined => {
    if (state.phase !== 'armed') return undefined;
    state.phase = 'recording';
    return {
      async beforeCommit(trx: Trx, result: unknown) {
        const reference = referenceOf(result);
        const inserted = await trx
          .insertInto('idempotency_keys')
          .values({
            ...keyRow(state),
            reference: reference ? JSON.stringify(reference) : null,
          })
          .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
          .returning('key')
          .executeTakeFirst();
        if (inserted) return;
        // Another request with this key committed first (PostgreSQL waited for it): this one's work rolls back.
        const other = await trx
          .selectFrom('idempotency_keys')
          .select('fingerprint')
          .where('account_id', '=', state.accountId)
          .where('key', '=', state.key)
          .executeTakeFirst();
        state.phase = 'done';
        throw other && other.fingerprint !== state.fingerprint ? reused() : inProgress(undefined, clock.now());
      },
      settled(committed: boolean) {
        if (state.phase === 'recording') state.phase = committed ? 'recorded' : 'armed';
      },
    };
  };

  app.addHook('preHandler', async (request, reply) => {
    const state = states.get(request);
    if (!state) return;
    const actor = request.actor;
    if (!actor || !idempotencyApplies(request.method, request.routeOptions.config)) {
      state.phase = 'done';
      return;
    }
    state.accountId = actor.accountId;
    state.createdAt = clock.now();
    state.fingerprint = requestFingerprint({
      method: state.method,
      route: state.route,
      params: request.params,
      query: request.query,
      body: request.isMultipart() ? null : request.body,
    });
    const row = await database.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'reference', 'created_at', 'response_status', 'response_type', 'response_body'])
      .where('account_id', '=', state.accountId)
      .where('key', '=', state.key)
      .executeTakeFirst();
    if (!row) {
      state.phase = 'armed';
      return;
    }
    state.phase = 'done';
    if (row.fingerprint !== state.fingerprint) throw reused();
    if (row.response_status === null) throw inProgress(row, state.createdAt);
    reply.code(row.response_status).header(REPLAYED_HEADER, 'true');
    if (row.response_type) reply.type(row.response_type);
    return reply.send(row.response_body ?? undefined);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = states.get(request);
    if (!state || (state.phase !== 'recorded' && state.phase !== 'armed')) return payload;
    const status = reply.statusCode;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    const storable = status < 500 && (payload === undefined || payload === null || body !== null);
    if (!storable || (body?.length ?? 0) > MAX_STORED_BODY) return payload;
    const type = reply.getHeader('content-type');
    const answer = {
      response_status: status,
      response_type: typeof type === 'string' ? type : null,
      response_body: body,
      completed_at: clock.now(),
    };
    try {
      if (state.phase === 'recorded') {
        await database.db
          .updateTable('idempotency_keys')
          .set(answer)
          .where('account_id', '=', state.accountId)
          .where('key', '=', state.key)
          .execute();
      } else if (status < 300) {
        // Wrote nothing in a transaction (or nothing at all): keep a success so that a retry replays it.
        await database.db
          .insertInto('idempotency_keys')
          .values({ ...keyRow(state), ...answer })
          .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
          .execute();
      }
      state.phase = 'done';
    } catch (error) {
      // The work is done and the answer is on its way; a retry gets the 409 with the reference.
      request.log.warn({ err: error }, 'idempotency: could not store the answer');
    }
    return payload;
  });

  // Once answered, the request's context (which a timer or callback started in it keeps) never records the key.
  app.addHook('onResponse', async (request) => {
    const state = states.get(request);
    if (state) state.phase = 'done';
  });
}
