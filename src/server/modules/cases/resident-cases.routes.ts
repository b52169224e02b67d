import { z } from 'zod';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { badRequest } from '../../http/errors.ts';
import { intakeCase } from './case-intake.ts';
import { transition } from './case-transition.ts';
import { caseIdParam, casePage, caseResponse, residentReportBody, residentVisitBody } from './cases.schema.ts';
import { caseDetail, listCases, readClock } from './cases.service.ts';

/** The resident's side of the loop: report a problem, follow my cases, rate the result. */
export async function residentCasesRoutes(app: App, services: Services) {
  const { database, config, clock } = services;
  const deps = { config, clock };
  const at = () => readClock(database.db, config, clock.now());

  app.post(
    '/api/me/cases',
    {
      schema: {
        tags: ['resident'],
        summary: 'Report a problem: routed to the grid holding the location (or my own grid without one)',
        body: residentReportBody,
        response: { 201: caseResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const result = await database.transaction(async (trx) => {
        const me = await trx
          .selectFrom('accounts')
          .leftJoin('people', 'people.id', 'accounts.person_id')
          .select([
            'accounts.phone',
            'accounts.display_name',
            'people.id as person_id',
            'people.name',
            'people.unit_id',
          ])
          .where('accounts.id', '=', actor.accountId)
          .executeTakeFirstOrThrow();
        if (!body.location && !me.unit_id) {
          throw badRequest('Give the location, or complete your address first', { field: 'location' });
        }
        const title = body.title ?? [...body.description].slice(0, 30).join('');
        return intakeCase(trx, deps, actor, {
          caseType: 'appeal',
          channel: 'h5',
          title,
          description: body.description,
          categoryId: body.categoryId,
          urgency: 'normal',
          location: body.location,
          address: body.address,
          unitId: me.unit_id ?? undefined,
          reporter: {
            accountId: actor.accountId,
            personId: me.person_id,
            name: me.name ?? me.display_name,
            phone: me.phone,
          },
          confidential: body.confidential,
          attachmentIds: body.attachmentIds,
        });
      });
      reply.code(201);
      return { case: await caseDetail(database.db, actor, result.caseId, await at()) };
    },
  );

  app.get(
    '/api/me/cases',
    {
      schema: {
        tags: ['resident'],
        summary: 'The cases I reported, newest first',
        querystring: z.strictObject({
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: casePage },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => listCases(database.db, actorOf(request), { ...request.query }, await at()),
  );

  app.get(
    '/api/me/cases/:id',
    {
      schema: {
        tags: ['resident'],
        summary: 'One of my cases with its timeline',
        params: caseIdParam,
        response: { 200: caseResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => ({ case: await caseDetail(database.db, actorOf(request), request.params.id, await at()) }),
  );

  app.post(
    '/api/me/cases/:id/visit',
    {
      schema: {
        tags: ['resident'],
        summary:
          'Rate the result (回访): satisfied or partly satisfied closes the case; dissatisfied reopens it once, ' +
          'then sends it to supervision',
        params: caseIdParam,
        body: residentVisitBody,
        response: { 200: caseResponse },
      },
      config: { access: { auth: 'resident' } },
    },
    async (request) => {
      const actor = actorOf(request);
      await database.transaction((trx) =>
        transition(trx, deps, { kind: 'user', actor }, request.params.id, { action: 'visit', ...request.body }),
      );
      return { case: await caseDetail(database.db, actor, request.params.id, await at()) };
    },
  );
}
