import { z } from 'zod';
import { pageQuery } from '../units/units.schema.ts';
import { isValidIdNumber } from './id-number.ts';
import { careRecord, dbId, optionalText, pastDate, queryId, unitRef } from './refs.schema.ts';

/** The unit kinds a person's record may be attached to: where they live, or the department they work in. */
export const PERSON_UNIT_KINDS = [
  'community',
  'village',
  'grid',
  'compound',
  'building',
  'entrance',
  'department',
] as const;
export const REVEAL_FIELDS = ['phone', 'idNumber', 'address'] as const;

const gender = z.enum(['male', 'female']);
const mobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'a mainland mobile number of 11 digits starting with 13–19');
const idNumber = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isValidIdNumber, 'not a valid resident identity number (18 characters with a GB 11643 check character)');

export const listPeopleQuery = z.strictObject({
  /** People attached to this unit or any unit below it. */
  within: queryId.optional(),
  /** Part of a name; or the last 4 digits of a phone, a whole phone number, or a whole identity number. */
  q: z.string().trim().min(1).max(50).optional(),
  isPartyMember: z.stringbool().optional(),
  isCarePerson: z.stringbool().optional(),
  ...pageQuery,
});

export const createPersonBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  gender: gender.nullable().optional(),
  birthDate: pastDate.nullable().optional(),
  phone: mobile.nullable().optional(),
  idNumber: idNumber.nullable().optional(),
  unitId: dbId,
  address: optionalText(200),
  isResident: z.boolean().optional(),
  note: optionalText(2000),
});

export const updatePersonBody = z.strictObject({
  version: dbId,
  name: z.string().trim().min(1).max(50).optional(),
  gender: gender.nullable().optional(),
  birthDate: pastDate.nullable().optional(),
  phone: mobile.nullable().optional(),
  idNumber: idNumber.nullable().optional(),
  unitId: dbId.optional(),
  address: optionalText(200),
  isResident: z.boolean().optional(),
  note: optionalText(2000),
});

export const revealBody = z.strictObject({
  fields: z
    .array(z.enum(REVEAL_FIELDS))
    .min(1)
    .max(REVEAL_FIELDS.length)
    .refine((f) => new Set(f).size === f.length, 'each field once'),
});

export const personListItem = z.object({
  id: z.number().int(),
  name: z.string(),
  gender: gender.nullable(),
  birthDate: z.string().nullable(),
  /** Always masked; the full value needs POST /api/people/:id/reveal. */
  phone: z.string().nullable(),
  idNumber: z.string().nullable(),
  address: z.string().nullable(),
  unit: unitRef.nullable(),
  flags: z.object({
    resident: z.boolean(),
    staff: z.boolean(),
    partyMember: z.boolean(),
    /** null when the actor may not read care-person files for this person. */
    carePerson: z.boolean().nullable(),
  }),
  version: z.number().int(),
});
export type PersonListItemDto = z.infer<typeof personListItem>;

export const personDetail = personListItem.extend({
  note: z.string().nullable(),
  posts: z.array(z.object({ unit: unitRef, post: z.string(), services: z.string().nullable() })),
  partyMembership: z
    .object({
      partyOrg: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
      status: z.enum(['full', 'probationary']),
      joinedOn: z.string().nullable(),
      checkInUnit: unitRef.nullable(),
      version: z.number().int(),
    })
    .nullable(),
  /** null when the person has no file or the actor may not read it (then flags.carePerson is null too). */
  care: careRecord.nullable(),
  /** What the actor may do with this record; the console shows buttons from this. */
  actions: z.object({ update: z.boolean(), reveal: z.boolean(), manageCare: z.boolean() }),
});
export type PersonDetailDto = z.infer<typeof personDetail>;

export const personPage = z.object({
  items: z.array(personListItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const personResponse = z.object({ person: personDetail });
export const revealResponse = z.object({
  phone: z.string().nullable().optional(),
  idNumber: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
});
