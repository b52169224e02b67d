import { z } from 'zod';
import { DATA_SCOPES } from '../../access/permissions.ts';

export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const phoneSchema = z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number of 11 digits');

export const otpRequestBody = z.strictObject({ phone: phoneSchema });
export const otpVerifyBody = z.strictObject({ phone: phoneSchema, code: z.string().regex(/^\d{6}$/) });

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const sessionInfo = z.object({
  accountId: z.number().int(),
  kind: z.enum(['staff', 'resident']),
  displayName: z.string(),
  username: z.string().nullable(),
  personId: z.number().int().nullable(),
  permissions: z.array(z.string()),
  grants: z.array(
    z.object({
      roleCode: z.string(),
      roleName: z.string(),
      roleNameEn: z.string().nullable(),
      unitId: z.number().int(),
      unitName: z.string(),
      unitKind: z.string(),
      scope: z.enum(DATA_SCOPES),
    }),
  ),
  csrfToken: z.string(),
  mustChangePassword: z.boolean(),
});

export const sessionResponse = z.object({ session: sessionInfo });
export const otpRequestResponse = z.object({ sent: z.literal(true), expiresInSeconds: z.number().int() });
export const okResponse = z.object({ ok: z.literal(true) });
