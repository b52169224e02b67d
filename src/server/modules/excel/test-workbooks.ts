import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import type { Client } from '../../../../test/support/app.ts';
import { XLSX_MIME } from './excel.sheet.ts';

/** Test helpers: fill the real template, upload it as a browser would, read an export back. */

export type RowValues = Record<string, string | number | Date | null>;

/** Downloads the template, deletes its example row and writes the rows under the hidden key row. */
export async function filledTemplate(client: Client, kind: string, rows: RowValues[]): Promise<Buffer> {
  const response = await client.get(`/api/excel/templates/${kind}.xlsx`);
  if (response.statusCode !== 200) throw new Error(`template: ${response.statusCode} ${response.body}`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const keys = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
  sheet.spliceRows(3, 1);
  for (const row of rows) sheet.addRow(keys.map((k) => row[k] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A workbook made by hand: one sheet, a header row of the given titles, then the rows. */
export async function handMadeWorkbook(headers: string[], rows: Array<Array<string | number | Date | null>>) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function upload(client: Client, url: string, file: Buffer, fileName = 'import.xlsx', type = XLSX_MIME) {
  const boundary = `----linli${randomBytes(8).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    `Content-Type: ${type}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return client.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** The data rows of an exported (or any) workbook as key → text, read by the hidden key row. */
export async function readRows(response: LightMyRequestResponse): Promise<Array<Record<string, string>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const keys = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
  const out: Array<Record<string, string>> = [];
  sheet.eachRow((row, n) => {
    if (n < 3) return;
    const record: Record<string, string> = {};
    keys.forEach((k, i) => {
      const value = row.getCell(i + 1).value;
      record[k] = value === null || value === undefined ? '' : String(value);
    });
    out.push(record);
  });
  return out;
}

export interface RejectedBody {
  error: {
    code: string;
    details: {
      reason: string;
      errorCount?: number;
      errors: Array<{ row: number; column: string | null; cell: string | null; code: string; message: string }>;
    };
  };
}
