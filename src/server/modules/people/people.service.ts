import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import type { Permission } from '../../access/permissions.ts';
import { scopeCoversPath, unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { AppError, notFound, versionConflict } from '../../http/errors.ts';
import { findUnit } from '../units/units.repository.ts';
import { parseIdNumber } from './id-number.ts';
import { coversPerson } from './people.policy.ts';
import { presentPersonDetail } from './people.presenter.ts';
import {
  careFileOf,
  findPersonInScope,
  lockPerson,
  type PeopleScopes,
  partyMembershipOf,
  personInScopeOf,
  personWithIdNumber,
  postsOf,
} from './people.repository.ts';
import {
  type createPersonBody,
  PERSON_UNIT_KINDS,
  type REVEAL_FIELDS,
  type updatePersonBody,
} from './people.schema.ts';

export function peopleScopes(actor: Actor, readPermission: Permission = 'person.read'): PeopleScopes {
  return { read: unitScope(actor, readPermission), care: unitScope(actor, 'carePerson.read') };
}

/**
 * A person's detail as the actor may see it (masked), or null when missing or outside the scope of
 * `readPermission` (person.read; after a write, person.manage, which the actor has just used).
 */
export async function loadPersonDetail(
  q: Queryable,
  actor: Actor,
  id: number,
  readPermission: Permission = 'person.read',
) {
  const row = await findPersonInScope(q, actor, peopleScopes(actor, readPermission), id);
  if (!row) return null;
  const place = { id: row.id, unitId: row.unit_id, unitPath: row.unit_path };
  // One after the other: inside a transaction they share one connection anyway.
  const posts = await postsOf(q, id);
  const membership = await partyMembershipOf(q, id);
  const care = row.is_care_person ? await careFileOf(q, id) : null;
  return presentPersonDetail(row, posts, membership, care, {
    update: coversPerson(actor, unitScope(actor, 'person.manage'), place),
    reveal: coversPerson(actor, unitScope(actor, 'person.reveal'), place),
    manageCare: coversPerson(actor, unitScope(actor, 'carePerson.manage'), place),
  });
}

function invalid(path: string, message: string) {
  return new AppError('VALIDATION_FAILED', 'The request is not valid', [{ in: 'body', path, message }]);
}

/** The unit a record is attached to must be one the actor manages people in, and of a kind that holds people. */
async function manageableUnit(trx: Trx, actor: Actor, unitId: number) {
  const unit = await findUnit(trx, unitId);
  if (!unit || !scopeCoversPath(unitScope(actor, 'person.manage'), unit.id, unit.path)) throw notFound('Unit');
  if (!(PERSON_UNIT_KINDS as readonly string[]).includes(unit.kind)) {
    throw invalid('unitId', `people are attached to one of: ${PERSON_UNIT_KINDS.join(', ')}`);
  }
  return unit;
}

/**
 * The identity number, birth date and gender must agree. A missing birth date or gender is taken from the
 * identity number, as on every Chinese registration form.
 */
function reconcileIdentity(idNumber: string | null, birthDate: string | null, gender: 'male' | 'female' | null) {
  if (!idNumber) return { birthDate, gender };
  const facts = parseIdNumber(idNumber);
  if (!facts) throw invalid('idNumber', 'not a valid resident identity number');
  if (birthDate && birthDate !== facts.birthDate) {
    throw invalid('birthDate', `does not match the birth date in the identity number (${facts.birthDate})`);
  }
  return { birthDate: facts.birthDate, gender: gender ?? facts.gender };
}

async function refuseDuplicate(trx: Trx, idNumber: string | null, selfId?: number) {
  if (!idNumber) return;
  const other = await personWithIdNumber(trx, idNumber);
  if (other && other.id !== selfId) {
    throw new AppError('DUPLICATE', 'A person with this identity number is already registered', {
      field: 'idNumber',
    });
  }
}

export async function createPerson(trx: Trx, actor: Actor, input: z.infer<typeof createPersonBody>) {
  const unit = await manageableUnit(trx, actor, input.unitId);
  const idNumber = input.idNumber ?? null;
  const identity = reconcileIdentity(idNumber, input.birthDate ?? null, input.gender ?? null);
  await refuseDuplicate(trx, idNumber);
  const row = await trx
    .insertInto('people')
    .values({
      name: input.name,
      gender: identity.gender,
      birth_date: identity.birthDate,
      phone: input.phone ?? null,
      id_number: idNumber,
      unit_id: unit.id,
      address: input.address ?? null,
      is_resident: input.isResident ?? true,
      note: input.note ?? null,
    })
    .returning(['id', 'unit_id'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function updatePerson(trx: Trx, actor: Actor, id: number, input: z.infer<typeof updatePersonBody>) {
  const current = await lockPerson(trx, id);
  const place = current && { id: current.id, unitId: current.unit_id, unitPath: current.unit_path };
  if (!current || !place || !coversPerson(actor, unitScope(actor, 'person.manage'), place)) throw notFound('Person');
  if (current.version !== input.version) throw versionConflict();

  let unitId = current.unit_id;
  if (input.unitId !== undefined && input.unitId !== current.unit_id) {
    unitId = (await manageableUnit(trx, actor, input.unitId)).id;
  }
  const idNumber = input.idNumber !== undefined ? input.idNumber : current.id_number;
  // Identity is re-checked only when part of it changes, so an untouched older record stays editable.
  const touchesIdentity = input.idNumber !== undefined || input.birthDate !== undefined || input.gender !== undefined;
  const identity = touchesIdentity
    ? reconcileIdentity(
        idNumber,
        input.birthDate !== undefined ? input.birthDate : current.birth_date,
        input.gender !== undefined ? input.gender : current.gender,
      )
    : { birthDate: current.birth_date, gender: current.gender };
  if (idNumber !== current.id_number) await refuseDuplicate(trx, idNumber, id);

  const result = await trx
    .updateTable('people')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.isResident !== undefined ? { is_resident: input.isResident } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
      id_number: idNumber,
      birth_date: identity.birthDate,
      gender: identity.gender,
      unit_id: unitId,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw versionConflict();
  return { previousUnitId: current.unit_id, unitId };
}

type RevealField = (typeof REVEAL_FIELDS)[number];

/** The full values of the asked fields, for an actor with person.reveal over the person (scope in the SQL). */
export async function revealPerson(trx: Trx, actor: Actor, id: number, fields: RevealField[]) {
  const current = await personInScopeOf(trx, actor, unitScope(actor, 'person.reveal'), id);
  if (!current) throw notFound('Person');
  const values = { phone: current.phone, idNumber: current.id_number, address: current.address };
  const out: Partial<Record<RevealField, string | null>> = {};
  for (const f of fields) out[f] = values[f];
  return { values: out, unitId: current.unit_id };
}
