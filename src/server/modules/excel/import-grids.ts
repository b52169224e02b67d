import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Trx } from '../../db/database.ts';
import { validatePolygon } from '../../geo/polygon.ts';
import { AppError } from '../../http/errors.ts';
import { setBoundary } from '../grids/grids.service.ts';
import { createUnitBody } from '../units/units.schema.ts';
import { createUnit, PARENT_KINDS } from '../units/units.service.ts';
import { parseBoundaryText } from './boundary-text.ts';
import { integer, Problems, text } from './cells.ts';
import { UNIT_KIND_LABELS } from './excel.columns.ts';
import type { RowImporter } from './excel.import.ts';
import type { SheetRow } from './excel.reader.ts';
import { checkCodeInFile, checkUnitUniqueness, resolveRef, unitServiceProblem } from './import-units.ts';
import { normaliseRef, UnitResolver } from './unit-resolver.ts';

const GRID_FIELDS: Record<string, string> = {
  parentId: 'parent',
  name: 'name',
  code: 'code',
  sortOrder: 'sortOrder',
  phone: 'phone',
  address: 'address',
  description: 'description',
};

/** The boundary cell, read and validated without touching the database. */
function readBoundary(value: string | null, problems: Problems): unknown {
  if (value === null) return null;
  const parsed = parseBoundaryText(value);
  if ('error' in parsed) {
    problems.add('boundary', 'INVALID', parsed.error);
    return null;
  }
  try {
    validatePolygon(parsed.geometry);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problems.add('boundary', 'INVALID', error.message);
    return null;
  }
  return parsed.geometry;
}

/**
 * Grids: a grid unit under a community or village (the units service's rules and unit.manage scope), then
 * its boundary (the grids service's polygon rules and grid.manage scope).
 */
export function gridsImporter(trx: Trx, actor: Actor): RowImporter {
  const resolver = new UnitResolver(trx, unitScope(actor, 'unit.manage'));
  const codes = new Map<string, number>();
  const gridParents = PARENT_KINDS.grid.filter((k) => k !== null);
  return {
    async importRow(row) {
      const v = row.values;
      const problems = new Problems();
      const sortOrder = integer(v.sortOrder, 'sortOrder', problems);
      const geometry = readBoundary(text(v.boundary), problems);
      const parentRef = text(v.parent);
      const parent = parentRef ? await resolveRef(resolver, parentRef, 'parent', problems) : null;
      if (parent && !gridParents.includes(parent.kind)) {
        problems.add(
          'parent',
          'TREE_VIOLATION',
          `A grid belongs to a ${gridParents.map((k) => UNIT_KIND_LABELS[k]).join(' or ')}, not a ${UNIT_KIND_LABELS[parent.kind]}`,
        );
      }
      const input = {
        parentId: parent?.id ?? null,
        kind: 'grid' as const,
        name: text(v.name) ?? undefined,
        code: text(v.code),
        sortOrder,
        phone: text(v.phone),
        address: text(v.address),
        description: text(v.description),
      };
      if (!parentRef) problems.add('parent', 'REQUIRED', 'Required');
      const parsed = createUnitBody.safeParse(input);
      if (!parsed.success) problems.addZod(parsed.error, GRID_FIELDS, input);
      checkCodeInFile(codes, input.code, row.row, problems);
      if (parsed.success && parent) {
        await checkUnitUniqueness(trx, parent.id, parsed.data.name, parsed.data.code, problems);
      }
      problems.throwIfAny();
      if (!parsed.success) return;
      let gridId: number;
      try {
        gridId = (await createUnit(trx, actor, parsed.data)).id;
      } catch (error) {
        unitServiceProblem(error, problems, 'parent', null);
        problems.throwIfAny();
        return;
      }
      if (geometry === null) return;
      try {
        await setBoundary(trx, actor, gridId, geometry);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const outOfScope = error.code === 'NOT_FOUND';
        problems.add(
          'boundary',
          outOfScope ? 'NOT_ALLOWED' : 'INVALID',
          outOfScope ? 'You may not draw grid boundaries in this unit' : error.message,
        );
        problems.throwIfAny();
      }
    },
    rowFailed(row: SheetRow) {
      const parentRef = text(row.values.parent);
      const name = text(row.values.name);
      resolver.markFailed(row.row, [
        text(row.values.code),
        parentRef && name ? `${normaliseRef(parentRef)}/${name}` : null,
      ]);
    },
  };
}
