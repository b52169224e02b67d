import type ExcelJS from 'exceljs';
import {
  COLUMNS,
  columnLetter,
  FIRST_DATA_ROW,
  INSTRUCTIONS_SHEET,
  MAX_IMPORT_ROWS,
  type WorkbookKind,
} from './excel.columns.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A download name in Chinese, with an ASCII name for clients that cannot read the UTF-8 one. */
export function attachmentDisposition(fileName: string, asciiName: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The header text as shown: required columns carry a star. The import strips it again. */
export function headerText(kind: WorkbookKind, key: string): string {
  const column = COLUMNS[kind].find((c) => c.key === key);
  if (!column) return key;
  return column.required ? `${column.header}*` : column.header;
}

/** Options for addWorksheet (a streaming sheet takes its views only there): the header rows stay in view. */
export const DATA_SHEET_OPTIONS: Partial<ExcelJS.AddWorksheetOptions> = {
  views: [{ state: 'frozen', ySplit: FIRST_DATA_ROW - 1, xSplit: 0 }],
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const RED = { argb: 'FFC00000' };

/**
 * Lays out a data sheet: columns, the Chinese header row (with notes), the hidden key row, frozen panes
 * and drop-down lists. Works on a normal worksheet (templates) and on a streaming one (exports); the rows
 * are committed, so a streaming sheet can go on with data rows.
 */
export function layoutDataSheet(worksheet: ExcelJS.Worksheet, kind: WorkbookKind) {
  const columns = COLUMNS[kind];
  worksheet.columns = columns.map((c) => ({
    key: c.key,
    width: c.width,
    ...(c.text ? { style: { numFmt: '@' } } : {}),
  }));

  const header = worksheet.addRow(columns.map((c) => headerText(kind, c.key)));
  header.height = 22;
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true, ...(c.required ? { color: RED } : {}) };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.note = `${c.required ? '必填。' : ''}${c.hint}`;
  });
  header.commit();

  const keys = worksheet.addRow(columns.map((c) => c.key));
  keys.hidden = true;
  keys.commit();

  const lastRow = FIRST_DATA_ROW + MAX_IMPORT_ROWS - 1;
  const validations = (worksheet as unknown as { dataValidations: { add(range: string, v: object): void } })
    .dataValidations;
  columns.forEach((c, i) => {
    if (!c.list) return;
    const letter = columnLetter(i);
    validations.add(`${letter}${FIRST_DATA_ROW}:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${c.list.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: c.header,
      error: `请从下拉列表中选择：${c.list.join('、')}`,
    });
  });
}

const GENERAL_RULES = [
  '第 1 行是表头（带 * 的列必填），第 2 行已隐藏，存放系统字段名，请勿修改或删除；数据从第 3 行开始填写。',
  '模板第 3 行是示例，导入前请删除或覆盖。',
  `一个文件最多 ${MAX_IMPORT_ROWS.toLocaleString('en-US')} 行数据，文件不超过 10 MB，只接受 .xlsx 格式。`,
  '导入是“全部或全不”：任何一行有错误，整个文件都不会写入，系统会列出每个错误所在的行号和列。可以先“试导入”，只检查不写入。',
  '上级单位可以写编码，也可以写从顶层开始、用 / 分隔的名称路径；文件中后面的行可以引用前面行新建的单位。',
  '只能导入您管理范围内的数据；范围外的单位按“不存在”处理。',
];

const KIND_RULES: Record<WorkbookKind, string[]> = {
  units: ['类型的上下级关系：区在市下或为顶层；街道、镇在区下；社区、村在街道或镇下；职能部门在市、区、街道或镇下。'],
  grids: [
    '每行一个网格，所属单位必须是社区或村。',
    '边界可留空；填写时用 GeoJSON Polygon，或按顺序写出边界各点的 经度,纬度，点之间用 ; 分隔。',
  ],
  people: [
    '身份证号码全系统唯一；导出文件中的手机号码、身份证号码和住址按权限打码，打码的文件不能再导入。',
    '所属单位可以是社区、村、网格、小区、楼栋、单元或职能部门。',
  ],
};

/** The instructions sheet of a template: general rules, rules of this workbook, and one line per column. */
export function addInstructionsSheet(workbook: ExcelJS.Workbook, kind: WorkbookKind) {
  const sheet = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  sheet.columns = [{ width: 16 }, { width: 8 }, { width: 90 }];
  const title = sheet.addRow(['填写说明']);
  title.font = { bold: true, size: 14 };
  for (const [i, rule] of [...GENERAL_RULES, ...KIND_RULES[kind]].entries()) {
    const row = sheet.addRow([`${i + 1}.`, rule]);
    sheet.mergeCells(row.number, 2, row.number, 3);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  sheet.addRow([]);
  const head = sheet.addRow(['列', '必填', '填写要求']);
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  for (const c of COLUMNS[kind]) {
    const row = sheet.addRow([c.header, c.required ? '是' : '否', c.hint]);
    row.getCell(3).alignment = { wrapText: true };
  }
}
