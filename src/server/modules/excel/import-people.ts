import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { createPersonBody } from '../people/people.schema.ts';
import { createPerson } from '../people/people.service.ts';
import { dateText, label, Problems, text } from './cells.ts';
import { GENDER_LABELS } from './excel.columns.ts';
import type { RowImporter } from './excel.import.ts';
import { resolveRef } from './import-units.ts';
import { UnitResolver } from './unit-resolver.ts';

/** Body fields of the people API → columns of the sheet. */
const PERSON_FIELDS: Record<string, string> = {
  name: 'name',
  gender: 'gender',
  birthDate: 'birthDate',
  phone: 'phone',
  idNumber: 'idNumber',
  unitId: 'unit',
  address: 'address',
  note: 'note',
};

/** The people service's refusals, placed on their column. */
function serviceProblem(error: unknown, problems: Problems) {
  if (!(error instanceof AppError)) throw error;
  switch (error.code) {
    case 'VALIDATION_FAILED': {
      const details = Array.isArray(error.details) ? (error.details as Array<{ path?: string; message?: string }>) : [];
      if (details.length === 0) problems.add(null, 'INVALID', error.message);
      for (const d of details) {
        problems.add(PERSON_FIELDS[d.path ?? ''] ?? null, 'INVALID', d.message ?? error.message);
      }
      break;
    }
    case 'NOT_FOUND':
      problems.add('unit', 'NOT_FOUND', 'The unit does not exist or is outside your scope');
      break;
    case 'DUPLICATE':
      problems.add('idNumber', 'DUPLICATE', error.message);
      break;
    default:
      throw error;
  }
}

/** People, each attached to a unit in the actor's person.manage scope, with the people service's rules. */
export function peopleImporter(trx: Trx, actor: Actor): RowImporter {
  const resolver = new UnitResolver(trx, unitScope(actor, 'person.manage'));
  const idNumbers = new Map<string, number>();
  return {
    async importRow(row) {
      const v = row.values;
      const problems = new Problems();
      const gender = label(v.gender, GENDER_LABELS, ['male', 'female'] as const);
      if (gender === 'invalid') problems.add('gender', 'INVALID', 'Gender must be 男 or 女');
      if (typeof v.idNumber === 'number') {
        problems.add(
          'idNumber',
          'INVALID',
          'Excel stored the identity number as a number and lost digits; format the column as text',
        );
      }
      const unitRef = text(v.unit);
      const unit = unitRef ? await resolveRef(resolver, unitRef, 'unit', problems) : null;
      const input = {
        name: text(v.name) ?? undefined,
        gender: gender === 'invalid' ? null : gender,
        birthDate: dateText(v.birthDate),
        phone: text(v.phone),
        idNumber: typeof v.idNumber === 'number' ? null : text(v.idNumber),
        unitId: unit?.id,
        address: text(v.address),
        note: text(v.note),
      };
      const parsed = createPersonBody.safeParse(input);
      if (!parsed.success) {
        problems.addZod(parsed.error, PERSON_FIELDS, { ...input, unitId: unitRef });
      }
      const idNumber = parsed.success ? parsed.data.idNumber : null;
      if (idNumber) {
        const first = idNumbers.get(idNumber);
        if (first !== undefined && first !== row.row)
          problems.add('idNumber', 'DUPLICATE', `The same identity number is on row ${first}`);
        else idNumbers.set(idNumber, row.row);
      }
      problems.throwIfAny();
      if (!parsed.success) return;
      try {
        await createPerson(trx, actor, parsed.data);
      } catch (error) {
        serviceProblem(error, problems);
        problems.throwIfAny();
      }
    },
  };
}
