import { z } from 'zod';
import { hasPermission } from '../../access/actor.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { forbidden } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { listCaseTypes, listTimeLimits } from './case-config.repository.ts';
import {
  caseTypeDto,
  caseTypeParam,
  categoryIdParam,
  categoryResponse,
  categoryTreeNode,
  createCategoryBody,
  listCategoriesQuery,
  listTimeLimitsQuery,
  resolveTimeLimitQuery,
  suggestQuery,
  suggestResponse,
  timeLimitDto,
  timeLimitIdParam,
  timeLimitResponse,
  updateCaseTypeBody,
  updateCategoryBody,
  upsertTimeLimitBody,
  upsertTimeLimitResponse,
} from './case-config.schema.ts';
import {
  categoryTree,
  createCategory,
  deleteTimeLimit,
  presentCaseType,
  presentTimeLimit,
  resolveTimeLimit,
  suggest,
  updateCaseType,
  updateCategory,
  upsertTimeLimit,
} from './case-config.service.ts';

const TAGS = ['case configuration'];

/** Case types, the category tree and time limits: read by everyone who works cases, changed by administrators. */
export async function caseConfigRoutes(app: App, services: Services) {
  const { database } = services;
  const db = database.db;

  app.get(
    '/api/case-types',
    {
      schema: {
        tags: TAGS,
        summary: 'Case types and the steps that apply to each',
        response: { 200: z.object({ items: z.array(caseTypeDto) }) },
      },
      config: { access: { auth: 'any' } },
    },
    async () => ({ items: (await listCaseTypes(db)).map(presentCaseType) }),
  );

  app.patch(
    '/api/case-types/:code',
    {
      schema: {
        tags: TAGS,
        summary: 'Change the settings of a case type (types are never deleted)',
        params: caseTypeParam,
        body: updateCaseTypeBody,
        response: { 200: z.object({ caseType: caseTypeDto }) },
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request) =>
      database.transaction(async (trx) => {
        const { after } = await updateCaseType(trx, request.params.code, request.body);
        const { version: _, ...changes } = request.body;
        await audit(trx, request, {
          action: 'caseType.update',
          targetType: 'caseType',
          targetId: after.code,
          detail: { changes },
        });
        return { caseType: presentCaseType(after) };
      }),
  );

  app.get(
    '/api/case-categories',
    {
      schema: {
        tags: TAGS,
        summary: 'The two-level category tree (active categories; all=true adds inactive ones for administrators)',
        querystring: listCategoriesQuery,
        response: { 200: z.object({ items: z.array(categoryTreeNode) }) },
      },
      config: { access: { auth: 'any' } },
    },
    async (request) => {
      const all = request.query.all ?? false;
      if (all && !hasPermission(actorOf(request), 'case.configure')) {
        throw forbidden('Listing inactive categories needs case.configure');
      }
      return { items: await categoryTree(db, all) };
    },
  );

  app.get(
    '/api/case-categories/suggest',
    {
      schema: {
        tags: TAGS,
        summary: 'Second-level categories that fit a report text, best first',
        querystring: suggestQuery,
        response: { 200: suggestResponse },
      },
      config: { access: { auth: 'any' } },
    },
    async (request) => ({ items: await suggest(db, request.query.text, request.query.limit) }),
  );

  app.post(
    '/api/case-categories',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a category: first-level, or under an active first-level category',
        body: createCategoryBody,
        response: { 201: categoryResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request, reply) => {
      const category = await database.transaction(async (trx) => {
        const created = await createCategory(trx, request.body);
        await audit(trx, request, {
          action: 'caseCategory.create',
          targetType: 'caseCategory',
          targetId: created.id,
          detail: { code: created.code, name: created.name, parentId: created.parentId },
        });
        return created;
      });
      return reply.status(201).send({ category });
    },
  );

  app.patch(
    '/api/case-categories/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a category: names, keywords, usual department, order, active (never deleted)',
        params: categoryIdParam,
        body: updateCategoryBody,
        response: { 200: categoryResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request) =>
      database.transaction(async (trx) => {
        const { after } = await updateCategory(trx, request.params.id, request.body);
        const { version: _, ...changes } = request.body;
        await audit(trx, request, {
          action: 'caseCategory.update',
          targetType: 'caseCategory',
          targetId: after.id,
          detail: { code: after.code, changes },
        });
        return { category: after };
      }),
  );

  app.get(
    '/api/time-limits',
    {
      schema: {
        tags: TAGS,
        summary: 'Time-limit rules in working minutes (the most specific rule applies to a case)',
        querystring: listTimeLimitsQuery,
        response: { 200: z.object({ items: z.array(timeLimitDto) }) },
      },
      config: { access: { auth: 'staff' } },
    },
    async (request) => ({ items: (await listTimeLimits(db, request.query.caseType)).map(presentTimeLimit) }),
  );

  app.get(
    '/api/time-limits/resolve',
    {
      schema: {
        tags: TAGS,
        summary: 'The rule that applies to a case of this type, category and urgency',
        querystring: resolveTimeLimitQuery,
        response: { 200: timeLimitResponse },
      },
      config: { access: { auth: 'staff' } },
    },
    async (request) => {
      const { caseType, categoryId, urgency } = request.query;
      return { timeLimit: await resolveTimeLimit(db, caseType, categoryId, urgency) };
    },
  );

  app.put(
    '/api/time-limits',
    {
      schema: {
        tags: TAGS,
        summary: 'Set the rule for a case type, category (or any) and urgency (or any): added or changed',
        body: upsertTimeLimitBody,
        response: { 200: upsertTimeLimitResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request) =>
      database.transaction(async (trx) => {
        const { before, after } = await upsertTimeLimit(trx, request.body);
        await audit(trx, request, {
          action: before ? 'timeLimit.update' : 'timeLimit.create',
          targetType: 'timeLimit',
          targetId: after.id,
          detail: {
            caseType: after.caseType,
            categoryId: after.category?.id ?? null,
            urgency: after.urgency,
            minutes: {
              response: after.responseMinutes,
              resolution: after.resolutionMinutes,
              visit: after.visitMinutes,
            },
            ...(before
              ? {
                  previous: {
                    response: before.response_minutes,
                    resolution: before.resolution_minutes,
                    visit: before.visit_minutes,
                  },
                }
              : {}),
          },
        });
        return { timeLimit: after, created: before === null };
      }),
  );

  app.delete(
    '/api/time-limits/:id',
    {
      schema: {
        tags: TAGS,
        summary: "Remove a specific rule (a type's catch-all rule stays)",
        params: timeLimitIdParam,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request) => {
      await database.transaction(async (trx) => {
        const removed = await deleteTimeLimit(trx, request.params.id);
        await audit(trx, request, {
          action: 'timeLimit.delete',
          targetType: 'timeLimit',
          targetId: removed.id,
          detail: {
            caseType: removed.caseType,
            categoryId: removed.category?.id ?? null,
            urgency: removed.urgency,
            minutes: {
              response: removed.responseMinutes,
              resolution: removed.resolutionMinutes,
              visit: removed.visitMinutes,
            },
          },
        });
      });
      return { ok: true as const };
    },
  );
}
