import { z } from 'zod';
import { DATA_SCOPES, PERMISSIONS } from '../../access/permissions.ts';

export const permissionCode = z.enum(PERMISSIONS);
export const dataScope = z.enum(DATA_SCOPES);
export const roleIdParam = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export const permissionCatalogue = z.object({
  items: z.array(z.object({ code: permissionCode, module: z.string() })),
  dataScopes: z.array(dataScope),
});

export const role = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  permissions: z.array(z.string()),
  dataScope,
  builtIn: z.boolean(),
  version: z.number().int(),
  grantCount: z.number().int(),
  /** What the caller may do with the role: edit it (custom roles only) and grant it to someone. */
  actions: z.object({ update: z.boolean(), grant: z.boolean() }),
});
export type RoleDto = z.infer<typeof role>;

const name = z.string().trim().min(1).max(50);
const nameEn = z.string().trim().min(1).max(100).nullable();
const permissions = z.array(permissionCode).max(100);

export const createRoleBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{1,39}$/, 'a letter, then 1–39 letters, digits, _ . or -'),
  name,
  nameEn: nameEn.optional(),
  permissions,
  dataScope,
});

export const updateRoleBody = z.strictObject({
  version: z.number().int().positive(),
  name: name.optional(),
  nameEn: nameEn.optional(),
  permissions: permissions.optional(),
  dataScope: dataScope.optional(),
});

export const roleList = z.object({ items: z.array(role) });
export const roleResponse = z.object({ role });
