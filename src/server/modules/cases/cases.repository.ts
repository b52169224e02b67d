import { type Selectable, sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { CaseState } from './case-machine.ts';
import type { AssignmentRef, CaseContext, UnitRef } from './case-relations.ts';
import { caseCondition } from './cases.access.ts';
import type { CasesTable, CaseTypesTable } from './cases.tables.ts';

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

interface UnitJson {
  id: number;
  path: string;
  kind: UnitRef['kind'];
  name: string;
  parentId: number | null;
}
type CaseTypeJson = Omit<Selectable<CaseTypesTable>, 'updated_at'> & { updated_at: string };
type AssignmentJson = Omit<AssignmentRef, 'assignedAt' | 'responseDueAt' | 'respondedAt'> & {
  assignedAt: string;
  responseDueAt: string;
  respondedAt: string | null;
};

/**
 * Loads a case with the units it stands in. With an actor, the case must be in their scope (else null, the
 * same as missing); with `lock`, the row is locked for the transaction so concurrent transitions queue.
 * One statement: the case type, the units and the open assignments come back as JSON beside the row (only the
 * case row is locked: FOR UPDATE applies to the FROM clause, not to the subqueries in the select list).
 */
export async function loadCaseContext(
  q: Queryable,
  id: number,
  actor: Actor | null,
  lock: boolean,
): Promise<CaseContext | null> {
  let query = q.selectFrom('cases').selectAll('cases').select(caseContextColumns).where('cases.id', '=', id);
  if (actor) query = query.where((eb) => caseCondition(eb, actor));
  const found = await (lock ? query.forUpdate() : query).executeTakeFirst();
  return found ? toCaseContext(found) : null;
}

/** The case type, units and open assignments of the `cases` row in the query, as JSON columns beside it. */
export const caseContextColumns = [
  sql<CaseTypeJson | null>`(SELECT row_to_json(ct) FROM case_types ct WHERE ct.code = cases.case_type)`.as(
    'ctx_case_type',
  ),
  sql<UnitJson[]>`(SELECT json_agg(json_build_object('id', u.id, 'path', u.path, 'kind', u.kind, 'name', u.name,
      'parentId', u.parent_id)) FROM units u
     WHERE u.id IN (cases.owner_unit_id, cases.territory_unit_id, cases.lead_unit_id))`.as('ctx_units'),
  sql<AssignmentJson[] | null>`(SELECT json_agg(json_build_object('id', a.id, 'unitId', a.unit_id,
      'unitPath', a.unit_path, 'unitName', u.name, 'role', a.role, 'status', a.status, 'round', a.round,
      'assignedAt', a.assigned_at, 'responseDueAt', a.response_due_at, 'respondedAt', a.responded_at)
      ORDER BY a.id)
      FROM case_assignments a JOIN units u ON u.id = a.unit_id
     WHERE a.case_id = cases.id AND a.status IN ('pending', 'checkedIn'))`.as('ctx_assignments'),
];

/** The context from a row of `cases.*` with `caseContextColumns`. */
export function toCaseContext(
  found: Selectable<CasesTable> & {
    ctx_case_type: CaseTypeJson | null;
    ctx_units: UnitJson[];
    ctx_assignments: AssignmentJson[] | null;
  },
): CaseContext {
  const { ctx_case_type: caseType, ctx_units: units, ctx_assignments: assignments, ...row } = found;
  if (!caseType) throw new Error(`case type ${row.case_type} of case ${row.id} missing`);
  const ref = (unitId: number): UnitRef => {
    const u = units.find((x) => x.id === unitId);
    if (!u) throw new Error(`unit ${unitId} of case ${row.id} missing`);
    return { id: u.id, path: u.path, kind: u.kind, name: u.name, parentId: u.parentId };
  };
  return {
    row,
    state: row.state as CaseState,
    caseType: { ...caseType, updated_at: new Date(caseType.updated_at) },
    owner: ref(row.owner_unit_id),
    lead: row.lead_unit_id ? ref(row.lead_unit_id) : null,
    territory: ref(row.territory_unit_id),
    assignments: (assignments ?? []).map((a) => ({
      ...a,
      assignedAt: new Date(a.assignedAt),
      responseDueAt: new Date(a.responseDueAt),
      respondedAt: a.respondedAt === null ? null : new Date(a.respondedAt),
    })),
  };
}

/**
 * Creates the case-number sequence of a year if missing; the server does this for this year and next at start.
 * Two transactions creating it at once (the first intakes of a year) would collide on the catalogue's unique
 * index even with IF NOT EXISTS, so the creation is serialised by a transaction-level advisory lock: the second
 * waits for the first to commit and then finds the sequence there.
 */
export async function ensureCaseNumberSequence(q: Queryable, year: number): Promise<void> {
  const name = `case_number_${year}`;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(q);
  await sql`CREATE SEQUENCE IF NOT EXISTS ${sql.id(name)}`.execute(q);
}

/**
 * Next number of the year's sequence, e.g. XH-2026-000123. Sequences never block concurrent intakes (unlike a
 * counter row); a rolled-back intake leaves a gap in the numbers, never a duplicate.
 */
export async function nextCaseNumber(q: Queryable, prefix: string, year: number): Promise<string> {
  const seq = `case_number_${year}`;
  // One round trip when the sequence exists (the app creates this year's and next year's at start); the cast to
  // regclass happens at run time and only in the branch taken, so a missing sequence answers null, not an error.
  const next = () =>
    sql<{
      n: number | null;
    }>`SELECT CASE WHEN to_regclass(${seq}) IS NULL THEN NULL ELSE nextval(${seq}::text::regclass) END AS n`.execute(q);
  let n = (await next()).rows[0]?.n ?? null;
  if (n === null) {
    await ensureCaseNumberSequence(q, year);
    n = (await next()).rows[0]!.n!;
  }
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}
