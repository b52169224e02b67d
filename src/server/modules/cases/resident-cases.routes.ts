import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { perAccountPerHour } from '../../http/rate-limits.ts';
import { transition } from './case-transition.ts';
import { caseIdParam } from './cases.schema.ts';
import {
  meTooResponse,
  residentCasePage,
  residentCaseResponse,
  residentCasesQuery,
  residentReportBody,
  residentVisitBody,
  similarQuery,
  similarResponse,
} from './resident-cases.schema.ts';
import { joinCase, listMyCases, myCaseDetail, reportCase, similarForResident } from './resident-cases.service.ts';

const NOT_MINE =
  'Answers 404 unless I reported the case or joined it with "me too" (the same answer as an unknown id).';

/** The resident's side of the loop: report a problem, join a neighbour's ("me too"), follow my cases, rate. */
export async function residentCasesRoutes(app: App, services: Services) {
  const { database, config, clock } = services;
  const deps = { config, clock };
  const db = database.db;

  app.post(
    '/api/me/cases',
    {
      schema: {
        tags: ['resident'],
        summary: 'Report a problem: routed to the grid holding the location (or my own grid without one)',
        description:
          'A location outside every grid of the territory is refused (400 BAD_REQUEST, details.field "location"). ' +
          'attachmentIds are my own image uploads not yet attached; anything else is a 400 naming the ids. ' +
          'Nothing is written when the report is refused.',
        body: residentReportBody,
        response: { 201: residentCaseResponse },
      },
      config: { access: { auth: 'resident' }, rateLimit: perAccountPerHour(config.reportsPerHour) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await database.transaction((trx) => reportCase(trx, deps, actor, request.body));
      reply.code(201);
      return { case: await myCaseDetail(db, actor, id) };
    },
  );

  app.get(
    '/api/me/cases',
    {
      schema: {
        tags: ['resident'],
        summary: 'The cases I reported or joined, the most recently active first',
        querystring: residentCasesQuery,
        response: { 200: residentCasePage },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => listMyCases(db, actorOf(request), request.query.page, request.query.pageSize),
  );

  app.get(
    '/api/me/cases/similar',
    {
      schema: {
        tags: ['resident'],
        summary: 'Open cases within 300 m of a point that I could join with "me too" instead of reporting again',
        description:
          'At most 5, nearest first (words in common with text rank higher): open, not yet resolved, not ' +
          'confidential, in the district of my home, not my own; with categoryId, of the same top-level ' +
          'category or not yet classified. No reporter, no description; digit runs in titles are masked.',
        querystring: similarQuery,
        response: { 200: similarResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => ({ items: await similarForResident(db, actorOf(request), request.query) }),
  );

  app.get(
    '/api/me/cases/:id',
    {
      schema: {
        tags: ['resident'],
        summary: 'One of my cases with its plain-language timeline',
        description: NOT_MINE,
        params: caseIdParam,
        response: { 200: residentCaseResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => ({ case: await myCaseDetail(db, actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/me/cases/:id/visit',
    {
      schema: {
        tags: ['resident'],
        summary:
          'Rate the result (回访): satisfied or partly satisfied closes the case; dissatisfied reopens it once, ' +
          'then sends it to supervision',
        description: `${NOT_MINE} Only the reporter rates (403 for a supporter), and only a resolved case (409).`,
        params: caseIdParam,
        body: residentVisitBody,
        response: { 200: residentCaseResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => {
      const actor = actorOf(request);
      await database.transaction((trx) =>
        transition(trx, deps, { kind: 'user', actor }, request.params.id, { action: 'visit', ...request.body }),
      );
      return { case: await myCaseDetail(db, actor, request.params.id) };
    },
  );

  app.post(
    '/api/me/cases/:id/me-too',
    {
      schema: {
        tags: ['resident'],
        summary: '"Me too" (附议): follow a neighbour\'s open case instead of reporting the same problem again',
        description:
          '201 when I join, 200 when I had already joined. 404 for a case I could not see among the similar ones ' +
          '(closed, resolved, confidential, outside my district, or unknown); 409 for my own report. Afterwards ' +
          'the case is in my list (relation "supporter") and I am told when it is resolved or closed.',
        params: caseIdParam,
        response: { 200: meTooResponse, 201: meTooResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await database.transaction((trx) => joinCase(trx, actor, request.params.id, clock.now()));
      reply.code(result.joined ? 201 : 200);
      return { supporting: true as const, supporters: result.supporters };
    },
  );
}
