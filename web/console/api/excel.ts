import { api, qs } from '../../shared/api.ts';

export const WORKBOOK_KINDS = ['units', 'grids', 'people'] as const;
export type WorkbookKind = (typeof WORKBOOK_KINDS)[number];

/** The permission each kind needs besides data.import / data.export (excel.columns.ts ENTITY_PERMISSION). */
export const ENTITY_PERMISSION: Record<WorkbookKind, { import: string; export: string }> = {
  units: { import: 'unit.manage', export: 'unit.read' },
  grids: { import: 'grid.manage', export: 'grid.read' },
  people: { import: 'person.manage', export: 'person.read' },
};

export interface RowError {
  row: number;
  column: string | null;
  header: string | null;
  cell: string | null;
  code: string;
  message: string;
}

/** details of an IMPORT_REJECTED answer. */
export interface ImportRejection {
  reason: string;
  errorCount?: number;
  errors: RowError[];
}

export const templateUrl = (kind: WorkbookKind) => `/api/excel/templates/${kind}.xlsx`;
export const exportUrl = (kind: WorkbookKind, within?: number) => `/api/excel/export/${kind}.xlsx${qs({ within })}`;

/** Uploads a filled-in template; with dryRun every row is checked and nothing is written. */
export function importWorkbook(kind: WorkbookKind, file: File, dryRun: boolean) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<{ imported: number; dryRun: boolean }>('POST', `/api/excel/import/${kind}${qs({ dryRun })}`, form);
}
