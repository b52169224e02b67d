import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { LiveNotification, NotificationBus } from './notification-bus.ts';
import { countUnread } from './notifications.repository.ts';

/** A comment this often keeps proxies from closing an idle stream; the session is checked at the same time. */
export const HEARTBEAT_MS = 25_000;
/** How many entries a reconnecting client (Last-Event-ID) is sent again at most. */
const REPLAY_LIMIT = 50;

interface StreamContext {
  database: Database;
  config: Config;
  bus: NotificationBus;
  /** The app's open streams, ended when the app closes. */
  streams: Set<() => void>;
  actor: Actor;
}

type StreamEvent = Pick<LiveNotification, 'id' | 'title' | 'body' | 'caseId' | 'callRequestId' | 'topic' | 'createdAt'>;

function eventText(n: StreamEvent): string {
  const data = {
    id: n.id,
    title: n.title,
    body: n.body,
    caseId: n.caseId,
    callRequestId: n.callRequestId,
    topic: n.topic,
    createdAt: n.createdAt,
  };
  return `id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Whether the session behind the stream is still good (not signed out, not expired, account not disabled). */
async function sessionAlive(database: Database, config: Config, sessionId: string): Promise<boolean> {
  const row = await database.db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select(['s.expires_at', 's.last_seen_at', 'a.status'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!row) return false;
  const now = Date.now();
  return (
    row.status === 'active' &&
    row.expires_at.getTime() > now &&
    row.last_seen_at.getTime() + config.sessionIdleMinutes * 60_000 > now
  );
}

function lastEventId(request: FastifyRequest): number | null {
  const raw = request.headers['last-event-id'];
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

/**
 * Serves one Server-Sent Events stream of the actor's own notifications. It subscribes before it counts, so
 * nothing delivered in between is lost (entries arriving before `hello` is written wait in a queue), then
 * takes the raw response over from Fastify. Ends when the client goes away, the session ends, or the app closes.
 */
export async function openNotificationStream(request: FastifyRequest, reply: FastifyReply, ctx: StreamContext) {
  const { database, config, bus, streams, actor } = ctx;
  const accountId = actor.accountId;
  const queue: StreamEvent[] = [];
  let ready = false;
  let ended = false;
  const res = reply.raw;
  const write = (text: string) => {
    if (!ended && !res.destroyed) res.write(text);
  };
  const unsubscribe = bus.subscribe(accountId, (n) => {
    if (n.accountId !== accountId) return;
    if (ready) write(eventText(n));
    else queue.push(n);
  });

  let unreadCount: number;
  let replay: StreamEvent[] = [];
  try {
    unreadCount = await countUnread(database.db, accountId);
    const after = lastEventId(request);
    if (after !== null) {
      const rows = await database.db
        .selectFrom('notifications')
        .select(['id', 'title', 'body', 'case_id', 'call_request_id', 'topic', 'created_at'])
        .where('account_id', '=', accountId)
        .where('id', '>', after)
        .orderBy('id', 'desc')
        .limit(REPLAY_LIMIT)
        .execute();
      replay = rows.reverse().map((r) => ({
        id: r.id,
        title: r.title,
        body: r.body,
        caseId: r.case_id,
        callRequestId: r.call_request_id,
        topic: r.topic,
        createdAt: r.created_at.toISOString(),
      }));
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }

  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    'x-request-id': request.id,
  });
  write(`retry: 5000\nevent: hello\ndata: ${JSON.stringify({ unreadCount })}\n\n`);
  const sent = new Set<number>();
  for (const n of replay) {
    sent.add(n.id);
    write(eventText(n));
  }
  for (const n of queue) if (!sent.has(n.id)) write(eventText(n));
  queue.length = 0;
  ready = true;

  let checking = false;
  const heartbeat = setInterval(() => {
    write(': heartbeat\n\n');
    if (checking) return;
    checking = true;
    sessionAlive(database, config, actor.sessionId)
      .then((alive) => {
        if (!alive) end();
      })
      .catch(() => {})
      .finally(() => {
        checking = false;
      });
  }, HEARTBEAT_MS);

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(end);
    if (!res.writableEnded) res.end();
  };
  streams.add(end);
  res.on('close', end);
  res.on('error', end);
}
