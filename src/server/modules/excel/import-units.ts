import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { createUnitBody } from '../units/units.schema.ts';
import { createUnit } from '../units/units.service.ts';
import { integer, label, Problems, text } from './cells.ts';
import { UNIT_KIND_LABELS, WORKBOOK_UNIT_KINDS } from './excel.columns.ts';
import type { RowImporter } from './excel.import.ts';
import type { SheetRow } from './excel.reader.ts';
import { normaliseRef, type ResolvedUnit, UnitResolver } from './unit-resolver.ts';

/** Body fields of the units API → columns of the sheet. */
const UNIT_FIELDS: Record<string, string> = {
  parentId: 'parent',
  kind: 'kind',
  name: 'name',
  code: 'code',
  sortOrder: 'sortOrder',
  phone: 'phone',
  address: 'address',
  description: 'description',
};

/** Resolves a reference cell, or records why it could not be. */
export async function resolveRef(
  resolver: UnitResolver,
  ref: string,
  column: string,
  problems: Problems,
): Promise<ResolvedUnit | null> {
  const unit = await resolver.resolve(ref);
  if (unit) return unit;
  const failedRow = resolver.failedRow(ref);
  if (failedRow !== undefined) {
    problems.add(column, 'PARENT_REJECTED', `"${ref}" is defined on row ${failedRow}, which has errors`);
  } else {
    problems.add(column, 'NOT_FOUND', `No unit "${ref}" in your scope (give its code or its full path of names)`);
  }
  return null;
}

/** Within one file a code may appear once; the first row using it keeps it. */
export function checkCodeInFile(codes: Map<string, number>, code: string | null, row: number, problems: Problems) {
  if (!code) return;
  const first = codes.get(code);
  if (first !== undefined && first !== row)
    problems.add('code', 'DUPLICATE', `Code ${code} is also used on row ${first}`);
  else codes.set(code, row);
}

/** Checks the database constraints a unit row would break, for a clear message instead of a failed insert. */
export async function checkUnitUniqueness(
  q: Queryable,
  parentId: number | null,
  name: string,
  code: string | null | undefined,
  problems: Problems,
) {
  if (code && !problems.has('code')) {
    const taken = await q.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst();
    if (taken) problems.add('code', 'DUPLICATE', `Code ${code} is already used by another unit`);
  }
  const sibling = await q
    .selectFrom('units')
    .select('id')
    // The expression of the unique index units_sibling_name_idx, so the check is one index probe.
    .where(sql<number>`coalesce(parent_id, 0)`, '=', parentId ?? 0)
    .where('name', '=', name)
    .executeTakeFirst();
  if (sibling) problems.add('name', 'DUPLICATE', `A unit named ${name} already exists under the same parent`);
}

/** The service's refusals, placed on the column they are about. */
export function unitServiceProblem(
  error: unknown,
  problems: Problems,
  parentColumn: string,
  kindColumn: string | null,
) {
  if (!(error instanceof AppError)) throw error;
  switch (error.code) {
    case 'UNIT_TREE_VIOLATION':
      problems.add(kindColumn ?? parentColumn, 'TREE_VIOLATION', error.message);
      break;
    case 'NOT_FOUND':
      problems.add(parentColumn, 'NOT_FOUND', 'The unit does not exist or is outside your scope');
      break;
    case 'FORBIDDEN':
      problems.add(parentColumn, 'NOT_ALLOWED', error.message);
      break;
    default:
      throw error;
  }
}

/** Units (district, street, community, department …), each placed under a unit in the actor's unit.manage scope. */
export function unitsImporter(trx: Trx, actor: Actor): RowImporter {
  const resolver = new UnitResolver(trx, unitScope(actor, 'unit.manage'));
  const codes = new Map<string, number>();
  return {
    async importRow(row) {
      const v = row.values;
      const problems = new Problems();
      const kind = label(v.kind, UNIT_KIND_LABELS, WORKBOOK_UNIT_KINDS);
      if (kind === 'invalid') {
        problems.add(
          'kind',
          'INVALID',
          `Kind must be one of ${WORKBOOK_UNIT_KINDS.map((k) => UNIT_KIND_LABELS[k]).join(', ')}`,
        );
      }
      const sortOrder = integer(v.sortOrder, 'sortOrder', problems);
      const parentRef = text(v.parent);
      const parent = parentRef ? await resolveRef(resolver, parentRef, 'parent', problems) : null;
      const input = {
        parentId: parent?.id ?? null,
        kind: kind === 'invalid' ? undefined : (kind ?? undefined),
        name: text(v.name) ?? undefined,
        code: text(v.code),
        sortOrder,
        phone: text(v.phone),
        address: text(v.address),
        description: text(v.description),
      };
      const parsed = createUnitBody.safeParse(input);
      if (!parsed.success) problems.addZod(parsed.error, UNIT_FIELDS, input);
      checkCodeInFile(codes, input.code, row.row, problems);
      if (parentRef && !parent) problems.throwIfAny();
      if (parsed.success)
        await checkUnitUniqueness(trx, parsed.data.parentId, parsed.data.name, parsed.data.code, problems);
      problems.throwIfAny();
      if (!parsed.success) return;
      try {
        await createUnit(trx, actor, parsed.data);
      } catch (error) {
        unitServiceProblem(error, problems, 'parent', 'kind');
        problems.throwIfAny();
      }
    },
    rowFailed(row: SheetRow) {
      const parentRef = text(row.values.parent);
      const name = text(row.values.name);
      const path = name ? (parentRef ? `${normaliseRef(parentRef)}/${name}` : name) : null;
      resolver.markFailed(row.row, [text(row.values.code), path]);
    },
  };
}
