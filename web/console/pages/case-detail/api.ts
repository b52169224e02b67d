import type { z } from 'zod';
import type { caseUnitChoices } from '../../../../src/server/modules/cases/case-unit-choices.schema.ts';
import { get } from '../../../shared/api.ts';
import { type CaseSummary, listCases } from '../../api/cases.ts';

export type CaseUnitChoices = z.infer<typeof caseUnitChoices>;
export type UnitChoice = CaseUnitChoices['departments'][number];

/** The units my allowed actions can send the case to (whistle, redispatch, transfer, dispatch). */
export const unitChoices = (caseId: number) => get<CaseUnitChoices>(`/api/cases/${caseId}/unit-choices`);

/** Open cases in my scope whose title or description has the words, for choosing a merge master. */
export const searchOpenCases = (q: string): Promise<CaseSummary[]> =>
  listCases({ q, open: 'true', pageSize: 20 }).then((page) => page.items);
