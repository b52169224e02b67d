import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Queryable, Trx } from '../../db/database.ts';
import { AppError, badRequest, conflict, notFound, versionConflict } from '../../http/errors.ts';
import type { SuggestionText } from '../search/suggest-category.ts';
import { suggestCategories } from '../search/suggest-category.ts';
import {
  applicableTimeLimitRule,
  type CategoryRow,
  findCaseType,
  findCategory,
  findDepartment,
  findTimeLimitRule,
  listCategories,
  lockCategory,
  lockTimeLimitRule,
  suggestionCandidates,
  type TimeLimitRow,
} from './case-config.repository.ts';
import type {
  CaseTypeDto,
  CategoryDto,
  CategoryTreeNode,
  CreateCategoryInput,
  TimeLimitDto,
  UpdateCaseTypeInput,
  UpdateCategoryInput,
  UpsertTimeLimitInput,
} from './case-config.schema.ts';
import type { CaseTypesTable, CaseUrgency } from './cases.tables.ts';

/** Residents report through the H5 as this type: it must stay active. */
const RESIDENT_CASE_TYPE = 'appeal';

export function presentCaseType(r: Selectable<CaseTypesTable>): CaseTypeDto {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    routesToGrid: r.routes_to_grid,
    visitRule: r.visit_rule,
    manualColour: r.manual_colour,
    orangeShare: Number(r.orange_share),
    active: r.active,
    version: r.version,
  };
}

export function presentCategory(r: CategoryRow): CategoryDto {
  return {
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    keywords: r.keywords,
    department: r.department_id !== null ? { id: r.department_id, name: r.department_name ?? '' } : null,
    sortOrder: r.sort_order,
    active: r.active,
    version: r.version,
  };
}

export function presentTimeLimit(r: TimeLimitRow): TimeLimitDto {
  return {
    id: r.id,
    caseType: r.case_type,
    category:
      r.category_id !== null
        ? { id: r.category_id, name: r.category_name ?? '', parentName: r.category_parent_name ?? null }
        : null,
    urgency: r.urgency,
    responseMinutes: r.response_minutes,
    resolutionMinutes: r.resolution_minutes,
    visitMinutes: r.visit_minutes,
    catchAll: r.category_id === null && r.urgency === null,
    version: r.version,
  };
}

/** Changes a case type's settings. Types are never deleted; the resident appeal type cannot be deactivated. */
export async function updateCaseType(trx: Trx, code: string, input: UpdateCaseTypeInput) {
  const current = await findCaseType(trx, code, true);
  if (!current) throw notFound('Case type');
  if (current.version !== input.version) throw versionConflict();
  if (input.active === false && code === RESIDENT_CASE_TYPE) {
    throw conflict('Residents report as this type; it cannot be deactivated', { field: 'active' });
  }
  const updated = await trx
    .updateTable('case_types')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.nameEn !== undefined ? { name_en: input.nameEn } : {}),
      ...(input.routesToGrid !== undefined ? { routes_to_grid: input.routesToGrid } : {}),
      ...(input.visitRule !== undefined ? { visit_rule: input.visitRule } : {}),
      ...(input.manualColour !== undefined ? { manual_colour: input.manualColour } : {}),
      ...(input.orangeShare !== undefined ? { orange_share: Math.round(input.orangeShare * 1000) / 1000 } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      version: current.version + 1,
      updated_at: sql`now()`,
    })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before: current, after: updated };
}

/** The category tree: first-level categories with their children, in display order. */
export async function categoryTree(q: Queryable, includeInactive: boolean): Promise<CategoryTreeNode[]> {
  const rows = await listCategories(q, !includeInactive);
  const roots = rows.filter((r) => r.parent_id === null);
  return roots.map((root) => ({
    ...presentCategory(root),
    children: rows.filter((r) => r.parent_id === root.id).map(presentCategory),
  }));
}

async function checkDepartment(trx: Trx, departmentId: number | null | undefined) {
  if (departmentId === null || departmentId === undefined) return;
  const unit = await findDepartment(trx, departmentId);
  if (unit?.kind !== 'department' || !unit.active) {
    throw badRequest('Choose an active department', { field: 'departmentId' });
  }
}

/** The catalogue has two levels: a new category goes at the top or under an active first-level one. */
export async function createCategory(trx: Trx, input: CreateCategoryInput): Promise<CategoryDto> {
  if (input.parentId !== null) {
    const parent = await lockCategory(trx, input.parentId);
    if (!parent?.active || parent.parent_id !== null) {
      throw badRequest('The parent must be an active first-level category', { field: 'parentId' });
    }
  }
  await checkDepartment(trx, input.departmentId);
  const taken = await trx.selectFrom('case_categories').select('id').where('code', '=', input.code).executeTakeFirst();
  if (taken) throw new AppError('DUPLICATE', 'A category with this code already exists', { field: 'code' });
  const sibling = await trx
    .selectFrom('case_categories')
    .select('id')
    .where((eb) => (input.parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', input.parentId)))
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (sibling) throw new AppError('DUPLICATE', 'A category with this name already exists here', { field: 'name' });
  const nextOrder =
    input.sortOrder ??
    ((
      await trx
        .selectFrom('case_categories')
        .select((eb) => eb.fn.max('sort_order').as('max'))
        .where((eb) => (input.parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', input.parentId)))
        .executeTakeFirst()
    )?.max ?? 0) + 1;
  const created = await trx
    .insertInto('case_categories')
    .values({
      parent_id: input.parentId,
      code: input.code,
      name: input.name,
      name_en: input.nameEn,
      keywords: input.keywords,
      department_id: input.departmentId ?? null,
      sort_order: nextOrder,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return presentCategory((await findCategory(trx, created.id))!);
}

/**
 * Renames, re-keys, reorders, re-points or (de)activates a category. Categories are never deleted (cases keep
 * theirs); a first-level one is deactivated only after its children, and a child is reactivated only under
 * an active parent.
 */
export async function updateCategory(trx: Trx, id: number, input: UpdateCategoryInput) {
  const current = await lockCategory(trx, id);
  if (!current) throw notFound('Category');
  if (current.version !== input.version) throw versionConflict();
  await checkDepartment(trx, input.departmentId);
  if (input.active === false && current.active && current.parent_id === null) {
    const activeChild = await trx
      .selectFrom('case_categories')
      .select('id')
      .where('parent_id', '=', id)
      .where('active', '=', true)
      .executeTakeFirst();
    if (activeChild) throw conflict('Deactivate the categories under it first', { field: 'active' });
  }
  if (input.active === true && !current.active && current.parent_id !== null) {
    const parent = await lockCategory(trx, current.parent_id);
    if (!parent?.active) throw badRequest('Reactivate its first-level category first', { field: 'active' });
  }
  if (input.name !== undefined && input.name !== current.name) {
    const sibling = await trx
      .selectFrom('case_categories')
      .select('id')
      .where((eb) =>
        current.parent_id === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', current.parent_id),
      )
      .where('name', '=', input.name)
      .where('id', '<>', id)
      .executeTakeFirst();
    if (sibling) throw new AppError('DUPLICATE', 'A category with this name already exists here', { field: 'name' });
  }
  await trx
    .updateTable('case_categories')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.nameEn !== undefined ? { name_en: input.nameEn } : {}),
      ...(input.keywords !== undefined ? { keywords: input.keywords } : {}),
      ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      version: current.version + 1,
    })
    .where('id', '=', id)
    .execute();
  return { before: current, after: presentCategory((await findCategory(trx, id))!) };
}

/** Second-level categories that fit a report's text, best first, with their parent's name. */
export async function suggest(q: Queryable, text: SuggestionText, limit: number) {
  const rows = await suggestionCandidates(q);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const suggestions = suggestCategories(
    text,
    rows.map((r) => ({ id: r.id, name: r.name, keywords: r.keywords, parentId: r.parent_id })),
    limit,
  );
  return suggestions.map((s) => {
    const row = byId.get(s.id)!;
    return { id: s.id, name: row.name, parentName: row.parent_name ?? null, score: s.score };
  });
}

async function checkRuleTarget(trx: Queryable, caseType: string, categoryId: number | null) {
  if (!(await findCaseType(trx, caseType))) throw badRequest('Unknown case type', { field: 'caseType' });
  if (categoryId !== null && !(await findCategory(trx, categoryId))) {
    throw badRequest('Unknown category', { field: 'categoryId' });
  }
}

/** Adds the rule for a type, category and urgency, or changes the one there is; returns it and whether it is new. */
export async function upsertTimeLimit(trx: Trx, input: UpsertTimeLimitInput) {
  await checkRuleTarget(trx, input.caseType, input.categoryId);
  const minutes = {
    response_minutes: input.responseMinutes,
    resolution_minutes: input.resolutionMinutes,
    visit_minutes: input.visitMinutes,
  };
  const existing = await lockTimeLimitRule(trx, input.caseType, input.categoryId, input.urgency);
  let id: number;
  if (existing) {
    if (input.version !== undefined && input.version !== existing.version) throw versionConflict();
    await trx
      .updateTable('time_limits')
      .set({ ...minutes, version: existing.version + 1 })
      .where('id', '=', existing.id)
      .execute();
    id = existing.id;
  } else {
    const created = await trx
      .insertInto('time_limits')
      .values({ case_type: input.caseType, category_id: input.categoryId, urgency: input.urgency, ...minutes })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = created.id;
  }
  return { before: existing ?? null, after: presentTimeLimit((await findTimeLimitRule(trx, id))!) };
}

/** Removes a specific rule; the catch-all rule of a type stays (every case needs a limit). */
export async function deleteTimeLimit(trx: Trx, id: number) {
  const rule = await findTimeLimitRule(trx, id);
  if (!rule) throw notFound('Time limit');
  if (rule.category_id === null && rule.urgency === null) {
    throw conflict('The catch-all rule of a case type cannot be removed; change its minutes instead');
  }
  await trx.deleteFrom('time_limits').where('id', '=', id).execute();
  return presentTimeLimit(rule);
}

/** The rule a case of this type, category and urgency would get. */
export async function resolveTimeLimit(
  q: Queryable,
  caseType: string,
  categoryId: number | undefined,
  urgency: CaseUrgency,
) {
  if (!(await findCaseType(q, caseType))) throw badRequest('Unknown case type', { field: 'caseType' });
  let parentId: number | null = null;
  if (categoryId !== undefined) {
    const category = await findCategory(q, categoryId);
    if (!category) throw badRequest('Unknown category', { field: 'categoryId' });
    parentId = category.parent_id;
  }
  const rule = await applicableTimeLimitRule(q, caseType, categoryId ?? null, parentId, urgency);
  if (!rule) throw conflict(`No time limit is configured for case type ${caseType}`);
  return presentTimeLimit(rule);
}
