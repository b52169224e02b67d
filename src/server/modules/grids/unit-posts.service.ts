import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import type { UnitKind, UnitPost } from '../../db/schema.ts';
import { AppError, badRequest, notFound } from '../../http/errors.ts';
import {
  deletePost,
  findPersonInScope,
  findPost,
  findPostInScope,
  findUnitInScope,
  insertPost,
  postExists,
  postsOfUnit,
} from './unit-posts.repository.ts';
import type { createUnitPostBody } from './unit-posts.schema.ts';

/** Which posts each kind of unit has: a building has a building head, not a grid worker. */
export const POSTS_BY_UNIT_KIND: Record<UnitKind, readonly UnitPost[]> = {
  city: ['secretary', 'director'],
  district: ['secretary', 'director'],
  street: ['secretary', 'director'],
  town: ['secretary', 'director'],
  community: ['secretary', 'director'],
  village: ['secretary', 'director'],
  grid: ['gridHead', 'gridWorker'],
  compound: ['secretary', 'director', 'buildingHead'],
  building: ['buildingHead'],
  entrance: ['entranceHead'],
  department: ['director', 'departmentLiaison'],
};

export async function listUnitPosts(q: Queryable, actor: Actor, unitId: number) {
  const unit = await findUnitInScope(q, unitId, unitScope(actor, 'unit.read'));
  if (!unit) throw notFound('Unit');
  return postsOfUnit(q, unit.id);
}

export async function addUnitPost(trx: Trx, actor: Actor, unitId: number, input: z.infer<typeof createUnitPostBody>) {
  const unit = await findUnitInScope(trx, unitId, unitScope(actor, 'unit.manage'));
  if (!unit) throw notFound('Unit');
  const allowed = POSTS_BY_UNIT_KIND[unit.kind];
  if (!allowed.includes(input.post)) {
    throw badRequest(`A ${unit.kind} has no ${input.post} post`, {
      unitKind: unit.kind,
      post: input.post,
      allowedPosts: allowed,
    });
  }
  const person = await findPersonInScope(trx, input.personId, unitScope(actor, 'person.read'), actor.personId);
  if (!person) throw notFound('Person');
  // The unique constraint still guards a concurrent duplicate (answered DUPLICATE by the error handler).
  if (await postExists(trx, unit.id, person.id, input.post)) {
    throw new AppError('DUPLICATE', 'This person already holds this post in this unit', {
      unitId: unit.id,
      personId: person.id,
      post: input.post,
    });
  }
  const id = await insertPost(trx, {
    unitId: unit.id,
    personId: person.id,
    post: input.post,
    services: input.services || null,
  });
  const created = await findPost(trx, id);
  if (!created) throw new Error('unit post vanished after insert');
  return created;
}

export async function removeUnitPost(trx: Trx, actor: Actor, id: number) {
  const post = await findPostInScope(trx, id, unitScope(actor, 'unit.manage'));
  if (!post) throw notFound('Unit post');
  await deletePost(trx, post.id);
  return post;
}
