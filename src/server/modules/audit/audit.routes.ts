import { unitScope } from '../../access/scope.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { badRequest } from '../../http/errors.ts';
import { auditBatches, countAudit, listAudit } from './audit.repository.ts';
import { auditExportQuery, auditListQuery, auditPage } from './audit.schema.ts';
import { audit } from './audit.service.ts';
import { localTimeFormatter, streamAuditWorkbook } from './audit-export.ts';

/** More than this in one file is a sign the filters are too wide (and Excel slows to a crawl). */
export const MAX_EXPORT_ROWS = 200_000;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function auditRoutes(app: App, { database, config }: Services) {
  const db = database.db;

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log in my scope, newest first',
        querystring: auditListQuery,
        response: { 200: auditPage },
      },
      config: { access: { auth: 'staff', permission: 'audit.read' } },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      const scope = unitScope(actorOf(request), 'audit.read');
      const [items, total] = [
        await listAudit(db, scope, filter, config.timeZone, page, pageSize),
        await countAudit(db, scope, filter, config.timeZone),
      ];
      return { items, total, page, pageSize };
    },
  );

  app.get(
    '/api/audit/export.xlsx',
    {
      schema: {
        tags: ['audit'],
        summary: 'The filtered audit log as an Excel workbook (the export itself is audited)',
        querystring: auditExportQuery,
        produces: [XLSX],
      },
      config: { access: { auth: 'staff', permission: 'audit.read' } },
    },
    async (request, reply) => {
      const filter = request.query;
      const scope = unitScope(actorOf(request), 'audit.read');
      const rows = await countAudit(db, scope, filter, config.timeZone);
      if (rows > MAX_EXPORT_ROWS) {
        throw badRequest(`At most ${MAX_EXPORT_ROWS} entries per export; narrow the filters`, { rows });
      }
      await audit(db, request, { action: 'audit.export', targetType: 'audit_log', detail: { filter, rows } });
      const stamp = localTimeFormatter(config.timeZone)(new Date().toISOString()).slice(0, 10).replaceAll('-', '');
      reply
        .type(XLSX)
        .header(
          'content-disposition',
          `attachment; filename="audit-log-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`审计日志-${stamp}.xlsx`)}`,
        );
      return reply.send(streamAuditWorkbook(auditBatches(db, scope, filter, config.timeZone), config.timeZone));
    },
  );
}
