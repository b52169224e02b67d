import { z } from 'zod';
import { dbId, queryId } from '../people/refs.schema.ts';
import { pageQuery } from '../units/units.schema.ts';
import { CASE_STATES, USER_ACTIONS } from './case-machine.ts';

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export const CHANNELS = ['h5', 'call', 'hotline', 'patrol', 'enterpriseVisit', 'inspection', 'task'] as const;
export const COLOURS = ['red', 'orange', 'green'] as const;
export const RATINGS = ['satisfied', 'partlySatisfied', 'dissatisfied'] as const;

export const caseIdParam = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const attachmentIds = z.array(z.uuid()).max(9).optional();
const version = z.number().int().positive().optional().meta({
  description: 'The case version the user saw; a stale one is refused with 409 VERSION_CONFLICT',
});
/** A point inside China's bounding box (WGS 84). */
export const lngLat = z.strictObject({
  lng: z.number().min(73).max(136),
  lat: z.number().min(3).max(54),
});
const dateTime = z.iso.datetime({ offset: true });

export const reporterInput = z.strictObject({
  name: text(1, 50).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile or landline number')
    .optional(),
  personId: dbId.optional(),
});

/** Staff intake: hotline, patrol, enterprise visit, inspection or task; or the record of a one-tap call. */
export const intakeBody = z.strictObject({
  caseType: z
    .string()
    .regex(/^[a-z][A-Za-z]{1,31}$/)
    .default('appeal'),
  channel: z.enum(['hotline', 'patrol', 'enterpriseVisit', 'inspection', 'task']),
  title: text(1, 200),
  description: text(1, 5000),
  /** Second-level category; with it the case is classified and dispatched at once. */
  categoryId: dbId.optional(),
  urgency: z.enum(URGENCIES).default('normal'),
  location: lngLat.optional(),
  address: text(1, 200).optional(),
  /** Where the case belongs when it has no location inside a grid, or for types not routed to grids. */
  unitId: dbId.optional(),
  reporter: reporterInput.optional(),
  confidential: z.boolean().default(false),
  attachmentIds,
  /** A patrol finding solved on the spot (自办自结): recorded and resolved in one step. */
  selfResolved: z.strictObject({ result: text(1, 2000) }).optional(),
  /** Task-force items: the manual colour that sets the chase cadence. */
  manualColour: z.enum(COLOURS).optional(),
});
export type IntakeInput = z.infer<typeof intakeBody>;

const deadline = dateTime.meta({ description: 'When the whistled departments must have resolved it (future)' });

export const transitionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('classify'), version, categoryId: dbId, urgency: z.enum(URGENCIES).optional() }),
  z.strictObject({ action: z.literal('dispatch'), version, unitId: dbId, note: text(1, 1000).optional() }),
  z.strictObject({ action: z.literal('selfResolve'), version, result: text(1, 2000), attachmentIds }),
  z.strictObject({ action: z.literal('escalate'), version, reason: text(1, 1000) }),
  z.strictObject({
    action: z.literal('whistle'),
    version,
    leadUnitId: dbId,
    assistUnitIds: z.array(dbId).max(10).default([]),
    deadline,
    note: text(1, 1000).optional(),
  }),
  z.strictObject({ action: z.literal('checkIn'), version, note: text(1, 1000).optional() }),
  z.strictObject({ action: z.literal('returnCase'), version, reason: text(1, 1000) }),
  z.strictObject({ action: z.literal('assistCheckIn'), version, note: text(1, 1000).optional() }),
  z.strictObject({ action: z.literal('assistReturn'), version, reason: text(1, 1000) }),
  z.strictObject({
    action: z.literal('redispatch'),
    version,
    leadUnitId: dbId,
    assistUnitIds: z.array(dbId).max(10).default([]),
    deadline: deadline.optional(),
    note: text(1, 1000),
  }),
  z.strictObject({ action: z.literal('overrule'), version, note: text(1, 1000) }),
  z.strictObject({ action: z.literal('transfer'), version, unitId: dbId, reason: text(1, 1000) }),
  z.strictObject({ action: z.literal('resolve'), version, result: text(1, 2000), attachmentIds }),
  z.strictObject({
    action: z.literal('visit'),
    version,
    rating: z.enum(RATINGS),
    solved: z.boolean(),
    comment: text(1, 1000).optional(),
  }),
  z.strictObject({ action: z.literal('note'), version, note: text(1, 2000), attachmentIds }),
  z.strictObject({
    action: z.literal('requestExtension'),
    version,
    extraMinutes: z
      .number()
      .int()
      .min(30)
      .max(480 * 60),
    reason: text(1, 1000),
  }),
  z.strictObject({
    action: z.literal('decideExtension'),
    version,
    approve: z.boolean(),
    note: text(1, 1000).optional(),
  }),
  z.strictObject({ action: z.literal('supervise'), version, note: text(1, 1000) }),
  z.strictObject({ action: z.literal('chase'), version, note: text(1, 1000).optional() }),
  z.strictObject({ action: z.literal('setColour'), version, colour: z.enum(COLOURS), note: text(1, 1000).optional() }),
  z.strictObject({ action: z.literal('merge'), version, masterId: dbId, note: text(1, 1000).optional() }),
  z.strictObject({ action: z.literal('reject'), version, reason: text(1, 1000) }),
  z.strictObject({ action: z.literal('closeBySupervisor'), version, note: text(1, 1000) }),
  z.strictObject({ action: z.literal('rehandle'), version, note: text(1, 1000) }),
]);
export type TransitionInput = z.infer<typeof transitionBody>;

const unitBrief = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });

export const caseEventDto = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  action: z.string(),
  fromState: z.enum(CASE_STATES).nullable(),
  toState: z.enum(CASE_STATES),
  actorName: z.string(),
  actorUnit: unitBrief.nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const caseSummary = z.object({
  id: z.number().int(),
  number: z.string(),
  caseType: z.string(),
  title: z.string(),
  category: z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable() }).nullable(),
  urgency: z.enum(URGENCIES),
  channel: z.enum(CHANNELS),
  state: z.enum(CASE_STATES),
  colour: z.enum(COLOURS),
  supervised: z.boolean(),
  round: z.number().int(),
  address: z.string().nullable(),
  grid: unitBrief.nullable(),
  owner: unitBrief,
  lead: unitBrief.nullable(),
  dueAt: z.string().nullable(),
  /** Task-force items: the colour set by hand, which sets the chase cadence (red weekly, orange fortnightly, green monthly). */
  manualColour: z.enum(COLOURS).nullable(),
  /** When the next automatic chase of a manually coloured item is due. */
  nextChaseAt: z.string().nullable(),
  timeLeftMinutes: z.number().int().nullable().meta({
    description:
      'Working minutes until dueAt on the working-day calendar (negative when overdue); null without a deadline',
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type CaseSummaryDto = z.infer<typeof caseSummary>;

export const caseDetail = caseSummary.extend({
  description: z.string(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  territory: unitBrief,
  reporter: z
    .object({
      name: z.string().nullable(),
      phone: z.string().nullable(),
      masked: z.boolean(),
    })
    .nullable()
    .meta({ description: 'Masked for staff; null when the reporter asked for confidentiality (or there is none)' }),
  confidential: z.boolean(),
  manualColour: z.enum(COLOURS).nullable(),
  limitKind: z.enum(['response', 'resolution']).nullable(),
  orangeAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  visitDueAt: z.string().nullable(),
  pendingExtension: z
    .object({ extraMinutes: z.number().int(), reason: z.string(), requestedBy: z.string(), requestedAt: z.string() })
    .nullable(),
  assignments: z.array(
    z.object({
      unit: unitBrief,
      role: z.enum(['owner', 'lead', 'assist']),
      status: z.string(),
      round: z.number().int(),
      assignedAt: z.string(),
      responseDueAt: z.string(),
      respondedAt: z.string().nullable(),
    }),
  ),
  rating: z.enum(['satisfied', 'partlySatisfied', 'dissatisfied', 'noAnswer']).nullable(),
  solved: z.boolean().nullable(),
  ratingComment: z.string().nullable(),
  mergedInto: z
    .object({ id: z.number().int(), number: z.string(), state: z.enum(CASE_STATES) })
    .nullable()
    .meta({ description: 'The master case a duplicate was merged into: the duplicate follows its progress' }),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  events: z.array(caseEventDto),
  attachments: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      contentType: z.string(),
      byteSize: z.number().int(),
      eventId: z.number().int().nullable(),
      url: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(USER_ACTIONS as [string, ...string[]])).meta({
    description: 'Exactly the actions this user may take now (from the state machine and their relation to the case)',
  }),
});
export type CaseDetailDto = z.infer<typeof caseDetail>;

export const caseResponse = z.object({ case: caseDetail });

export const WORKLISTS = [
  'toClassify',
  'toDispatch',
  'toCheckIn',
  'toHandle',
  'toArbitrate',
  'toVisit',
  'overdue',
  'supervised',
  'supervisionReview',
  'extensionRequests',
  'returnedTwice',
  'dissatisfied',
] as const;

/** A day of a list filter: PostgreSQL has no year 0, and no office asks before 1900 or after 2100. */
const listDay = z.iso
  .date()
  .refine((day) => day >= '1900-01-01' && day <= '2100-12-31', 'a day between 1900-01-01 and 2100-12-31');

export const listCasesQuery = z.strictObject({
  worklist: z.enum(WORKLISTS).optional(),
  state: z.union([z.enum(CASE_STATES), z.array(z.enum(CASE_STATES)).max(12)]).optional(),
  caseType: z.string().max(32).optional(),
  categoryId: queryId.optional(),
  colour: z.enum(COLOURS).optional(),
  channel: z.enum(CHANNELS).optional(),
  /** Cases whose territory is at or below this unit (a street, a community, a grid). */
  unitId: queryId.optional(),
  /** Cases whose owner, lead or assisting unit is this unit (a department's cases). */
  handlerUnitId: queryId.optional(),
  gridId: queryId.optional(),
  supervised: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: listDay.optional(),
  to: listDay.optional(),
  q: z.string().trim().max(100).optional(),
  ...pageQuery,
});
export type ListCasesQuery = z.infer<typeof listCasesQuery>;

export const casePage = z.object({
  items: z.array(caseSummary),
  total: z.number().int().meta({ description: 'Matching cases, counted up to 1,000' }),
  totalIsCapped: z.boolean().meta({ description: 'True when more than 1,000 match: total is then a lower bound' }),
  page: z.number().int(),
  pageSize: z.number().int(),
});
