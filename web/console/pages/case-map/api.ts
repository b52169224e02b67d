/** The grid map's API: each grid's open-case load; types inferred from the server's Zod schemas. */
import type {
  CaseLoadCounts,
  CaseLoadResponse,
  GridCaseLoad,
} from '../../../../src/server/modules/grids/case-load.schema.ts';
import { get, qs } from '../../../shared/api.ts';

export type { CaseLoadCounts, CaseLoadResponse, GridCaseLoad };

export const getCaseLoad = (unitId?: number) => get<CaseLoadResponse>(`/api/grids/case-load${qs({ unitId })}`);
