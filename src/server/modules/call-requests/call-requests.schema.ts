import { z } from 'zod';
import { CASE_STATES } from '../cases/case-machine.ts';
import { lngLat, URGENCIES } from '../cases/cases.schema.ts';
import { dbId } from '../people/refs.schema.ts';
import { pageQuery } from '../units/units.schema.ts';

export const CALL_REQUEST_STATUSES = ['waiting', 'converted', 'closed'] as const;
export type CallRequestStatus = (typeof CALL_REQUEST_STATUSES)[number];

export const callRequestIdParam = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const version = z.number().int().positive().meta({
  description: 'The call request version the grid worker saw; a stale one is refused with 409 VERSION_CONFLICT',
});

/** The resident's tap: an optional word on what it is about. */
export const createCallRequestBody = z.strictObject({
  note: text(1, 500).optional(),
});

/** After the call: the case the grid worker records for the resident (the resident is its reporter). */
export const convertCallRequestBody = z.strictObject({
  version,
  title: text(1, 200),
  description: text(1, 5000),
  /** Second-level category; with it the case is classified and dispatched at once (to the grid by default). */
  categoryId: dbId.optional(),
  urgency: z.enum(URGENCIES).default('normal'),
  location: lngLat.optional(),
  address: text(1, 200).optional(),
  confidential: z.boolean().default(false),
  attachmentIds: z.array(z.uuid()).max(9).optional(),
});
export type ConvertCallRequestInput = z.infer<typeof convertCallRequestBody>;

/** After the call: nothing to record as a case (answered on the phone, a wrong tap …), with the reason. */
export const closeCallRequestBody = z.strictObject({
  version,
  reason: text(1, 500),
});

export const listCallRequestsQuery = z.strictObject({
  status: z.enum(CALL_REQUEST_STATUSES).optional(),
  /** true: not called back within the callback limit (still waiting past it, or called back late). */
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Requests at or below this unit (a community, a grid). */
  unitId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  ...pageQuery,
});
export type ListCallRequestsQuery = z.infer<typeof listCallRequestsQuery>;

export const myCallRequestsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

const unitBrief = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });
const caseRef = z.object({ id: z.number().int(), number: z.string(), state: z.enum(CASE_STATES) });

/** Who will call back: the grid's post holders, with their public service numbers. */
export const caller = z.object({
  name: z.string(),
  post: z.string(),
  phone: z.string().nullable(),
});

/** A call request as its resident sees it. */
export const myCallRequest = z.object({
  id: z.number().int(),
  status: z.enum(CALL_REQUEST_STATUSES),
  note: z.string().nullable(),
  grid: z.object({ id: z.number().int(), name: z.string(), phone: z.string().nullable() }).nullable(),
  callers: z.array(caller),
  callbackDueAt: z.string(),
  calledBackAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  case: caseRef.nullable(),
  createdAt: z.string(),
});
export type MyCallRequestDto = z.infer<typeof myCallRequest>;

export const myCallRequestResponse = z.object({ callRequest: myCallRequest });
export const myCallRequestPage = z.object({
  items: z.array(myCallRequest),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** A call request as staff see it: the resident's phone in full only to those who must call it back. */
export const callRequest = z.object({
  id: z.number().int(),
  status: z.enum(CALL_REQUEST_STATUSES),
  note: z.string().nullable(),
  resident: z
    .object({ name: z.string().nullable(), phone: z.string().nullable(), masked: z.boolean() })
    .meta({ description: 'In full to staff holding case.handle over the grid (they call back); masked otherwise' }),
  grid: unitBrief.nullable(),
  territory: unitBrief,
  callbackDueAt: z.string(),
  overdue: z.boolean(),
  timeLeftMinutes: z.number().int().nullable().meta({
    description:
      'Working minutes until callbackDueAt on the working-day calendar (negative when overdue); null once handled',
  }),
  calledBackAt: z.string().nullable(),
  calledBackBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  closeReason: z.string().nullable(),
  case: caseRef.nullable(),
  /** Whether this user may convert or close it (case.handle over the grid, and still waiting). */
  canHandle: z.boolean(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type CallRequestDto = z.infer<typeof callRequest>;

export const callRequestResponse = z.object({ callRequest });
export const callRequestPage = z.object({
  items: z.array(callRequest),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
