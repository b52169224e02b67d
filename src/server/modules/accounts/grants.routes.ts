import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { audit, auditRefusals } from '../audit/audit.service.ts';
import { presentGrant } from './accounts.presenter.ts';
import { accountIdParam, grantBody, grantIdParams, grantResponse, okResponse } from './accounts.schema.ts';
import { addGrant, revokeGrant } from './grants.service.ts';

/** Giving and taking roles: audited as grant.create / grant.revoke, refusals included. */
export async function grantsRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.post(
    '/api/accounts/:id/grants',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Give the account a role in a unit (never more than the grantor holds)',
        params: accountIdParam,
        body: grantBody,
        response: { 201: grantResponse },
      },
      config: { access: { auth: 'staff', permission: 'account.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const attempt = {
        action: 'grant.create',
        targetType: 'account',
        targetId: id,
        unitId: request.body.unitId,
        detail: { roleId: request.body.roleId, unitId: request.body.unitId },
      };
      const grant = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const created = await addGrant(trx, actor, id, request.body);
          await audit(trx, request, {
            ...attempt,
            detail: {
              grantId: created.id,
              roleId: created.role_id,
              roleCode: created.role_code,
              unitId: created.unit_id,
            },
          });
          return created;
        }),
      );
      return reply.status(201).send({ grant: presentGrant(actor, grant) });
    },
  );

  app.delete(
    '/api/accounts/:id/grants/:grantId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Take a role away (only one the remover could have given)',
        params: grantIdParams,
        response: { 200: okResponse },
      },
      config: { access: { auth: 'staff', permission: 'account.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id, grantId } = request.params;
      const attempt = { action: 'grant.revoke', targetType: 'account', targetId: id, detail: { grantId } };
      await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const revoked = await revokeGrant(trx, actor, id, grantId);
          await audit(trx, request, {
            ...attempt,
            unitId: revoked.unit_id,
            detail: { grantId, roleId: revoked.role_id, roleCode: revoked.role_code, unitId: revoked.unit_id },
          });
        }),
      );
      return { ok: true as const };
    },
  );
}
