import { sql } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { type Clock, ManualClock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database, Trx } from '../db/database.ts';
import { loadGrants } from '../modules/auth/session.service.ts';
import { type IntakeCommand, intakeCase } from '../modules/cases/case-intake.ts';
import { type CaseCommand, type CaseDeps, transition } from '../modules/cases/case-transition.ts';
import { ancestorOfKind, findUnitRef } from '../modules/cases/cases.repository.ts';
import { locateGrid } from '../modules/grids/grids.repository.ts';
import { findUnitByNames, shanghaiAt } from './demo-helpers.ts';
import { DEMO_RESIDENT_PHONE } from './people-factory.ts';

/**
 * The demo cases: about thirty reports in 新华区, written through the real intake and transition functions so
 * that timelines, assignments, colours and statistics are exactly what the case loop produces. They are spread
 * over the two weeks before the clock's "now" and left in every interesting state: waiting to be classified,
 * in a grid, at the community or the street, whistled to 城市管理局, handled, waiting for the reporter's
 * rating, closed, reopened, under supervision, in arbitration, with an extension request. Deterministic for
 * a given "now".
 */

const XINHUA = ['平顶山市', '新华区'];
const TIYUCHANG = [...XINHUA, '光明路街道', '体育场社区'];
const GUANGMINGLU = [...XINHUA, '光明路街道', '光明路社区'];
const LINGYUN = [...XINHUA, '曙光街街道', '凌云社区'];
const XIGAOHUANG = [...XINHUA, '西高皇街道', '西高皇社区'];

/** The grids cases are placed in, by a short key. */
const GRIDS = {
  t1: [...TIYUCHANG, '体育场社区第一网格'],
  t2: [...TIYUCHANG, '体育场社区第二网格'],
  t3: [...TIYUCHANG, '体育场社区第三网格'],
  t4: [...TIYUCHANG, '体育场社区第四网格'],
  g1: [...GUANGMINGLU, '光明路社区第一网格'],
  g2: [...GUANGMINGLU, '光明路社区第二网格'],
  l1: [...LINGYUN, '凌云社区第一网格'],
  l2: [...LINGYUN, '凌云社区第二网格'],
  l3: [...LINGYUN, '凌云社区第三网格'],
  l4: [...LINGYUN, '凌云社区第四网格'],
  x1: [...XIGAOHUANG, '西高皇社区第一网格'],
  x2: [...XIGAOHUANG, '西高皇社区第二网格'],
  x3: [...XIGAOHUANG, '西高皇社区第三网格'],
} as const;
type GridKey = keyof typeof GRIDS;

const UNITS = {
  cityManagement: [...XINHUA, '城市管理局'],
  marketRegulation: [...XINHUA, '市场监管局'],
  humanResources: [...XINHUA, '人社局'],
  housing: [...XINHUA, '住建局'],
  guangminglu: [...XINHUA, '光明路街道'],
  xigaohuang: [...XINHUA, '西高皇街道'],
  tiyuchang: TIYUCHANG,
} as const;
type UnitKey = keyof typeof UNITS;

/** Who acts: demo staff logins by username, or the demo resident. */
const STAFF = [
  'xinhua.admin',
  'grid.tiyuchang1',
  'tiyuchang',
  'lingyun',
  'xigaohuang.admin',
  'cgj.handler',
  'supervisor',
] as const;
type StaffKey = (typeof STAFF)[number];
type Who = StaffKey | 'resident';

/** [days before today, 'HH:MM' in Shanghai]: always before today, so never after "now". */
type At = [number, string];

/** A step after intake: a command as the API takes it, or one that needs ids found at load time. */
type Step = { at: At; by: Who } & (
  | { command: CaseCommand }
  /** Classify into the case's `category`. */
  | { classify: true }
  /** Whistle to departments; the deadline is `days` calendar days after the step. */
  | { whistle: { lead: UnitKey; assists?: UnitKey[]; days: number; note?: string } }
  /** Merge into an earlier demo case, by its key. */
  | { mergeInto: string }
);

interface DemoCase {
  key: string;
  at: At;
  by: Who;
  type?: 'appeal' | 'enterprise' | 'inspection' | 'task';
  channel: IntakeCommand['channel'];
  /**
   * A second-level category code of migration 0105. Staff intake classifies with it at once; a resident's
   * report is classified by a `classify` step. Without it the case waits to be classified.
   */
  category?: string;
  urgency?: 'normal' | 'urgent' | 'critical';
  title: string;
  description: string;
  /** Where it is: a grid (a point inside its boundary), the resident's home grid, or a unit without a place. */
  grid?: GridKey | 'home';
  unit?: UnitKey;
  address?: string;
  reporter?: { name: string; phone: string };
  manualColour?: 'red' | 'orange' | 'green';
  selfResolved?: string;
  steps?: Step[];
}

const phone = (n: number) => `139375${String(10_000 + n).slice(1)}`;

const CASES: DemoCase[] = [
  {
    key: 'garbageT1',
    at: [3, '09:20'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'environment.garbage',
    title: '体育场家属院垃圾桶满溢无人清运',
    description: '体育场家属院2号楼西侧的垃圾桶已经三天没有清运，垃圾溢出到路面，气味很大，夏天招苍蝇。',
    grid: 't1',
    address: '新华区体育场家属院2号楼西侧',
    reporter: { name: '王女士', phone: phone(1) },
  },
  {
    key: 'garbageT1dup',
    at: [2, '10:05'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'environment.garbage',
    title: '体育场家属院垃圾没人收',
    description: '家属院2号楼旁边垃圾堆了好几天了，一直没有人来收。',
    grid: 't1',
    address: '新华区体育场家属院2号楼',
    reporter: { name: '李先生', phone: phone(2) },
    steps: [
      {
        at: [2, '11:30'],
        by: 'grid.tiyuchang1',
        mergeInto: 'garbageT1',
      },
    ],
  },
  {
    key: 'vendorT1',
    at: [1, '10:40'],
    by: 'grid.tiyuchang1',
    channel: 'patrol',
    category: 'environment.streetVending',
    title: '光明路口流动摊贩占道经营',
    description: '巡查发现光明路与体育路交叉口有三处流动水果摊占用人行道经营。',
    grid: 't1',
    address: '光明路与体育路交叉口',
    selfResolved: '现场劝导摊主搬离人行道，已引导至便民疏导点经营。',
  },
  {
    key: 'stairwellT1',
    at: [4, '15:10'],
    by: 'grid.tiyuchang1',
    channel: 'patrol',
    category: 'property.stairwell',
    title: '光明小区3号楼楼道堆放杂物',
    description: '巡查发现光明小区3号楼2单元楼道堆放纸箱、旧家具，堵塞消防通道。',
    grid: 't1',
    address: '光明小区3号楼2单元',
    steps: [
      {
        at: [4, '15:30'],
        by: 'grid.tiyuchang1',
        command: { action: 'note', note: '已通知物业和住户，约定本周五前清理完毕，届时复查。' },
      },
    ],
  },
  {
    key: 'elderlyT1',
    at: [9, '09:05'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'socialSecurity.elderly',
    title: '独居老人家中无人照看',
    description: '邻居反映体育场家属院5号楼一位80多岁独居老人近几天没下楼，担心身体出问题。',
    grid: 't1',
    address: '体育场家属院5号楼',
    reporter: { name: '赵女士', phone: phone(3) },
    urgency: 'urgent',
    steps: [
      {
        at: [9, '10:10'],
        by: 'grid.tiyuchang1',
        command: {
          action: 'selfResolve',
          result: '上门探望，老人感冒卧床，已联系其子女并协调社区医生上门，纳入每周走访。',
        },
      },
      {
        at: [7, '16:00'],
        by: 'grid.tiyuchang1',
        command: { action: 'visit', rating: 'satisfied', solved: true, comment: '来电人对处理结果满意。' },
      },
    ],
  },
  {
    key: 'streetLightT2',
    at: [12, '19:40'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'municipal.streetLight',
    title: '体育路北段路灯连续多晚不亮',
    description: '体育路北段从体育场北门往东有五六盏路灯连续一周晚上不亮，晚上走路很不安全。',
    grid: 't2',
    address: '体育路北段体育场北门以东',
    reporter: { name: '孙先生', phone: phone(4) },
    steps: [
      {
        at: [11, '09:10'],
        by: 'tiyuchang',
        command: { action: 'escalate', reason: '路灯线路归城管部门维护，网格无法处置，提请社区吹哨。' },
      },
      {
        at: [11, '09:40'],
        by: 'tiyuchang',
        whistle: { lead: 'cityManagement', days: 5, note: '请城管局路灯所派人检修线路。' },
      },
      { at: [11, '14:00'], by: 'cgj.handler', command: { action: 'checkIn', note: '已安排路灯所班组。' } },
      {
        at: [10, '16:30'],
        by: 'cgj.handler',
        command: { action: 'resolve', result: '更换老化电缆一段、灯具两套，六盏路灯已恢复照明。' },
      },
      {
        at: [9, '10:00'],
        by: 'tiyuchang',
        command: { action: 'visit', rating: 'satisfied', solved: true, comment: '电话回访，路灯已亮，群众满意。' },
      },
    ],
  },
  {
    key: 'garbageWhistled',
    at: [2, '08:50'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'environment.garbage',
    title: '新华苑门口垃圾站周边脏乱',
    description: '新华苑小区门口垃圾中转站周边污水横流，垃圾清运车每天只来一次，清不干净。',
    grid: 't3',
    address: '新华苑小区南门垃圾中转站',
    reporter: { name: '周女士', phone: phone(5) },
    steps: [
      {
        at: [2, '10:15'],
        by: 'tiyuchang',
        command: { action: 'escalate', reason: '中转站清运频次需环卫部门调整。' },
      },
      {
        at: [2, '10:30'],
        by: 'tiyuchang',
        whistle: { lead: 'cityManagement', days: 5, note: '请环卫处增加清运频次并冲洗站点周边。' },
      },
    ],
  },
  {
    key: 'manholeHandling',
    at: [4, '11:25'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'municipal.manhole',
    urgency: 'urgent',
    title: '人行道井盖破损有塌陷危险',
    description: '新华苑东侧人行道上一个井盖碎裂，中间塌下去一块，晚上看不清容易崴脚。',
    grid: 't3',
    address: '新华苑东侧人行道',
    reporter: { name: '吴先生', phone: phone(6) },
    steps: [
      { at: [4, '13:00'], by: 'tiyuchang', command: { action: 'note', note: '社区已放置警示锥桶。' } },
      {
        at: [4, '13:10'],
        by: 'tiyuchang',
        command: { action: 'escalate', reason: '井盖产权不明，需城管部门确认并更换。' },
      },
      {
        at: [4, '13:20'],
        by: 'tiyuchang',
        whistle: { lead: 'cityManagement', days: 3, note: '请尽快更换井盖。' },
      },
      { at: [3, '09:30'], by: 'cgj.handler', command: { action: 'checkIn', note: '市政维修队已领取任务。' } },
    ],
  },
  {
    key: 'leakResident',
    at: [5, '20:15'],
    by: 'resident',
    channel: 'h5',
    category: 'property.leak',
    title: '楼顶漏水，家里天花板都泡了',
    description: '我家住顶楼，这几天下雨楼顶漏水，卧室天花板一直往下滴水，找物业说要等维修基金，一直没人来修。',
    grid: 'home',
    steps: [
      {
        at: [5, '20:40'],
        by: 'tiyuchang',
        classify: true,
      },
      {
        at: [1, '17:00'],
        by: 'tiyuchang',
        command: {
          action: 'selfResolve',
          result: '社区协调物业先行垫资，对楼顶防水层进行了局部修补，并约定雨后再次检查。',
        },
      },
    ],
  },
  {
    key: 'noiseResident',
    at: [13, '22:30'],
    by: 'resident',
    channel: 'h5',
    category: 'noise.commercial',
    title: '楼下烧烤店深夜噪音扰民',
    description: '小区门口的烧烤店每天营业到凌晨两点，音响声和划拳声很大，孩子睡不好觉。',
    grid: 'home',
    steps: [
      {
        at: [12, '08:45'],
        by: 'tiyuchang',
        classify: true,
      },
      {
        at: [11, '15:20'],
        by: 'tiyuchang',
        command: { action: 'selfResolve', result: '联合派出所约谈店主，店家承诺晚十点后关闭音响、室外不再摆桌。' },
      },
      {
        at: [10, '09:00'],
        by: 'resident',
        command: { action: 'visit', rating: 'satisfied', solved: true, comment: '这几天安静多了，谢谢社区！' },
      },
    ],
  },
  {
    key: 'elevatorT2',
    at: [9, '08:30'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'property.elevator',
    urgency: 'urgent',
    title: '光明小区电梯频繁故障困人',
    description: '光明小区7号楼电梯这个月已经坏了三次，昨天还困了一位老人二十分钟。',
    grid: 't2',
    address: '光明小区7号楼',
    reporter: { name: '郑女士', phone: phone(7) },
    steps: [
      {
        at: [8, '16:00'],
        by: 'tiyuchang',
        command: {
          action: 'selfResolve',
          result: '约谈物业及维保单位，更换电梯门机控制板，维保单位承诺每周巡检一次。',
        },
      },
      {
        at: [7, '10:20'],
        by: 'tiyuchang',
        command: { action: 'visit', rating: 'satisfied', solved: true, comment: '电话回访，电梯运行正常。' },
      },
    ],
  },
  {
    key: 'feeReopened',
    at: [8, '10:10'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'property.fee',
    title: '物业费上涨未公示',
    description: '新华苑物业今年突然把物业费从每平米0.6元涨到0.9元，没有召开业主大会也没有公示。',
    grid: 't4',
    address: '新华苑小区',
    reporter: { name: '陈先生', phone: phone(8) },
    steps: [
      {
        at: [7, '15:30'],
        by: 'tiyuchang',
        command: { action: 'selfResolve', result: '已要求物业在小区公告栏公示收费依据。' },
      },
      {
        at: [6, '09:40'],
        by: 'tiyuchang',
        command: {
          action: 'visit',
          rating: 'dissatisfied',
          solved: false,
          comment: '来电人表示只公示不解决问题，涨价程序不合法，要求重新处理。',
        },
      },
      {
        at: [6, '10:30'],
        by: 'tiyuchang',
        command: { action: 'note', note: '已联系住建局物业科，拟组织业主代表与物业座谈。' },
      },
    ],
  },
  {
    key: 'squareDanceSupervised',
    at: [6, '20:50'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'noise.squareDance',
    title: '体育场广场舞音响声音太大',
    description: '体育场东广场每晚七点到九点半跳广场舞，音响开得特别大，附近住户多次反映没有改善。',
    grid: 't3',
    address: '体育场东广场',
    reporter: { name: '刘先生', phone: phone(9) },
    steps: [
      {
        at: [5, '09:30'],
        by: 'tiyuchang',
        command: { action: 'escalate', reason: '涉及多支舞队，需社区统一协调场地和时间。' },
      },
      {
        at: [3, '10:00'],
        by: 'supervisor',
        command: { action: 'supervise', note: '同一问题本月第三次来电，请社区三日内拿出方案。' },
      },
    ],
  },
  {
    key: 'drainageReview',
    at: [14, '07:50'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'municipal.drainage',
    title: '下水道堵塞污水返到院子里',
    description: '体育场家属院8号楼一楼下水道堵塞，污水从地漏返上来，院子里也是污水。',
    grid: 't3',
    address: '体育场家属院8号楼',
    reporter: { name: '冯女士', phone: phone(10) },
    steps: [
      {
        at: [14, '11:00'],
        by: 'tiyuchang',
        command: { action: 'selfResolve', result: '联系疏通队疏通了8号楼主管道。' },
      },
      {
        at: [12, '10:00'],
        by: 'tiyuchang',
        command: { action: 'visit', rating: 'dissatisfied', solved: false, comment: '疏通后第二天又堵了。' },
      },
      {
        at: [10, '16:00'],
        by: 'tiyuchang',
        command: { action: 'selfResolve', result: '请专业公司用管道机器人检测，更换了破损的一段排水管。' },
      },
      {
        at: [8, '10:00'],
        by: 'tiyuchang',
        command: {
          action: 'visit',
          rating: 'dissatisfied',
          solved: false,
          comment: '院子里的化粪池还是满的，味道很大。',
        },
      },
    ],
  },
  {
    key: 'toClassifyT2',
    at: [1, '16:45'],
    by: 'xinhua.admin',
    channel: 'hotline',
    title: '小区里有人私自圈地种菜',
    description: '体育场家属院中间的绿化带被几户居民圈起来种菜，还用了粪肥，味道很难闻。',
    grid: 't2',
    address: '体育场家属院中心绿地',
    reporter: { name: '何先生', phone: phone(11) },
  },
  {
    key: 'quarrelT2',
    at: [7, '14:00'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'neighbourhood.quarrel',
    title: '楼上楼下因漏水发生争吵',
    description: '光明小区4号楼两户邻居因卫生间漏水赔偿问题吵了几次，差点动手，请社区调解。',
    grid: 't2',
    address: '光明小区4号楼',
    reporter: { name: '钱女士', phone: phone(12) },
    steps: [
      {
        at: [6, '16:30'],
        by: 'tiyuchang',
        command: {
          action: 'selfResolve',
          result: '网格员和调解员上门调解，楼上住户负责维修防水并赔偿吊顶损失，双方签订调解协议。',
        },
      },
      {
        at: [4, '10:00'],
        by: 'tiyuchang',
        command: { action: 'visit', rating: 'satisfied', solved: true },
      },
    ],
  },
  {
    key: 'inspectionT4',
    at: [10, '09:00'],
    by: 'xinhua.admin',
    type: 'inspection',
    channel: 'inspection',
    category: 'publicSafety.fire',
    title: '督查发现新华苑地下车库电动车违规充电',
    description: '区督查室检查发现新华苑地下车库有飞线充电和电动车集中停放充电，存在火灾隐患。',
    grid: 't4',
    address: '新华苑地下车库',
    steps: [
      {
        at: [8, '17:00'],
        by: 'tiyuchang',
        command: {
          action: 'selfResolve',
          result: '拆除飞线12处，协调物业在地面建设集中充电车棚一处，张贴禁止入户充电告知书。',
        },
      },
    ],
  },
  {
    key: 'rejected',
    at: [5, '11:00'],
    by: 'xinhua.admin',
    channel: 'hotline',
    title: '咨询公积金提取手续',
    description: '来电人咨询住房公积金提取需要哪些材料。',
    unit: 'tiyuchang',
    reporter: { name: '韩先生', phone: phone(13) },
    steps: [
      {
        at: [5, '11:40'],
        by: 'tiyuchang',
        command: { action: 'reject', reason: '属政策咨询，已告知来电人拨打公积金中心服务电话12329。' },
      },
    ],
  },
  {
    key: 'greeneryL1',
    at: [5, '10:30'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'environment.greenery',
    title: '凌云小区大树枝杈快碰到电线',
    description: '凌云小区2号楼前的大杨树树枝伸到电线上了，刮风时晃得厉害，担心出危险。',
    grid: 'l1',
    address: '凌云小区2号楼前',
    reporter: { name: '杨先生', phone: phone(14) },
    steps: [
      {
        at: [1, '15:00'],
        by: 'lingyun',
        command: { action: 'selfResolve', result: '协调园林所对树木进行了修剪，清理了电线周边枝杈。' },
      },
    ],
  },
  {
    key: 'postersL1',
    at: [13, '09:15'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'environment.posters',
    title: '凌云小区单元门贴满小广告',
    description: '凌云小区各单元门和楼道墙上贴满开锁、办证小广告，刚清理完又贴上。',
    grid: 'l1',
    address: '凌云小区',
    reporter: { name: '许女士', phone: phone(15) },
    steps: [
      {
        at: [13, '10:30'],
        by: 'lingyun',
        command: { action: 'escalate', reason: '需城管执法追查小广告上的号码。' },
      },
      { at: [13, '11:00'], by: 'lingyun', whistle: { lead: 'cityManagement', days: 7 } },
      { at: [12, '09:00'], by: 'cgj.handler', command: { action: 'checkIn' } },
      {
        at: [10, '17:00'],
        by: 'cgj.handler',
        command: { action: 'resolve', result: '对小广告号码进行停机处理，组织志愿者集中清理，加装公告栏。' },
      },
      {
        at: [9, '11:00'],
        by: 'lingyun',
        command: {
          action: 'visit',
          rating: 'partlySatisfied',
          solved: true,
          comment: '清理了，但偶尔还有新贴的。',
        },
      },
    ],
  },
  {
    key: 'parkingL2',
    at: [3, '18:20'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'property.parking',
    title: '曙光花园消防通道被私家车占用',
    description: '曙光花园小区消防通道晚上停满私家车，物业不管，万一着火消防车进不来。',
    grid: 'l2',
    address: '曙光花园小区',
    reporter: { name: '马先生', phone: phone(16) },
  },
  {
    key: 'fireL3',
    at: [2, '14:10'],
    by: 'lingyun',
    channel: 'patrol',
    category: 'publicSafety.fire',
    title: '电力家属院飞线充电',
    description: '巡查发现电力家属院3号楼有住户从窗户拉线给电动车充电。',
    grid: 'l3',
    address: '电力家属院3号楼',
    selfResolved: '现场劝导住户拆除飞线，告知小区集中充电点位置。',
  },
  {
    key: 'extensionL4',
    at: [6, '09:10'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'estateGovernance.unmanaged',
    title: '电力家属院无物业管理环境差',
    description: '电力家属院原单位撤走后一直没有物业，垃圾没人清、路灯没人修，希望社区想办法。',
    grid: 'l4',
    address: '电力家属院',
    reporter: { name: '罗先生', phone: phone(17) },
    steps: [
      {
        at: [5, '10:00'],
        by: 'lingyun',
        command: { action: 'escalate', reason: '需社区牵头推进红色物业托管。' },
      },
      {
        at: [2, '16:00'],
        by: 'lingyun',
        command: {
          action: 'requestExtension',
          extraMinutes: 2400,
          reason: '需召开居民议事会表决托管方案，预计下周完成。',
        },
      },
    ],
  },
  {
    key: 'roadG1',
    at: [2, '09:45'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'municipal.road',
    title: '矿工路小区门口路面坑洼',
    description: '矿工路小区门口路面有几个大坑，下雨积水，电动车经过容易摔倒。',
    grid: 'g1',
    address: '矿工路小区北门',
    reporter: { name: '高先生', phone: phone(18) },
  },
  {
    key: 'drainageG2',
    at: [11, '08:20'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'municipal.drainage',
    title: '建设路一号院雨后积水严重',
    description: '每次下雨建设路一号院门口积水到小腿，居民出不了门。',
    grid: 'g2',
    address: '建设路一号院',
    reporter: { name: '林女士', phone: phone(19) },
  },
  {
    key: 'garbageX1',
    at: [4, '09:00'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'environment.garbage',
    title: '锦绣花园建筑垃圾长期堆放',
    description: '锦绣花园小区东侧空地堆放了大量装修垃圾，已经两个多月没人清理。',
    grid: 'x1',
    address: '锦绣花园东侧空地',
    reporter: { name: '谢先生', phone: phone(20) },
    steps: [
      {
        at: [3, '10:00'],
        by: 'xigaohuang.admin',
        command: { action: 'escalate', reason: '垃圾量大，需社区协调清运车辆。' },
      },
      {
        at: [2, '15:00'],
        by: 'xigaohuang.admin',
        command: { action: 'escalate', reason: '涉及多个小区装修垃圾，需街道统筹解决清运费用。' },
      },
    ],
  },
  {
    key: 'buildingArbitration',
    at: [8, '15:30'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'construction.illegalBuilding',
    title: '和谐家园顶楼住户加盖彩钢房',
    description: '和谐家园5号楼顶楼住户在楼顶加盖彩钢房，影响楼顶防水，其他住户多次反映。',
    grid: 'x2',
    address: '和谐家园5号楼',
    reporter: { name: '唐女士', phone: phone(21) },
    steps: [
      {
        at: [7, '09:20'],
        by: 'xigaohuang.admin',
        command: { action: 'escalate', reason: '违建需执法部门认定。' },
      },
      { at: [7, '10:00'], by: 'xigaohuang.admin', whistle: { lead: 'cityManagement', days: 7 } },
      {
        at: [6, '11:00'],
        by: 'cgj.handler',
        command: { action: 'returnCase', reason: '小区内既有建筑违建认定属住建部门职责，请转住建局。' },
      },
    ],
  },
  {
    key: 'constructionNoiseX3',
    at: [1, '22:40'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'noise.construction',
    urgency: 'urgent',
    title: '工地夜间施工噪音扰民',
    description: '翰林苑旁边工地晚上十点以后还在打桩，噪音特别大，已经连续三天了。',
    grid: 'x3',
    address: '翰林苑西侧在建工地',
    reporter: { name: '邓先生', phone: phone(22) },
  },
  {
    key: 'foodWhistled',
    at: [3, '14:30'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'market.food',
    title: '小区门口餐馆后厨卫生差',
    description: '光明小区门口一家快餐店后厨油污严重，餐具不消毒，还把泔水倒进雨水井。',
    grid: 't2',
    address: '光明小区南门商铺',
    reporter: { name: '曹女士', phone: phone(23) },
    steps: [
      {
        at: [3, '15:30'],
        by: 'tiyuchang',
        command: { action: 'escalate', reason: '涉及食品安全，需市场监管部门检查。' },
      },
      {
        at: [3, '16:00'],
        by: 'tiyuchang',
        whistle: {
          lead: 'marketRegulation',
          assists: ['cityManagement'],
          days: 5,
          note: '市场监管局检查后厨，城管局查处泔水倒入雨水井。',
        },
      },
      { at: [2, '09:15'], by: 'cgj.handler', command: { action: 'assistCheckIn', note: '执法中队已安排。' } },
    ],
  },
  {
    key: 'pendingDispatch',
    at: [1, '11:20'],
    by: 'xinhua.admin',
    channel: 'hotline',
    category: 'municipal.streetLight',
    title: '高庄村村口路灯杆倾斜',
    description: '高庄村村口一根路灯杆被车撞歪了，随时可能倒下来。',
    unit: 'xigaohuang',
    address: '西高皇街道高庄村村口',
    reporter: { name: '田先生', phone: phone(24) },
  },
  {
    key: 'enterpriseFinancing',
    at: [6, '10:00'],
    by: 'xinhua.admin',
    type: 'enterprise',
    channel: 'enterpriseVisit',
    category: 'enterprise.financing',
    title: '机械配件企业扩产流动资金紧张',
    description: '走访平顶山某机械配件公司，企业新接订单需扩产，流动资金缺口约300万元，希望对接银行贷款。',
    unit: 'guangminglu',
    address: '光明路街道中兴路工业园',
    reporter: { name: '企业负责人张总', phone: phone(25) },
  },
  {
    key: 'enterpriseLabour',
    at: [4, '14:00'],
    by: 'xinhua.admin',
    type: 'enterprise',
    channel: 'enterpriseVisit',
    category: 'enterprise.labour',
    title: '服装厂缺熟练缝纫工',
    description: '走访某服装厂，企业缺熟练缝纫工约40人，希望人社部门帮助组织招聘和技能培训。',
    unit: 'guangminglu',
    address: '光明路街道服装产业园',
    reporter: { name: '企业负责人刘总', phone: phone(26) },
    steps: [
      {
        at: [4, '16:00'],
        by: 'xinhua.admin',
        whistle: { lead: 'humanResources', days: 10, note: '请人社局组织专场招聘会。' },
      },
    ],
  },
  {
    key: 'taskForce',
    at: [14, '09:00'],
    by: 'xinhua.admin',
    type: 'task',
    channel: 'task',
    category: 'environment.streetCleaning',
    manualColour: 'orange',
    title: '背街小巷环境整治专班',
    description: '西高皇街道辖区背街小巷环境卫生整治：清理卫生死角、规范门前三包，月底前完成验收。',
    unit: 'xigaohuang',
    steps: [
      {
        at: [7, '17:00'],
        by: 'xigaohuang.admin',
        command: { action: 'note', note: '已完成12条背街小巷中的7条，剩余5条涉及拆违，进度滞后。' },
      },
    ],
  },
];

function moment(now: Date, [daysAgo, time]: At): Date {
  if (daysAgo < 1) throw new Error('demo cases happen before today');
  return shanghaiAt(now, -daysAgo, time);
}

async function staffActor(trx: Trx, username: string): Promise<Actor | null> {
  const account = await trx
    .selectFrom('accounts')
    .select(['id', 'person_id', 'display_name', 'username'])
    .where('kind', '=', 'staff')
    .where('username', '=', username)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!account) return null;
  return {
    accountId: account.id,
    kind: 'staff',
    personId: account.person_id,
    displayName: account.display_name,
    username: account.username,
    grants: await loadGrants(trx, account.id),
    sessionId: '',
    csrfToken: '',
    mustChangePassword: false,
  };
}

/** The demo resident's account (created as at a first sign-in when missing) and home unit. */
async function demoResident(trx: Trx) {
  const person = await trx
    .selectFrom('people')
    .select(['id', 'name', 'unit_id'])
    .where('phone', '=', DEMO_RESIDENT_PHONE)
    .orderBy('id')
    .executeTakeFirst();
  if (!person?.unit_id) return null;
  let account = await trx
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('phone', '=', DEMO_RESIDENT_PHONE)
    .where('kind', '=', 'resident')
    .executeTakeFirst();
  account ??= await trx
    .insertInto('accounts')
    .values({ kind: 'resident', phone: DEMO_RESIDENT_PHONE, person_id: person.id, display_name: person.name })
    .returning(['id', 'display_name'])
    .executeTakeFirstOrThrow();
  const actor: Actor = {
    accountId: account.id,
    kind: 'resident',
    personId: person.id,
    displayName: account.display_name,
    username: null,
    grants: [],
    sessionId: '',
    csrfToken: '',
    mustChangePassword: false,
  };
  return { actor, person: { id: person.id, name: person.name, unitId: person.unit_id } };
}

/** Points well inside a grid: its corners' average, then points part-way to each corner (checked to locate). */
async function gridPoints(trx: Trx, gridId: number): Promise<Array<{ lng: number; lat: number }>> {
  const boundary = await trx
    .selectFrom('grid_boundaries')
    .select('geojson')
    .where('unit_id', '=', gridId)
    .executeTakeFirst();
  if (!boundary) return [];
  const ring = (boundary.geojson as unknown as { coordinates: number[][][] }).coordinates[0]!.slice(0, -1);
  const cx = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
  const cy = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const candidates = [
    { lng: round(cx), lat: round(cy) },
    ...ring.map(([x, y]) => ({ lng: round(cx + (x! - cx) * 0.35), lat: round(cy + (y! - cy) * 0.35) })),
  ];
  const inside: Array<{ lng: number; lat: number }> = [];
  for (const p of candidates) {
    if ((await locateGrid(trx, p.lng, p.lat))?.id === gridId) inside.push(p);
  }
  return inside;
}

/**
 * Loads the demo cases when the cases table is empty and the demo territory is there; returns how many were
 * written, or null when nothing was done. One transaction: all of them or none.
 */
export async function loadDemoCases(database: Database, config: Config, clock: Clock): Promise<number | null> {
  return database.transaction(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('linli:demo-cases'))`.execute(trx);
    if (await trx.selectFrom('cases').select('id').limit(1).executeTakeFirst()) return null;

    const actors = new Map<Who, Actor>();
    for (const username of STAFF) {
      const actor = await staffActor(trx, username);
      if (!actor) return null;
      actors.set(username, actor);
    }
    const resident = await demoResident(trx);
    if (!resident) return null;
    actors.set('resident', resident.actor);

    const units = new Map<string, number>();
    for (const [key, names] of [...Object.entries(UNITS), ...Object.entries(GRIDS)]) {
      const id = await findUnitByNames(trx, names);
      if (id === null) return null;
      units.set(key, id);
    }
    const homeUnit = await findUnitRef(trx, resident.person.unitId);
    const homeGrid = homeUnit ? await ancestorOfKind(trx, homeUnit.path, ['grid']) : null;
    if (!homeGrid) return null;
    units.set('home', homeGrid.id);
    const points = new Map<number, Array<{ lng: number; lat: number }>>();
    const pointUse = new Map<number, number>();
    /** A point inside the grid, a different one for each case there (round the grid's points). */
    const pointIn = async (gridId: number) => {
      let list = points.get(gridId);
      if (!list) {
        list = await gridPoints(trx, gridId);
        if (list.length === 0) throw new Error(`demo grid ${gridId} has no boundary`);
        points.set(gridId, list);
      }
      const n = pointUse.get(gridId) ?? 0;
      pointUse.set(gridId, n + 1);
      return list[n % list.length]!;
    };

    const categories = new Map(
      (await trx.selectFrom('case_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]),
    );
    const categoryOf = (code: string) => {
      const id = categories.get(code);
      if (id === undefined) throw new Error(`demo category ${code} is missing`);
      return id;
    };

    const now = clock.now();
    const steps = new ManualClock(now);
    const deps: CaseDeps = { config, clock: steps };
    const created = new Map<string, number>();
    const ordered = [...CASES].sort((a, b) => moment(now, a.at).getTime() - moment(now, b.at).getTime());

    for (const demo of ordered) {
      const at = moment(now, demo.at);
      steps.set(at);
      const actor = actors.get(demo.by)!;
      const location = demo.grid ? await pointIn(units.get(demo.grid)!) : undefined;
      const reporter =
        demo.by === 'resident'
          ? {
              accountId: resident.actor.accountId,
              personId: resident.person.id,
              name: resident.person.name,
              phone: DEMO_RESIDENT_PHONE,
            }
          : (demo.reporter ?? {});
      const result = await intakeCase(trx, deps, actor, {
        caseType: demo.type ?? 'appeal',
        channel: demo.channel,
        title: demo.title,
        description: demo.description,
        categoryId: demo.by !== 'resident' && demo.category ? categoryOf(demo.category) : undefined,
        urgency: demo.urgency ?? 'normal',
        location,
        address: demo.address,
        unitId: demo.by === 'resident' ? resident.person.unitId : demo.unit ? units.get(demo.unit) : undefined,
        reporter,
        confidential: false,
        selfResolved: demo.selfResolved ? { result: demo.selfResolved } : undefined,
        manualColour: demo.manualColour,
      });
      created.set(demo.key, result.caseId);

      let last = at;
      for (const step of demo.steps ?? []) {
        const stepAt = moment(now, step.at);
        if (stepAt <= last) throw new Error(`demo case ${demo.key}: steps out of order`);
        last = stepAt;
        steps.set(stepAt);
        const who = { kind: 'user' as const, actor: actors.get(step.by)! };
        let command: CaseCommand;
        if ('whistle' in step) {
          command = {
            action: 'whistle',
            leadUnitId: units.get(step.whistle.lead)!,
            assistUnitIds: (step.whistle.assists ?? []).map((u) => units.get(u)!),
            deadline: new Date(stepAt.getTime() + step.whistle.days * 86_400_000).toISOString(),
            ...(step.whistle.note ? { note: step.whistle.note } : {}),
          };
        } else if ('mergeInto' in step) {
          command = {
            action: 'merge',
            masterId: created.get(step.mergeInto)!,
            note: '与已受理工单反映同一问题，合并办理。',
          };
        } else if ('classify' in step) {
          command = { action: 'classify', categoryId: categoryOf(demo.category ?? '') };
        } else {
          command = step.command;
        }
        await transition(trx, deps, who, result.caseId, command);
      }
    }
    return created.size;
  });
}
