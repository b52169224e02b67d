import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import type { PartyOrgKind } from '../../db/schema.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts';
import { personInScopeOf } from '../people/people.repository.ts';
import { PARTY_PARENT_KINDS } from './party-orgs.policy.ts';
import {
  findOrgInScope,
  isOrgVisible,
  lockOrgInScope,
  moveOrgSubtree,
  nextOrgId,
  replaceLinks,
  unitsInScope,
} from './party-orgs.repository.ts';
import type { createPartyOrgBody, updatePartyOrgBody } from './party-orgs.schema.ts';

function checkParentKind(kind: PartyOrgKind, parentKind: PartyOrgKind | null) {
  if (!PARTY_PARENT_KINDS[kind].includes(parentKind)) {
    throw new AppError(
      'UNIT_TREE_VIOLATION',
      `A ${kind} cannot be placed ${parentKind ? `under a ${parentKind}` : 'at the top of the tree'}`,
      { kind, parentKind, allowedParents: PARTY_PARENT_KINDS[kind] },
    );
  }
}

/** Every unit to link must be one the actor manages Party organisations in. */
async function checkUnits(trx: Trx, actor: Actor, unitIds: number[]) {
  const inScope = await unitsInScope(trx, unitIds, unitScope(actor, 'partyOrg.manage'));
  if (inScope.length !== unitIds.length) throw notFound('Unit');
}

/** A secretary is a Party member the actor can see. */
async function checkSecretary(trx: Trx, actor: Actor, personId: number | null | undefined) {
  if (personId === null || personId === undefined) return;
  const person = await personInScopeOf(trx, actor, unitScope(actor, 'person.read'), personId);
  if (!person) throw notFound('Person');
  const member = await trx
    .selectFrom('party_members')
    .select('person_id')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!member) {
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
      { in: 'body', path: 'secretaryPersonId', message: 'the secretary must be a Party member' },
    ]);
  }
}

/** After a change the organisation must still be in the actor's scope, or they would lose it. */
async function mustStayVisible(trx: Trx, actor: Actor, id: number) {
  if (!(await isOrgVisible(trx, id, unitScope(actor, 'partyOrg.manage')))) {
    throw forbidden('The organisation would leave your scope: link it to a unit you manage or place it under one');
  }
}

async function manageableParent(trx: Trx, actor: Actor, parentId: number) {
  const parent = await lockOrgInScope(trx, parentId, unitScope(actor, 'partyOrg.manage'));
  if (!parent) throw notFound('Parent organisation');
  return parent;
}

export async function createPartyOrg(trx: Trx, actor: Actor, input: z.infer<typeof createPartyOrgBody>) {
  const parent = input.parentId === null ? null : await manageableParent(trx, actor, input.parentId);
  checkParentKind(input.kind, parent?.kind ?? null);
  const unitIds = input.unitIds ?? [];
  await checkUnits(trx, actor, unitIds);
  await checkSecretary(trx, actor, input.secretaryPersonId);
  const id = await nextOrgId(trx);
  await trx
    .insertInto('party_orgs')
    .values({
      id,
      parent_id: parent?.id ?? null,
      kind: input.kind,
      name: input.name,
      path: `${parent?.path ?? '/'}${id}/`,
      secretary_person_id: input.secretaryPersonId ?? null,
      established_on: input.establishedOn ?? null,
    })
    .execute();
  await replaceLinks(trx, id, unitIds, unitScope(actor, 'partyOrg.manage'));
  await mustStayVisible(trx, actor, id);
  const created = await findOrgInScope(trx, id, { kind: 'all' });
  if (!created) throw new Error('organisation vanished after insert');
  return created;
}

export async function updatePartyOrg(trx: Trx, actor: Actor, id: number, input: z.infer<typeof updatePartyOrgBody>) {
  const scope = unitScope(actor, 'partyOrg.manage');
  const current = await lockOrgInScope(trx, id, scope);
  if (!current) throw notFound('Party organisation');
  if (current.version !== input.version) throw versionConflict();

  if (input.parentId !== undefined && input.parentId !== current.parent_id) {
    const parent = input.parentId === null ? null : await manageableParent(trx, actor, input.parentId);
    if (parent?.path.startsWith(current.path)) {
      throw new AppError(
        'UNIT_TREE_VIOLATION',
        'An organisation cannot be moved under itself or one of its sub-organisations',
        { partyOrgId: id, parentId: parent.id },
      );
    }
    checkParentKind(current.kind, parent?.kind ?? null);
    await moveOrgSubtree(trx, current.path, `${parent?.path ?? '/'}${id}/`);
    await trx
      .updateTable('party_orgs')
      .set({ parent_id: parent?.id ?? null })
      .where('id', '=', id)
      .execute();
  }
  if (input.unitIds !== undefined) {
    await checkUnits(trx, actor, input.unitIds);
    await replaceLinks(trx, id, input.unitIds, scope);
  }
  if (input.secretaryPersonId !== undefined) await checkSecretary(trx, actor, input.secretaryPersonId);

  const result = await trx
    .updateTable('party_orgs')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.secretaryPersonId !== undefined ? { secretary_person_id: input.secretaryPersonId } : {}),
      ...(input.establishedOn !== undefined ? { established_on: input.establishedOn } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw versionConflict();
  await mustStayVisible(trx, actor, id);
  const updated = await findOrgInScope(trx, id, { kind: 'all' });
  if (!updated) throw new Error('organisation vanished after update');
  return { before: current, after: updated };
}
