import { type Expression, type ExpressionBuilder, type Insertable, type SqlBool, sql } from 'kysely';
import { escapeLike, type UnitScope, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB, UnitPost } from '../../db/schema.ts';
import type { CallRequestsTable } from '../cases/cases.tables.ts';
import type { ListCallRequestsQuery } from './call-requests.schema.ts';

/** The posts that call residents back, in the order the resident sees them: the grid's own worker first. */
export const CALLBACK_POSTS: UnitPost[] = ['gridWorker', 'gridHead', 'director', 'secretary'];

/** The resident's account, their people record and its home unit (null when they have not given an address). */
export async function findResidentHome(q: Queryable, accountId: number) {
  return q
    .selectFrom('accounts as a')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .select([
      'a.id',
      'a.phone',
      'a.display_name',
      'p.id as person_id',
      'p.name as person_name',
      'p.phone as person_phone',
    ])
    .select(['u.id as unit_id', 'u.path as unit_path'])
    .where('a.id', '=', accountId)
    .executeTakeFirstOrThrow();
}

/**
 * Inserts a waiting call request unless the resident already has one waiting (the partial unique index of
 * migration 0150): undefined then. Concurrent taps queue on the index; the later one inserts nothing.
 */
export async function insertWaiting(q: Queryable, values: Insertable<CallRequestsTable>) {
  return q
    .insertInto('call_requests')
    .values(values)
    .onConflict((oc) => oc.column('resident_account_id').where('status', '=', 'waiting').doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function findWaitingOf(q: Queryable, accountId: number) {
  return q
    .selectFrom('call_requests')
    .select('id')
    .where('resident_account_id', '=', accountId)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
}

export interface CallerRow {
  unit_id: number;
  post: UnitPost;
  name: string;
  phone: string | null;
}

/** The post holders who call back, per unit (grid worker first, then grid head; a community's leaders). */
export async function callersOf(q: Queryable, unitIds: number[]): Promise<Map<number, CallerRow[]>> {
  const byUnit = new Map<number, CallerRow[]>();
  if (unitIds.length === 0) return byUnit;
  const rows = await q
    .selectFrom('unit_posts as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .select(['p.unit_id', 'p.post', 'pe.name', 'pe.phone'])
    .where('p.unit_id', 'in', [...new Set(unitIds)])
    .where('p.post', 'in', CALLBACK_POSTS)
    .orderBy('p.id')
    .execute();
  const rank = (post: UnitPost) => CALLBACK_POSTS.indexOf(post);
  for (const row of rows.sort((a, b) => rank(a.post) - rank(b.post))) {
    byUnit.set(row.unit_id, [...(byUnit.get(row.unit_id) ?? []), row]);
  }
  return byUnit;
}

/** A call request with everything its presenters show. */
export function selectCallRequests(q: Queryable) {
  return q
    .selectFrom('call_requests as cr')
    .innerJoin('units as t', 't.id', 'cr.territory_unit_id')
    .innerJoin('accounts as ra', 'ra.id', 'cr.resident_account_id')
    .leftJoin('people as rp', 'rp.id', 'cr.person_id')
    .leftJoin('units as g', 'g.id', 'cr.grid_id')
    .leftJoin('accounts as cb', 'cb.id', 'cr.called_back_by')
    .leftJoin('cases as c', 'c.id', 'cr.case_id')
    .select([
      'cr.id',
      'cr.resident_account_id',
      'cr.phone',
      'cr.note',
      'cr.status',
      'cr.grid_id',
      'cr.territory_unit_id',
      'cr.territory_path',
      'cr.callback_due_at',
      'cr.called_back_at',
      'cr.called_back_by',
      'cr.close_reason',
      'cr.case_id',
      'cr.version',
      'cr.created_at',
      't.name as territory_name',
      't.kind as territory_kind',
      'g.name as grid_name',
      'g.kind as grid_kind',
      'g.phone as grid_phone',
      'cb.display_name as called_back_by_name',
      'c.number as case_number',
      'c.state as case_state',
      sql<string | null>`coalesce(rp.name, ra.display_name)`.as('resident_name'),
    ]);
}

export type CallRequestRow = Awaited<ReturnType<ReturnType<typeof selectCallRequests>['executeTakeFirstOrThrow']>>;

type Eb = ExpressionBuilder<DB & { cr: CallRequestsTable }, 'cr'>;

/** Not called back within the limit: still waiting past it, or called back after it. */
export function overdueCondition(eb: Eb, now: Date): Expression<SqlBool> {
  return eb(eb.ref('cr.callback_due_at'), '<', sql<Date>`coalesce(${eb.ref('cr.called_back_at')}, ${now})`);
}

function scopeCondition(eb: Eb, scope: UnitScope): Expression<SqlBool> {
  return unitCondition(eb, scope, 'cr.territory_path', 'cr.territory_unit_id');
}

/** The staff worklist: in scope, filtered; waiting ones by due time (most urgent first), the rest newest first. */
export async function listInScope(
  q: Queryable,
  scope: UnitScope,
  f: ListCallRequestsQuery,
  withinPath: string | null,
  now: Date,
) {
  const where = (eb: Eb) => {
    const and = [scopeCondition(eb, scope)];
    if (f.status) and.push(eb('cr.status', '=', f.status));
    if (f.overdue !== undefined) and.push(f.overdue ? overdueCondition(eb, now) : eb.not(overdueCondition(eb, now)));
    if (withinPath !== null) and.push(eb('cr.territory_path', 'like', `${escapeLike(withinPath)}%`));
    return eb.and(and);
  };
  let rows = selectCallRequests(q).where(where);
  rows = f.status === 'waiting' ? rows.orderBy('cr.callback_due_at').orderBy('cr.id') : rows.orderBy('cr.id', 'desc');
  const [items, count] = await Promise.all([
    rows
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q
      .selectFrom('call_requests as cr')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function findInScope(q: Queryable, id: number, scope: UnitScope) {
  return selectCallRequests(q)
    .where('cr.id', '=', id)
    .where((eb) => scopeCondition(eb, scope))
    .executeTakeFirst();
}

/** Locks the call request (in scope) for a convert or close, so concurrent ones queue and the later sees it done. */
export async function lockInScope(q: Queryable, id: number, scope: UnitScope) {
  return q
    .selectFrom('call_requests as cr')
    .selectAll('cr')
    .where('cr.id', '=', id)
    .where((eb) => scopeCondition(eb, scope))
    .forUpdate()
    .executeTakeFirst();
}

export async function listOfResident(q: Queryable, accountId: number, page: number, pageSize: number) {
  const [items, count] = await Promise.all([
    selectCallRequests(q)
      .where('cr.resident_account_id', '=', accountId)
      .orderBy('cr.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q
      .selectFrom('call_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resident_account_id', '=', accountId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function findOfResident(q: Queryable, id: number, accountId: number) {
  return selectCallRequests(q)
    .where('cr.id', '=', id)
    .where('cr.resident_account_id', '=', accountId)
    .executeTakeFirst();
}
