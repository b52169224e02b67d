import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts';
import { personInScopeOf } from '../people/people.repository.ts';
import { findUnit } from '../units/units.repository.ts';
import { findMembership, lockMembership } from './party-members.repository.ts';
import type { setMembershipBody } from './party-members.schema.ts';
import { MEMBER_ORG_KINDS } from './party-orgs.policy.ts';
import { isOrgVisible, lockOrgInScope } from './party-orgs.repository.ts';

function invalid(path: string, message: string) {
  return new AppError('VALIDATION_FAILED', 'The request is not valid', [{ in: 'body', path, message }]);
}

/** The person must be someone the actor can see; their row is locked so two changes do not interleave. */
async function visiblePerson(trx: Trx, actor: Actor, personId: number) {
  const person = await personInScopeOf(trx, actor, unitScope(actor, 'person.read'), personId);
  if (!person) throw notFound('Person');
  await trx.selectFrom('people').select('id').where('id', '=', personId).forUpdate().execute();
  return person;
}

/** A current membership may only be changed by someone who manages the organisation it is in. */
async function manageableMembership(trx: Trx, actor: Actor, personId: number) {
  const current = await lockMembership(trx, personId);
  if (current && !(await isOrgVisible(trx, current.party_org_id, unitScope(actor, 'partyOrg.manage')))) {
    throw forbidden('The member belongs to a Party organisation outside your scope');
  }
  return current ?? null;
}

export async function setMembership(
  trx: Trx,
  actor: Actor,
  personId: number,
  input: z.infer<typeof setMembershipBody>,
) {
  const person = await visiblePerson(trx, actor, personId);
  const org = await lockOrgInScope(trx, input.partyOrgId, unitScope(actor, 'partyOrg.manage'));
  if (!org) throw notFound('Party organisation');
  if (!MEMBER_ORG_KINDS.includes(org.kind)) {
    throw invalid('partyOrgId', `members belong to one of: ${MEMBER_ORG_KINDS.join(', ')}`);
  }
  const checkInUnitId = input.checkInUnitId ?? null;
  if (checkInUnitId !== null) {
    const unit = await findUnit(trx, checkInUnitId);
    if (!unit) throw notFound('Unit');
    if (unit.kind !== 'community' && unit.kind !== 'village') {
      throw invalid('checkInUnitId', 'members register with a community or a village');
    }
  }
  const current = await manageableMembership(trx, actor, personId);
  const values = {
    party_org_id: org.id,
    status: input.status,
    joined_on: input.joinedOn ?? null,
    check_in_unit_id: checkInUnitId,
  };
  if (current) {
    if (input.version !== current.version) throw versionConflict();
    await trx
      .updateTable('party_members')
      .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
      .where('person_id', '=', personId)
      .execute();
  } else {
    // A version for a membership that no longer exists means someone removed it meanwhile.
    if (input.version !== undefined) throw versionConflict();
    await trx
      .insertInto('party_members')
      .values({ person_id: personId, ...values })
      .execute();
  }
  const saved = await findMembership(trx, personId);
  if (!saved) throw new Error('membership vanished after write');
  return { membership: saved, previousOrgId: current?.party_org_id ?? null, unitId: person.unit_id };
}

export async function removeMembership(trx: Trx, actor: Actor, personId: number) {
  const person = await visiblePerson(trx, actor, personId);
  const current = await manageableMembership(trx, actor, personId);
  if (!current) throw notFound('Party membership');
  const secretaryOf = await trx
    .selectFrom('party_orgs')
    .select(['id', 'name'])
    .where('secretary_person_id', '=', personId)
    .execute();
  if (secretaryOf.length > 0) {
    throw new AppError('CONFLICT', 'The member is a secretary; choose another secretary first', {
      partyOrgIds: secretaryOf.map((o) => o.id),
    });
  }
  await trx.deleteFrom('party_members').where('person_id', '=', personId).execute();
  return { partyOrgId: current.party_org_id, unitId: person.unit_id };
}
