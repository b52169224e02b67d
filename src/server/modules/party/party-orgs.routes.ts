import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { idParam } from '../units/units.schema.ts';
import { partyMembersRoutes } from './party-members.routes.ts';
import { ancestorsOfOrg, findOrgInScope, isOrgVisible, listOrgs } from './party-orgs.repository.ts';
import {
  createPartyOrgBody,
  listPartyOrgsQuery,
  partyOrgPage,
  partyOrgResponse,
  updatePartyOrgBody,
} from './party-orgs.schema.ts';
import { createPartyOrg, updatePartyOrg } from './party-orgs.service.ts';

async function detail(q: Queryable, actor: Actor, id: number, readScope = unitScope(actor, 'partyOrg.read')) {
  const org = await findOrgInScope(q, id, readScope);
  if (!org) return null;
  return {
    ...org,
    ancestors: await ancestorsOfOrg(q, org.path),
    actions: { manage: await isOrgVisible(q, id, unitScope(actor, 'partyOrg.manage')) },
  };
}

/** Party organisations: their own tree, linked to the units they lead, and their members. */
export async function partyRoutes(app: App, services: Services) {
  const { database } = services;
  const db = database.db;

  app.get(
    '/api/party-orgs',
    {
      schema: {
        tags: ['party'],
        summary: 'List Party organisations I can see: children of parentId, a name search, or my top ones',
        querystring: listPartyOrgsQuery,
        response: { 200: partyOrgPage },
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.read' } },
    },
    async (request) => {
      const scope = unitScope(actorOf(request), 'partyOrg.read');
      const { parentId, q, page, pageSize } = request.query;
      if (parentId !== undefined && !(await isOrgVisible(db, parentId, scope))) throw notFound('Party organisation');
      const { items, total } = await listOrgs(db, scope, { parentId, q }, page, pageSize);
      return { items, total, page, pageSize };
    },
  );

  app.get(
    '/api/party-orgs/:id',
    {
      schema: {
        tags: ['party'],
        summary: 'One Party organisation, with its linked units and the chain above it',
        params: idParam,
        response: { 200: partyOrgResponse },
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.read' } },
    },
    async (request) => {
      const partyOrg = await detail(db, actorOf(request), request.params.id);
      if (!partyOrg) throw notFound('Party organisation');
      return { partyOrg };
    },
  );

  app.post(
    '/api/party-orgs',
    {
      schema: {
        tags: ['party'],
        summary: 'Add a Party organisation',
        body: createPartyOrgBody,
        response: { 201: partyOrgResponse },
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const partyOrg = await database.transaction(async (trx) => {
        const created = await createPartyOrg(trx, actor, request.body);
        await audit(trx, request, {
          action: 'partyOrg.create',
          targetType: 'partyOrg',
          targetId: created.id,
          unitId: created.units[0]?.id ?? null,
          detail: {
            name: created.name,
            kind: created.kind,
            parentId: created.parentId,
            unitIds: created.units.map((u) => u.id),
          },
        });
        return detail(trx, actor, created.id, { kind: 'all' });
      });
      return reply.status(201).send({ partyOrg: partyOrg! });
    },
  );

  app.patch(
    '/api/party-orgs/:id',
    {
      schema: {
        tags: ['party'],
        summary: 'Change a Party organisation: rename, move, set the secretary, link units (optimistic version)',
        params: idParam,
        body: updatePartyOrgBody,
        response: { 200: partyOrgResponse },
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const partyOrg = await database.transaction(async (trx) => {
        const { before, after } = await updatePartyOrg(trx, actor, request.params.id, request.body);
        await audit(trx, request, {
          action: 'partyOrg.update',
          targetType: 'partyOrg',
          targetId: after.id,
          unitId: after.units[0]?.id ?? null,
          detail: { changes: request.body, previousParentId: before.parent_id },
        });
        return detail(trx, actor, after.id, { kind: 'all' });
      });
      return { partyOrg: partyOrg! };
    },
  );

  await partyMembersRoutes(app, services);
}
