import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts';
import { findUnit, findUnitInScope, moveSubtree, nextUnitId } from './units.repository.ts';
import type { createUnitBody, updateUnitBody } from './units.schema.ts';

/** Which kinds may hold which: the shape of the territory tree. null means "may be a root". */
export const PARENT_KINDS: Record<UnitKind, ReadonlyArray<UnitKind | null>> = {
  city: [null],
  district: [null, 'city'],
  street: ['district'],
  town: ['district'],
  community: ['street', 'town'],
  village: ['street', 'town'],
  grid: ['community', 'village'],
  compound: ['grid'],
  building: ['compound', 'grid'],
  entrance: ['building'],
  department: ['city', 'district', 'street', 'town'],
};

function checkParentKind(kind: UnitKind, parentKind: UnitKind | null) {
  if (!PARENT_KINDS[kind].includes(parentKind)) {
    throw new AppError(
      'UNIT_TREE_VIOLATION',
      `A ${kind} cannot be placed ${parentKind ? `under a ${parentKind}` : 'at the top of the tree'}`,
      { kind, parentKind, allowedParents: PARENT_KINDS[kind] },
    );
  }
}

/** The parent must be visible to the actor with unit.manage; a root needs an all-scope. */
async function manageableParent(trx: Trx, actor: Actor, parentId: number | null) {
  const scope = unitScope(actor, 'unit.manage');
  if (parentId === null) {
    if (scope.kind !== 'all') throw forbidden('Only an administrator with an all-units scope can add a top-level unit');
    return null;
  }
  const parent = await findUnit(trx, parentId);
  if (!parent || !scopeCoversPath(scope, parent.id, parent.path)) throw notFound('Parent unit');
  return parent;
}

export async function createUnit(trx: Trx, actor: Actor, input: z.infer<typeof createUnitBody>) {
  const parent = await manageableParent(trx, actor, input.parentId);
  checkParentKind(input.kind, parent?.kind ?? null);
  const id = await nextUnitId(trx);
  await trx
    .insertInto('units')
    .values({
      id,
      parent_id: parent?.id ?? null,
      kind: input.kind,
      name: input.name,
      code: input.code ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      sort_order: input.sortOrder ?? 0,
      phone: input.phone ?? null,
      address: input.address ?? null,
      description: input.description ?? null,
    })
    .execute();
  const created = await findUnitInScope(trx, id, { kind: 'all' });
  if (!created) throw new Error('unit vanished after insert');
  return created;
}

export async function updateUnit(trx: Trx, actor: Actor, id: number, input: z.infer<typeof updateUnitBody>) {
  const scope = unitScope(actor, 'unit.manage');
  const current = await trx.selectFrom('units').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current || !scopeCoversPath(scope, current.id, current.path)) throw notFound('Unit');
  if (current.version !== input.version) throw versionConflict();

  if (input.parentId !== undefined && input.parentId !== current.parent_id) {
    const parent = await manageableParent(trx, actor, input.parentId);
    if (!parent) throw new Error('unreachable: parentId is a number');
    if (parent.path.startsWith(current.path)) {
      throw new AppError('UNIT_TREE_VIOLATION', 'A unit cannot be moved under itself or one of its descendants', {
        unitId: id,
        parentId: parent.id,
      });
    }
    checkParentKind(current.kind, parent.kind);
    const newPath = `${parent.path}${id}/`;
    await moveSubtree(trx, current.path, newPath, parent.depth + 1 - current.depth);
    await trx.updateTable('units').set({ parent_id: parent.id }).where('id', '=', id).execute();
  }

  if (input.active === false && current.active) {
    const activeChild = await trx
      .selectFrom('units')
      .select('id')
      .where('parent_id', '=', id)
      .where('active', '=', true)
      .executeTakeFirst();
    if (activeChild) throw new AppError('CONFLICT', 'Deactivate or move the units under it first');
  }

  const result = await trx
    .updateTable('units')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.code !== undefined ? { code: input.code } : {}),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw versionConflict();
  const updated = await findUnitInScope(trx, id, { kind: 'all' });
  if (!updated) throw new Error('unit vanished after update');
  return { before: current, after: updated };
}
