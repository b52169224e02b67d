import type { FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../access/actor.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { audit } from '../audit/audit.service.ts';
import { attachmentDisposition, XLSX_MIME } from '../excel/excel.sheet.ts';
import { bulletinWorkbook, leagueTableWorkbook, ledgerWorkbook } from './metrics.export.ts';
import { overview } from './metrics.overview.ts';
import {
  bulletinQuery,
  bulletinResponse,
  leagueTableQuery,
  leagueTableResponse,
  ledgerQuery,
  ledgerResponse,
  MAX_RANGE_DAYS,
  overviewQuery,
  overviewResponse,
  rankingsQuery,
  rankingsResponse,
  threeRatesQuery,
  threeRatesResponse,
} from './metrics.schema.ts';
import {
  bulletin,
  formulasFor,
  LEDGER_FORMULAS,
  leagueTable,
  ledger,
  rankings,
  threeRates,
  today,
} from './metrics.service.ts';

const SCOPE_NOTE =
  'Only units in my metrics.read scope: any other unit is 404, as if it did not exist. Periods are days in ' +
  'Asia/Shanghai; weeks run Monday–Sunday. Counts come from the daily rollups written with every case event.';

function formulaText(weight: number): string {
  const f = formulasFor(weight);
  return [f.responseRate.en, f.resolutionRate.en, f.satisfactionRate.en, f.score.en, f.volume.en]
    .map((line) => `- ${line}`)
    .join('\n');
}

export async function metricsRoutes(app: App, { database, config, clock }: Services) {
  const db = database.db;
  const settings = { partlySatisfiedWeight: config.partlySatisfiedWeight, rankingMinVolume: config.rankingMinVolume };
  const formulas = formulaText(settings.partlySatisfiedWeight);
  const ledgerFormulas = `- ${LEDGER_FORMULAS.resolutionRate.en}\n- ${LEDGER_FORMULAS.overdue.en}`;

  /** Exports: data.export to download, metrics.read over the unit to see it; each download is audited. */
  async function sendWorkbook(
    request: FastifyRequest,
    reply: FastifyReply,
    report: string,
    unitId: number,
    detail: Record<string, unknown>,
    file: Buffer,
    names: { zh: string; ascii: string },
  ) {
    await audit(db, request, {
      action: 'metrics.export',
      targetType: 'metrics',
      targetId: report,
      unitId,
      detail: { report, ...detail },
    });
    const stamp = today(clock.now()).replaceAll('-', '');
    return reply
      .type(XLSX_MIME)
      .header('content-disposition', attachmentDisposition(`${names.zh}-${stamp}.xlsx`, `${names.ascii}-${stamp}.xlsx`))
      .send(file);
  }

  app.get(
    '/api/metrics/three-rates',
    {
      schema: {
        tags: ['metrics'],
        summary: '三率 of a unit and its subtree for the week, month or year containing a day, or a range of days',
        description:
          `${SCOPE_NOTE} Places (district, street, community, grid) are measured in the territory dimension ` +
          '(what happens to the cases located in them, whoever handles them); departments in the handler ' +
          `dimension (what was given to, answered, resolved by them). Formulas:\n${formulas}`,
        querystring: threeRatesQuery,
        response: { 200: threeRatesResponse },
      },
      config: { access: { auth: 'staff', permission: 'metrics.read' } },
    },
    async (request) => threeRates(db, actorOf(request), settings, request.query, clock.now()),
  );

  app.get(
    '/api/metrics/overview',
    {
      schema: {
        tags: ['metrics'],
        summary:
          'The dashboards’ overview of a territory: cases over time, by category, by channel, by child unit and by grid, and where cases stand now',
        description:
          `${SCOPE_NOTE} from–to are days (at most ${MAX_RANGE_DAYS}; this month to today when absent). Over time ` +
          '(per day: received, resolved, closed), by unit (the child streets/communities/grids: received and ' +
          'resolved in the days, open now) and by grid (received in the days, open now) count exactly the days. ' +
          'By category (top level) and by channel count the cases taken in during the whole months that the days ' +
          'touch (`months` in the answer): that breakdown is kept per month, so that it stays small at millions ' +
          'of cases. A case is counted under the category it has now. "Open now" leaves out cases resolved and ' +
          'waiting for the visit; overdue = past the time limit now running. A department is a 400: departments ' +
          'have no territory (see the rankings).',
        querystring: overviewQuery,
        response: { 200: overviewResponse },
      },
      config: { access: { auth: 'staff', permission: 'metrics.read' } },
    },
    async (request) => overview(db, actorOf(request), request.query, clock.now()),
  );

  app.get(
    '/api/metrics/rankings',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Streets, communities, grids or departments within a unit, ranked by the mean of their 三率',
        description:
          `${SCOPE_NOTE} Units below minVolume (default RANKING_MIN_VOLUME) are listed in belowMinimum and never ` +
          `ranked; a unit with no rate yet is listed last without a rank. Formulas:\n${formulas}`,
        querystring: rankingsQuery,
        response: { 200: rankingsResponse },
      },
      config: { access: { auth: 'staff', permission: 'metrics.read' } },
    },
    async (request) => rankings(db, actorOf(request), settings, request.query, clock.now()),
  );

  app.get(
    '/api/metrics/bulletin',
    {
      schema: {
        tags: ['metrics'],
        summary:
          '一周一通报: the week of a territory — counts, 三率, where cases stand now, top categories, best and worst units',
        description:
          `${SCOPE_NOTE} "now" counts open cases (not those resolved and waiting for the visit) at the time of the ` +
          `request: overdue = past the time limit now running. Formulas:\n${formulas}`,
        querystring: bulletinQuery,
        response: { 200: bulletinResponse },
      },
      config: { access: { auth: 'staff', permission: 'metrics.read' } },
    },
    async (request) => bulletin(db, actorOf(request), settings, request.query, clock.now()),
  );

  app.get(
    '/api/metrics/league-table',
    {
      schema: {
        tags: ['metrics'],
        summary: '一月一晾晒: the ranking of a month with each unit’s change since the month before',
        description: `${SCOPE_NOTE} rankChange > 0: moved up. Formulas:\n${formulas}`,
        querystring: leagueTableQuery,
        response: { 200: leagueTableResponse },
      },
      config: { access: { auth: 'staff', permission: 'metrics.read' } },
    },
    async (request) => leagueTable(db, actorOf(request), settings, request.query, clock.now()),
  );

  app.get(
    '/api/metrics/ledger',
    {
      schema: {
        tags: ['metrics'],
        summary:
          '台账: cases of one type taken in between two days, by category — collected, resolved, in progress, overdue',
        description: `${SCOPE_NOTE} Formulas:\n${ledgerFormulas}`,
        querystring: ledgerQuery,
        response: { 200: ledgerResponse },
      },
      config: { access: { auth: 'staff', permission: 'metrics.read' } },
    },
    async (request) => ledger(db, actorOf(request), request.query, clock.now()),
  );

  app.get(
    '/api/metrics/bulletin.xlsx',
    {
      schema: {
        tags: ['metrics'],
        summary: '一周一通报 as an Excel workbook (needs data.export; the download is audited)',
        description: `${SCOPE_NOTE} The same figures as GET /api/metrics/bulletin.`,
        querystring: bulletinQuery,
        produces: [XLSX_MIME],
      },
      config: { access: { auth: 'staff', permission: 'data.export' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requirePermission(actor, 'metrics.read');
      const b = await bulletin(db, actor, settings, request.query, clock.now());
      return sendWorkbook(
        request,
        reply,
        'bulletin',
        b.unit.id,
        { week: b.period.from, ...request.query },
        await bulletinWorkbook(b),
        {
          zh: `${b.unit.name}一周一通报`,
          ascii: 'bulletin',
        },
      );
    },
  );

  app.get(
    '/api/metrics/league-table.xlsx',
    {
      schema: {
        tags: ['metrics'],
        summary: '一月一晾晒 as an Excel workbook (needs data.export; the download is audited)',
        description: `${SCOPE_NOTE} The same rows as GET /api/metrics/league-table.`,
        querystring: leagueTableQuery,
        produces: [XLSX_MIME],
      },
      config: { access: { auth: 'staff', permission: 'data.export' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requirePermission(actor, 'metrics.read');
      const t = await leagueTable(db, actor, settings, request.query, clock.now());
      return sendWorkbook(
        request,
        reply,
        'leagueTable',
        t.within.id,
        { month: t.month, level: t.level, ...request.query },
        await leagueTableWorkbook(t),
        { zh: `${t.within.name}一月一晾晒-${t.month}`, ascii: `league-table-${t.month}` },
      );
    },
  );

  app.get(
    '/api/metrics/ledger.xlsx',
    {
      schema: {
        tags: ['metrics'],
        summary: '台账 as an Excel workbook (needs data.export; the download is audited)',
        description: `${SCOPE_NOTE} The same rows as GET /api/metrics/ledger.`,
        querystring: ledgerQuery,
        produces: [XLSX_MIME],
      },
      config: { access: { auth: 'staff', permission: 'data.export' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requirePermission(actor, 'metrics.read');
      const l = await ledger(db, actor, request.query, clock.now());
      return sendWorkbook(request, reply, 'ledger', l.unit.id, { ...request.query }, await ledgerWorkbook(l), {
        zh: `${l.unit.name}${l.caseTypeName}台账`,
        ascii: `ledger-${l.caseType}`,
      });
    },
  );
}
