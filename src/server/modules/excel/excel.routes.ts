import { requirePermission } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { findUnitInScope } from '../units/units.repository.ts';
import { ENTITY_PERMISSION, FILE_TITLES, type WorkbookKind } from './excel.columns.ts';
import { streamExport } from './excel.export.ts';
import { runImport } from './excel.import.ts';
import { importRejected, readSheet } from './excel.reader.ts';
import { exportQuery, importQuery, importResult, kindParam } from './excel.schema.ts';
import { attachmentDisposition, XLSX_MIME } from './excel.sheet.ts';
import { buildTemplate } from './excel.template.ts';

const today = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).replaceAll('-', '');

const EXPORT_DESCRIPTION =
  'The same columns as the template; only records in my scope. People: phones, identity numbers and addresses ' +
  'are masked unless I hold person.reveal over the person (then the export is audited as a reveal too).';

export async function excelRoutes(app: App, { database }: Services) {
  const db = database.db;

  app.get(
    '/api/excel/templates/:kind.xlsx',
    {
      schema: {
        tags: ['excel'],
        summary: 'Download the import template of units, grids or people (.xlsx)',
        params: kindParam,
      },
      config: { access: { auth: 'staff', permission: 'data.import' } },
    },
    async (request, reply) => {
      const { kind } = request.params;
      const file = await buildTemplate(kind);
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          attachmentDisposition(`${FILE_TITLES[kind]}导入模板.xlsx`, `${kind}-template.xlsx`),
        )
        .send(file);
    },
  );

  app.post(
    '/api/excel/import/:kind',
    {
      schema: {
        tags: ['excel'],
        summary: 'Import a filled-in template (multipart/form-data, one .xlsx file): every row or none',
        description:
          'Rows are checked with the same rules as the API, in file order (a row whose parent comes later in the file ' +
          'is tried again after it). Any problem → 400 IMPORT_REJECTED with ' +
          'details { reason, errorCount, errors: [{ row, column, header, cell, code, message }] } and nothing is ' +
          'written. dryRun=true checks everything and writes nothing.',
        params: kindParam,
        querystring: importQuery,
        response: { 200: importResult },
      },
      config: { access: { auth: 'staff', permission: 'data.import' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { kind } = request.params;
      const { dryRun } = request.query;
      requirePermission(actor, ENTITY_PERMISSION[kind].import);
      const file = await request.file();
      if (!file) throw importRejected('NO_FILE', 'Attach the .xlsx file as multipart/form-data');
      const sheet = await readSheet(await file.toBuffer(), kind);
      return runImport(database, request, { actor, kind, sheet, dryRun, fileName: file.filename });
    },
  );

  app.get(
    '/api/excel/export/:kind.xlsx',
    {
      schema: {
        tags: ['excel'],
        summary: 'Export units, grids or people in my scope as .xlsx (streamed)',
        description: EXPORT_DESCRIPTION,
        params: kindParam,
        querystring: exportQuery,
      },
      config: { access: { auth: 'staff', permission: 'data.export' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const kind: WorkbookKind = request.params.kind;
      const { within } = request.query;
      const permission = ENTITY_PERMISSION[kind].export;
      requirePermission(actor, permission);
      const readScope = unitScope(actor, permission);
      let withinPath: string | undefined;
      if (within !== undefined) {
        const anchor = await findUnitInScope(db, within, readScope);
        if (!anchor) throw notFound('Unit');
        withinPath = anchor.path;
      }
      const revealScope = kind === 'people' ? unitScope(actor, 'person.reveal') : ({ kind: 'none' } as const);
      const revealed = revealScope.kind !== 'none';
      await database.transaction(async (trx) => {
        const unitId = within ?? null;
        await audit(trx, request, {
          action: 'excel.export',
          targetType: kind,
          unitId,
          detail: { kind, within: unitId, revealed },
        });
        if (revealed) {
          await audit(trx, request, {
            action: 'person.reveal',
            targetType: 'person',
            unitId,
            detail: { via: 'excel.export', within: unitId, fields: ['phone', 'idNumber', 'address'] },
          });
        }
      });
      const stream = streamExport(db, { kind, actor, readScope, revealScope, withinPath }, (error) =>
        request.log.error({ err: error }, 'excel export failed while streaming'),
      );
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          attachmentDisposition(`${FILE_TITLES[kind]}-${today()}.xlsx`, `${kind}-${today()}.xlsx`),
        )
        .send(stream);
    },
  );
}
