import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import { notFound, versionConflict } from '../../http/errors.ts';
import { lockCareFile } from './care.repository.ts';
import type { setCareBody } from './care.schema.ts';
import { coversPerson } from './people.policy.ts';
import { presentCareRecord } from './people.presenter.ts';
import { careFileOf, lockPerson, personInScopeOf } from './people.repository.ts';

/** The person, locked, when the actor may manage their care-person file; otherwise 404. */
async function manageablePerson(trx: Trx, actor: Actor, personId: number) {
  const person = await lockPerson(trx, personId);
  const place = person && { id: person.id, unitId: person.unit_id, unitPath: person.unit_path };
  if (!person || !place || !coversPerson(actor, unitScope(actor, 'carePerson.manage'), place)) {
    throw notFound('Person');
  }
  return person;
}

/** Adds or replaces a care-person file. Changing an existing file needs its current version. */
export async function setCareFile(trx: Trx, actor: Actor, personId: number, input: z.infer<typeof setCareBody>) {
  const person = await manageablePerson(trx, actor, personId);
  const responsibleId = input.responsiblePersonId ?? null;
  if (responsibleId !== null) {
    // The responsible worker must be someone the actor can see.
    const responsible = await personInScopeOf(trx, actor, unitScope(actor, 'person.read'), responsibleId);
    if (!responsible) throw notFound('Responsible person');
  }
  const existing = await lockCareFile(trx, personId);
  const values = {
    kinds: input.kinds,
    note: input.note ?? null,
    visit_cycle_days: input.visitCycleDays ?? null,
    responsible_person_id: responsibleId,
  };
  if (existing) {
    if (input.version !== existing.version) throw versionConflict();
    await trx
      .updateTable('care_persons')
      .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
      .where('person_id', '=', personId)
      .execute();
  } else {
    // A version for a file that no longer exists means someone removed it meanwhile.
    if (input.version !== undefined) throw versionConflict();
    await trx
      .insertInto('care_persons')
      .values({ person_id: personId, ...values })
      .execute();
  }
  const saved = await careFileOf(trx, personId);
  if (!saved) throw new Error('care file vanished after write');
  return { care: presentCareRecord(saved), unitId: person.unit_id, created: !existing };
}

export async function removeCareFile(trx: Trx, actor: Actor, personId: number) {
  const person = await manageablePerson(trx, actor, personId);
  const existing = await lockCareFile(trx, personId);
  if (!existing) throw notFound('Care-person file');
  await trx.deleteFrom('care_persons').where('person_id', '=', personId).execute();
  return { kinds: existing.kinds, unitId: person.unit_id };
}
