/**
 * The console's case API. Types come from the server's Zod schemas (type-only imports: nothing of the
 * server reaches the bundle), so a change to a response shape fails `tsc -p web` here.
 */
import type { z } from 'zod';
import type { CaseAction, CaseState } from '../../../src/server/modules/cases/case-machine.ts';
import type {
  CHANNELS,
  caseDetail,
  caseEventDto,
  caseSummary,
  ListCasesQuery,
  TransitionInput,
  URGENCIES,
  WORKLISTS,
} from '../../../src/server/modules/cases/cases.schema.ts';
import { get, post, qs } from '../../shared/api.ts';

export type { CaseAction, CaseState, TransitionInput };
export type CaseSummary = z.infer<typeof caseSummary>;
export type CaseDetail = z.infer<typeof caseDetail>;
export type CaseEvent = z.infer<typeof caseEventDto>;
export type Worklist = (typeof WORKLISTS)[number];
export type Channel = (typeof CHANNELS)[number];
export type Urgency = (typeof URGENCIES)[number];
export type Colour = CaseSummary['colour'];

/** The list filters as the query string takes them (strings and numbers; booleans as 'true' / 'false'). */
export type CaseFilter = {
  [K in keyof ListCasesQuery]?: K extends 'supervised' | 'open' ? 'true' | 'false' : ListCasesQuery[K];
};

export interface CasePage {
  items: CaseSummary[];
  total: number;
  totalIsCapped: boolean;
  page: number;
  pageSize: number;
}

/** The worklists in menu order (also the order of the tabs on 我的待办). */
export const WORKLIST_ORDER: readonly Worklist[] = [
  'toClassify',
  'toDispatch',
  'toCheckIn',
  'toHandle',
  'toArbitrate',
  'toVisit',
  'extensionRequests',
  'overdue',
  'supervised',
  'supervisionReview',
  'returnedTwice',
  'dissatisfied',
];

function filterQuery(filter: CaseFilter): string {
  const params: Record<string, string | number | undefined> = {};
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else params[key] = value as string | number;
  }
  const rest = qs(params);
  const extra = search.toString();
  return extra ? (rest ? `${rest}&${extra}` : `?${extra}`) : rest;
}

export const listCases = (filter: CaseFilter) => get<CasePage>(`/api/cases${filterQuery(filter)}`);
export const caseExportUrl = (filter: CaseFilter) => `/api/cases/export.xlsx${filterQuery(filter)}`;
export const worklistCounts = () => get<{ counts: Record<Worklist, number> }>('/api/cases/worklists');
export const getCase = (id: number) => get<{ case: CaseDetail }>(`/api/cases/${id}`);
export const transition = (id: number, input: TransitionInput) =>
  post<{ case: CaseDetail }>(`/api/cases/${id}/transitions`, input);
export const revealReporter = (id: number) =>
  post<{ reporter: { name: string | null; phone: string | null } }>(`/api/cases/${id}/reporter/reveal`, {});
export const similarCases = (params: {
  lng: number;
  lat: number;
  radius?: number;
  text?: string;
  excludeId?: number;
  limit?: number;
}) => get<{ items: Array<CaseSummary & { distanceMetres: number }> }>(`/api/cases/similar${qs(params)}`);
