/**
 * The case configuration API: case types, the category tree, time-limit rules and the working-day calendar.
 * Types come from the server's Zod schemas by type-only imports (nothing of the server reaches the bundle),
 * so a changed request or response shape fails `tsc -p web` here.
 */
import type { z } from 'zod';
import type {
  calendarDayDto,
  calendarResponse,
  dayKind,
  setDayBody,
} from '../../../src/server/modules/calendar/calendar.schema.ts';
import type {
  caseTypeDto,
  categoryDto,
  categoryTreeNode,
  createCategoryBody,
  suggestResponse,
  timeLimitDto,
  updateCaseTypeBody,
  updateCategoryBody,
  upsertTimeLimitBody,
} from '../../../src/server/modules/cases/case-config.schema.ts';
import { del, get, patch, post, put, qs } from '../../shared/api.ts';
import type { Urgency } from './cases.ts';

export type CaseType = z.infer<typeof caseTypeDto>;
export type Category = z.infer<typeof categoryDto>;
export type CategoryNode = z.infer<typeof categoryTreeNode>;
export type Suggestion = z.infer<typeof suggestResponse>['items'][number];
export type TimeLimit = z.infer<typeof timeLimitDto>;
export type WorkCalendar = z.infer<typeof calendarResponse>;
export type CalendarDay = z.infer<typeof calendarDayDto>;
export type DayKind = z.infer<typeof dayKind>;

export type CaseTypeChanges = Omit<z.input<typeof updateCaseTypeBody>, 'version'>;
export type NewCategory = z.input<typeof createCategoryBody>;
export type CategoryChanges = Omit<z.input<typeof updateCategoryBody>, 'version'>;
export type TimeLimitInput = z.input<typeof upsertTimeLimitBody>;
export type DayInput = z.input<typeof setDayBody>;

export const listCaseTypes = () => get<{ items: CaseType[] }>('/api/case-types').then((r) => r.items);
export const updateCaseType = (code: string, version: number, changes: CaseTypeChanges) =>
  patch<{ caseType: CaseType }>(`/api/case-types/${encodeURIComponent(code)}`, { version, ...changes }).then(
    (r) => r.caseType,
  );

/** The two-level tree; `all` adds inactive categories (administrators only). */
export const categoryTree = (all: boolean) =>
  get<{ items: CategoryNode[] }>(`/api/case-categories${qs({ all: all ? 'true' : undefined })}`).then((r) => r.items);
export const createCategory = (input: NewCategory) =>
  post<{ category: Category }>('/api/case-categories', input).then((r) => r.category);
export const updateCategory = (id: number, version: number, changes: CategoryChanges) =>
  patch<{ category: Category }>(`/api/case-categories/${id}`, { version, ...changes }).then((r) => r.category);
export const suggestCategories = (text: string, limit = 5) =>
  get<{ items: Suggestion[] }>(`/api/case-categories/suggest${qs({ text, limit })}`).then((r) => r.items);

export const listTimeLimits = (caseType?: string) =>
  get<{ items: TimeLimit[] }>(`/api/time-limits${qs({ caseType })}`).then((r) => r.items);
export const upsertTimeLimit = (input: TimeLimitInput) =>
  put<{ timeLimit: TimeLimit; created: boolean }>('/api/time-limits', input);
export const deleteTimeLimit = (id: number) => del<{ ok: true }>(`/api/time-limits/${id}`);
/** The rule a case of this type, category and urgency would get (the most specific one). */
export const resolveTimeLimit = (params: { caseType: string; categoryId?: number; urgency: Urgency }) =>
  get<{ timeLimit: TimeLimit }>(`/api/time-limits/resolve${qs(params)}`).then((r) => r.timeLimit);

/** A year's holidays and adjusted working days (library and overrides) and the working hours; default this year. */
export const getCalendar = (year?: number) => get<WorkCalendar>(`/api/calendar${qs({ year })}`);
export const setCalendarDay = (day: string, input: DayInput) =>
  put<{ day: CalendarDay }>(`/api/calendar/days/${day}`, input).then((r) => r.day);
/** Removes a day's override: the library's schedule (or the weekday rule) applies again. */
export const removeCalendarDay = (day: string) => del<unknown>(`/api/calendar/days/${day}`);
