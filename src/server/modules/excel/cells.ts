import type { z } from 'zod';
import type { CellInput } from './excel.reader.ts';

/** What went wrong in one row, before it is placed (row number, cell) by the import engine. */
export type ProblemCode =
  | 'REQUIRED'
  | 'INVALID'
  | 'DUPLICATE'
  | 'NOT_FOUND'
  | 'PARENT_REJECTED'
  | 'TREE_VIOLATION'
  | 'NOT_ALLOWED'
  | 'EXAMPLE_ROW';

export interface Problem {
  column: string | null;
  code: ProblemCode;
  message: string;
}

/** Thrown by a row importer with every problem found in the row. */
export class RowRejected extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'RowRejected';
    this.problems = problems;
  }
}

export class Problems {
  readonly list: Problem[] = [];
  add(column: string | null, code: ProblemCode, message: string) {
    this.list.push({ column, code, message });
  }
  has(column: string) {
    return this.list.some((p) => p.column === column);
  }
  /** Adds the issues of a failed Zod parse; `columns` maps body fields to sheet columns. */
  addZod(error: z.ZodError, columns: Record<string, string>, input: Record<string, unknown>) {
    for (const issue of error.issues) {
      const field = String(issue.path[0] ?? '');
      const column = columns[field] ?? null;
      if (column && this.has(column)) continue;
      const value = input[field];
      const missing = value === undefined || value === null || value === '';
      this.add(column, missing ? 'REQUIRED' : 'INVALID', missing ? 'Required' : issue.message);
    }
  }
  throwIfAny() {
    if (this.list.length > 0) throw new RowRejected(this.list);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDay = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Text of a cell; numbers as Excel shows them without a format (integers in full), dates as YYYY-MM-DD. */
export function text(value: CellInput | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoDay(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value.toLocaleString('en-US', { useGrouping: false }) : String(value);
  }
  return value;
}

/** An optional whole number; undefined when blank. */
export function integer(value: CellInput | undefined, column: string, problems: Problems): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) {
    problems.add(column, 'INVALID', 'Must be a whole number');
    return undefined;
  }
  return n;
}

/** Excel's day 25569 is 1970-01-01 (1900 date system). */
const EXCEL_EPOCH_DAYS = 25569;

/**
 * A calendar date as 'YYYY-MM-DD' from a date cell, an Excel serial number, or text such as
 * 1956-03-08, 1956/3/8, 1956.03.08 or 19560308. Returns the text unchanged when it is none of those, so
 * the schema reports it.
 */
export function dateText(value: CellInput | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoDay(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return String(value);
    if (value >= 10_000_101 && value <= 99_991_231) return compactDate(String(value));
    if (value > 0 && value < 2_958_466) return isoDay(new Date((value - EXCEL_EPOCH_DAYS) * 86_400_000));
    return String(value);
  }
  const compact = /^\d{8}$/.test(value) ? compactDate(value) : null;
  if (compact) return compact;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value);
  return m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : value;
}

function compactDate(digits: string) {
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

/** Maps a cell to one of the allowed codes, given by code or by its Chinese label. */
export function label<T extends string>(
  value: CellInput | undefined,
  labels: Partial<Record<T, string>>,
  allowed: readonly T[],
): T | null | 'invalid' {
  const t = text(value);
  if (t === null) return null;
  for (const code of allowed) {
    if (t === code || t === labels[code]) return code;
  }
  return 'invalid';
}
