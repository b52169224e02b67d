import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { ancestorsOf, findUnitInScope, listUnits, scopeRoots } from './units.repository.ts';
import {
  ancestorsResponse,
  createUnitBody,
  idParam,
  listUnitsQuery,
  unitPage,
  unitResponse,
  updateUnitBody,
} from './units.schema.ts';
import { createUnit, updateUnit } from './units.service.ts';

export async function unitsRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.get(
    '/api/units',
    {
      schema: {
        tags: ['territory'],
        summary: 'List units in my scope: children of parentId, everything within a unit, or my top units',
        querystring: listUnitsQuery,
        response: { 200: unitPage },
      },
      config: { access: { auth: 'staff', permission: 'unit.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const scope = unitScope(actor, 'unit.read');
      const { parentId, within, kind, q, page, pageSize } = request.query;
      if (parentId === undefined && within === undefined && !kind && !q) {
        const items = await scopeRoots(db, scope);
        return { items, total: items.length, page: 1, pageSize: Math.max(items.length, 1) };
      }
      let withinPath: string | undefined;
      if (within !== undefined) {
        const anchor = await findUnitInScope(db, within, scope);
        if (!anchor) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const { items, total } = await listUnits(db, scope, { parentId, withinPath, kind, q }, page, pageSize);
      return { items, total, page, pageSize };
    },
  );

  app.get(
    '/api/units/:id',
    {
      schema: { tags: ['territory'], summary: 'One unit', params: idParam, response: { 200: unitResponse } },
      config: { access: { auth: 'staff', permission: 'unit.read' } },
    },
    async (request) => {
      const unit = await findUnitInScope(db, request.params.id, unitScope(actorOf(request), 'unit.read'));
      if (!unit) throw notFound('Unit');
      return { unit };
    },
  );

  app.get(
    '/api/units/:id/ancestors',
    {
      schema: {
        tags: ['territory'],
        summary: 'The chain from the root to a unit in my scope (for breadcrumbs)',
        params: idParam,
        response: { 200: ancestorsResponse },
      },
      config: { access: { auth: 'staff', permission: 'unit.read' } },
    },
    async (request) => {
      const unit = await findUnitInScope(db, request.params.id, unitScope(actorOf(request), 'unit.read'));
      if (!unit) throw notFound('Unit');
      return { items: await ancestorsOf(db, unit.path) };
    },
  );

  app.post(
    '/api/units',
    {
      schema: { tags: ['territory'], summary: 'Add a unit', body: createUnitBody, response: { 201: unitResponse } },
      config: { access: { auth: 'staff', permission: 'unit.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const unit = await database.transaction(async (trx) => {
        const created = await createUnit(trx, actor, request.body);
        await audit(trx, request, {
          action: 'unit.create',
          targetType: 'unit',
          targetId: created.id,
          unitId: created.id,
          detail: { name: created.name, kind: created.kind, parentId: created.parentId },
        });
        return created;
      });
      return reply.status(201).send({ unit });
    },
  );

  app.patch(
    '/api/units/:id',
    {
      schema: {
        tags: ['territory'],
        summary: 'Change a unit: rename, move under another parent, deactivate (units are never deleted)',
        params: idParam,
        body: updateUnitBody,
        response: { 200: unitResponse },
      },
      config: { access: { auth: 'staff', permission: 'unit.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      return database.transaction(async (trx) => {
        const { before, after } = await updateUnit(trx, actor, request.params.id, request.body);
        await audit(trx, request, {
          action: 'unit.update',
          targetType: 'unit',
          targetId: after.id,
          unitId: after.id,
          detail: { changes: request.body, previousParentId: before.parent_id },
        });
        return { unit: after };
      });
    },
  );
}
