import { type SelectQueryBuilder, sql } from 'kysely';
import type { UnitScope } from '../../access/scope.ts';
import { escapeLike, unitCondition } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditEntryDto, AuditFilter } from './audit.schema.ts';

type From = DB & { l: DB['audit_log']; u: DB['units'] };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Entries visible in an audit.read scope: everything for an all-units scope, otherwise the entries filed
 * under a unit of the scope (entries without a unit, such as sign-ins, only for the all-units scope).
 */
function scoped(q: Queryable, scope: UnitScope) {
  return q
    .selectFrom('audit_log as l')
    .leftJoin('units as u', 'u.id', 'l.unit_id')
    .where((eb) => unitCondition(eb, scope, 'u.path', 'u.id'));
}

function applyFilter<O>(query: SelectQueryBuilder<From, 'l' | 'u', O>, f: AuditFilter, timeZone: string) {
  let out = query;
  if (f.from) {
    out = DAY.test(f.from)
      ? out.where('l.at', '>=', sql<Date>`(${f.from}::date)::timestamp AT TIME ZONE ${timeZone}`)
      : out.where('l.at', '>=', sql<Date>`${f.from}::timestamptz`);
  }
  if (f.to) {
    // A day is inclusive: everything before the next midnight.
    out = DAY.test(f.to)
      ? out.where('l.at', '<', sql<Date>`((${f.to}::date + 1)::timestamp AT TIME ZONE ${timeZone})`)
      : out.where('l.at', '<=', sql<Date>`${f.to}::timestamptz`);
  }
  if (f.action) {
    out = f.action.endsWith('*')
      ? out.where('l.action', 'like', `${escapeLike(f.action.slice(0, -1))}%`)
      : out.where('l.action', '=', f.action);
  }
  if (f.actorAccountId !== undefined) out = out.where('l.actor_account_id', '=', f.actorAccountId);
  if (f.targetType) out = out.where('l.target_type', '=', f.targetType);
  if (f.targetId) out = out.where('l.target_id', '=', f.targetId);
  if (f.outcome) out = out.where('l.outcome', '=', f.outcome);
  return out;
}

const COLUMNS = [
  'l.id',
  'l.at',
  'l.actor_account_id',
  'l.actor_name',
  'l.action',
  'l.outcome',
  'l.target_type',
  'l.target_id',
  'l.unit_id',
  'u.name as unit_name',
  'l.ip',
  'l.request_id',
  'l.detail',
] as const;

interface AuditRow {
  id: number;
  at: Date;
  actor_account_id: number | null;
  actor_name: string | null;
  action: string;
  outcome: 'success' | 'failure';
  target_type: string | null;
  target_id: string | null;
  unit_id: number | null;
  unit_name: string | null;
  ip: string | null;
  request_id: string | null;
  detail: Record<string, unknown>;
}

function present(r: AuditRow): AuditEntryDto {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    actorAccountId: r.actor_account_id,
    actorName: r.actor_name,
    action: r.action,
    outcome: r.outcome,
    targetType: r.target_type,
    targetId: r.target_id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    ip: r.ip,
    requestId: r.request_id,
    detail: r.detail ?? {},
  };
}

export async function countAudit(q: Queryable, scope: UnitScope, filter: AuditFilter, timeZone: string) {
  const row = await applyFilter(scoped(q, scope), filter, timeZone)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Newest first. */
export async function listAudit(
  q: Queryable,
  scope: UnitScope,
  filter: AuditFilter,
  timeZone: string,
  page: number,
  pageSize: number,
) {
  const rows = await applyFilter(scoped(q, scope), filter, timeZone)
    .select(COLUMNS)
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return (rows as AuditRow[]).map(present);
}

/**
 * Every matching entry, newest first, in batches. Keyset paging compares (at, id) with the last row's own
 * values inside the database, so microsecond timestamps never pass through JavaScript dates.
 */
export async function* auditBatches(
  q: Queryable,
  scope: UnitScope,
  filter: AuditFilter,
  timeZone: string,
  batchSize = 1000,
): AsyncGenerator<AuditEntryDto[]> {
  let lastId: number | undefined;
  for (;;) {
    let query = applyFilter(scoped(q, scope), filter, timeZone).select(COLUMNS);
    if (lastId !== undefined) {
      query = query.where(sql<boolean>`(l.at, l.id) < (SELECT k.at, k.id FROM audit_log k WHERE k.id = ${lastId})`);
    }
    const rows = (await query.orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(batchSize).execute()) as AuditRow[];
    if (rows.length === 0) return;
    yield rows.map(present);
    if (rows.length < batchSize) return;
    lastId = Number(rows.at(-1)!.id);
  }
}
