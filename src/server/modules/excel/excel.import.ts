import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Database, Trx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { type Problem, RowRejected } from './cells.ts';
import { COLUMNS, EXAMPLE_ROWS, type WorkbookKind } from './excel.columns.ts';
import { importRejected, type RowError, type SheetData, type SheetRow } from './excel.reader.ts';
import { headerText } from './excel.sheet.ts';
import { gridsImporter } from './import-grids.ts';
import { peopleImporter } from './import-people.ts';
import { unitsImporter } from './import-units.ts';

/** One kind's rules for a row; throws RowRejected (or a service's AppError) when the row cannot be saved. */
export interface RowImporter {
  importRow(row: SheetRow): Promise<void>;
  /** Called after a row failed, so rows depending on it can say so. */
  rowFailed?(row: SheetRow): void;
}

const IMPORTERS: Record<WorkbookKind, (trx: Trx, actor: Actor) => RowImporter> = {
  units: unitsImporter,
  grids: gridsImporter,
  people: peopleImporter,
};

/** Thrown to roll a dry run back once every row has been tried. */
class DryRunDone extends Error {
  readonly imported: number;
  constructor(imported: number) {
    super('dry run');
    this.imported = imported;
  }
}

export interface ImportRequest {
  actor: Actor;
  kind: WorkbookKind;
  sheet: SheetData;
  dryRun: boolean;
  fileName: string;
}

/**
 * The whole import in one transaction: every row, then the audit entry. Any row error rolls everything
 * back and answers IMPORT_REJECTED (the refusal is audited on its own); a dry run always rolls back.
 */
export async function runImport(database: Database, request: FastifyRequest, input: ImportRequest) {
  const { actor, kind, sheet, dryRun } = input;
  const detail = { kind, rows: sheet.rows.length, fileName: input.fileName.slice(0, 200), sheet: sheet.sheetName };
  try {
    const imported = await database.transaction(async (trx) => {
      const outcome = await importRows(trx, actor, kind, sheet);
      if (outcome.errorCount > 0) {
        const message = `${outcome.errorCount} problem(s) in the file; nothing was imported`;
        throw importRejected('ROWS', message, outcome.errors, { errorCount: outcome.errorCount });
      }
      if (dryRun) throw new DryRunDone(outcome.imported);
      await audit(trx, request, { action: 'excel.import', targetType: kind, detail });
      return outcome.imported;
    });
    return { imported, dryRun: false };
  } catch (error) {
    if (error instanceof DryRunDone) return { imported: error.imported, dryRun: true };
    if (error instanceof AppError && error.code === 'IMPORT_REJECTED' && !dryRun) {
      const { errorCount } = error.details as { errorCount?: number };
      await audit(database.db, request, {
        action: 'excel.import',
        outcome: 'failure',
        targetType: kind,
        detail: { ...detail, errorCount },
      });
    }
    throw error;
  }
}

/** At most this many row errors are returned; the count says how many there were. */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportOutcome {
  imported: number;
  errors: RowError[];
  errorCount: number;
}

/** Columns that name another unit; a row whose reference is not found yet is tried again later. */
const REFERENCE_COLUMNS = new Set(['parent', 'unit']);

const EXAMPLE_PROBLEM: Problem = {
  column: null,
  code: 'EXAMPLE_ROW',
  message: "This is the template's example row; delete it before importing",
};

/**
 * Imports every row in file order inside the caller's transaction, so later rows see the units earlier
 * rows created. A row whose parent is not found is tried again after the others, so a child written above
 * its parent still works; the passes stop when one creates nothing. Every row is tried even after a
 * failure (each in a savepoint), so the user gets the full list of problems at once; the caller rolls the
 * whole transaction back when there is any.
 */
export async function importRows(trx: Trx, actor: Actor, kind: WorkbookKind, sheet: SheetData): Promise<ImportOutcome> {
  const importer = IMPORTERS[kind](trx, actor);
  const failures: Array<{ row: SheetRow; problems: Problem[] }> = [];
  const fail = (row: SheetRow, problems: Problem[]) => {
    failures.push({ row, problems });
    importer.rowFailed?.(row);
  };
  let imported = 0;
  let pending = sheet.rows;
  while (pending.length > 0) {
    const deferred: Array<{ row: SheetRow; problems: Problem[] }> = [];
    const before = imported;
    for (const row of pending) {
      if (isExampleRow(kind, row)) {
        fail(row, [EXAMPLE_PROBLEM]);
        continue;
      }
      try {
        await inSavepoint(trx, () => importer.importRow(row));
        imported += 1;
      } catch (error) {
        const problems = problemsOf(error);
        const waiting = problems.some((p) => p.code === 'NOT_FOUND' && p.column && REFERENCE_COLUMNS.has(p.column));
        if (waiting) deferred.push({ row, problems });
        else fail(row, problems);
      }
    }
    if (imported === before) {
      for (const d of deferred) fail(d.row, d.problems);
      break;
    }
    pending = deferred.map((d) => d.row);
  }
  failures.sort((a, b) => a.row.row - b.row.row);
  const errors: RowError[] = [];
  let errorCount = 0;
  for (const { row, problems } of failures) {
    for (const problem of problems) {
      errorCount += 1;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(placed(kind, sheet, row.row, problem));
    }
  }
  return { imported, errors, errorCount };
}

async function inSavepoint(trx: Trx, fn: () => Promise<void>) {
  await sql`SAVEPOINT excel_row`.execute(trx);
  try {
    await fn();
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT excel_row`.execute(trx);
    throw error;
  }
  await sql`RELEASE SAVEPOINT excel_row`.execute(trx);
}

/** Which column a database constraint is about. */
const CONSTRAINT_COLUMNS: Record<string, string> = {
  units_code_key: 'code',
  units_sibling_name_idx: 'name',
  people_id_number_idx: 'idNumber',
};

function problemsOf(error: unknown): Problem[] {
  if (error instanceof RowRejected) return error.problems;
  if (error instanceof AppError) return [{ column: null, code: 'INVALID', message: error.message }];
  const pg = error as { code?: unknown; constraint?: unknown };
  if (typeof pg?.code === 'string' && /^2[23]/.test(pg.code)) {
    const column = typeof pg.constraint === 'string' ? (CONSTRAINT_COLUMNS[pg.constraint] ?? null) : null;
    return pg.code === '23505'
      ? [{ column, code: 'DUPLICATE', message: 'A record with the same value already exists' }]
      : [{ column, code: 'INVALID', message: 'A value breaks a rule of the data' }];
  }
  throw error;
}

function placed(kind: WorkbookKind, sheet: SheetData, row: number, problem: Problem): RowError {
  const letter = problem.column ? sheet.letters[problem.column] : undefined;
  return {
    row,
    column: problem.column,
    header: problem.column ? headerText(kind, problem.column) : null,
    cell: letter ? `${letter}${row}` : null,
    code: problem.code,
    message: problem.message,
  };
}

/** The template's example row left in place, exactly as the template wrote it. */
function isExampleRow(kind: WorkbookKind, row: SheetRow): boolean {
  const example = EXAMPLE_ROWS[kind];
  return COLUMNS[kind].every((c) => {
    const value = row.values[c.key];
    return (value === undefined || value === null ? '' : String(value)) === (example[c.key] ?? '');
  });
}
