import ExcelJS from 'exceljs';
import { localTimeFormatter } from '../audit/audit-export.ts';
import type { ActivityDto, AttendeeDto } from './activities.schema.ts';

/**
 * The attendance of one activity as an Excel workbook to print for the roll call or keep in the ledger: a
 * title row, a row with the time, venue and counts, the header, then one row per resident (phones masked, as
 * on screen). At most capacity + waiting list + cancellations, so it is built in memory.
 */

const KIND_NAMES: Record<ActivityDto['kind'], string> = {
  course: '社区大学课程',
  partyClass: '党课',
  volunteer: '志愿服务',
  activity: '社区活动',
};
const STATUS_NAMES: Record<AttendeeDto['status'], string> = {
  enrolled: '已报名',
  waiting: '候补',
  cancelled: '已取消',
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

const COLUMNS = [
  { header: '序号', width: 7 },
  { header: '姓名', width: 14 },
  { header: '手机号', width: 15 },
  { header: '状态', width: 9 },
  { header: '候补位次', width: 9 },
  { header: '报名时间', width: 20 },
  { header: '递补时间', width: 20 },
  { header: '签到时间', width: 20 },
  { header: '签到方式', width: 14 },
];

export async function attendanceWorkbook(
  activity: ActivityDto,
  attendees: AttendeeDto[],
  timeZone: string,
): Promise<Buffer> {
  const local = localTimeFormatter(timeZone);
  const time = (iso: string | null) => (iso ? local(iso).slice(0, 16) : '');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli 邻里';
  const sheet = workbook.addWorksheet('签到表', { views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }] });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));
  const last = COLUMNS.length;

  const title = sheet.addRow([`${activity.title}（${KIND_NAMES[activity.kind]}）签到表`]);
  sheet.mergeCells(1, 1, 1, last);
  title.height = 28;
  title.getCell(1).font = { bold: true, size: 14 };
  title.getCell(1).alignment = { vertical: 'middle', horizontal: 'center' };

  const checkedIn = attendees.filter((a) => a.status === 'enrolled' && a.checkedInAt).length;
  const facts = [
    `时间：${time(activity.startsAt)} 至 ${time(activity.endsAt)}`,
    `地点：${activity.venue}`,
    `主办：${activity.organiser.name}`,
    `名额 ${activity.capacity}，已报名 ${activity.enrolled}，候补 ${activity.waiting}，已签到 ${checkedIn}`,
    ...(activity.status === 'cancelled' ? [`已取消：${activity.cancelReason ?? ''}`] : []),
  ];
  const note = sheet.addRow([facts.join('    ')]);
  sheet.mergeCells(2, 1, 2, last);
  note.height = 20;
  note.getCell(1).alignment = { wrapText: true, vertical: 'middle' };

  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
  });

  attendees.forEach((a, i) => {
    sheet.addRow([
      i + 1,
      a.name,
      a.phone ?? '',
      STATUS_NAMES[a.status],
      a.position ?? '',
      time(a.enrolledAt),
      time(a.promotedAt),
      time(a.checkedInAt),
      a.checkedInAt ? (a.checkedInBy ? `工作人员 ${a.checkedInBy.name}` : '扫码签到') : '',
    ]);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
