import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { findUnitInScope } from '../units/units.repository.ts';
import { idParam } from '../units/units.schema.ts';
import { listCarePersons } from './care.repository.ts';
import { carePersonPage, careResponse, listCarePersonsQuery, setCareBody } from './care.schema.ts';
import { removeCareFile, setCareFile } from './care.service.ts';

/** Care persons (重点人群): sensitive files on people who need regular visits. */
export async function careRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.get(
    '/api/care-persons',
    {
      schema: {
        tags: ['people'],
        summary: 'List care persons in my scope, optionally of one kind',
        querystring: listCarePersonsQuery,
        response: { 200: carePersonPage },
      },
      config: { access: { auth: 'staff', permission: 'carePerson.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const scope = unitScope(actor, 'carePerson.read');
      const { within, kind, q, page, pageSize } = request.query;
      let withinPath: string | undefined;
      if (within !== undefined) {
        const anchor = await findUnitInScope(db, within, scope);
        if (!anchor) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const { items, total } = await listCarePersons(db, actor, scope, { withinPath, kind, q }, page, pageSize);
      return { items, total, page, pageSize };
    },
  );

  app.put(
    '/api/people/:id/care',
    {
      schema: {
        tags: ['people'],
        summary: "Add or change a person's care-person file",
        params: idParam,
        body: setCareBody,
        response: { 200: careResponse },
      },
      config: { access: { auth: 'staff', permission: 'carePerson.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      return database.transaction(async (trx) => {
        const { care, unitId, created } = await setCareFile(trx, actor, request.params.id, request.body);
        await audit(trx, request, {
          action: created ? 'carePerson.create' : 'carePerson.update',
          targetType: 'person',
          targetId: request.params.id,
          unitId,
          // The note stays out of the log; that it changed is enough.
          detail: {
            kinds: care.kinds,
            visitCycleDays: care.visitCycleDays,
            responsiblePersonId: care.responsiblePerson?.id ?? null,
            noteChanged: request.body.note !== undefined,
          },
        });
        return { care };
      });
    },
  );

  app.delete(
    '/api/people/:id/care',
    {
      schema: {
        tags: ['people'],
        summary: "Close a person's care-person file",
        params: idParam,
      },
      config: { access: { auth: 'staff', permission: 'carePerson.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction(async (trx) => {
        const removed = await removeCareFile(trx, actor, request.params.id);
        await audit(trx, request, {
          action: 'carePerson.remove',
          targetType: 'person',
          targetId: request.params.id,
          unitId: removed.unitId,
          detail: { kinds: removed.kinds },
        });
      });
      return reply.status(204).send();
    },
  );
}
