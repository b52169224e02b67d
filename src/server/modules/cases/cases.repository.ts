import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { CaseState } from './case-machine.ts';
import type { AssignmentRef, CaseContext, UnitRef } from './case-relations.ts';
import { caseCondition } from './cases.access.ts';

export async function findUnitRef(q: Queryable, id: number): Promise<UnitRef | null> {
  const u = await q
    .selectFrom('units')
    .select(['id', 'path', 'kind', 'name', 'parent_id', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
  return u ? { id: u.id, path: u.path, kind: u.kind, name: u.name, parentId: u.parent_id } : null;
}

/** The nearest ancestor-or-self of the unit (by path) whose kind is one of `kinds`. */
export async function ancestorOfKind(q: Queryable, path: string, kinds: string[]): Promise<UnitRef | null> {
  const ids = path.split('/').filter(Boolean).map(Number);
  if (ids.length === 0) return null;
  const rows = await q
    .selectFrom('units')
    .select(['id', 'path', 'kind', 'name', 'parent_id'])
    .where('id', 'in', ids)
    .where('kind', 'in', kinds as never[])
    .orderBy('depth', 'desc')
    .limit(1)
    .execute();
  const u = rows[0];
  return u ? { id: u.id, path: u.path, kind: u.kind, name: u.name, parentId: u.parent_id } : null;
}

/**
 * Loads a case with the units it stands in. With an actor, the case must be in their scope (else null, the
 * same as missing); with `lock`, the row is locked for the transaction so concurrent transitions queue.
 */
export async function loadCaseContext(
  q: Queryable,
  id: number,
  actor: Actor | null,
  lock: boolean,
): Promise<CaseContext | null> {
  let query = q.selectFrom('cases').selectAll('cases').where('cases.id', '=', id);
  if (actor) query = query.where((eb) => caseCondition(eb, actor));
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) return null;
  const unitIds = [row.owner_unit_id, row.territory_unit_id, ...(row.lead_unit_id ? [row.lead_unit_id] : [])];
  const [units, caseType, assignments] = await Promise.all([
    q.selectFrom('units').select(['id', 'path', 'kind', 'name', 'parent_id']).where('id', 'in', unitIds).execute(),
    q.selectFrom('case_types').selectAll().where('code', '=', row.case_type).executeTakeFirstOrThrow(),
    openAssignments(q, id),
  ]);
  const ref = (unitId: number): UnitRef => {
    const u = units.find((x) => x.id === unitId);
    if (!u) throw new Error(`unit ${unitId} of case ${id} missing`);
    return { id: u.id, path: u.path, kind: u.kind, name: u.name, parentId: u.parent_id };
  };
  return {
    row,
    state: row.state as CaseState,
    caseType,
    owner: ref(row.owner_unit_id),
    lead: row.lead_unit_id ? ref(row.lead_unit_id) : null,
    territory: ref(row.territory_unit_id),
    assignments,
  };
}

export async function openAssignments(q: Queryable, caseId: number): Promise<AssignmentRef[]> {
  const rows = await q
    .selectFrom('case_assignments as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .select([
      'a.id',
      'a.unit_id',
      'a.unit_path',
      'u.name as unit_name',
      'a.role',
      'a.status',
      'a.round',
      'a.assigned_at',
      'a.response_due_at',
      'a.responded_at',
    ])
    .where('a.case_id', '=', caseId)
    .where('a.status', 'in', ['pending', 'checkedIn'])
    .orderBy('a.id')
    .execute();
  return rows.map((a) => ({
    id: a.id,
    unitId: a.unit_id,
    unitPath: a.unit_path,
    unitName: a.unit_name,
    role: a.role,
    status: a.status,
    round: a.round,
    assignedAt: a.assigned_at,
    responseDueAt: a.response_due_at,
    respondedAt: a.responded_at,
  }));
}

/** Creates the case-number sequence of a year if missing; the app does this for this year and next at start. */
export async function ensureCaseNumberSequence(q: Queryable, year: number): Promise<void> {
  await sql`CREATE SEQUENCE IF NOT EXISTS ${sql.id(`case_number_${year}`)}`.execute(q);
}

/**
 * Next number of the year's sequence, e.g. XH-2026-000123. Sequences never block concurrent intakes (unlike a
 * counter row); a rolled-back intake leaves a gap in the numbers, never a duplicate.
 */
export async function nextCaseNumber(q: Queryable, prefix: string, year: number): Promise<string> {
  const seq = `case_number_${year}`;
  const exists = await sql<{ r: string | null }>`SELECT to_regclass(${seq})::text AS r`.execute(q);
  if (!exists.rows[0]?.r) await ensureCaseNumberSequence(q, year);
  const { rows } = await sql<{ n: number }>`SELECT nextval(${seq}::regclass) AS n`.execute(q);
  return `${prefix}-${year}-${String(rows[0]!.n).padStart(6, '0')}`;
}
