import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import {
  myNoticesQuery,
  noticeIdParam,
  readAllNoticesResponse,
  residentNoticePage,
  residentNoticeResponse,
  unreadNoticesResponse,
} from './notices.schema.ts';
import { myNotices, myUnreadNotices, openMyNotice, readAllMyNotices } from './notices.service.ts';

const tags = ['resident'];
const access = { auth: 'resident' } as const;

/**
 * 信息通知 for residents: the published notices of every unit on my home path (district, street, community,
 * grid) with my read state. Another community's or grid's notices, and withdrawn ones, are 404.
 */
export async function residentNoticesRoutes(app: App, { database, clock }: Services) {
  const db = database.db;

  app.get(
    '/api/me/notices',
    {
      schema: {
        tags,
        summary: 'Notices for my home: pinned first, then newest first, each with whether I have read it',
        querystring: myNoticesQuery,
        response: { 200: residentNoticePage },
      },
      config: { access },
    },
    async (request) => myNotices(db, actorOf(request), request.query),
  );

  app.get(
    '/api/me/notices/unread-count',
    {
      schema: {
        tags,
        summary: 'How many notices for my home I have not opened yet (the notices tab badge)',
        response: { 200: unreadNoticesResponse },
      },
      config: { access },
    },
    async (request) => myUnreadNotices(db, actorOf(request)),
  );

  app.get(
    '/api/me/notices/:id',
    {
      schema: {
        tags,
        summary: 'One notice for my home, in full; opening it marks it read (and its urgent push in my inbox)',
        params: noticeIdParam,
        response: { 200: residentNoticeResponse },
      },
      config: { access },
    },
    async (request) =>
      database.transaction((trx) => openMyNotice(trx, actorOf(request), request.params.id, clock.now())),
  );

  app.post(
    '/api/me/notices/read-all',
    {
      schema: {
        tags,
        summary: 'Mark every notice for my home read',
        response: { 200: readAllNoticesResponse },
      },
      config: { access },
    },
    async (request) => database.transaction((trx) => readAllMyNotices(trx, actorOf(request), clock.now())),
  );
}
