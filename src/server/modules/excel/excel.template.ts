import ExcelJS from 'exceljs';
import { COLUMNS, EXAMPLE_ROWS, SHEET_NAMES, type WorkbookKind } from './excel.columns.ts';
import { addInstructionsSheet, DATA_SHEET_OPTIONS, layoutDataSheet } from './excel.sheet.ts';

/** A blank workbook to fill in: the data sheet with one example row, and the instructions sheet. */
export async function buildTemplate(kind: WorkbookKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli 邻里';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(SHEET_NAMES[kind], DATA_SHEET_OPTIONS);
  layoutDataSheet(sheet, kind);
  const example = EXAMPLE_ROWS[kind];
  const row = sheet.addRow(COLUMNS[kind].map((c) => example[c.key] ?? null));
  row.font = { italic: true, color: { argb: 'FF808080' } };
  row.getCell(1).note = '示例行：导入前请删除或覆盖';
  addInstructionsSheet(workbook, kind);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
