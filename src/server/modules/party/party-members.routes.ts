import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { idParam } from '../units/units.schema.ts';
import { listMembers } from './party-members.repository.ts';
import { listMembersQuery, memberPage, membershipResponse, setMembershipBody } from './party-members.schema.ts';
import { removeMembership, setMembership } from './party-members.service.ts';
import { findOrgInScope } from './party-orgs.repository.ts';

export async function partyMembersRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.get(
    '/api/party-orgs/:id/members',
    {
      schema: {
        tags: ['party'],
        summary: 'Members of a Party organisation (and, on request, of the organisations below it)',
        params: idParam,
        querystring: listMembersQuery,
        response: { 200: memberPage },
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.read' } },
    },
    async (request) => {
      const org = await findOrgInScope(db, request.params.id, unitScope(actorOf(request), 'partyOrg.read'));
      if (!org) throw notFound('Party organisation');
      const { status, includeSubOrgs, q, page, pageSize } = request.query;
      const { items, total } = await listMembers(
        db,
        { orgId: org.id, subtreePath: includeSubOrgs ? org.path : undefined, status, q },
        page,
        pageSize,
      );
      return { items, total, page, pageSize };
    },
  );

  app.put(
    '/api/people/:id/party-membership',
    {
      schema: {
        tags: ['party'],
        summary: "Register or change a person's Party membership (organisation, status, community check-in)",
        params: idParam,
        body: setMembershipBody,
        response: { 200: membershipResponse },
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      return database.transaction(async (trx) => {
        const { membership, previousOrgId, unitId } = await setMembership(trx, actor, request.params.id, request.body);
        await audit(trx, request, {
          action: previousOrgId === null ? 'partyMember.create' : 'partyMember.update',
          targetType: 'person',
          targetId: request.params.id,
          unitId,
          detail: {
            partyOrgId: membership.partyOrg.id,
            previousPartyOrgId: previousOrgId,
            status: membership.status,
            checkInUnitId: membership.checkInUnit?.id ?? null,
          },
        });
        return { membership };
      });
    },
  );

  app.delete(
    '/api/people/:id/party-membership',
    {
      schema: {
        tags: ['party'],
        summary: "End a person's Party membership record here (transfer out, death …)",
        params: idParam,
      },
      config: { access: { auth: 'staff', permission: 'partyOrg.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction(async (trx) => {
        const removed = await removeMembership(trx, actor, request.params.id);
        await audit(trx, request, {
          action: 'partyMember.remove',
          targetType: 'person',
          targetId: request.params.id,
          unitId: removed.unitId,
          detail: { partyOrgId: removed.partyOrgId },
        });
      });
      return reply.status(204).send();
    },
  );
}
