/**
 * The demo territory: 平顶山市 with 新华区 and 城乡一体化示范区, the streets, communities and villages that
 * the source articles name (焦店镇, 西高皇街道 with its 15 compounds and 高庄村, 体育场社区, 凌云社区,
 * 建业社区, 滨湖街道 …), and a few neighbours so that every street has more than one community.
 */
export interface CompoundSpec {
  name: string;
  buildings: number;
}

export interface CommunitySpec {
  name: string;
  kind: 'community' | 'village';
  grids: number;
  compounds?: CompoundSpec[];
}

export interface StreetSpec {
  name: string;
  kind: 'street' | 'town';
  /** The short name used for offices, e.g. 西高皇派出所. */
  short: string;
  communities: CommunitySpec[];
}

export interface DistrictSpec {
  name: string;
  code: string | null;
  /** Short name for Party organisations and descriptions. */
  short: string;
  partyCommittee: string;
  /** [west, south, east, north] in WGS84 degrees: the streets' grids are laid out inside. */
  bbox: [number, number, number, number];
  departments: string[];
  streets: StreetSpec[];
}

export const CITY = { name: '平顶山市', code: '410400' } as const;

/** City offices: the platform's administrators and security auditors work in the big-data bureau. */
export const CITY_DEPARTMENTS = ['大数据管理局'];

export const DISTRICT_DEPARTMENTS = [
  '区委办公室',
  '区委组织部',
  '区委政法委',
  '督查室',
  '城市管理局',
  '应急管理局',
  '卫健委',
  '住建局',
  '民政局',
  '人社局',
  '市场监管局',
  '招商局',
  '公安分局',
  '生态环境分局',
  '财政局',
  '教育局',
];

/** Offices every street or town has (综治中心 runs the grids); the police station takes the street's short name. */
export const STREET_OFFICES = ['党政办公室', '综治中心', '综合行政执法队', '便民服务中心', '退役军人服务站'];

const c = (name: string, grids: number, compounds?: Array<[string, number]>): CommunitySpec => ({
  name,
  kind: 'community',
  grids,
  ...(compounds ? { compounds: compounds.map(([n, buildings]) => ({ name: n, buildings })) } : {}),
});
const v = (name: string, grids: number): CommunitySpec => ({ name, kind: 'village', grids });

export const DISTRICTS: DistrictSpec[] = [
  {
    name: '新华区',
    code: '410402',
    short: '新华区',
    partyCommittee: '中共新华区委',
    bbox: [113.26, 33.73, 113.31, 33.76],
    departments: DISTRICT_DEPARTMENTS,
    streets: [
      {
        name: '焦店镇',
        kind: 'town',
        short: '焦店',
        communities: [v('焦店村', 3), v('龙门口村', 3), v('寺坡村', 2), v('孙庄村', 2)],
      },
      {
        name: '西高皇街道',
        kind: 'street',
        short: '西高皇',
        communities: [
          c('西高皇社区', 4, [
            ['锦绣花园', 6],
            ['和谐家园', 4],
            ['幸福里小区', 3],
            ['丽景苑', 4],
            ['翰林苑', 5],
          ]),
          c('佳田社区', 4, [
            ['佳田塞纳城一号佳苑', 6],
            ['佳田塞纳城二号佳苑', 6],
            ['金色港湾', 4],
            ['康乐园', 3],
            ['福泰苑', 3],
          ]),
          c('湛北社区', 3, [
            ['滨河名苑', 4],
            ['鹰城人家', 5],
            ['阳光城', 4],
            ['华府小区', 3],
            ['君悦府', 4],
          ]),
          v('高庄村', 3),
        ],
      },
      {
        name: '光明路街道',
        kind: 'street',
        short: '光明路',
        communities: [
          c('体育场社区', 4, [
            ['体育场家属院', 3],
            ['光明小区', 4],
            ['新华苑', 3],
          ]),
          c('光明路社区', 3, [
            ['矿工路小区', 4],
            ['建设路一号院', 3],
          ]),
        ],
      },
      {
        name: '曙光街街道',
        kind: 'street',
        short: '曙光街',
        communities: [
          c('凌云社区', 4, [
            ['凌云小区', 5],
            ['曙光花园', 4],
            ['电力家属院', 3],
          ]),
          c('曙光社区', 3, [['曙光新村', 4]]),
        ],
      },
    ],
  },
  {
    name: '城乡一体化示范区',
    code: null,
    short: '示范区',
    partyCommittee: '中共城乡一体化示范区委员会',
    bbox: [113.33, 33.7, 113.38, 33.74],
    departments: DISTRICT_DEPARTMENTS,
    streets: [
      {
        name: '应滨街道',
        kind: 'street',
        short: '应滨',
        communities: [
          c('建业社区', 5, [
            ['建业森林半岛', 6],
            ['建业桂园', 5],
            ['白龟湖小区', 4],
          ]),
          c('夏耘社区', 3, [['夏耘家园', 4]]),
        ],
      },
      {
        name: '滨湖街道',
        kind: 'street',
        short: '滨湖',
        communities: [c('凤凰山社区', 3, [['凤凰山小区', 4]]), v('闫庄村', 3), v('东洼村', 2)],
      },
    ],
  },
];

const CHINESE_NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 20 → 二十 (enough for grid and group ordinals). */
export function chineseOrdinal(n: number): string {
  if (n <= 10) return CHINESE_NUMERALS[n] as string;
  if (n < 20) return `十${CHINESE_NUMERALS[n - 10]}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${CHINESE_NUMERALS[tens]}十${ones ? CHINESE_NUMERALS[ones] : ''}`;
}

export function gridName(community: string, n: number): string {
  return `${community}第${chineseOrdinal(n)}网格`;
}
