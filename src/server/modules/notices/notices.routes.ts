import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { audit } from '../audit/audit.service.ts';
import {
  createNoticeBody,
  listNoticesQuery,
  noticeIdParam,
  noticePage,
  noticeResponse,
  publishNoticeResponse,
  updateNoticeBody,
  withdrawNoticeBody,
} from './notices.schema.ts';
import { listNotices, noticeDetail, publishNotice, updateNotice, withdrawNotice } from './notices.service.ts';
import { residentNoticesRoutes } from './resident-notices.routes.ts';

const tags = ['notices'];
const access = { auth: 'staff', permission: 'notice.manage' } as const;
const SCOPE = 'Notices whose audience unit lies in my notice.manage scope; any other is 404.';

/**
 * 通知公告 for staff: publish a notice to the residents under a district, street, community or grid (an urgent
 * one is pushed to each of them live and by SMS), see how many have read it, edit it and withdraw it. The
 * resident side (信息通知 in the H5) is in resident-notices.routes.ts.
 */
export async function noticesRoutes(app: App, services: Services) {
  const { database, clock } = services;
  const db = database.db;

  app.get(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Notices in my scope, newest first, each with its audience size and read count',
        description: SCOPE,
        querystring: listNoticesQuery,
        response: { 200: noticePage },
      },
      config: { access },
    },
    async (request) => listNotices(db, actorOf(request), request.query),
  );

  app.post(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Publish a notice to the residents living under a unit in my scope',
        description:
          'An urgent notice is pushed at once, exactly once, to every resident of the audience: one outbox message ' +
          '(topic notice.urgent) delivered to their inbox, their live stream and by SMS. `pushed` says to how many.',
        body: createNoticeBody,
        response: { 201: publishNoticeResponse },
      },
      config: { access },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = clock.now();
      const result = await database.transaction(async (trx) => {
        const created = await publishNotice(trx, actor, request.body, now);
        await audit(trx, request, {
          action: 'notice.publish',
          targetType: 'notice',
          targetId: created.id,
          unitId: created.unitId,
          detail: {
            title: request.body.title,
            urgent: request.body.urgent,
            pinned: request.body.pinned,
            pushed: created.pushed,
          },
        });
        return { notice: await noticeDetail(trx, actor, created.id), pushed: created.pushed };
      });
      reply.code(201);
      return result;
    },
  );

  app.get(
    '/api/notices/:id',
    {
      schema: {
        tags,
        summary: 'One notice in my scope, with its audience size and read count',
        description: SCOPE,
        params: noticeIdParam,
        response: { 200: noticeResponse },
      },
      config: { access },
    },
    async (request) => ({ notice: await noticeDetail(db, actorOf(request), request.params.id) }),
  );

  app.put(
    '/api/notices/:id',
    {
      schema: {
        tags,
        summary: 'Edit a published notice (all fields, with the version I saw)',
        description:
          `${SCOPE} A withdrawn notice is 409 CONFLICT (details.reason withdrawn). Making a notice urgent pushes it ` +
          'then, unless it was pushed before: a notice is pushed at most once.',
        params: noticeIdParam,
        body: updateNoticeBody,
        response: { 200: publishNoticeResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = request.params;
      return database.transaction(async (trx) => {
        const updated = await updateNotice(trx, actor, id, request.body, clock.now());
        await audit(trx, request, {
          action: 'notice.update',
          targetType: 'notice',
          targetId: id,
          unitId: updated.unitId,
          detail: {
            changed: updated.changed,
            ...(updated.unitId !== updated.previousUnitId ? { previousUnitId: updated.previousUnitId } : {}),
            pushed: updated.pushed,
          },
        });
        return { notice: await noticeDetail(trx, actor, id), pushed: updated.pushed };
      });
    },
  );

  app.post(
    '/api/notices/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a notice: residents no longer see it',
        description: `${SCOPE} Already withdrawn: 409 CONFLICT (details.reason withdrawn).`,
        params: noticeIdParam,
        body: withdrawNoticeBody,
        response: { 200: noticeResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = request.params;
      return database.transaction(async (trx) => {
        const withdrawn = await withdrawNotice(trx, actor, id, request.body.version, clock.now());
        await audit(trx, request, {
          action: 'notice.withdraw',
          targetType: 'notice',
          targetId: id,
          unitId: withdrawn.unitId,
        });
        return { notice: await noticeDetail(trx, actor, id) };
      });
    },
  );

  await residentNoticesRoutes(app, services);
}
