import type { Catalogue } from './widen.ts';

/** Strings of the caseMap pages (catalogue key `caseMap`). */
export const zh = {
  title: '网格地图',
  subtitle: '辖区各网格当前在办事项，点击网格查看网格名片（网格员、网格长、楼栋长、下沉部门联络人）和在办事项',
  area: '选择街道或社区',
  asOf: '统计于 {{time}}',
  counts: {
    open: '在办',
    supervised: '督办',
    overdue: '超期',
    awaitingVisit: '待回访',
  },
  summary: '{{grids}} 个网格 · 在办 {{open}} 件',
  list: {
    title: '网格',
    empty: '范围内没有网格',
    noBoundary: '未绘边界',
  },
  legend: {
    title: '在办事项',
    none: '0 件',
    range: '{{from}}–{{to}} 件',
    single: '{{n}} 件',
    redOutline: '红色边框：有红灯事项',
  },
  noBoundaries: '这些网格还没有绘制边界，可在「网格管理」中绘制；左侧列表仍列出各网格的事项数',
  noGrids: '您的管辖范围内没有网格',
  openCases: {
    title: '网格事项',
    empty: '没有在办事项',
    latest: '最近的未归档事项',
    all: '查看全部未归档事项',
  },
};

export const en: Catalogue<typeof zh> = {
  title: 'Grid map',
  subtitle:
    'Open cases now in each grid of your area. Click a grid for its card (grid worker, grid head, building heads, department liaisons) and its open cases',
  area: 'Choose a street or community',
  asOf: 'As of {{time}}',
  counts: {
    open: 'Open',
    supervised: 'Supervised',
    overdue: 'Overdue',
    awaitingVisit: 'Awaiting visit',
  },
  summary: '{{grids}} grids · {{open}} open',
  list: {
    title: 'Grids',
    empty: 'No grid in your area',
    noBoundary: 'No boundary',
  },
  legend: {
    title: 'Open cases',
    none: 'None',
    range: '{{from}}–{{to}}',
    single: '{{n}}',
    redOutline: 'Red outline: has red cases',
  },
  noBoundaries:
    'These grids have no boundary yet (draw them under Grids); the list on the left still gives each grid’s cases',
  noGrids: 'There is no grid in your area',
  openCases: {
    title: 'Cases in this grid',
    empty: 'No open case',
    latest: 'Latest cases not yet closed',
    all: 'All cases not yet closed',
  },
};
