import { hasPermission } from '../../access/actor.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { findUnitInScope } from '../units/units.repository.ts';
import { idParam } from '../units/units.schema.ts';
import { careRoutes } from './care.routes.ts';
import { presentPersonListItem } from './people.presenter.ts';
import { listPeople } from './people.repository.ts';
import {
  createPersonBody,
  listPeopleQuery,
  personPage,
  personResponse,
  revealBody,
  revealResponse,
  updatePersonBody,
} from './people.schema.ts';
import { createPerson, loadPersonDetail, peopleScopes, revealPerson, updatePerson } from './people.service.ts';

/** Fields whose values never go into the audit log, only the fact that they changed. */
const SENSITIVE = new Set(['phone', 'idNumber', 'address', 'birthDate', 'note']);

function changeSummary(body: Record<string, unknown>) {
  const changed = Object.keys(body).filter((k) => k !== 'version');
  const values = Object.fromEntries(changed.filter((k) => !SENSITIVE.has(k)).map((k) => [k, body[k]]));
  return { fields: changed, values };
}

export async function peopleRoutes(app: App, services: Services) {
  const { database } = services;
  const db = database.db;

  app.get(
    '/api/people',
    {
      schema: {
        tags: ['people'],
        summary: 'List people in my scope (phones, identity numbers and addresses masked)',
        querystring: listPeopleQuery,
        response: { 200: personPage },
      },
      config: { access: { auth: 'staff', permission: 'person.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { within, q, isPartyMember, isCarePerson, page, pageSize } = request.query;
      if (isCarePerson !== undefined && !hasPermission(actor, 'carePerson.read')) {
        throw forbidden('Filtering by care person needs carePerson.read');
      }
      const scopes = peopleScopes(actor);
      let withinPath: string | undefined;
      if (within !== undefined) {
        const anchor = await findUnitInScope(db, within, scopes.read);
        if (!anchor) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const { rows, total } = await listPeople(
        db,
        actor,
        scopes,
        { withinPath, q, isPartyMember, isCarePerson },
        page,
        pageSize,
      );
      return { items: rows.map(presentPersonListItem), total, page, pageSize };
    },
  );

  app.get(
    '/api/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'One person: posts, Party membership, and the care-person file when I may read it (masked)',
        params: idParam,
        response: { 200: personResponse },
      },
      config: { access: { auth: 'staff', permission: 'person.read' } },
    },
    async (request) => {
      const person = await loadPersonDetail(db, actorOf(request), request.params.id);
      if (!person) throw notFound('Person');
      return { person };
    },
  );

  app.post(
    '/api/people/:id/reveal',
    {
      schema: {
        tags: ['people'],
        summary: 'Show the full phone, identity number or address of a person; every reveal is audited',
        params: idParam,
        body: revealBody,
        response: { 200: revealResponse },
      },
      // Each reveal is its own audited read; its answer (personal data) is never kept for a replay.
      config: { access: { auth: 'staff', permission: 'person.reveal' }, idempotency: 'off' },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { fields } = request.body;
      const values = await database.transaction(async (trx) => {
        const revealed = await revealPerson(trx, actor, request.params.id, fields);
        await audit(trx, request, {
          action: 'person.reveal',
          targetType: 'person',
          targetId: request.params.id,
          unitId: revealed.unitId,
          detail: { fields },
        });
        return revealed.values;
      });
      reply.header('cache-control', 'no-store');
      return values;
    },
  );

  app.post(
    '/api/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Register a person in a unit I manage',
        body: createPersonBody,
        response: { 201: personResponse },
      },
      config: { access: { auth: 'staff', permission: 'person.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const person = await database.transaction(async (trx) => {
        const created = await createPerson(trx, actor, request.body);
        await audit(trx, request, {
          action: 'person.create',
          targetType: 'person',
          targetId: created.id,
          unitId: created.unit_id,
          detail: changeSummary(request.body),
        });
        return loadPersonDetail(trx, actor, created.id, 'person.manage');
      });
      if (!person) throw new Error('person vanished after insert');
      return reply.status(201).send({ person });
    },
  );

  app.patch(
    '/api/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change a person (optimistic version); moving them needs person.manage in both units',
        params: idParam,
        body: updatePersonBody,
        response: { 200: personResponse },
      },
      config: { access: { auth: 'staff', permission: 'person.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const person = await database.transaction(async (trx) => {
        const { previousUnitId, unitId } = await updatePerson(trx, actor, request.params.id, request.body);
        await audit(trx, request, {
          action: 'person.update',
          targetType: 'person',
          targetId: request.params.id,
          unitId,
          detail: { ...changeSummary(request.body), previousUnitId },
        });
        return loadPersonDetail(trx, actor, request.params.id, 'person.manage');
      });
      if (!person) throw notFound('Person');
      return { person };
    },
  );

  // Care-person files are a sub-resource of people, with their own permissions.
  await careRoutes(app, services);
}
