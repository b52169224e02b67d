/**
 * The API calls of the intake pages. Types come from the server's Zod schemas (type-only imports), so a
 * change to a request or response shape fails `tsc -p web` here.
 */
import type { z } from 'zod';
import type {
  CallRequestDto,
  CallRequestStatus,
  convertCallRequestBody,
} from '../../../../src/server/modules/call-requests/call-requests.schema.ts';
import type { CaseTypeDto } from '../../../../src/server/modules/cases/case-config.schema.ts';
import type { COLOURS, intakeBody } from '../../../../src/server/modules/cases/cases.schema.ts';
import type { PlaceSearchItem } from '../../../../src/server/modules/places/places.schema.ts';
import { get, type Page, post, qs } from '../../../shared/api.ts';
import type { CaseDetail } from '../../api/cases.ts';

export type { CallRequestDto, CallRequestStatus, CaseTypeDto, PlaceSearchItem };
/** The body of POST /api/cases as the client sends it (fields with server defaults may be left out). */
export type IntakeInput = z.input<typeof intakeBody>;
export type IntakeChannel = IntakeInput['channel'];
export type ConvertInput = z.input<typeof convertCallRequestBody>;
export type ManualColour = (typeof COLOURS)[number];

export const INTAKE_CHANNELS: readonly IntakeChannel[] = ['hotline', 'patrol', 'enterpriseVisit', 'inspection', 'task'];

let caseTypes: Promise<CaseTypeDto[]> | null = null;
/** The case types, fetched once per page load (they change only in the administration pages). */
export function loadCaseTypes(): Promise<CaseTypeDto[]> {
  caseTypes ??= get<{ items: CaseTypeDto[] }>('/api/case-types').then(
    (body) => body.items,
    (error: unknown) => {
      caseTypes = null;
      throw error;
    },
  );
  return caseTypes;
}

/** `idempotencyKey`: the intake form's ActionKey, so a retried or repeated submit creates one case. */
export const createCase = (input: IntakeInput, idempotencyKey?: string) =>
  post<{ case: CaseDetail }>('/api/cases', input, idempotencyKey);

export const searchPlaces = (q: string, limit = 10) =>
  get<{ items: PlaceSearchItem[] }>(`/api/places/search${qs({ q, limit })}`).then((b) => b.items);

export const listCallRequests = (filter: { status?: CallRequestStatus; page?: number; pageSize?: number }) =>
  get<Page<CallRequestDto>>(`/api/call-requests${qs(filter)}`);

export const convertCallRequest = (id: number, input: ConvertInput) =>
  post<{ callRequest: CallRequestDto; case: CaseDetail }>(`/api/call-requests/${id}/convert`, input);

export const closeCallRequest = (id: number, input: { version: number; reason: string }) =>
  post<{ callRequest: CallRequestDto }>(`/api/call-requests/${id}/close`, input);
