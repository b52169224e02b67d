import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { newCheckInCode } from '../modules/activities/activities.service.ts';
import type { ActivityKind } from '../modules/activities/activities.tables.ts';
import { findUnitByNames, shanghaiAt } from './demo-helpers.ts';

/**
 * Demo activities (建业小红鹰-style): courses of the community university, Party classes, volunteer service and
 * neighbourhood activities for 体育场社区 — where the demo resident 13800000001 lives — and for its grid, street
 * and district, plus one that has already taken place. Times are relative to the clock's "now", in Shanghai.
 */

const XINHUA = ['平顶山市', '新华区'];
const GUANGMINGLU = [...XINHUA, '光明路街道'];
const TIYUCHANG = [...GUANGMINGLU, '体育场社区'];
const TIYUCHANG_GRID_1 = [...TIYUCHANG, '体育场社区第一网格'];

interface DemoActivity {
  kind: ActivityKind;
  organiser: readonly string[];
  title: string;
  description: string;
  venue: string;
  /** Days from today, and the local start and end times. */
  day: number;
  from: string;
  to: string;
  capacity: number;
  waitlist?: number;
  serviceHours?: number;
  /** Enrolment closes this many days from today at 18:00 (else at the end). */
  enrolUntilDay?: number;
}

const ACTIVITIES: DemoActivity[] = [
  {
    kind: 'course',
    organiser: TIYUCHANG,
    title: '社区大学·智能手机课（第一期）',
    description:
      '手把手教您用智能手机：微信视频通话、扫码乘车、网上挂号、识别诈骗电话。请带上自己的手机，社区志愿者一对一辅导。名额很少，报满可排队候补。',
    venue: '体育场社区党群服务中心二楼教室',
    day: 2,
    from: '14:30',
    to: '16:30',
    capacity: 3,
    waitlist: 3,
  },
  {
    kind: 'partyClass',
    organiser: GUANGMINGLU,
    title: '党课：学习贯彻党的二十届四中全会精神',
    description: '街道党工委书记讲专题党课。在职党员、社区党员请按时参加，签到时扫描现场二维码。',
    venue: '光明路街道党群服务中心报告厅',
    day: 4,
    from: '09:00',
    to: '11:00',
    capacity: 60,
  },
  {
    kind: 'partyClass',
    organiser: TIYUCHANG,
    title: '社区党课：在职党员到社区报到怎么干',
    description: '社区党委书记讲解在职党员报到、认领服务岗位和志愿服务记录，欢迎在职党员和居民党员参加。',
    venue: '体育场社区党群服务中心一楼会议室',
    day: 9,
    from: '19:00',
    to: '20:30',
    capacity: 40,
    waitlist: 10,
  },
  {
    kind: 'volunteer',
    organiser: TIYUCHANG,
    title: '志愿服务：“洁净家园”楼道清理',
    description: '清理楼道堆放杂物、张贴垃圾分类指引。社区提供手套和工具，签到后记志愿服务时长 2 小时。',
    venue: '体育场社区第一网格各楼栋（在社区广场集合）',
    day: 3,
    from: '08:30',
    to: '10:30',
    capacity: 20,
    waitlist: 5,
    serviceHours: 2,
  },
  {
    kind: 'volunteer',
    organiser: TIYUCHANG_GRID_1,
    title: '志愿服务：关爱独居老人上门探访',
    description: '两人一组随网格员上门看望独居老人，陪聊、检查水电燃气安全。签到后记志愿服务时长 3 小时。',
    venue: '体育场社区第一网格网格员工作站',
    day: 5,
    from: '14:00',
    to: '17:00',
    capacity: 8,
    waitlist: 4,
    serviceHours: 3,
  },
  {
    kind: 'course',
    organiser: XINHUA,
    title: '社区大学·太极拳入门',
    description: '区文化馆老师授课，共八节，适合零基础的中老年朋友。请穿宽松衣服和平底鞋。',
    venue: '新华区文化馆一楼排练厅',
    day: 6,
    from: '15:00',
    to: '16:30',
    capacity: 30,
    waitlist: 10,
  },
  {
    kind: 'activity',
    organiser: TIYUCHANG,
    title: '邻里百家宴',
    description: '每家带一道拿手菜，和邻居们一起过个热闹的周末。报名截止到活动前一天晚上 6 点。',
    venue: '体育场社区广场',
    day: 8,
    from: '11:00',
    to: '13:30',
    capacity: 40,
    waitlist: 10,
    enrolUntilDay: 7,
  },
  {
    kind: 'course',
    organiser: TIYUCHANG,
    title: '社区大学·防范电信网络诈骗讲座',
    description: '派出所民警讲解常见诈骗手法和应对办法。',
    venue: '体育场社区党群服务中心一楼会议室',
    day: -5,
    from: '14:30',
    to: '16:00',
    capacity: 50,
  },
];

/**
 * Loads the demo activities when the activities table is empty and the demo territory is there; returns how
 * many were written, or null when nothing was done. One transaction: all of them or none.
 */
export async function loadDemoActivities(database: Database, _config: Config, clock: Clock): Promise<number | null> {
  return database.transaction(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('linli:demo-activities'))`.execute(trx);
    if (await trx.selectFrom('activities').select('id').limit(1).executeTakeFirst()) return null;
    const organiser = await trx
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'tiyuchang')
      .executeTakeFirst();
    const now = clock.now();
    const rows = [];
    for (const a of ACTIVITIES) {
      const unit = await findUnitByNames(trx, a.organiser);
      if (unit === null) return null;
      const startsAt = shanghaiAt(now, a.day, a.from);
      // Published a week before the start, or an hour ago.
      const published = new Date(Math.min(startsAt.getTime() - 7 * 86_400_000, now.getTime() - 3_600_000));
      rows.push({
        unit_id: unit,
        kind: a.kind,
        title: a.title,
        description: a.description,
        venue: a.venue,
        starts_at: startsAt,
        ends_at: shanghaiAt(now, a.day, a.to),
        enrol_from: null,
        enrol_until: a.enrolUntilDay === undefined ? null : shanghaiAt(now, a.enrolUntilDay, '18:00'),
        capacity: a.capacity,
        waitlist_capacity: a.waitlist ?? 0,
        contact_phone: '0375-2661234',
        service_hours: a.serviceHours ?? null,
        check_in_code: newCheckInCode(),
        created_by: organiser?.id ?? null,
        created_at: published,
        updated_at: published,
      });
    }
    await trx.insertInto('activities').values(rows).execute();
    return rows.length;
  });
}
