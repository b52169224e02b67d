import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import { AppError, badRequest, notFound } from '../../http/errors.ts';
import { findRole } from '../roles/roles.repository.ts';
import { grantRefusal, requireNotSelf } from './accounts.policy.ts';
import { findAccount, type GrantRow, grantsOf } from './accounts.repository.ts';
import type { grantBody } from './accounts.schema.ts';

type GrantInput = z.infer<typeof grantBody>;

/**
 * Gives a role in a unit, after the escalation rule: the unit is in the grantor's account.manage scope, the
 * grantor holds every permission of the role and a data scope at least as broad. Used for new accounts too.
 */
export async function insertGrant(trx: Trx, actor: Actor, accountId: number, input: GrantInput): Promise<GrantRow> {
  const role = await findRole(trx, input.roleId);
  if (!role) throw notFound('Role');
  const unit = await trx
    .selectFrom('units')
    .select(['id', 'path', 'active'])
    .where('id', '=', input.unitId)
    .executeTakeFirst();
  if (!unit) throw notFound('Unit');
  const refusal = grantRefusal(actor, { permissions: role.permissions, dataScope: role.data_scope }, unit);
  if (refusal) throw refusal;
  if (!unit.active) throw badRequest('The unit is deactivated');
  const existing = await trx
    .selectFrom('role_grants')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role_id', '=', role.id)
    .where('unit_id', '=', unit.id)
    .executeTakeFirst();
  if (existing) throw new AppError('DUPLICATE', 'The account already holds this role in this unit');
  const row = await trx
    .insertInto('role_grants')
    .values({ account_id: accountId, role_id: role.id, unit_id: unit.id, granted_by: actor.accountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grants = await grantsOf(trx, [accountId]);
  const created = grants.find((g) => g.id === row.id);
  if (!created) throw new Error('grant vanished after insert');
  return created;
}

async function manageableAccount(trx: Trx, actor: Actor, accountId: number) {
  const account = await findAccount(trx, unitScope(actor, 'account.manage'), actor.accountId, accountId, {
    forUpdate: true,
  });
  if (!account) throw notFound('Account');
  requireNotSelf(actor, accountId, 'change the roles of');
  return account;
}

export async function addGrant(trx: Trx, actor: Actor, accountId: number, input: GrantInput) {
  await manageableAccount(trx, actor, accountId);
  return insertGrant(trx, actor, accountId, input);
}

export async function revokeGrant(trx: Trx, actor: Actor, accountId: number, grantId: number) {
  await manageableAccount(trx, actor, accountId);
  const grant = (await grantsOf(trx, [accountId])).find((g) => g.id === grantId);
  if (!grant) throw notFound('Grant');
  const refusal = grantRefusal(
    actor,
    { permissions: grant.permissions, dataScope: grant.data_scope },
    {
      id: grant.unit_id,
      path: grant.unit_path,
    },
  );
  if (refusal) throw refusal;
  await trx.deleteFrom('role_grants').where('id', '=', grantId).execute();
  return grant;
}
