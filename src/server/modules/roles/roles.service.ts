import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import type { Trx } from '../../db/database.ts';
import { AppError, notFound, versionConflict } from '../../http/errors.ts';
import { escalationRefused, excessOver } from './roles.policy.ts';
import { findRole, type RoleRow } from './roles.repository.ts';
import type { createRoleBody, updateRoleBody } from './roles.schema.ts';

const unique = (permissions: readonly string[]) => [...new Set(permissions)].sort();

export async function createRole(trx: Trx, actor: Actor, input: z.infer<typeof createRoleBody>): Promise<RoleRow> {
  const permissions = unique(input.permissions);
  const excess = excessOver(actor, { permissions, dataScope: input.dataScope });
  if (excess) throw escalationRefused(excess, 'This role');
  const taken = await trx.selectFrom('roles').select('id').where('code', '=', input.code).executeTakeFirst();
  if (taken) throw new AppError('DUPLICATE', 'A role with this code already exists', { field: 'code' });
  const row = await trx
    .insertInto('roles')
    .values({
      code: input.code,
      name: input.name,
      name_en: input.nameEn ?? null,
      permissions,
      data_scope: input.dataScope,
      built_in: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const created = await findRole(trx, row.id);
  if (!created) throw new Error('role vanished after insert');
  return created;
}

/**
 * Changes a custom role. The role as it will be must stay within what the actor holds: a role that already
 * carries more than the actor holds (an auditor's, say) is not theirs to edit.
 */
export async function updateRole(trx: Trx, actor: Actor, id: number, input: z.infer<typeof updateRoleBody>) {
  const current = await trx.selectFrom('roles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current) throw notFound('Role');
  if (current.built_in) throw new AppError('CONFLICT', 'Built-in roles cannot be changed; create a custom role');
  if (current.version !== input.version) throw versionConflict();
  const permissions = input.permissions ? unique(input.permissions) : current.permissions;
  const dataScope = input.dataScope ?? current.data_scope;
  const excess = excessOver(actor, { permissions, dataScope });
  if (excess) throw escalationRefused(excess, 'The changed role');
  const result = await trx
    .updateTable('roles')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.nameEn !== undefined ? { name_en: input.nameEn } : {}),
      permissions,
      data_scope: dataScope,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw versionConflict();
  const after = await findRole(trx, id);
  if (!after) throw new Error('role vanished after update');
  return { before: current, after };
}
