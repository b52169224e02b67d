/**
 * The demo staff accounts: one per built-in role, each granted in the unit named by `unit` (unit names
 * from the root down). Tests and the browser tests import this list; the start-up banner prints it.
 */
export const DEMO_PASSWORD = 'Linli@2026';

export interface DemoLogin {
  username: string;
  role: string;
  unit: readonly string[];
  description: string;
}

const XINHUA = ['平顶山市', '新华区'] as const;

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { username: 'sysadmin', role: 'systemAdmin', unit: ['平顶山市'], description: '系统管理员 · 平顶山市' },
  { username: 'xinhua.admin', role: 'districtAdmin', unit: XINHUA, description: '区级管理员 · 新华区' },
  {
    username: 'shifanqu.admin',
    role: 'districtAdmin',
    unit: ['平顶山市', '城乡一体化示范区'],
    description: '区级管理员 · 城乡一体化示范区',
  },
  {
    username: 'xigaohuang.admin',
    role: 'streetAdmin',
    unit: [...XINHUA, '西高皇街道'],
    description: '街道管理员 · 西高皇街道',
  },
  {
    username: 'tiyuchang',
    role: 'communityWorker',
    unit: [...XINHUA, '光明路街道', '体育场社区'],
    description: '社区工作人员 · 光明路街道体育场社区',
  },
  {
    username: 'lingyun',
    role: 'communityWorker',
    unit: [...XINHUA, '曙光街街道', '凌云社区'],
    description: '社区工作人员 · 曙光街街道凌云社区',
  },
  {
    username: 'jianye',
    role: 'communityWorker',
    unit: ['平顶山市', '城乡一体化示范区', '应滨街道', '建业社区'],
    description: '社区工作人员 · 示范区应滨街道建业社区',
  },
  {
    username: 'grid.tiyuchang1',
    role: 'gridWorker',
    unit: [...XINHUA, '光明路街道', '体育场社区', '体育场社区第一网格'],
    description: '网格员 · 体育场社区第一网格',
  },
  {
    username: 'cgj.handler',
    role: 'departmentHandler',
    unit: [...XINHUA, '城市管理局'],
    description: '部门经办人 · 新华区城市管理局',
  },
  {
    username: 'zjj.handler',
    role: 'departmentHandler',
    unit: [...XINHUA, '住建局'],
    description: '部门经办人 · 新华区住建局',
  },
  { username: 'hotline', role: 'hotlineOperator', unit: XINHUA, description: '热线接线员 · 新华区' },
  { username: 'supervisor', role: 'supervisor', unit: XINHUA, description: '督办员 · 新华区' },
  { username: 'leader', role: 'leader', unit: XINHUA, description: '领导 · 新华区' },
  { username: 'party.secretary', role: 'partySecretary', unit: XINHUA, description: '党组织书记 · 新华区' },
  { username: 'auditor', role: 'auditor', unit: ['平顶山市'], description: '审计员 · 平顶山市' },
];

export const DEMO_USERNAMES: readonly string[] = DEMO_LOGINS.map((l) => l.username);
