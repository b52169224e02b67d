import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { findUnitByNames, shanghaiAt, shanghaiDay } from './demo-helpers.ts';
import { DEMO_RESIDENT_PHONE } from './people-factory.ts';

/**
 * The demo notices (通知公告): what 体育场社区's residents find under 信息通知 — from 新华区, 光明路街道, the
 * community and its grids — spread over the days before the clock's "now". One is urgent (燃气检修; marked as
 * pushed when it was published: the demo writes no messages), one was withdrawn, and the demo resident has
 * already read the oldest. Deterministic for a given "now".
 */

const XINHUA = ['平顶山市', '新华区'];
const GUANGMINGLU = [...XINHUA, '光明路街道'];
const TIYUCHANG = [...GUANGMINGLU, '体育场社区'];

/** [days before today, 'HH:MM' in Shanghai]. */
type At = [number, string];

interface DemoNotice {
  unit: readonly string[];
  by: string;
  at: At;
  title: string;
  /** The body; `{d+N}` is the date N days after today (e.g. 11月26日). */
  body: string;
  urgent?: boolean;
  pinned?: boolean;
  withdrawnAt?: At;
  readByResident?: boolean;
}

const NOTICES: readonly DemoNotice[] = [
  {
    unit: XINHUA,
    by: 'xinhua.admin',
    at: [9, '10:00'],
    title: '新华区2026年冬季供暖开始运行的通知',
    body:
      '根据全市统一安排，我区集中供暖已于11月15日起正式运行。供暖期间如遇室温不达标、暖气片不热或管道漏水等问题，' +
      '请拨打供热服务热线0375-12345，或通过“一键呼叫”联系所在网格的网格员。请居民朋友注意用火用电安全，' +
      '不要私自改动供暖管道和阀门。',
    readByResident: true,
  },
  {
    unit: GUANGMINGLU,
    by: 'xinhua.admin',
    at: [6, '09:30'],
    title: '光明路街道免费接种流感疫苗的通知',
    body:
      '光明路街道社区卫生服务中心即日起为辖区60岁及以上老年人免费接种流感疫苗，其他居民可自愿自费接种。\n' +
      '接种时间：每周一至周五 8:30—11:30，14:30—17:00。\n' +
      '接种地点：光明路街道社区卫生服务中心二楼预防接种门诊。\n' +
      '请携带身份证，接种前如有发热、急性疾病等情况请告知医生。',
    pinned: true,
  },
  {
    unit: TIYUCHANG,
    by: 'tiyuchang',
    at: [4, '16:20'],
    title: '垃圾分类定时定点投放的通知',
    body:
      '为持续推进生活垃圾分类，自下周一起，体育场社区各小区实行定时定点投放：每天 7:00—9:00、18:00—20:00 ' +
      '在各小区垃圾分类亭投放，其他时间请投放至小区东门的误时投放点。厨余垃圾请沥干水分后破袋投放，' +
      '可回收物请压扁捆扎。社区志愿者将在投放时段现场指导，感谢大家的支持与配合！',
  },
  {
    unit: TIYUCHANG,
    by: 'tiyuchang',
    at: [2, '11:05'],
    title: '【停水通知】{d+2}体育场社区部分楼院临时停水',
    body:
      '因市政供水管网维修，{d+2} 8:00—18:00 体育场社区体育村、建设路37号院、矿工路体育场家属院将临时停水，' +
      '请各位居民提前做好储水准备。如遇提前恢复供水，将不再另行通知。停水期间请关闭家中水龙头，' +
      '以免来水时跑水。给您带来的不便，敬请谅解。',
  },
  {
    unit: TIYUCHANG,
    by: 'tiyuchang',
    at: [2, '09:00'],
    title: '体育场社区文化广场周末电影放映',
    body: '本周六晚19:00在社区文化广场放映电影，欢迎居民朋友们参加。',
    withdrawnAt: [2, '10:30'],
  },
  {
    unit: [...TIYUCHANG, '体育场社区第一网格'],
    by: 'grid.tiyuchang1',
    at: [1, '18:40'],
    title: '第一网格楼道杂物集中清理',
    body:
      '为消除消防安全隐患，第一网格将于{d+1}上午组织楼道杂物集中清理。请各位居民在此之前自行清理楼道内堆放的' +
      '纸箱、旧家具等杂物，电动自行车请勿在楼道内停放和充电。需要帮助搬运的老年人家庭请联系网格员。',
  },
  {
    unit: [...TIYUCHANG, '体育场社区第二网格'],
    by: 'tiyuchang',
    at: [1, '15:00'],
    title: '第二网格电梯年检安排',
    body: '第二网格各小区电梯将于本周分批进行年度检验，检验期间电梯暂停使用约2小时，请居民合理安排出行。',
  },
  {
    unit: TIYUCHANG,
    by: 'tiyuchang',
    at: [0, '08:10'],
    title: '【紧急】燃气管道抢修，请立即关闭燃气阀门',
    body:
      '接燃气公司通知，体育场社区体育村片区燃气管道发现泄漏隐患，正在紧急抢修，预计今天12:00前恢复供气。' +
      '请相关楼栋居民立即关闭家中燃气阀门，不要使用明火，不要开关电器。如闻到燃气异味，请立即开窗通风并撤离，' +
      '拨打燃气抢修电话0375-2222119。',
    urgent: true,
    pinned: true,
  },
];

function moment(now: Date, [daysAgo, time]: At): Date {
  const at = shanghaiAt(now, -daysAgo, time);
  // Today's entries never lie after "now".
  return at > now ? new Date(now.getTime() - 60_000) : at;
}

/** `{d+N}` → the date N days after "now" as 11月26日 (Shanghai). */
function withDates(text: string, now: Date): string {
  return text.replace(/\{d\+(\d+)\}/g, (_, n: string) => {
    const [, month, day] = shanghaiDay.format(new Date(now.getTime() + Number(n) * 86_400_000)).split('-');
    return `${Number(month)}月${Number(day)}日`;
  });
}

/**
 * Loads the demo notices when the notices table is empty and the demo territory is there; returns how many
 * were written, or null when nothing was done. One transaction: all of them or none.
 */
export async function loadDemoNotices(database: Database, _config: Config, clock: Clock): Promise<number | null> {
  return database.transaction(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('linli:demo-notices'))`.execute(trx);
    if (await trx.selectFrom('notices').select('id').limit(1).executeTakeFirst()) return null;
    const now = clock.now();
    const resident = await trx
      .selectFrom('accounts')
      .select('id')
      .where('kind', '=', 'resident')
      .where('phone', '=', DEMO_RESIDENT_PHONE)
      .executeTakeFirst();
    let written = 0;
    for (const n of NOTICES) {
      const unit = await findUnitByNames(trx, n.unit);
      const author = await trx
        .selectFrom('accounts')
        .select('id')
        .where('kind', '=', 'staff')
        .where('username', '=', n.by)
        .executeTakeFirst();
      if (unit === null || !author) return null;
      const publishedAt = moment(now, n.at);
      const withdrawnAt = n.withdrawnAt ? moment(now, n.withdrawnAt) : null;
      const row = await trx
        .insertInto('notices')
        .values({
          unit_id: unit,
          title: withDates(n.title, now),
          body: withDates(n.body, now),
          urgent: n.urgent ?? false,
          pinned: n.pinned ?? false,
          status: withdrawnAt ? 'withdrawn' : 'published',
          published_at: publishedAt,
          withdrawn_at: withdrawnAt,
          pushed_at: n.urgent ? publishedAt : null,
          created_by: author.id,
          version: withdrawnAt ? 2 : 1,
          created_at: publishedAt,
          updated_at: withdrawnAt ?? publishedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (n.readByResident && resident) {
        await trx
          .insertInto('notice_reads')
          .values({ notice_id: row.id, account_id: resident.id, read_at: new Date(publishedAt.getTime() + 3_600_000) })
          .execute();
      }
      written += 1;
    }
    return written;
  });
}
