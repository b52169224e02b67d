import type { CaseFilter, CaseState, Worklist } from '../../api/cases.ts';
import { WORKLIST_ORDER } from '../../api/cases.ts';
import type { SavedFilterQuery } from '../../api/saved-filters.ts';

/**
 * A list filter in the address bar (so back/forward and shared links work) and in a saved filter. Only the
 * list's own keys are read; their values are checked by the server, which answers a bad one with a 400 the
 * table shows.
 */
const NUMBER_KEYS = ['categoryId', 'unitId', 'handlerUnitId', 'gridId', 'page', 'pageSize'] as const;
const STRING_KEYS = ['caseType', 'colour', 'channel', 'supervised', 'open', 'from', 'to', 'q'] as const;

type Source = { get(key: string): string | null; getAll(key: string): string[] };

function read(source: Source): CaseFilter {
  const filter: Record<string, unknown> = {};
  const worklist = source.get('worklist');
  if (worklist && (WORKLIST_ORDER as readonly string[]).includes(worklist)) filter.worklist = worklist as Worklist;
  const states = source.getAll('state').filter(Boolean);
  if (states.length) filter.state = states as CaseState[];
  for (const key of NUMBER_KEYS) {
    const raw = source.get(key);
    if (raw !== null && /^\d{1,10}$/.test(raw)) filter[key] = Number(raw);
  }
  for (const key of STRING_KEYS) {
    const raw = source.get(key);
    if (raw) filter[key] = raw;
  }
  return filter as CaseFilter;
}

export function filterFromSearch(params: URLSearchParams): CaseFilter {
  return read(params);
}

/** The filter as query parameters; empty values and the first page are left out. */
export function filterToSearch(filter: CaseFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'page' && value === 1) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.set(key, String(value));
  }
  return params;
}

/** What a saved filter keeps: the filters without paging. */
export function filterToSaved(filter: CaseFilter): SavedFilterQuery {
  const query: SavedFilterQuery = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'page' || key === 'pageSize' || value === undefined || value === null || value === '') continue;
    query[key] = Array.isArray(value) ? value.map(String) : (value as string | number);
  }
  return query;
}

export function filterFromSaved(query: SavedFilterQuery): CaseFilter {
  const source: Source = {
    get: (key) => {
      const value = query[key];
      return value === undefined || Array.isArray(value) ? null : String(value);
    },
    getAll: (key) => {
      const value = query[key];
      return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
    },
  };
  return read(source);
}

/** Whether any filter beyond the worklist and paging is set (the table then says "no match" when empty). */
export function hasConditions(filter: CaseFilter): boolean {
  return Object.keys(filterToSaved(filter)).some((key) => key !== 'worklist');
}
