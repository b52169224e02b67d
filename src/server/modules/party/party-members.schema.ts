import { z } from 'zod';
import { dbId, pastDate, unitRef } from '../people/refs.schema.ts';
import { pageQuery } from '../units/units.schema.ts';
import { partyOrgKind } from './party-orgs.schema.ts';

export const MEMBER_STATUSES = ['full', 'probationary'] as const;
const status = z.enum(MEMBER_STATUSES);

export const listMembersQuery = z.strictObject({
  status: status.optional(),
  /** Also the members of the organisations below this one. */
  includeSubOrgs: z.stringbool().optional(),
  q: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
});

export const setMembershipBody = z.strictObject({
  partyOrgId: dbId,
  status,
  joinedOn: pastDate.nullable().optional(),
  /** The community (or village) where a working member registered (在职党员到社区报到). */
  checkInUnitId: dbId.nullable().optional(),
  /** The membership's version when changing an existing one; omitted when adding a member. */
  version: dbId.optional(),
});

export const membership = z.object({
  personId: z.number().int(),
  partyOrg: z.object({ id: z.number().int(), name: z.string(), kind: partyOrgKind }),
  status,
  joinedOn: z.string().nullable(),
  checkInUnit: unitRef.nullable(),
  version: z.number().int(),
});
export type MembershipDto = z.infer<typeof membership>;

export const memberItem = membership.extend({
  person: z.object({
    id: z.number().int(),
    name: z.string(),
    gender: z.enum(['male', 'female']).nullable(),
    /** Masked. */
    phone: z.string().nullable(),
    unit: unitRef.nullable(),
  }),
});

export const memberPage = z.object({
  items: z.array(memberItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const membershipResponse = z.object({ membership });
