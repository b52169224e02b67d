import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { CaseUrgency } from './cases.tables.ts';

export async function listCaseTypes(q: Queryable) {
  return q.selectFrom('case_types').selectAll().orderBy('sort_order').orderBy('code').execute();
}

export async function findCaseType(q: Queryable, code: string, forUpdate = false) {
  let query = q.selectFrom('case_types').selectAll().where('code', '=', code);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Categories with their department's name, parents first, in display order. */
export async function listCategories(q: Queryable, activeOnly: boolean) {
  let query = q
    .selectFrom('case_categories as c')
    .leftJoin('units as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.code',
      'c.name',
      'c.name_en',
      'c.keywords',
      'c.department_id',
      'd.name as department_name',
      'c.sort_order',
      'c.active',
      'c.version',
    ])
    .orderBy('c.sort_order')
    .orderBy('c.id');
  if (activeOnly) query = query.where('c.active', '=', true);
  return query.execute();
}
export type CategoryRow = Awaited<ReturnType<typeof listCategories>>[number];

export async function findCategory(q: Queryable, id: number) {
  return q
    .selectFrom('case_categories as c')
    .leftJoin('units as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.code',
      'c.name',
      'c.name_en',
      'c.keywords',
      'c.department_id',
      'd.name as department_name',
      'c.sort_order',
      'c.active',
      'c.version',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function lockCategory(q: Queryable, id: number) {
  return q.selectFrom('case_categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findDepartment(q: Queryable, id: number) {
  return q.selectFrom('units').select(['id', 'name', 'kind', 'active']).where('id', '=', id).executeTakeFirst();
}

/** Active second-level categories under active parents, and those parents: what suggestions choose from. */
export async function suggestionCandidates(q: Queryable) {
  return q
    .selectFrom('case_categories as c')
    .leftJoin('case_categories as p', 'p.id', 'c.parent_id')
    .select(['c.id', 'c.name', 'c.keywords', 'c.parent_id', 'p.name as parent_name'])
    .where('c.active', '=', true)
    .where((eb) => eb.or([eb('c.parent_id', 'is', null), eb('p.active', '=', true)]))
    .orderBy('c.id')
    .execute();
}

const timeLimitColumns = [
  't.id',
  't.case_type',
  't.category_id',
  't.urgency',
  't.response_minutes',
  't.resolution_minutes',
  't.visit_minutes',
  't.version',
  'c.name as category_name',
  'p.name as category_parent_name',
] as const;

function timeLimitQuery(q: Queryable) {
  return q
    .selectFrom('time_limits as t')
    .leftJoin('case_categories as c', 'c.id', 't.category_id')
    .leftJoin('case_categories as p', 'p.id', 'c.parent_id')
    .select(timeLimitColumns);
}

export async function listTimeLimits(q: Queryable, caseType?: string) {
  let query = timeLimitQuery(q)
    .leftJoin('case_types as ct', 'ct.code', 't.case_type')
    .orderBy('ct.sort_order')
    .orderBy('t.case_type')
    .orderBy(sql`t.category_id IS NOT NULL`)
    .orderBy('p.sort_order')
    .orderBy('c.sort_order')
    .orderBy('t.category_id')
    .orderBy(sql`CASE t.urgency WHEN 'normal' THEN 1 WHEN 'urgent' THEN 2 WHEN 'critical' THEN 3 ELSE 0 END`);
  if (caseType) query = query.where('t.case_type', '=', caseType);
  return query.execute();
}
export type TimeLimitRow = Awaited<ReturnType<typeof listTimeLimits>>[number];

export async function findTimeLimitRule(q: Queryable, id: number) {
  return timeLimitQuery(q).where('t.id', '=', id).executeTakeFirst();
}

/** The rule for exactly this type, category and urgency (null meaning "any"), locked for a change. */
export async function lockTimeLimitRule(
  q: Queryable,
  caseType: string,
  categoryId: number | null,
  urgency: CaseUrgency | null,
) {
  return q
    .selectFrom('time_limits')
    .selectAll()
    .where('case_type', '=', caseType)
    .where((eb) => (categoryId === null ? eb('category_id', 'is', null) : eb('category_id', '=', categoryId)))
    .where((eb) => (urgency === null ? eb('urgency', 'is', null) : eb('urgency', '=', urgency)))
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The rule that applies to a case of this type, category and urgency, chosen exactly as `findTimeLimit`
 * (case-limits.ts) chooses it: the category over its parent over any category, then a given urgency over any.
 */
export async function applicableTimeLimitRule(
  q: Queryable,
  caseType: string,
  categoryId: number | null,
  parentId: number | null,
  urgency: CaseUrgency,
) {
  return timeLimitQuery(q)
    .where('t.case_type', '=', caseType)
    .where((eb) =>
      eb.or([
        eb('t.category_id', 'is', null),
        eb('t.category_id', '=', categoryId ?? -1),
        eb('t.category_id', '=', parentId ?? -1),
      ]),
    )
    .where((eb) => eb.or([eb('t.urgency', 'is', null), eb('t.urgency', '=', urgency)]))
    .orderBy(sql`CASE WHEN t.category_id = ${categoryId ?? -1} THEN 0 WHEN t.category_id IS NOT NULL THEN 1 ELSE 2 END`)
    .orderBy(sql`CASE WHEN t.urgency IS NULL THEN 1 ELSE 0 END`)
    .limit(1)
    .executeTakeFirst();
}
