import { z } from 'zod';
import { attachmentIds } from '../attachments/attachments.schema.ts';
import { dbId } from '../people/refs.schema.ts';
import { CASE_STATES } from './case-machine.ts';
import { lngLat, RATINGS } from './cases.schema.ts';

/**
 * The resident's view of a case (the H5): plain-language stages and timeline, no staff names, no internal
 * notes. Built by resident-cases.presenter.ts; the staff shapes of cases.schema.ts never reach a resident.
 */

export const STAGES = ['received', 'handling', 'resolved', 'closed', 'merged'] as const;
export type Stage = (typeof STAGES)[number];

export const STEP_KINDS = [
  'received',
  'assigned',
  'accepted',
  'escalated',
  'whistled',
  'checkedIn',
  'transferred',
  'returned',
  'extended',
  'supervised',
  'resolved',
  'rated',
  'reopened',
  'closed',
  'merged',
  'note',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const unitRef = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });
const categoryRef = z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable() }).nullable();
const photoIds = z.array(z.uuid()).meta({ description: 'Attachment ids: GET /api/attachments/{id}[?size=thumb]' });

export const timelineStep = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.enum(STEP_KINDS),
  units: z.array(unitRef).meta({ description: 'Who has the case now, or who was summoned (unit names only)' }),
  text: z
    .string()
    .nullable()
    .meta({
      description:
        'Only text meant for the resident: the result when resolved, my comment when rated, the new due time ' +
        'when extended, the case it was merged into, the reason when it was not taken up',
    }),
  photos: photoIds,
});
export type TimelineStepDto = z.infer<typeof timelineStep>;

export const residentCaseSummary = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  category: categoryRef,
  stage: z.enum(STAGES),
  state: z.enum(CASE_STATES).meta({ description: 'The exact state, for reference' }),
  relation: z.enum(['reporter', 'supporter']).meta({ description: 'I reported it, or joined it with "me too"' }),
  reportedAt: z.string(),
  promisedBy: z.string().nullable().meta({ description: 'When it is due to be resolved (the time promised)' }),
  resolvedAt: z.string().nullable(),
  needsRating: z.boolean().meta({ description: 'I reported it and it waits for my rating' }),
  lastStep: timelineStep.nullable(),
});
export type ResidentCaseSummaryDto = z.infer<typeof residentCaseSummary>;

export const residentCaseDetail = residentCaseSummary.extend({
  description: z.string().meta({ description: 'My report; empty on a case I joined (the words are the reporter’s)' }),
  address: z.string().nullable(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  confidential: z.boolean(),
  grid: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  photos: photoIds.meta({ description: "My report's photos (none on a case I joined)" }),
  timeline: z.array(timelineStep).meta({ description: 'Oldest first; internal steps are left out' }),
  result: z
    .object({ text: z.string().nullable(), photos: photoIds, at: z.string() })
    .nullable()
    .meta({ description: 'The latest result and its photos, until the case is reopened' }),
  rating: z
    .object({ rating: z.enum(RATINGS), solved: z.boolean().nullable(), comment: z.string().nullable() })
    .nullable()
    .meta({ description: 'My rating (the reporter only)' }),
  canRate: z.boolean(),
  visitDueAt: z.string().nullable(),
  supporters: z.number().int().meta({ description: 'Residents who joined with "me too"' }),
});
export type ResidentCaseDetailDto = z.infer<typeof residentCaseDetail>;

export const residentCaseResponse = z.object({ case: residentCaseDetail });

export const residentCasePage = z.object({
  items: z.array(residentCaseSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const residentCasesQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

/** A resident's own report from the H5. */
export const residentReportBody = z.strictObject({
  description: text(1, 2000),
  title: text(1, 60).optional().meta({ description: 'Defaults to the start of the description' }),
  categoryId: dbId.optional().meta({ description: 'A second-level category (a hint for the staff who classify)' }),
  location: lngLat.optional().meta({ description: 'Must lie inside a grid of the territory' }),
  address: text(1, 200).optional(),
  confidential: z.boolean().default(false),
  attachmentIds: attachmentIds.optional().meta({ description: 'Up to 9 of my own image uploads not yet attached' }),
});

export const residentVisitBody = z.strictObject({
  rating: z.enum(RATINGS),
  solved: z.boolean().optional(),
  comment: text(1, 500).optional(),
});

export const similarQuery = z.strictObject({
  lng: z.coerce.number().min(73).max(136),
  lat: z.coerce.number().min(3).max(54),
  text: z.string().trim().max(2000).optional(),
  categoryId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});

export const similarCase = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string().meta({ description: 'Runs of 7 or more digits (phone numbers) are masked' }),
  category: categoryRef,
  stage: z.enum(STAGES),
  reportedAt: z.string(),
  distanceMetres: z.number().int(),
  supporters: z.number().int(),
  joined: z.boolean(),
});
export type SimilarCaseDto = z.infer<typeof similarCase>;

export const similarResponse = z.object({ items: z.array(similarCase) });

export const meTooResponse = z.object({ supporting: z.literal(true), supporters: z.number().int() });
