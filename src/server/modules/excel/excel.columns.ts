import type { Permission } from '../../access/permissions.ts';
import type { UnitKind } from '../../db/schema.ts';

/**
 * The three workbooks (units, grids, people): their columns, in the order of the template, the import and
 * the export. Row 1 holds the Chinese headers people read; row 2, hidden, holds the English keys the import
 * reads first, so a header renamed by hand still works. Data starts on row 3.
 */
export const WORKBOOK_KINDS = ['units', 'grids', 'people'] as const;
export type WorkbookKind = (typeof WORKBOOK_KINDS)[number];

export interface ColumnDef {
  key: string;
  header: string;
  width: number;
  required?: boolean;
  /** Stored as text in Excel (codes, phones, identity numbers): no scientific notation, no lost zeros. */
  text?: boolean;
  /** A drop-down list in the template. */
  list?: readonly string[];
  /** What to write, shown as a note on the header cell and in the instructions sheet. */
  hint: string;
}

export const HEADER_ROW = 1;
export const KEY_ROW = 2;
export const FIRST_DATA_ROW = 3;
export const MAX_IMPORT_ROWS = 20_000;

/** Unit kinds handled by the units workbook; grids have their own, compounds and below are not in Excel yet. */
export const WORKBOOK_UNIT_KINDS = [
  'city',
  'district',
  'street',
  'town',
  'community',
  'village',
  'department',
] as const;

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  city: '市',
  district: '区',
  street: '街道',
  town: '镇',
  community: '社区',
  village: '村',
  grid: '网格',
  compound: '小区',
  building: '楼栋',
  entrance: '单元',
  department: '职能部门',
};

export const GENDER_LABELS = { male: '男', female: '女' } as const;

const PARENT_HINT = '上级单位的编码，或从顶层写起的名称路径（用 / 分隔），如 新华区/光明路街道';

export const COLUMNS: Record<WorkbookKind, readonly ColumnDef[]> = {
  units: [
    { key: 'parent', header: '上级单位', width: 36, hint: `${PARENT_HINT}；顶层单位留空` },
    {
      key: 'kind',
      header: '类型',
      width: 12,
      required: true,
      list: WORKBOOK_UNIT_KINDS.map((k) => UNIT_KIND_LABELS[k]),
      hint: '从下拉列表选择：市、区、街道、镇、社区、村、职能部门',
    },
    { key: 'name', header: '名称', width: 24, required: true, hint: '同一上级下不能重名，最多 100 字' },
    { key: 'code', header: '编码', width: 18, text: true, hint: '可选；全系统唯一，最多 40 字符' },
    { key: 'sortOrder', header: '排序', width: 8, hint: '可选；非负整数，越小越靠前' },
    { key: 'phone', header: '电话', width: 16, text: true, hint: '可选；数字、-、+、括号和空格' },
    { key: 'address', header: '地址', width: 30, hint: '可选；最多 200 字' },
    { key: 'description', header: '说明', width: 30, hint: '可选；最多 2000 字' },
  ],
  grids: [
    {
      key: 'parent',
      header: '所属社区/村',
      width: 36,
      required: true,
      hint: PARENT_HINT.replace('上级单位', '社区或村'),
    },
    { key: 'name', header: '网格名称', width: 20, required: true, hint: '同一社区下不能重名，最多 100 字' },
    { key: 'code', header: '网格编码', width: 18, text: true, hint: '可选；全系统唯一，最多 40 字符' },
    { key: 'sortOrder', header: '排序', width: 8, hint: '可选；非负整数，越小越靠前' },
    { key: 'phone', header: '联系电话', width: 16, text: true, hint: '可选；数字、-、+、括号和空格' },
    { key: 'address', header: '地址', width: 30, hint: '可选；最多 200 字' },
    { key: 'description', header: '说明', width: 30, hint: '可选；最多 2000 字' },
    {
      key: 'boundary',
      header: '边界',
      width: 48,
      hint: '可选；GeoJSON Polygon，或 经度,纬度;经度,纬度;… （至少 3 个点，首尾可不重复）',
    },
  ],
  people: [
    { key: 'name', header: '姓名', width: 12, required: true, hint: '最多 50 字' },
    { key: 'gender', header: '性别', width: 8, list: Object.values(GENDER_LABELS), hint: '男 或 女' },
    { key: 'birthDate', header: '出生日期', width: 14, text: true, hint: '格式 YYYY-MM-DD，如 1956-03-08' },
    { key: 'phone', header: '手机号码', width: 16, text: true, hint: '11 位手机号' },
    { key: 'idNumber', header: '身份证号码', width: 22, text: true, hint: '18 位居民身份证号码，请以文本格式填写' },
    {
      key: 'unit',
      header: '所属单位',
      width: 36,
      required: true,
      hint: '所属社区、村、网格或部门的编码，或名称路径，如 新华区/光明路街道/体育场社区',
    },
    { key: 'address', header: '住址', width: 32, hint: '可选；最多 200 字' },
    { key: 'note', header: '备注', width: 30, hint: '可选；最多 2000 字' },
  ],
};

export const SHEET_NAMES: Record<WorkbookKind, string> = { units: '单位', grids: '网格', people: '人员' };
export const INSTRUCTIONS_SHEET = '填写说明';
export const FILE_TITLES: Record<WorkbookKind, string> = { units: '单位', grids: '网格', people: '人员' };

/** The permission on the records themselves, besides data.import / data.export. */
export const ENTITY_PERMISSION: Record<WorkbookKind, { import: Permission; export: Permission }> = {
  units: { import: 'unit.manage', export: 'unit.read' },
  grids: { import: 'grid.manage', export: 'grid.read' },
  people: { import: 'person.manage', export: 'person.read' },
};

/** The template's example row, on the data sheet, which must be deleted or overwritten before importing. */
export const EXAMPLE_ROWS: Record<WorkbookKind, Record<string, string>> = {
  units: {
    parent: '新华区/光明路街道',
    kind: '社区',
    name: '体育场社区',
    code: 'XH-GML-TYC',
    sortOrder: '1',
    phone: '0311-8765432',
    address: '光明路 18 号',
    description: '示例行，导入前请删除',
  },
  grids: {
    parent: '新华区/光明路街道/体育场社区',
    name: '第一网格',
    code: 'XH-GML-TYC-01',
    sortOrder: '1',
    phone: '13800000000',
    address: '体育场小区 1-6 号楼',
    description: '示例行，导入前请删除',
    boundary: '114.4801,38.0402;114.4852,38.0402;114.4852,38.0441;114.4801,38.0441',
  },
  people: {
    name: '张示例',
    gender: '女',
    birthDate: '1956-03-08',
    phone: '13800000000',
    idNumber: '110101195603080020',
    unit: '新华区/光明路街道/体育场社区',
    address: '体育场小区 3 号楼 2 单元 301',
    note: '示例行，导入前请删除',
  },
};

export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
