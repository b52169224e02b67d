import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor } from '../../access/actor.ts';
import type { UnitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import { maskAddress, maskIdNumber, maskPhone } from '../../http/privacy.ts';
import { COLUMNS, GENDER_LABELS, SHEET_NAMES, UNIT_KIND_LABELS, type WorkbookKind } from './excel.columns.ts';
import { gridsPage, peoplePage, unitsPage } from './excel.repository.ts';
import { DATA_SHEET_OPTIONS, layoutDataSheet } from './excel.sheet.ts';
import { NamePaths } from './name-paths.ts';

export interface ExportRequest {
  kind: WorkbookKind;
  actor: Actor;
  /** Where the actor may read the records (the entity's read permission). */
  readScope: UnitScope;
  /** people only: where the actor may see full phones, identity numbers and addresses. */
  revealScope: UnitScope;
  /** The subtree to export (the unit itself included); everything in scope when absent. */
  withinPath?: string | undefined;
}

type Cells = Record<string, string | number | null>;

/** Path of the parent: the unit's own path without its last id. */
const parentPath = (path: string) => path.replace(/\d+\/$/, '');

/** Pages of sheet rows, in import order, with the names of referenced units filled in. */
async function* rowsOf(q: Queryable, request: ExportRequest): AsyncGenerator<Cells[]> {
  const names = new NamePaths(q);
  const { kind, readScope, withinPath } = request;
  if (kind === 'units' || kind === 'grids') {
    let after = '';
    for (;;) {
      const page =
        kind === 'units'
          ? await unitsPage(q, readScope, withinPath, after)
          : await gridsPage(q, readScope, withinPath, after);
      if (page.length === 0) return;
      await names.load(page.map((r) => parentPath(r.path)));
      yield page.map((r) => ({
        parent: names.get(parentPath(r.path)),
        kind: 'kind' in r ? UNIT_KIND_LABELS[r.kind] : null,
        name: r.name,
        code: r.code,
        sortOrder: r.sort_order,
        phone: r.phone,
        address: r.address,
        description: r.description,
        boundary: 'geojson' in r && r.geojson ? boundaryText(r.geojson) : null,
      }));
      after = page.at(-1)!.path;
    }
  }
  let afterId = 0;
  for (;;) {
    const page = await peoplePage(q, request.actor, readScope, request.revealScope, withinPath, afterId);
    if (page.length === 0) return;
    await names.load(page.map((r) => r.unit_path));
    yield page.map((r) => ({
      name: r.name,
      gender: r.gender ? GENDER_LABELS[r.gender] : null,
      birthDate: r.birth_date,
      phone: r.revealable ? r.phone : maskPhone(r.phone),
      idNumber: r.revealable ? r.id_number : maskIdNumber(r.id_number),
      unit: names.get(r.unit_path),
      address: r.revealable ? r.address : maskAddress(r.address),
      note: r.note,
    }));
    afterId = page.at(-1)!.id;
  }
}

function boundaryText(geojson: unknown): string {
  return typeof geojson === 'string' ? geojson : JSON.stringify(geojson);
}

/**
 * Streams the workbook: the same sheet layout as the template, then the rows page by page. A failure
 * after the first bytes can only cut the download short; it is logged by the caller's `onError`.
 */
export function streamExport(q: Queryable, request: ExportRequest, onError: (error: unknown) => void): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Linli 邻里';
  const sheet = workbook.addWorksheet(SHEET_NAMES[request.kind], DATA_SHEET_OPTIONS);
  layoutDataSheet(sheet, request.kind);
  const keys = COLUMNS[request.kind].map((c) => c.key);
  (async () => {
    for await (const page of rowsOf(q, request)) {
      for (const cells of page) sheet.addRow(keys.map((k) => cells[k] ?? null)).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
