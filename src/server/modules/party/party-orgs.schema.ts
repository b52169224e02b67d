import { z } from 'zod';
import { dbId, pastDate, personRef, queryId, unitRef } from '../people/refs.schema.ts';
import { pageQuery } from '../units/units.schema.ts';

export const PARTY_ORG_KINDS = ['committee', 'workingCommittee', 'generalBranch', 'branch', 'group'] as const;
export const partyOrgKind = z.enum(PARTY_ORG_KINDS);

const name = z.string().trim().min(1).max(100);
const unitIds = z
  .array(dbId)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'each unit once');

export const listPartyOrgsQuery = z.strictObject({
  /** The children of this organisation; without parentId or q, my top organisations. */
  parentId: queryId.optional(),
  /** Part of a name, searched in every organisation I can see. */
  q: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
});

export const createPartyOrgBody = z.strictObject({
  parentId: dbId.nullable(),
  kind: partyOrgKind,
  name,
  secretaryPersonId: dbId.nullable().optional(),
  establishedOn: pastDate.nullable().optional(),
  /** The units this organisation leads (its community, street, department …). */
  unitIds: unitIds.optional(),
});

export const updatePartyOrgBody = z.strictObject({
  version: dbId,
  name: name.optional(),
  /** Move under another organisation (null: make it a top organisation). */
  parentId: dbId.nullable().optional(),
  secretaryPersonId: dbId.nullable().optional(),
  establishedOn: pastDate.nullable().optional(),
  /** Replaces the links to units in my scope; links to units outside it are kept. */
  unitIds: unitIds.optional(),
});

export const partyOrg = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  kind: partyOrgKind,
  name: z.string(),
  path: z.string(),
  depth: z.number().int(),
  secretary: personRef.nullable(),
  establishedOn: z.string().nullable(),
  units: z.array(unitRef),
  childCount: z.number().int(),
  memberCount: z.number().int(),
  version: z.number().int(),
});
export type PartyOrgDto = z.infer<typeof partyOrg>;

export const partyOrgDetail = partyOrg.extend({
  ancestors: z.array(z.object({ id: z.number().int(), name: z.string(), kind: partyOrgKind })),
  /** Whether I may rename, move, link and manage the members of this organisation. */
  actions: z.object({ manage: z.boolean() }),
});

export const partyOrgPage = z.object({
  items: z.array(partyOrg),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const partyOrgResponse = z.object({ partyOrg: partyOrgDetail });
