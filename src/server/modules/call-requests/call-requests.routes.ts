import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { perAccountPerHour } from '../../http/rate-limits.ts';
import { caseDetail as caseDetailSchema } from '../cases/cases.schema.ts';
import { caseDetail, readClock } from '../cases/cases.service.ts';
import {
  callRequestIdParam,
  callRequestPage,
  callRequestResponse,
  closeCallRequestBody,
  convertCallRequestBody,
  createCallRequestBody,
  listCallRequestsQuery,
  myCallRequestPage,
  myCallRequestResponse,
  myCallRequestsQuery,
} from './call-requests.schema.ts';
import {
  callRequestDetail,
  closeCallRequest,
  convertCallRequest,
  listCallRequests,
  myCallRequest,
  myCallRequests,
  placeCallRequest,
} from './call-requests.service.ts';

/**
 * 一键呼叫: the resident taps once, the grid worker of their home's grid calls back within CALLBACK_MINUTES
 * working minutes, then records a case for them (convert) or closes the request with a reason.
 *
 * Privacy: the resident sees the callers' names and phones (public service numbers of the grid card). Staff
 * see the resident's name and phone in full only with case.handle over the request's grid — they must call
 * it; other readers of the worklist (supervisors, leaders) see them masked.
 */
export async function callRequestsRoutes(app: App, services: Services) {
  const { database, config, clock } = services;
  const deps = { config, clock };
  const db = database.db;

  app.post(
    '/api/me/call-requests',
    {
      schema: {
        tags: ['resident'],
        summary:
          'One-tap call (一键呼叫): ask my grid worker to call me back. While one waits, tapping again answers ' +
          'the waiting one (200) instead of placing another (201).',
        body: createCallRequestBody,
        response: { 200: myCallRequestResponse, 201: myCallRequestResponse },
      },
      config: { access: { auth: 'resident' }, rateLimit: perAccountPerHour(config.reportsPerHour) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const placed = await database.transaction((trx) => placeCallRequest(trx, deps, actor, request.body.note));
      reply.code(placed.created ? 201 : 200);
      return { callRequest: await myCallRequest(db, actor, placed.id) };
    },
  );

  app.get(
    '/api/me/call-requests',
    {
      schema: {
        tags: ['resident'],
        summary: 'My call requests, newest first: who calls back and by when, and the case once one is recorded',
        querystring: myCallRequestsQuery,
        response: { 200: myCallRequestPage },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => myCallRequests(db, actorOf(request), request.query.page, request.query.pageSize),
  );

  app.get(
    '/api/call-requests',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Call requests in my scope (待回拨 with status=waiting, most urgent first); overdue=true: not called ' +
          'back within the callback limit',
        querystring: listCallRequestsQuery,
        response: { 200: callRequestPage },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => listCallRequests(db, actorOf(request), request.query, await readClock(db, config, clock.now())),
  );

  app.get(
    '/api/call-requests/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One call request',
        params: callRequestIdParam,
        response: { 200: callRequestResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => ({
      callRequest: await callRequestDetail(
        db,
        actorOf(request),
        request.params.id,
        await readClock(db, config, clock.now()),
      ),
    }),
  );

  app.post(
    '/api/call-requests/:id/convert',
    {
      schema: {
        tags: ['cases'],
        summary:
          'After calling back: record the case for the resident (channel call, the resident as reporter); with a ' +
          'category it is classified and dispatched at once',
        params: callRequestIdParam,
        body: convertCallRequestBody,
        response: { 200: callRequestResponse.extend({ case: caseDetailSchema }) },
      },
      config: { access: { auth: 'staff', permission: 'case.handle' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { caseId } = await database.transaction((trx) =>
        convertCallRequest(trx, deps, actor, request.params.id, request.body),
      );
      const at = await readClock(db, config, clock.now());
      const [callRequest, converted] = await Promise.all([
        callRequestDetail(db, actor, request.params.id, at),
        caseDetail(db, actor, caseId, at),
      ]);
      return { callRequest, case: converted };
    },
  );

  app.post(
    '/api/call-requests/:id/close',
    {
      schema: {
        tags: ['cases'],
        summary: 'After calling back: nothing to record as a case; close the request with the reason',
        params: callRequestIdParam,
        body: closeCallRequestBody,
        response: { 200: callRequestResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.handle' } },
    },
    async (request) => {
      const actor = actorOf(request);
      await database.transaction((trx) => closeCallRequest(trx, deps, actor, request.params.id, request.body));
      return {
        callRequest: await callRequestDetail(db, actor, request.params.id, await readClock(db, config, clock.now())),
      };
    },
  );
}
