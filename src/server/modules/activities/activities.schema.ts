import { z } from 'zod';
import { dbId, queryId } from '../people/refs.schema.ts';
import { pageQuery } from '../units/units.schema.ts';

/** 社区大学课程, 党课, 志愿服务活动, 社区活动. */
export const ACTIVITY_KINDS = ['course', 'partyClass', 'volunteer', 'activity'] as const;
export const ACTIVITY_STATUSES = ['published', 'cancelled'] as const;
export const ENROLMENT_STATUSES = ['enrolled', 'waiting', 'cancelled'] as const;
/** Units that organise activities: the activity is open to the residents living under them. */
export const ORGANISER_UNIT_KINDS = ['city', 'district', 'street', 'town', 'community', 'village', 'grid'] as const;
/** Check-in opens this long before the start (and closes at the end). */
export const CHECK_IN_OPENS_MINUTES = 60;

export const activityKind = z.enum(ACTIVITY_KINDS);

/** An id in a path: a PostgreSQL integer (activities) or bigint (enrolments). */
export const activityIdParam = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const enrolmentIdParam = z.strictObject({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  enrolmentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

/** An instant with its UTC offset, between 2000 and 2100 (what an activity can sensibly be planned for). */
const OFFSET = /(Z|[+-](\d{2}):(\d{2}))$/;
export const instant = z.iso
  .datetime({ offset: true })
  .refine((v) => {
    const m = OFFSET.exec(v);
    const offsetOk = !m || m[1] === 'Z' || Number(m[2]) * 60 + Number(m[3]) <= 14 * 60;
    const t = new Date(v).getTime();
    return offsetOk && t >= Date.UTC(2000, 0, 1) && t < Date.UTC(2100, 0, 1);
  }, 'an ISO date-time with offset between 2000 and 2100')
  .meta({ description: 'ISO 8601 date-time with offset, e.g. 2026-11-28T14:00:00+08:00' });

const phone = z
  .string()
  .trim()
  .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile or landline number');
const serviceHours = z
  .number()
  .min(0.5)
  .max(100)
  .refine((v) => Math.round(v * 10) / 10 === v, 'at most one decimal place')
  .meta({ description: 'Volunteer service hours credited to each resident checked in (volunteer activities)' });

const activityFields = {
  kind: activityKind,
  /** The organiser: a district, street, community or grid within my scope. */
  unitId: dbId,
  title: text(1, 100),
  description: z.string().trim().max(5000),
  venue: text(1, 200),
  startsAt: instant,
  endsAt: instant,
  enrolFrom: instant.nullable(),
  enrolUntil: instant.nullable(),
  capacity: z.number().int().min(1).max(10000),
  waitlistCapacity: z.number().int().min(0).max(10000),
  contactPhone: phone.nullable(),
  serviceHours: serviceHours.nullable(),
};

export const createActivityBody = z.strictObject({
  ...activityFields,
  description: activityFields.description.default(''),
  enrolFrom: activityFields.enrolFrom.optional(),
  enrolUntil: activityFields.enrolUntil.optional(),
  waitlistCapacity: activityFields.waitlistCapacity.default(0),
  contactPhone: activityFields.contactPhone.optional(),
  serviceHours: activityFields.serviceHours.optional(),
});
export type CreateActivityInput = z.infer<typeof createActivityBody>;

export const updateActivityBody = z.strictObject({
  version: z.number().int().positive().meta({
    description: 'The version I saw; a stale one is refused with 409 VERSION_CONFLICT',
  }),
  kind: activityFields.kind.optional(),
  unitId: activityFields.unitId.optional(),
  title: activityFields.title.optional(),
  description: activityFields.description.optional(),
  venue: activityFields.venue.optional(),
  startsAt: activityFields.startsAt.optional(),
  endsAt: activityFields.endsAt.optional(),
  enrolFrom: activityFields.enrolFrom.optional(),
  enrolUntil: activityFields.enrolUntil.optional(),
  capacity: activityFields.capacity.optional(),
  waitlistCapacity: activityFields.waitlistCapacity.optional(),
  contactPhone: activityFields.contactPhone.optional(),
  serviceHours: activityFields.serviceHours.optional(),
});
export type UpdateActivityInput = z.infer<typeof updateActivityBody>;

export const cancelActivityBody = z.strictObject({
  version: z.number().int().positive(),
  reason: text(1, 500),
});

const when = z.enum(['upcoming', 'past']).meta({ description: 'upcoming: not yet ended; past: ended' });

export const listActivitiesQuery = z.strictObject({
  kind: activityKind.optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  /** Activities organised by this unit or any unit below it. */
  unitId: queryId.optional(),
  q: z.string().trim().max(100).optional(),
  when: when.optional(),
  ...pageQuery,
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuery>;

const organiser = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });

/** What staff and residents alike see of an activity (activities.presenter.ts publicFacts). */
const activityFacts = {
  id: z.number().int(),
  kind: activityKind,
  title: z.string(),
  description: z.string(),
  venue: z.string(),
  organiser,
  startsAt: z.string(),
  endsAt: z.string(),
  enrolFrom: z.string().nullable(),
  enrolUntil: z.string().nullable(),
  capacity: z.number().int(),
  enrolled: z.number().int(),
  placesLeft: z.number().int(),
  waitlistCapacity: z.number().int(),
  waiting: z.number().int(),
  status: z.enum(ACTIVITY_STATUSES),
  cancelReason: z.string().nullable(),
  contactPhone: z.string().nullable(),
  serviceHours: z.number().nullable(),
};

/** An activity as staff see it, with its counters and what they may do with it. */
export const activity = z.object({
  ...activityFacts,
  checkedIn: z.number().int(),
  cancelledAt: z.string().nullable(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  actions: z.object({ edit: z.boolean(), cancel: z.boolean(), checkIn: z.boolean() }),
});
export type ActivityDto = z.infer<typeof activity>;

export const activityPage = z.object({
  items: z.array(activity),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const activityResponse = z.object({ activity });
export const updateActivityResponse = z.object({
  activity,
  promoted: z.number().int().meta({ description: 'Waiting residents who got a place from a raised capacity' }),
});

export const listEnrolmentsQuery = z.strictObject({
  status: z.enum(ENROLMENT_STATUSES).optional(),
  page: pageQuery.page,
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

/** One line of the attendance list: the resident's name, the phone masked. */
export const attendee = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable().meta({ description: 'Masked (138****0001)' }),
  status: z.enum(ENROLMENT_STATUSES),
  position: z.number().int().nullable().meta({ description: '1-based place in the waiting list while waiting' }),
  enrolledAt: z.string(),
  promotedAt: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkedInBy: z
    .object({ id: z.number().int(), name: z.string() })
    .nullable()
    .meta({ description: 'The staff member who checked the resident in; null when they scanned the code' }),
  cancelledAt: z.string().nullable(),
});
export type AttendeeDto = z.infer<typeof attendee>;

export const attendancePage = z.object({
  items: z.array(attendee),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.object({
    enrolled: z.number().int(),
    waiting: z.number().int(),
    checkedIn: z.number().int(),
    cancelled: z.number().int(),
  }),
});
export const attendeeResponse = z.object({ enrolment: attendee });

export const checkInCode = z.object({
  code: z.string(),
  url: z.string().meta({ description: 'What the QR code encodes: the H5 check-in page with the code' }),
  svg: z.string().meta({ description: 'The QR code as an SVG document' }),
});

// ——— Resident side (the contract the H5 is built against) ———

export const myEnrolment = z.object({
  status: z.enum(ENROLMENT_STATUSES),
  position: z.number().int().nullable().meta({ description: '1-based place in the waiting list while waiting' }),
  enrolledAt: z.string(),
  checkedInAt: z.string().nullable(),
});
export type MyEnrolmentDto = z.infer<typeof myEnrolment>;

export const residentActivity = z.object({
  ...activityFacts,
  enrolment: myEnrolment.nullable().meta({ description: 'My live enrolment (enrolled or waiting), or null' }),
});
export type ResidentActivityDto = z.infer<typeof residentActivity>;

export const myActivitiesQuery = z.strictObject({
  kind: activityKind.optional(),
  when: when.default('upcoming'),
  ...pageQuery,
});
export const myEnrolmentsQuery = z.strictObject({
  when: when.default('upcoming'),
  ...pageQuery,
});

export const residentActivityPage = z.object({
  items: z.array(residentActivity),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const residentActivityResponse = z.object({ activity: residentActivity });
export const myEnrolmentResponse = z.object({ enrolment: myEnrolment });
export const myEnrolmentPage = z.object({
  items: z.array(z.object({ activity: residentActivity })),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const checkInBody = z.strictObject({ code: z.string().trim().min(1).max(64) });
