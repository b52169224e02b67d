import type { Actor } from '../../access/actor.ts';
import { hasPermission } from '../../access/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { DataScope } from '../../db/schema.ts';
import { excessOver } from './roles.policy.ts';
import type { RoleDto } from './roles.schema.ts';

export interface RoleRow {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  permissions: string[];
  data_scope: DataScope;
  built_in: boolean;
  version: number;
  grant_count: number;
}

function selectRoles(q: Queryable) {
  return q
    .selectFrom('roles as r')
    .select([
      'r.id',
      'r.code',
      'r.name',
      'r.name_en',
      'r.permissions',
      'r.data_scope',
      'r.built_in',
      'r.version',
      (eb) =>
        eb
          .selectFrom('role_grants as g')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('g.role_id', '=', 'r.id')
          .as('grant_count'),
    ]);
}

export function presentRole(actor: Actor, r: RoleRow): RoleDto {
  const withinActor = excessOver(actor, { permissions: r.permissions, dataScope: r.data_scope }) === null;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    permissions: [...r.permissions].sort(),
    dataScope: r.data_scope,
    builtIn: r.built_in,
    version: r.version,
    grantCount: Number(r.grant_count),
    actions: {
      update: !r.built_in && withinActor && hasPermission(actor, 'role.manage'),
      grant: withinActor && hasPermission(actor, 'account.manage'),
    },
  };
}

/** Roles are not unit data: every staff member who may read accounts or manage roles sees all of them. */
export async function listRoles(q: Queryable): Promise<RoleRow[]> {
  const rows = await selectRoles(q).orderBy('r.built_in', 'desc').orderBy('r.id').execute();
  return rows as RoleRow[];
}

export async function findRole(q: Queryable, id: number): Promise<RoleRow | undefined> {
  return (await selectRoles(q).where('r.id', '=', id).executeTakeFirst()) as RoleRow | undefined;
}
