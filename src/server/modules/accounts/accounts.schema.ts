import { z } from 'zod';
import { DATA_SCOPES } from '../../access/permissions.ts';
import { UNIT_KINDS } from '../units/units.schema.ts';

const id = z.number().int().positive().max(2_147_483_647);
export const accountIdParam = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const grantIdParams = z.strictObject({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  grantId: z.coerce.number().int().positive().max(2_147_483_647),
});

export const grant = z.object({
  id: z.number().int(),
  roleId: z.number().int(),
  roleCode: z.string(),
  roleName: z.string(),
  roleNameEn: z.string().nullable(),
  dataScope: z.enum(DATA_SCOPES),
  unitId: z.number().int(),
  unitName: z.string(),
  unitKind: z.enum(UNIT_KINDS),
  grantedAt: z.string(),
  actions: z.object({ revoke: z.boolean() }),
});
export type GrantDto = z.infer<typeof grant>;

export const account = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  status: z.enum(['active', 'disabled']),
  personId: z.number().int().nullable(),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedLogins: z.number().int(),
  mustChangePassword: z.boolean(),
  passwordChangedAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  grants: z.array(grant),
  /** What the caller may do with this account; the console shows its buttons from these. */
  actions: z.object({
    update: z.boolean(),
    disable: z.boolean(),
    unlock: z.boolean(),
    resetPassword: z.boolean(),
    grant: z.boolean(),
  }),
});
export type AccountDto = z.infer<typeof account>;

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/, '3–32 lower-case letters, digits, _ . or -, starting with a letter or digit');
const displayName = z.string().trim().min(1).max(50);
export const grantBody = z.strictObject({ roleId: id, unitId: id });

export const createAccountBody = z.strictObject({
  username,
  displayName,
  personId: id.nullable().optional(),
  /** Without a password a temporary one is generated and returned once. */
  password: z.string().min(1).max(200).optional(),
  /** Roles to give at once; required unless the creator manages accounts everywhere (see README). */
  grants: z.array(grantBody).max(20).optional(),
});

export const updateAccountBody = z.strictObject({
  version: z.number().int().positive(),
  displayName: displayName.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const listAccountsQuery = z.strictObject({
  /** Accounts holding a role in this unit or below. */
  within: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  q: z.string().trim().max(50).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const accountPage = z.object({
  items: z.array(account),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const accountResponse = z.object({ account });
export const createdAccountResponse = z.object({
  account,
  /** Present only when the server generated the password: shown this once, never stored in clear. */
  temporaryPassword: z.string().optional(),
});
export const temporaryPasswordResponse = z.object({ account, temporaryPassword: z.string() });
export const grantResponse = z.object({ grant });
export const okResponse = z.object({ ok: z.literal(true) });
