import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import { AppError, badRequest, notFound, versionConflict } from '../../http/errors.ts';
import { destroyAccountSessions } from '../auth/session.service.ts';
import { requireControl, requireNotSelf } from './accounts.policy.ts';
import { type AccountRow, findAccount, type GrantRow, grantsOf, usernameTaken } from './accounts.repository.ts';
import type { createAccountBody, updateAccountBody } from './accounts.schema.ts';
import { insertGrant } from './grants.service.ts';

export interface Loaded {
  account: AccountRow;
  grants: GrantRow[];
}

/** Loads an account the actor controls, locked for the change: visible in account.manage scope, all roles grantable. */
async function controlledAccount(trx: Trx, actor: Actor, id: number): Promise<Loaded> {
  const account = await findAccount(trx, unitScope(actor, 'account.manage'), actor.accountId, id, { forUpdate: true });
  if (!account) throw notFound('Account');
  const grants = await grantsOf(trx, [id]);
  requireControl(actor, grants);
  return { account, grants };
}

async function reload(trx: Trx, id: number): Promise<Loaded> {
  const account = await findAccount(trx, { kind: 'all' }, 0, id);
  if (!account) throw new Error('account vanished');
  return { account, grants: await grantsOf(trx, [id]) };
}

export interface NewPassword {
  hash: string;
  mustChange: boolean;
}

export async function createAccount(
  trx: Trx,
  actor: Actor,
  input: z.infer<typeof createAccountBody>,
  password: NewPassword,
): Promise<Loaded> {
  const scope = unitScope(actor, 'account.manage');
  const grants = input.grants ?? [];
  if (scope.kind !== 'all' && grants.length === 0) {
    throw badRequest('Give the new account a role in one of your units, or it would be invisible to you', {
      field: 'grants',
    });
  }
  if (await usernameTaken(trx, input.username)) {
    throw new AppError('DUPLICATE', 'This username is already taken', { field: 'username' });
  }
  if (input.personId != null) {
    const person = await trx
      .selectFrom('people as p')
      .leftJoin('units as u', 'u.id', 'p.unit_id')
      .select(['p.id', 'u.id as unitId', 'u.path'])
      .where('p.id', '=', input.personId)
      .executeTakeFirst();
    const inScope =
      person &&
      (scope.kind === 'all' || (person.unitId !== null && scopeCoversPath(scope, person.unitId, person.path!)));
    if (!inScope) throw notFound('Person');
  }
  const row = await trx
    .insertInto('accounts')
    .values({
      kind: 'staff',
      username: input.username,
      display_name: input.displayName,
      person_id: input.personId ?? null,
      password_hash: password.hash,
      must_change_password: password.mustChange,
      password_changed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const grant of grants) await insertGrant(trx, actor, row.id, grant);
  return reload(trx, row.id);
}

export async function updateAccount(trx: Trx, actor: Actor, id: number, input: z.infer<typeof updateAccountBody>) {
  if (input.status === 'disabled') requireNotSelf(actor, id, 'disable');
  const before = await controlledAccount(trx, actor, id);
  if (before.account.version !== input.version) throw versionConflict();
  const result = await trx
    .updateTable('accounts')
    .set({
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw versionConflict();
  // A disabled account's sessions end now, not at their next request.
  if (input.status === 'disabled') await destroyAccountSessions(trx, id);
  return { before, after: await reload(trx, id) };
}

export async function unlockAccount(trx: Trx, actor: Actor, id: number) {
  requireNotSelf(actor, id, 'unlock');
  const before = await controlledAccount(trx, actor, id);
  await trx
    .updateTable('accounts')
    .set({ failed_logins: 0, locked_until: null, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
  return { before, after: await reload(trx, id) };
}

/** A new temporary password: the old one stops working, every session ends, the next sign-in must change it. */
export async function resetPassword(trx: Trx, actor: Actor, id: number, hash: string) {
  requireNotSelf(actor, id, 'reset the password of');
  await controlledAccount(trx, actor, id);
  await trx
    .updateTable('accounts')
    .set({
      password_hash: hash,
      must_change_password: true,
      password_changed_at: sql`now()`,
      failed_logins: 0,
      locked_until: null,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
  await destroyAccountSessions(trx, id);
  return reload(trx, id);
}
