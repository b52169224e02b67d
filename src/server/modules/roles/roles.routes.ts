import { DATA_SCOPES, PERMISSIONS } from '../../access/permissions.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { audit, auditRefusals } from '../audit/audit.service.ts';
import { hasAny } from './roles.policy.ts';
import { findRole, listRoles, presentRole } from './roles.repository.ts';
import {
  createRoleBody,
  permissionCatalogue,
  roleIdParam,
  roleList,
  roleResponse,
  updateRoleBody,
} from './roles.schema.ts';
import { createRole, updateRole } from './roles.service.ts';

export async function rolesRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.get(
    '/api/permissions',
    {
      schema: {
        tags: ['access'],
        summary: 'The permission catalogue a role may carry, and the data scopes',
        response: { 200: permissionCatalogue },
      },
      config: { access: { auth: 'staff', permission: 'role.manage' } },
    },
    async () => ({
      items: PERMISSIONS.map((code) => ({ code, module: code.split('.')[0]! })),
      dataScopes: [...DATA_SCOPES],
    }),
  );

  app.get(
    '/api/roles',
    {
      schema: {
        tags: ['access'],
        summary: 'Built-in and custom roles (for account.read or role.manage)',
        response: { 200: roleList },
      },
      config: { access: { auth: 'staff' } },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!hasAny(actor, ['account.read', 'role.manage'])) throw forbidden();
      const rows = await listRoles(db);
      return { items: rows.map((r) => presentRole(actor, r)) };
    },
  );

  app.get(
    '/api/roles/:id',
    {
      schema: { tags: ['access'], summary: 'One role', params: roleIdParam, response: { 200: roleResponse } },
      config: { access: { auth: 'staff' } },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!hasAny(actor, ['account.read', 'role.manage'])) throw forbidden();
      const row = await findRole(db, request.params.id);
      if (!row) throw notFound('Role');
      return { role: presentRole(actor, row) };
    },
  );

  app.post(
    '/api/roles',
    {
      schema: {
        tags: ['access'],
        summary: 'Define a custom role; it may carry only permissions (and a data scope) the creator holds',
        body: createRoleBody,
        response: { 201: roleResponse },
      },
      config: { access: { auth: 'staff', permission: 'role.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const attempt = {
        action: 'role.create',
        targetType: 'role',
        detail: { code: body.code, permissions: body.permissions, dataScope: body.dataScope },
      };
      const created = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const row = await createRole(trx, actor, body);
          await audit(trx, request, {
            ...attempt,
            targetId: row.id,
            detail: { code: row.code, name: row.name, permissions: row.permissions, dataScope: row.data_scope },
          });
          return row;
        }),
      );
      return reply.status(201).send({ role: presentRole(actor, created) });
    },
  );

  app.patch(
    '/api/roles/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'Change a custom role (built-in roles are fixed); applies at once to everyone holding it',
        params: roleIdParam,
        body: updateRoleBody,
        response: { 200: roleResponse },
      },
      config: { access: { auth: 'staff', permission: 'role.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const attempt = { action: 'role.update', targetType: 'role', targetId: id, detail: { changes: request.body } };
      const after = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const result = await updateRole(trx, actor, id, request.body);
          await audit(trx, request, {
            ...attempt,
            detail: {
              before: {
                name: result.before.name,
                nameEn: result.before.name_en,
                permissions: result.before.permissions,
                dataScope: result.before.data_scope,
              },
              after: {
                name: result.after.name,
                nameEn: result.after.name_en,
                permissions: result.after.permissions,
                dataScope: result.after.data_scope,
              },
            },
          });
          return result.after;
        }),
      );
      return { role: presentRole(actor, after) };
    },
  );
}
