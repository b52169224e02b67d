import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { InProcessNotificationBus } from './notification-bus.ts';
import {
  countUnread,
  listNotifications,
  markAllRead,
  markRead,
  presentNotification,
} from './notifications.repository.ts';
import {
  listNotificationsQuery,
  notificationIdParam,
  notificationPage,
  readAllResponse,
  readResponse,
  unreadCountResponse,
} from './notifications.schema.ts';
import { openNotificationStream } from './notifications.stream.ts';

/** Everyone's own inbox: list, unread count, mark read, and the live stream. Nobody sees another's entries. */
export async function notificationsRoutes(app: App, services: Services) {
  const { database, config, clock } = services;
  const db = database.db;
  // One bus per app: main.ts and the test app pass one; an app built without gets an in-process bus here,
  // written back so the deliverer started with the same services uses it too.
  services.notificationBus ??= new InProcessNotificationBus();
  const bus = services.notificationBus;
  const tags = ['notifications'];

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first (unread=true: only those not read yet)',
        querystring: listNotificationsQuery,
        response: { 200: notificationPage },
      },
      config: { access: { auth: 'any' } },
    },
    async (request) => {
      const { accountId } = actorOf(request);
      const query = request.query;
      const { items, total } = await listNotifications(db, accountId, query);
      const unreadCount = await countUnread(db, accountId);
      return { items, total, page: query.page, pageSize: query.pageSize, unreadCount };
    },
  );

  app.get(
    '/api/notifications/unread-count',
    {
      schema: { tags, summary: 'How many of my notifications are unread', response: { 200: unreadCountResponse } },
      config: { access: { auth: 'any' } },
    },
    async (request) => ({ unreadCount: await countUnread(db, actorOf(request).accountId) }),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of my notifications read (again is harmless)',
        params: notificationIdParam,
        response: { 200: readResponse },
      },
      config: { access: { auth: 'any' } },
    },
    async (request) => {
      const { accountId } = actorOf(request);
      return database.transaction(async (trx) => {
        const row = await markRead(trx, accountId, request.params.id, clock.now());
        if (!row) throw notFound('Notification');
        return { notification: presentNotification(row), unreadCount: await countUnread(trx, accountId) };
      });
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      schema: { tags, summary: 'Mark all my notifications read', response: { 200: readAllResponse } },
      config: { access: { auth: 'any' } },
    },
    async (request) => {
      const { accountId } = actorOf(request);
      const marked = await database.transaction((trx) => markAllRead(trx, accountId, clock.now()));
      return { marked, unreadCount: 0 };
    },
  );

  const streams = new Set<() => void>();
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.get(
    '/api/notifications/stream',
    {
      schema: {
        tags,
        summary:
          'My notifications live (Server-Sent Events, for clients sending `Accept: text/event-stream`): `hello` ' +
          'with the unread count, then a `notification` event per new entry; a comment every 25 s keeps the ' +
          'connection open. Other clients get the unread count as JSON and the answer ends.',
        produces: ['text/event-stream', 'application/json'],
        response: { 200: unreadCountResponse },
      },
      config: { access: { auth: 'any' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!request.headers.accept?.includes('text/event-stream')) {
        return { unreadCount: await countUnread(db, actor.accountId) };
      }
      await openNotificationStream(request, reply, { database, config, bus, streams, actor });
      return reply;
    },
  );
}
