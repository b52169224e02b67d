import { z } from 'zod';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { caseConfigRoutes } from './case-config.routes.ts';
import { caseExportRoutes } from './case-export.ts';
import { intakeCase } from './case-intake.ts';
import { covers } from './case-relations.ts';
import { transition } from './case-transition.ts';
import { caseUnitChoicesRoutes } from './case-unit-choices.ts';
import { loadCaseContext } from './cases.repository.ts';
import {
  caseIdParam,
  casePage,
  caseResponse,
  caseSummary,
  intakeBody,
  listCasesQuery,
  transitionBody,
  WORKLISTS,
} from './cases.schema.ts';
import { caseDetail, listCases, readClock, similarCases, worklistCounts } from './cases.service.ts';
import { residentCasesRoutes } from './resident-cases.routes.ts';

export async function casesRoutes(app: App, services: Services) {
  const { database, config, clock } = services;
  const deps = { config, clock };
  const at = () => readClock(database.db, config, clock.now());

  app.post(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Intake 受理: record a case from the hotline, a patrol, an enterprise visit, an inspection or a task force. ' +
          'With a category it is classified and dispatched from its location at once.',
        body: intakeBody,
        response: { 201: caseResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.intake' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { reporter, ...rest } = request.body;
      const result = await database.transaction(async (trx) => {
        // A caller whose number belongs to a registered resident follows the case and rates it in the H5,
        // as 12345 systems match caller ID to the resident's account.
        const resident = reporter?.phone
          ? await trx
              .selectFrom('accounts')
              .select(['id', 'person_id'])
              .where('kind', '=', 'resident')
              .where('status', '=', 'active')
              .where('phone', '=', reporter.phone)
              .executeTakeFirst()
          : undefined;
        return intakeCase(trx, deps, actor, {
          ...rest,
          reporter: {
            accountId: resident?.id ?? null,
            name: reporter?.name ?? null,
            phone: reporter?.phone ?? null,
            personId: reporter?.personId ?? resident?.person_id ?? null,
          },
        });
      });
      reply.code(201);
      return { case: await caseDetail(database.db, actor, result.caseId, await at()) };
    },
  );

  app.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Cases in my scope: worklists (我的待办), filters and Chinese full-text search over title and description',
        querystring: listCasesQuery,
        response: { 200: casePage },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => listCases(database.db, actorOf(request), request.query, await at()),
  );

  app.get(
    '/api/cases/worklists',
    {
      schema: {
        tags: ['cases'],
        summary: 'How many cases wait in each of my worklists',
        response: {
          200: z.object({
            counts: z
              .record(z.enum(WORKLISTS), z.number().int())
              .meta({ description: 'Cases per worklist, counted up to 1,001: 1,001 means more than 1,000' }),
          }),
        },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => ({ counts: await worklistCounts(database.db, actorOf(request), WORKLISTS, clock.now()) }),
  );

  app.get(
    '/api/cases/similar',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open cases near a point (and with words in common), to merge a duplicate instead of opening another',
        querystring: z.strictObject({
          lng: z.coerce.number().min(73).max(136),
          lat: z.coerce.number().min(3).max(54),
          radius: z.coerce.number().int().min(10).max(5000).default(500),
          text: z.string().trim().max(200).optional(),
          excludeId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(50).default(10),
        }),
        response: { 200: z.object({ items: z.array(caseSummary.extend({ distanceMetres: z.number() })) }) },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => {
      const { lng, lat, radius, text, excludeId, limit } = request.query;
      return {
        items: await similarCases(
          database.db,
          actorOf(request),
          { lng, lat },
          radius,
          text,
          excludeId,
          limit,
          await at(),
        ),
      };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with its whole timeline, assignments, attachments and the actions I may take now',
        params: caseIdParam,
        response: { 200: caseResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => ({ case: await caseDetail(database.db, actorOf(request), request.params.id, await at()) }),
  );

  app.post(
    '/api/cases/:id/transitions',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Take an action on a case (classify, dispatch, escalate, whistle, checkIn, returnCase, resolve, visit …). ' +
          'An action the state machine does not allow now is 409 ILLEGAL_TRANSITION naming the allowed ones; ' +
          'a stale `version` is 409 VERSION_CONFLICT.',
        params: caseIdParam,
        body: transitionBody,
        response: { 200: caseResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      await database.transaction((trx) =>
        transition(trx, deps, { kind: 'user', actor }, request.params.id, request.body),
      );
      return { case: await caseDetail(database.db, actor, request.params.id, await at()) };
    },
  );

  app.post(
    '/api/cases/:id/reporter/reveal',
    {
      schema: {
        tags: ['cases'],
        summary: "The reporter's full name and phone (audited). A confidential reporter is never revealed.",
        params: caseIdParam,
        response: {
          200: z.object({ reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable() }) }),
        },
      },
      // Each reveal is its own audited read; its answer (personal data) is never kept for a replay.
      config: { access: { auth: 'staff', permission: 'case.reveal' }, idempotency: 'off' },
    },
    async (request) => {
      const actor = actorOf(request);
      return database.transaction(async (trx) => {
        const ctx = await loadCaseContext(trx, request.params.id, actor, false);
        if (!ctx) throw notFound('Case');
        if (!covers(actor, 'case.reveal', ctx.territory.id, ctx.territory.path)) throw forbidden();
        if (ctx.row.confidential) {
          throw new AppError('FORBIDDEN', 'The reporter asked for confidentiality; their details are not shown');
        }
        await audit(trx, request, {
          action: 'case.reporter.reveal',
          targetType: 'case',
          targetId: ctx.row.id,
          unitId: ctx.territory.id,
        });
        return { reporter: { name: ctx.row.reporter_name, phone: ctx.row.reporter_phone } };
      });
    },
  );

  await caseUnitChoicesRoutes(app, services);
  await caseExportRoutes(app, services);
  await caseConfigRoutes(app, services);
  await residentCasesRoutes(app, services);
}
