import { z } from 'zod';
import type { UnitPost } from '../../db/schema.ts';

/** The posts of the territory (网格员, 网格长, 楼栋长 …), in the order a contact card lists them. */
export const UNIT_POSTS = [
  'secretary',
  'director',
  'gridHead',
  'gridWorker',
  'buildingHead',
  'entranceHead',
  'departmentLiaison',
] as const satisfies readonly UnitPost[];

export const unitPost = z.enum(UNIT_POSTS);

export const unitPostItem = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  post: unitPost,
  personId: z.number().int(),
  personName: z.string(),
  /** In full: a post holder's phone is a work contact, shown on the grid card. */
  phone: z.string().nullable(),
  services: z.string().nullable(),
  createdAt: z.string(),
});
export type UnitPostDto = z.infer<typeof unitPostItem>;

export const unitPostList = z.object({ items: z.array(unitPostItem) });
export const unitPostResponse = z.object({ post: unitPostItem });

export const createUnitPostBody = z.strictObject({
  personId: z.number().int().positive().max(2_147_483_647),
  post: unitPost,
  /** What the post holder does for residents, e.g. "环境卫生、矛盾调解、代办服务". */
  services: z.string().trim().max(500).nullable().optional(),
});
