import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import * as caseTerms from '../../../../web/console/locales/case-terms.ts';
import type { Actor } from '../../access/actor.ts';
import { requirePermission } from '../../access/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { audit } from '../audit/audit.service.ts';
import { localTimeFormatter } from '../audit/audit-export.ts';
import { attachmentDisposition, XLSX_MIME } from '../excel/excel.sheet.ts';
import type { CaseState } from './case-machine.ts';
import { type CaseSummaryRow, workingMinutesLeft } from './cases.presenter.ts';
import { listCasesQuery } from './cases.schema.ts';
import { type CaseListFilter, listCondition, type ReadClock, readClock, summaryQuery } from './cases.service.ts';

/** Rows read per query: memory stays flat whatever the number of rows. */
export const EXPORT_BATCH_SIZE = 1000;
/** An export stops after this many rows, with a last line saying so. */
export const EXPORT_MAX_ROWS = 100_000;
/** "Export selected" takes at most this many case ids. */
export const EXPORT_MAX_IDS = 500;

/** GET /api/cases's filters without paging, plus `ids` (comma-separated) for "export the selected cases". */
export const exportCasesQuery = listCasesQuery.omit({ page: true, pageSize: true }).extend({
  ids: z
    .string()
    .max(EXPORT_MAX_IDS * 11)
    .regex(/^\d{1,10}(,\d{1,10})*$/, 'case ids separated by commas')
    .transform((text) => [...new Set(text.split(',').map(Number))])
    .pipe(z.array(z.number().int().positive().max(2_147_483_647)).min(1).max(EXPORT_MAX_IDS))
    .optional()
    .meta({ description: `Only these cases (comma-separated ids, at most ${EXPORT_MAX_IDS}), within the filters` }),
});
export type ExportCasesQuery = z.infer<typeof exportCasesQuery>;

// The export's readers are Chinese offices: headers and values are in Chinese, with the console's own names for
// states, channels, urgencies and colours (one catalogue for both).
const TERMS = caseTerms.zh;

const COLUMNS = [
  { header: '编号', width: 18 },
  { header: '标题', width: 36 },
  { header: '事项类型', width: 12 },
  { header: '分类', width: 22 },
  { header: '紧急程度', width: 9 },
  { header: '来源渠道', width: 10 },
  { header: '状态', width: 10 },
  { header: '亮灯', width: 7 },
  { header: '剩余工作时间(分钟)', width: 14, note: '按工作日历计算的剩余工作分钟数；负数表示已超期，空白表示没有时限' },
  { header: '办理时限', width: 18 },
  { header: '网格', width: 20 },
  { header: '承办单位', width: 20 },
  { header: '主办部门', width: 18 },
  { header: '受理时间', width: 18 },
  { header: '办结时间', width: 18 },
] as const;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

type ExportRow = CaseSummaryRow & { resolved_at: Date | null };
type Cell = string | number | null;

/** The list's rows in keyset batches, newest first; the same WHERE as GET /api/cases (scope included). */
export async function* caseExportBatches(
  q: Queryable,
  actor: Actor,
  filter: ExportCasesQuery,
  now: Date,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<ExportRow[]> {
  const { ids, ...listFilter } = filter;
  const where = await listCondition(q, actor, listFilter satisfies CaseListFilter, now);
  if (!where) return;
  let after: number | null = null;
  for (;;) {
    let query = summaryQuery(q).select('cases.resolved_at').where(where);
    if (ids) query = query.where('cases.id', 'in', ids);
    if (after !== null) query = query.where('cases.id', '<', after);
    const rows = (await query.orderBy('cases.id', 'desc').limit(batchSize).execute()) as ExportRow[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.id;
  }
}

export interface CaseExportOptions {
  timeZone: string;
  /** code → Chinese name of the case types. */
  caseTypes: Map<string, string>;
  maxRows?: number;
}

/**
 * Streams the workbook while the rows are read: a header row, one row per case, and — past `maxRows` — a last
 * line saying the export was cut. A failure after the first bytes can only cut the download short; `onError`
 * logs it.
 */
export function streamCaseExport(
  batches: AsyncIterable<ExportRow[]>,
  at: ReadClock,
  options: CaseExportOptions,
  onError: (error: unknown) => void,
): Readable {
  const out = new PassThrough();
  const maxRows = options.maxRows ?? EXPORT_MAX_ROWS;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Linli 邻里';
  const sheet = workbook.addWorksheet('事项清单', { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));
  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.height = 22;
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    if ('note' in c) cell.note = c.note;
  });
  header.commit();
  const time = localTimeFormatter(options.timeZone);
  const local = (d: Date | null) => (d ? time(d.toISOString()).slice(0, 16) : null);
  const cells = (r: ExportRow): Cell[] => [
    r.number,
    r.title,
    options.caseTypes.get(r.case_type) ?? r.case_type,
    r.category_name
      ? r.category_parent_name
        ? `${r.category_parent_name} / ${r.category_name}`
        : r.category_name
      : null,
    TERMS.urgency[r.urgency as keyof typeof TERMS.urgency] ?? r.urgency,
    TERMS.channel[r.channel as keyof typeof TERMS.channel] ?? r.channel,
    TERMS.state[r.state as CaseState] ?? r.state,
    TERMS.colour[r.colour as keyof typeof TERMS.colour] ?? r.colour,
    workingMinutesLeft(r.due_at, at),
    local(r.due_at),
    r.grid_name,
    r.owner_name,
    r.lead_name,
    local(r.created_at),
    local(r.resolved_at),
  ];
  (async () => {
    let written = 0;
    let cut = false;
    for await (const batch of batches) {
      // Backpressure: while the client has not taken what was written (a slow phone, a stalled download), wait
      // before reading the next batch from the database, so the server holds a few batches, not the workbook.
      await drained(out);
      if (out.destroyed) return;
      for (const row of batch) {
        if (written >= maxRows) {
          cut = true;
          break;
        }
        sheet.addRow(cells(row)).commit();
        written += 1;
      }
      if (cut) break;
    }
    if (cut) {
      const note = sheet.addRow([
        `导出已截断：只包含前 ${maxRows.toLocaleString('en-US')} 件事项，还有更多符合条件的事项未导出。请缩小查询条件后分批导出。`,
      ]);
      note.getCell(1).font = { bold: true, color: { argb: 'FFC00000' } };
      note.commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}

/** Resolves once `out` wants more (its buffer drained) or is gone (the client went away). */
function drained(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Reads the first item now and gives an iterable that yields it, then the rest. */
export async function primed<T>(source: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await source.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      yield* { [Symbol.asyncIterator]: () => source };
    },
  };
}

/** GET /api/cases/export.xlsx: the case list as Excel, streamed, with the list's filters and scope. */
export async function caseExportRoutes(app: App, { database, config, clock }: Services) {
  const db = database.db;
  app.get(
    '/api/cases/export.xlsx',
    {
      schema: {
        tags: ['cases'],
        summary: 'The case list as an Excel workbook (事项清单), streamed; needs data.export; each export is audited',
        description:
          'The same filters and data scope as GET /api/cases, without paging; `ids` limits it to selected cases. ' +
          `Newest first; at most ${EXPORT_MAX_ROWS.toLocaleString('en-US')} rows, then a last line says the export ` +
          'was cut. Headers and values are in Chinese.',
        querystring: exportCasesQuery,
        produces: [XLSX_MIME],
      },
      config: { access: { auth: 'staff', permission: 'data.export' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requirePermission(actor, 'case.read');
      const filter = request.query;
      const now = clock.now();
      const [at, types] = await Promise.all([
        readClock(db, config, now),
        db.selectFrom('case_types').select(['code', 'name']).execute(),
      ]);
      await audit(db, request, {
        action: 'case.export',
        targetType: 'case',
        unitId: filter.unitId ?? null,
        detail: { filter: { ...filter }, selected: filter.ids?.length ?? null },
      });
      // The first batch is read before any byte is sent, so a failing query is an error answer, not a cut file.
      const batches = await primed(caseExportBatches(db, actor, filter, now));
      const stream = streamCaseExport(
        batches,
        at,
        { timeZone: config.timeZone, caseTypes: new Map(types.map((t) => [t.code, t.name])) },
        (error) => request.log.error({ err: error }, 'case export failed while streaming'),
      );
      const stamp = localTimeFormatter(config.timeZone)(now.toISOString()).slice(0, 10).replaceAll('-', '');
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', attachmentDisposition(`事项清单-${stamp}.xlsx`, `cases-${stamp}.xlsx`))
        .send(stream);
    },
  );
}
