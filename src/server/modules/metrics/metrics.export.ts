import ExcelJS from 'exceljs';
import { localTimeFormatter } from '../audit/audit-export.ts';
import { STATS_TIME_ZONE } from './case-stats.ts';
import type { Bulletin, Formulas, LeagueTable, Ledger, RankingRow } from './metrics.schema.ts';

/**
 * The metrics reports as Excel workbooks for printing and circulating: each sheet has a title row, a note row
 * stating the formulas, a frozen Chinese header row, then the data. Reports are small (one row per unit or
 * category), so the workbook is built in memory.
 */

type Cell = string | number | null;
interface Column {
  header: string;
  width: number;
  percent?: boolean;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
/** Rows before the data: title, note, header. */
export const HEADER_ROW = 3;

function reportSheet(workbook: ExcelJS.Workbook, name: string, title: string, notes: string[], columns: Column[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 }] });
  sheet.columns = columns.map((c) => ({ width: c.width, ...(c.percent ? { style: { numFmt: '0.00%' } } : {}) }));
  const last = columns.length;
  const titleRow = sheet.addRow([title]);
  sheet.mergeCells(1, 1, 1, last);
  titleRow.height = 28;
  titleRow.getCell(1).font = { bold: true, size: 14 };
  titleRow.getCell(1).alignment = { vertical: 'middle', horizontal: 'center' };
  const noteRow = sheet.addRow([notes.join('\n')]);
  sheet.mergeCells(2, 1, 2, last);
  noteRow.height = Math.max(1, notes.length) * 16 + 4;
  noteRow.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  noteRow.getCell(1).font = { size: 9, color: { argb: 'FF595959' } };
  const header = sheet.addRow(columns.map((c) => c.header));
  header.height = 20;
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  return {
    sheet,
    add(cells: Cell[]) {
      sheet.addRow(cells);
    },
    section(text: string) {
      const row = sheet.addRow([text]);
      sheet.mergeCells(row.number, 1, row.number, last);
      row.getCell(1).font = { bold: true };
      row.getCell(1).fill = SECTION_FILL;
    },
  };
}

const localTime = localTimeFormatter(STATS_TIME_ZONE);

function formulaNotes(f: Formulas): string[] {
  return [`说明：${f.responseRate.zh}`, f.resolutionRate.zh, f.satisfactionRate.zh, f.score.zh, f.volume.zh];
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function newWorkbook() {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli 邻里';
  return workbook;
}

const LEVEL_NAMES = { street: '街道', community: '社区', grid: '网格', department: '部门' } as const;

const RANKING_COLUMNS: Column[] = [
  { header: '排名', width: 8 },
  { header: '单位', width: 22 },
  { header: '件数', width: 10 },
  { header: '派发任务数', width: 11 },
  { header: '按时响应数', width: 11 },
  { header: '响应率', width: 10, percent: true },
  { header: '有效回访数', width: 11 },
  { header: '已解决数', width: 10 },
  { header: '解决率', width: 10, percent: true },
  { header: '满意', width: 8 },
  { header: '基本满意', width: 10 },
  { header: '不满意', width: 8 },
  { header: '满意率', width: 10, percent: true },
  { header: '综合得分', width: 10, percent: true },
];

function rankingCells(r: RankingRow): Cell[] {
  return [
    r.rank ?? '—',
    r.unit.name,
    r.volume,
    r.counts.assigned,
    r.counts.respondedInTime,
    r.rates.responseRate,
    r.counts.answered,
    r.counts.solved,
    r.rates.resolutionRate,
    r.counts.satisfied,
    r.counts.partlySatisfied,
    r.counts.dissatisfied,
    r.rates.satisfactionRate,
    r.score,
  ];
}

/** 一月一晾晒 as a workbook: the ranked units, then those below the minimum volume. */
export function leagueTableWorkbook(t: LeagueTable): Promise<Buffer> {
  const workbook = newWorkbook();
  const s = reportSheet(
    workbook,
    '一月一晾晒',
    `${t.within.name}${LEVEL_NAMES[t.level]}一月一晾晒（${t.period.label}）`,
    [...formulaNotes(t.formulas), `上月：${t.previousPeriod.label}；名次变化为正表示名次上升。`],
    [
      ...RANKING_COLUMNS,
      { header: '上月排名', width: 10 },
      { header: '名次变化', width: 10 },
      { header: '得分变化', width: 10, percent: true },
    ],
  );
  for (const r of t.rows) s.add([...rankingCells(r), r.previous?.rank ?? '—', r.rankChange, r.scoreChange]);
  if (t.belowMinimum.length > 0) {
    s.section(`以下单位本月件数不足 ${t.minVolume} 件，不参与排名`);
    for (const r of t.belowMinimum) s.add([...rankingCells(r), r.previous?.rank ?? '—', null, null]);
  }
  return toBuffer(workbook);
}

/** 一周一通报 as a workbook: the figures, the top categories and the best and worst units, one sheet each. */
export function bulletinWorkbook(b: Bulletin): Promise<Buffer> {
  const workbook = newWorkbook();
  const title = `${b.unit.name}一周一通报（${b.period.label}）`;
  const c = b.counts;
  const figures = reportSheet(
    workbook,
    '通报',
    title,
    [...formulaNotes(b.formulas), `“当前”各项为 ${localTime(b.now.asOf)} 时的状态。`],
    [
      { header: '项目', width: 28 },
      { header: '数值', width: 14 },
    ],
  );
  const rows: Array<[string, Cell, boolean?]> = [
    ['受理案件数', c.received],
    ['派发任务数', c.assigned],
    ['按时响应数', c.respondedInTime],
    ['响应率', b.rates.responseRate, true],
    ['办结数', c.resolved],
    ['其中超期办结数', b.resolvedLate],
    ['回访数', c.visited],
    ['有效回访数（有答复）', c.answered],
    ['回访答复已解决数', c.solved],
    ['解决率', b.rates.resolutionRate, true],
    ['满意', c.satisfied],
    ['基本满意', c.partlySatisfied],
    ['不满意', c.dissatisfied],
    ['未答复', c.noAnswer],
    ['满意率', b.rates.satisfactionRate, true],
    ['归档案件数', c.closed],
    ['当前办理中', b.now.open],
    ['当前超期', b.now.overdue],
    ['当前红灯', b.now.red],
    ['当前督办', b.now.supervised],
  ];
  for (const [label, value, percent] of rows) {
    figures.add([label, value]);
    if (percent) figures.sheet.lastRow!.getCell(2).numFmt = '0.00%';
  }

  const categories = reportSheet(
    workbook,
    '热点类别',
    `${title} 热点类别`,
    ['本周受理案件按类别统计，取件数最多的前五类。'],
    [
      { header: '序号', width: 8 },
      { header: '类别', width: 30 },
      { header: '受理数', width: 10 },
    ],
  );
  for (const [i, t] of b.topCategories.entries()) {
    const name = t.category ? [t.category.parentName, t.category.name].filter(Boolean).join(' / ') : '未分类';
    categories.add([i + 1, name, t.received]);
  }

  const ranking = reportSheet(
    workbook,
    '先进与后进',
    `${title} 先进与后进`,
    b.ranking
      ? [
          ...formulaNotes(b.formulas),
          `排名范围：${LEVEL_NAMES[b.ranking.level]}，本周件数不足 ${b.ranking.minVolume} 件的不参与排名。`,
        ]
      : ['本单位以下没有参与排名的单位。'],
    [{ header: '类别', width: 8 }, ...RANKING_COLUMNS],
  );
  for (const r of b.ranking?.best ?? []) ranking.add(['先进', ...rankingCells(r)]);
  for (const r of b.ranking?.worst ?? []) ranking.add(['后进', ...rankingCells(r)]);
  return toBuffer(workbook);
}

/** 台账 as a workbook: one row per category and a total row. */
export function ledgerWorkbook(l: Ledger): Promise<Buffer> {
  const workbook = newWorkbook();
  const s = reportSheet(
    workbook,
    '台账',
    `${l.unit.name}${l.caseTypeName}台账（${l.period.label}）`,
    [`说明：${l.formulas.resolutionRate.zh}`, l.formulas.overdue.zh, `统计时刻：${localTime(l.asOf)}`],
    [
      { header: '序号', width: 8 },
      { header: '一级类别', width: 18 },
      { header: '二级类别', width: 22 },
      { header: '收集数', width: 10 },
      { header: '已办结', width: 10 },
      { header: '办结率', width: 10, percent: true },
      { header: '办理中', width: 10 },
      { header: '超期', width: 8 },
      { header: '未办结关闭', width: 12 },
    ],
  );
  for (const [i, r] of l.rows.entries()) {
    s.add([
      i + 1,
      r.category ? (r.category.parentName ?? '') : '未分类',
      r.category?.name ?? '',
      r.collected,
      r.resolved,
      r.resolutionRate,
      r.inProgress,
      r.overdue,
      r.closedUnresolved,
    ]);
  }
  const t = l.total;
  s.add(['合计', null, null, t.collected, t.resolved, t.resolutionRate, t.inProgress, t.overdue, t.closedUnresolved]);
  s.sheet.lastRow!.font = { bold: true };
  return toBuffer(workbook);
}
