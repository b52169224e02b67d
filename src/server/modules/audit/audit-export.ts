import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AuditEntryDto } from './audit.schema.ts';

/** Columns of the exported sheet; headers are Chinese, the language of the people who read the file. */
const COLUMNS = [
  { header: '时间', key: 'at', width: 20 },
  { header: '操作人', key: 'actorName', width: 16 },
  { header: '操作人账号ID', key: 'actorAccountId', width: 12 },
  { header: '操作', key: 'action', width: 24 },
  { header: '结果', key: 'outcome', width: 8 },
  { header: '对象类型', key: 'targetType', width: 12 },
  { header: '对象ID', key: 'targetId', width: 12 },
  { header: '所属单位', key: 'unitName', width: 20 },
  { header: 'IP地址', key: 'ip', width: 16 },
  { header: '请求ID', key: 'requestId', width: 38 },
  { header: '详情', key: 'detail', width: 60 },
];

const CELL_LIMIT = 32_767;

export function localTimeFormatter(timeZone: string) {
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return (iso: string) => format.format(new Date(iso));
}

/**
 * Streams the entries into an .xlsx as they are read, so an export of many rows never sits in memory.
 * Returns the stream at once; a failure while reading ends it with an error (the client sees a broken
 * download, the server log says why).
 */
export function streamAuditWorkbook(batches: AsyncIterable<AuditEntryDto[]>, timeZone: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS;
  sheet.getRow(1).font = { bold: true };
  const localTime = localTimeFormatter(timeZone);
  (async () => {
    for await (const batch of batches) {
      for (const e of batch) {
        sheet
          .addRow({
            at: localTime(e.at),
            actorName: e.actorName ?? '',
            actorAccountId: e.actorAccountId ?? '',
            action: e.action,
            outcome: e.outcome === 'success' ? '成功' : '失败',
            targetType: e.targetType ?? '',
            targetId: e.targetId ?? '',
            unitName: e.unitName ?? '',
            ip: e.ip ?? '',
            requestId: e.requestId ?? '',
            detail: JSON.stringify(e.detail).slice(0, CELL_LIMIT),
          })
          .commit();
      }
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
