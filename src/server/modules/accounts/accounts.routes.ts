import { scopeCoversPath, unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit, auditRefusals } from '../audit/audit.service.ts';
import { checkPasswordPolicy, hashPassword } from '../auth/password.ts';
import { findUnit } from '../units/units.repository.ts';
import { presentAccount } from './accounts.presenter.ts';
import { findAccount, type GrantRow, grantsOf, listAccounts } from './accounts.repository.ts';
import {
  accountIdParam,
  accountPage,
  accountResponse,
  createAccountBody,
  createdAccountResponse,
  listAccountsQuery,
  temporaryPasswordResponse,
  updateAccountBody,
} from './accounts.schema.ts';
import { createAccount, resetPassword, unlockAccount, updateAccount } from './accounts.service.ts';
import { grantsRoutes } from './grants.routes.ts';
import { generateTemporaryPassword } from './temporary-password.ts';

/** The unit an account's audit entries are filed under (its first role's unit), so scoped auditors see them. */
export const auditUnit = (grants: GrantRow[]) => grants[0]?.unit_id ?? null;

export async function accountsRoutes(app: App, services: Services) {
  const { database } = services;
  const db = database.db;

  app.get(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Staff accounts holding a role in my scope',
        querystring: listAccountsQuery,
        response: { 200: accountPage },
      },
      config: { access: { auth: 'staff', permission: 'account.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const scope = unitScope(actor, 'account.read');
      const { within, q, status, page, pageSize } = request.query;
      let withinPath: string | undefined;
      if (within !== undefined) {
        const anchor = await findUnit(db, within);
        if (!anchor || !scopeCoversPath(scope, anchor.id, anchor.path)) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const { rows, total } = await listAccounts(db, scope, actor.accountId, { withinPath, q, status }, page, pageSize);
      const grants = await grantsOf(
        db,
        rows.map((r) => r.id),
      );
      return { items: rows.map((r) => presentAccount(actor, r, grants)), total, page, pageSize };
    },
  );

  app.get(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One staff account with its roles, lock state and last sign-in',
        params: accountIdParam,
        response: { 200: accountResponse },
      },
      config: { access: { auth: 'staff', permission: 'account.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const account = await findAccount(db, unitScope(actor, 'account.read'), actor.accountId, request.params.id);
      if (!account) throw notFound('Account');
      return { account: presentAccount(actor, account, await grantsOf(db, [account.id])) };
    },
  );

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create a staff account; without a password a temporary one is generated and returned once',
        body: createAccountBody,
        response: { 201: createdAccountResponse },
      },
      // The answer may hold a temporary password, which must not be kept for a replay.
      config: { access: { auth: 'staff', permission: 'account.manage' }, idempotency: 'off' },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const temporaryPassword = body.password === undefined ? generateTemporaryPassword(body.username) : undefined;
      if (body.password !== undefined) checkPasswordPolicy(body.password, body.username);
      const hash = await hashPassword(body.password ?? temporaryPassword!);
      const attempt = {
        action: 'account.create',
        targetType: 'account',
        detail: { username: body.username, grants: body.grants ?? [] },
      };
      const created = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const result = await createAccount(trx, actor, body, { hash, mustChange: temporaryPassword !== undefined });
          await audit(trx, request, {
            ...attempt,
            targetId: result.account.id,
            unitId: auditUnit(result.grants),
            detail: {
              username: body.username,
              displayName: body.displayName,
              personId: body.personId ?? null,
              temporaryPassword: temporaryPassword !== undefined,
              grants: result.grants.map((g) => ({ grantId: g.id, roleCode: g.role_code, unitId: g.unit_id })),
            },
          });
          return result;
        }),
      );
      return reply.status(201).send({
        account: presentAccount(actor, created.account, created.grants),
        ...(temporaryPassword ? { temporaryPassword } : {}),
      });
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Rename, disable or enable an account; disabling ends its sessions',
        params: accountIdParam,
        body: updateAccountBody,
        response: { 200: accountResponse },
      },
      config: { access: { auth: 'staff', permission: 'account.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const action =
        request.body.status === 'disabled'
          ? 'account.disable'
          : request.body.status === 'active'
            ? 'account.enable'
            : 'account.update';
      const attempt = { action, targetType: 'account', targetId: id, detail: { changes: request.body } };
      const { after } = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const result = await updateAccount(trx, actor, id, request.body);
          await audit(trx, request, {
            ...attempt,
            unitId: auditUnit(result.after.grants),
            detail: {
              changes: request.body,
              before: { displayName: result.before.account.display_name, status: result.before.account.status },
            },
          });
          return result;
        }),
      );
      return { account: presentAccount(actor, after.account, after.grants) };
    },
  );

  app.post(
    '/api/accounts/:id/unlock',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Lift a lockout after too many failed sign-ins',
        params: accountIdParam,
        response: { 200: accountResponse },
      },
      config: { access: { auth: 'staff', permission: 'account.manage' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const attempt = { action: 'account.unlock', targetType: 'account', targetId: id };
      const after = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const result = await unlockAccount(trx, actor, id);
          await audit(trx, request, {
            ...attempt,
            unitId: auditUnit(result.after.grants),
            detail: {
              wasLocked:
                result.before.account.locked_until !== null &&
                result.before.account.locked_until.getTime() > Date.now(),
              failedLogins: result.before.account.failed_logins,
            },
          });
          return result.after;
        }),
      );
      return { account: presentAccount(actor, after.account, after.grants) };
    },
  );

  app.post(
    '/api/accounts/:id/reset-password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Replace the password with a temporary one (returned once); ends all sessions of the account',
        params: accountIdParam,
        response: { 200: temporaryPasswordResponse },
      },
      // The answer may hold a temporary password, which must not be kept for a replay.
      config: { access: { auth: 'staff', permission: 'account.manage' }, idempotency: 'off' },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const visible = await findAccount(db, unitScope(actor, 'account.manage'), actor.accountId, id);
      if (!visible) throw notFound('Account');
      const temporaryPassword = generateTemporaryPassword(visible.username ?? '');
      const hash = await hashPassword(temporaryPassword);
      const attempt = { action: 'account.resetPassword', targetType: 'account', targetId: id };
      const after = await auditRefusals(db, request, attempt, () =>
        database.transaction(async (trx) => {
          const result = await resetPassword(trx, actor, id, hash);
          await audit(trx, request, { ...attempt, unitId: auditUnit(result.grants) });
          return result;
        }),
      );
      return { account: presentAccount(actor, after.account, after.grants), temporaryPassword };
    },
  );

  await grantsRoutes(app, services);
}
