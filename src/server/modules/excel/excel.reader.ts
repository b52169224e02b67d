import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../http/errors.ts';
import {
  COLUMNS,
  columnLetter,
  HEADER_ROW,
  INSTRUCTIONS_SHEET,
  KEY_ROW,
  MAX_IMPORT_ROWS,
  SHEET_NAMES,
  type WorkbookKind,
} from './excel.columns.ts';
import { headerText } from './excel.sheet.ts';

/** A cell as the importers see it: text trimmed (blank is null), numbers and dates as Excel gave them. */
export type CellInput = string | number | Date | null;

export interface SheetRow {
  /** The row number the user sees in Excel. */
  row: number;
  values: Record<string, CellInput>;
}

export interface SheetData {
  sheetName: string;
  /** Column key → Excel column letter, for error messages. */
  letters: Record<string, string>;
  rows: SheetRow[];
}

export interface RowError {
  row: number;
  /** The column's key (e.g. "parent"); null when the problem is the whole row. */
  column: string | null;
  /** The column's header as written in the template. */
  header: string | null;
  /** The cell address, e.g. "A5". */
  cell: string | null;
  /** A stable code for the web apps' catalogues (REQUIRED, INVALID, DUPLICATE, NOT_FOUND …). */
  code: string;
  message: string;
}

/**
 * Uncompressed size beyond which an upload is refused (413 TOO_LARGE) before ExcelJS loads it. ExcelJS builds
 * the whole workbook in the heap (~2 MiB per unpacked MiB of text, more for many small cells), and the served
 * heap is capped (src/server/serve.ts): 20,000 people rows unpacking to 63 MiB imported under the cap (peak
 * RSS 417 MiB), 143 MiB ran the server out of heap. An honest 20,000-row file is 9–40 MiB unpacked.
 */
export const MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

/** 400 IMPORT_REJECTED with `details: { reason, …extra, errors }`. */
export function importRejected(
  reason: string,
  message: string,
  errors: RowError[] = [],
  extra: Record<string, unknown> = {},
) {
  return new AppError('IMPORT_REJECTED', message, { reason, ...extra, errors });
}

/**
 * Reads the data sheet of an uploaded workbook. Anything that is not a readable .xlsx, lacks required
 * columns or has more than MAX_IMPORT_ROWS rows is refused here, before any database work.
 */
export async function readSheet(buffer: Buffer, kind: WorkbookKind): Promise<SheetData> {
  checkZip(buffer);
  await checkCellCount(buffer);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw importRejected('NOT_XLSX', 'The file is not an Excel workbook (.xlsx)');
  }
  const worksheet =
    workbook.getWorksheet(SHEET_NAMES[kind]) ??
    workbook.worksheets.find((w) => w.name !== INSTRUCTIONS_SHEET && w.state === 'visible');
  if (!worksheet) throw importRejected('NO_DATA_SHEET', 'The workbook has no data sheet');

  const { positions, firstDataRow } = mapColumns(worksheet, kind);
  const letters: Record<string, string> = {};
  for (const [key, col] of Object.entries(positions)) letters[key] = columnLetter(col - 1);

  const rows: SheetRow[] = [];
  let tooMany = false;
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber < firstDataRow || tooMany) return;
    const values: Record<string, CellInput> = {};
    let blank = true;
    for (const [key, col] of Object.entries(positions)) {
      const value = cellInput(row.getCell(col).value);
      values[key] = value;
      if (value !== null) blank = false;
    }
    if (blank) return;
    if (rows.length >= MAX_IMPORT_ROWS) {
      tooMany = true;
      return;
    }
    rows.push({ row: rowNumber, values });
  });
  if (tooMany) {
    throw new AppError('PAYLOAD_TOO_LARGE', `A file may hold at most ${MAX_IMPORT_ROWS} rows; split it`, {
      reason: 'TOO_MANY_ROWS',
      limit: MAX_IMPORT_ROWS,
    });
  }
  if (rows.length === 0) throw importRejected('EMPTY', 'The data sheet has no rows to import');
  return { sheetName: worksheet.name, letters, rows };
}

const normalise = (text: string) => text.replace(/[\s*＊]/g, '').toLowerCase();

/**
 * Finds each column by the hidden key row (row 2) when present, otherwise by the header text of row 1,
 * so a file made by hand with only Chinese headers is read too.
 */
function mapColumns(worksheet: ExcelJS.Worksheet, kind: WorkbookKind) {
  const columns = COLUMNS[kind];
  const byText = new Map<string, string>();
  for (const c of columns) {
    byText.set(normalise(c.header), c.key);
    byText.set(normalise(c.key), c.key);
  }
  const read = (rowNumber: number) => {
    const found: Record<string, number> = {};
    worksheet.getRow(rowNumber).eachCell((cell, col) => {
      const text = cellInput(cell.value);
      if (typeof text !== 'string') return;
      const key = byText.get(normalise(text));
      if (key && found[key] === undefined) found[key] = col;
    });
    return found;
  };
  const fromKeys = read(KEY_ROW);
  const keyRowUsed = Object.keys(fromKeys).length >= Math.min(2, columns.length);
  const positions = keyRowUsed ? fromKeys : read(HEADER_ROW);
  const missing = columns.filter((c) => c.required && positions[c.key] === undefined);
  if (missing.length > 0) {
    throw importRejected(
      'MISSING_COLUMNS',
      'Required columns are missing; use the template',
      missing.map((c) => ({
        row: HEADER_ROW,
        column: c.key,
        header: headerText(kind, c.key),
        cell: null,
        code: 'REQUIRED',
        message: `Missing column ${c.header}`,
      })),
    );
  }
  return { positions, firstDataRow: (keyRowUsed ? KEY_ROW : HEADER_ROW) + 1 };
}

/** Unwraps rich text, formulas and hyperlinks; trims text. */
export function cellInput(value: ExcelJS.CellValue): CellInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return cellInput(value.richText.map((r) => r.text).join(''));
    }
    if ('formula' in value || 'sharedFormula' in value) {
      return cellInput((value as { result?: ExcelJS.CellValue }).result ?? null);
    }
    if ('text' in value && typeof value.text === 'string') return cellInput(value.text);
    if ('error' in value) return null;
  }
  return null;
}

/**
 * An .xlsx is a zip. Its central directory says how big the parts are once unpacked: refuse what is not a
 * zip, and a small file that would unpack into hundreds of megabytes.
 */
function checkZip(buffer: Buffer) {
  const notXlsx = () => importRejected('NOT_XLSX', 'The file is not an Excel workbook (.xlsx)');
  if (buffer.length < 22 || buffer.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  const searchFrom = Math.max(0, buffer.length - 22 - 0xffff);
  let end = -1;
  for (let i = buffer.length - 22; i >= searchFrom; i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw notXlsx();
  const entries = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) throw notXlsx();
    const size = buffer.readUInt32LE(offset + 24);
    if (size === 0xffffffff) throw tooBig();
    total += size;
    if (total > MAX_UNCOMPRESSED_BYTES) throw tooBig();
    offset +=
      46 + buffer.readUInt16LE(offset + 28) + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
  }
}

/**
 * Cells ExcelJS may build in the heap for one import (20,000 rows × 10 columns; the templates have 8 or 9).
 * Each costs ~600 bytes there: 20,000 × 8 took 98 MiB to load, 20,000 × 30 took 294 MiB, more than the
 * served heap holds beside the server.
 */
export const MAX_IMPORT_CELLS = 200_000;

/**
 * Counts the cells of every sheet with ExcelJS's streaming reader (one row in memory at a time, shared strings
 * not kept) and refuses, 413 TOO_MANY_CELLS, a workbook whose full load would not fit. A file the streaming
 * reader cannot read is left to the full load, which reports it as before.
 */
async function checkCellCount(buffer: Buffer) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    worksheets: 'emit',
    sharedStrings: 'ignore',
    styles: 'ignore',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let cells = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        cells += row.actualCellCount;
        if (cells > MAX_IMPORT_CELLS) break;
      }
      if (cells > MAX_IMPORT_CELLS) break;
    }
  } catch {
    return;
  }
  if (cells > MAX_IMPORT_CELLS) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The workbook has more than ${MAX_IMPORT_CELLS} filled cells; delete the columns the template does not have, or split it`,
      { reason: 'TOO_MANY_CELLS', limit: MAX_IMPORT_CELLS },
    );
  }
}

const tooBig = () =>
  new AppError('PAYLOAD_TOO_LARGE', 'The workbook is too large once unpacked; split it', { reason: 'TOO_LARGE' });
