import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { UnitScope } from '../../access/scope.ts';
import { escapeLike, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DataScope, DB, UnitKind } from '../../db/schema.ts';

export interface AccountRow {
  id: number;
  username: string | null;
  display_name: string;
  status: 'active' | 'disabled';
  person_id: number | null;
  failed_logins: number;
  locked_until: Date | null;
  must_change_password: boolean;
  password_changed_at: Date | null;
  last_login_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface GrantRow {
  id: number;
  account_id: number;
  role_id: number;
  role_code: string;
  role_name: string;
  role_name_en: string | null;
  permissions: string[];
  data_scope: DataScope;
  unit_id: number;
  unit_name: string;
  unit_kind: UnitKind;
  unit_path: string;
  granted_at: Date;
}

type AccountsEb = ExpressionBuilder<DB & { a: DB['accounts'] }, 'a'>;

/**
 * The one place that says which staff accounts a scope covers: those holding any role in a unit of the
 * scope. An account without roles is visible only to an all-units scope; 'own' means one's own account.
 */
export function accountVisible(eb: AccountsEb, scope: UnitScope, actorAccountId: number): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'none') return sql<SqlBool>`false`;
  const inScope = eb.exists(
    eb
      .selectFrom('role_grants as vg')
      .innerJoin('units as vu', 'vu.id', 'vg.unit_id')
      .select(sql<number>`1`.as('one'))
      .whereRef('vg.account_id', '=', 'a.id')
      .where((inner) => unitCondition(inner, { ...scope, own: false }, 'vu.path', 'vu.id')),
  );
  return scope.own ? eb.or([inScope, eb('a.id', '=', actorAccountId)]) : inScope;
}

const ACCOUNT_COLUMNS = [
  'a.id',
  'a.username',
  'a.display_name',
  'a.status',
  'a.person_id',
  'a.failed_logins',
  'a.locked_until',
  'a.must_change_password',
  'a.password_changed_at',
  'a.last_login_at',
  'a.version',
  'a.created_at',
  'a.updated_at',
] as const;

/** Staff accounts only; the password hash is never selected. */
function staffAccounts(q: Queryable, scope: UnitScope, actorAccountId: number) {
  return q
    .selectFrom('accounts as a')
    .where('a.kind', '=', 'staff')
    .where((eb) => accountVisible(eb, scope, actorAccountId));
}

export interface AccountFilter {
  withinPath?: string | undefined;
  q?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
}

function filtered(q: Queryable, scope: UnitScope, actorAccountId: number, filter: AccountFilter) {
  let query = staffAccounts(q, scope, actorAccountId);
  if (filter.withinPath !== undefined) {
    const prefix = `${escapeLike(filter.withinPath)}%`;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_grants as wg')
          .innerJoin('units as wu', 'wu.id', 'wg.unit_id')
          .select(sql<number>`1`.as('one'))
          .whereRef('wg.account_id', '=', 'a.id')
          .where('wu.path', 'like', prefix),
      ),
    );
  }
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) => eb.or([eb('a.username', 'ilike', like), eb('a.display_name', 'ilike', like)]));
  }
  if (filter.status) query = query.where('a.status', '=', filter.status);
  return query;
}

export async function listAccounts(
  q: Queryable,
  scope: UnitScope,
  actorAccountId: number,
  filter: AccountFilter,
  page: number,
  pageSize: number,
) {
  const rows = await filtered(q, scope, actorAccountId, filter)
    .select(ACCOUNT_COLUMNS)
    .orderBy('a.username')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const count = await filtered(q, scope, actorAccountId, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows: rows as AccountRow[], total: Number(count.n) };
}

export async function findAccount(
  q: Queryable,
  scope: UnitScope,
  actorAccountId: number,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<AccountRow | undefined> {
  let query = staffAccounts(q, scope, actorAccountId).select(ACCOUNT_COLUMNS).where('a.id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as AccountRow | undefined;
}

export async function grantsOf(q: Queryable, accountIds: number[]): Promise<GrantRow[]> {
  if (accountIds.length === 0) return [];
  const rows = await q
    .selectFrom('role_grants as g')
    .innerJoin('roles as r', 'r.id', 'g.role_id')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select([
      'g.id',
      'g.account_id',
      'g.role_id',
      'r.code as role_code',
      'r.name as role_name',
      'r.name_en as role_name_en',
      'r.permissions',
      'r.data_scope',
      'g.unit_id',
      'u.name as unit_name',
      'u.kind as unit_kind',
      'u.path as unit_path',
      'g.granted_at',
    ])
    .where('g.account_id', 'in', accountIds)
    .orderBy('g.id')
    .execute();
  return rows as GrantRow[];
}

export async function usernameTaken(q: Queryable, username: string): Promise<boolean> {
  const row = await q.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirst();
  return Boolean(row);
}
