import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { escapeLike } from '../../access/scope.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { locateGrid } from '../grids/grids.repository.ts';
import { residentHome } from '../me/me.repository.ts';
import { intakeCase } from './case-intake.ts';
import type { CaseDeps } from './case-transition.ts';
import { caseCondition } from './cases.access.ts';
import { ancestorOfKind } from './cases.repository.ts';
import { nearbyOpenCases, summaryQuery } from './cases.service.ts';
import {
  presentResidentDetail,
  presentResidentSummary,
  presentSimilar,
  type ResidentCaseRow,
  type ResidentDetailRow,
  type ResidentEventRow,
  relationOf,
  type SimilarRow,
  STEP_ACTIONS,
  type StepContext,
  stepUnitIds,
  toStep,
  type UnitBrief,
} from './resident-cases.presenter.ts';
import type {
  ResidentCaseDetailDto,
  ResidentCaseSummaryDto,
  residentReportBody,
  SimilarCaseDto,
  TimelineStepDto,
} from './resident-cases.schema.ts';

/** "Similar cases" are open cases this close to the point of a new report. */
export const SIMILAR_RADIUS_METRES = 300;
export const SIMILAR_LIMIT = 5;

/** The resident's case rows: the list's summary columns and what the resident's detail reads. */
function residentRows(q: Queryable) {
  return summaryQuery(q).select([
    'cases.reporter_account_id',
    'cases.resolution_due_at',
    'cases.resolved_at',
    'cases.supporters_count',
    'cases.description',
    'cases.lng',
    'cases.lat',
    'cases.confidential',
    'cases.visit_due_at',
    'cases.rating',
    'cases.solved',
    'cases.rating_comment',
  ]);
}

function eventRows(q: Queryable) {
  return q
    .selectFrom('case_events as e')
    .select(['e.id', 'e.case_id', 'e.seq', 'e.action', 'e.owner_unit_id', 'e.note', 'e.data', 'e.created_at']);
}

/** Unit names and image ids for a set of events: what their steps show. */
async function stepContext(
  q: Queryable,
  events: ResidentEventRow[],
  relation: (caseId: number) => StepContext['relation'],
) {
  const unitIds = [...new Set(events.flatMap(stepUnitIds))];
  const eventIds = events.map((e) => e.id);
  const [units, photos] = await Promise.all([
    unitIds.length
      ? q.selectFrom('units').select(['id', 'name', 'kind']).where('id', 'in', unitIds).execute()
      : Promise.resolve([] as UnitBrief[]),
    eventIds.length
      ? q
          .selectFrom('attachments')
          .select(['id', 'event_id'])
          .where('event_id', 'in', eventIds)
          .where('kind', '=', 'image')
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      : Promise.resolve([] as Array<{ id: string; event_id: number | null }>),
  ]);
  const unitMap = new Map(units.map((u) => [u.id, u]));
  const photosByEvent = new Map<number, string[]>();
  for (const p of photos) {
    if (p.event_id !== null) photosByEvent.set(p.event_id, [...(photosByEvent.get(p.event_id) ?? []), p.id]);
  }
  return (e: ResidentEventRow) => toStep(e, { relation: relation(e.case_id), units: unitMap, photosByEvent });
}

/** My cases (reported or joined), the most recently active first, each with its latest public step. */
export async function listMyCases(q: Queryable, actor: Actor, page: number, pageSize: number) {
  const [rows, count] = await Promise.all([
    residentRows(q)
      .where((eb) => caseCondition(eb, actor))
      .orderBy('cases.updated_at', 'desc')
      .orderBy('cases.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => caseCondition(eb, actor))
      .executeTakeFirstOrThrow(),
  ]);
  const lastEvents = rows.length
    ? await eventRows(q)
        .distinctOn('e.case_id')
        .where(
          'e.case_id',
          'in',
          rows.map((r) => r.id),
        )
        .where('e.action', 'in', [...STEP_ACTIONS])
        .where((eb) => eb.or([eb('e.action', '!=', 'decideExtension'), sql<boolean>`(e.data->>'approved') = 'true'`]))
        .orderBy('e.case_id')
        .orderBy('e.seq', 'desc')
        .execute()
    : [];
  const relations = new Map(rows.map((r) => [r.id, relationOf(r, actor.accountId)]));
  const step = await stepContext(q, lastEvents, (id) => relations.get(id) ?? 'supporter');
  const lastByCase = new Map(lastEvents.map((e) => [e.case_id, step(e)]));
  const items: ResidentCaseSummaryDto[] = rows.map((r) =>
    presentResidentSummary(r as ResidentCaseRow, relations.get(r.id)!, lastByCase.get(r.id) ?? null),
  );
  return { items, total: Number(count.n), page, pageSize };
}

/** One of my cases with its plain timeline; 404 unless I reported or joined it (the one access rule). */
export async function myCaseDetail(q: Queryable, actor: Actor, id: number): Promise<ResidentCaseDetailDto> {
  const row = (await residentRows(q)
    .where('cases.id', '=', id)
    .where((eb) => caseCondition(eb, actor))
    .executeTakeFirst()) as ResidentDetailRow | undefined;
  if (!row) throw notFound('Case');
  const relation = relationOf(row, actor.accountId);
  const events = await eventRows(q).where('e.case_id', '=', id).orderBy('e.seq').execute();
  const step = await stepContext(q, events, () => relation);
  const steps: TimelineStepDto[] = [];
  let result: ResidentCaseDetailDto['result'] = null;
  for (const e of events) {
    const s = step(e);
    if (!s) continue;
    steps.push(s);
    if (s.kind === 'resolved') result = { text: s.text, photos: s.photos, at: s.at };
    if (s.kind === 'reopened') result = null;
  }
  const intake = events.find((e) => e.seq === 1);
  const reportPhotos = intake
    ? (
        await q
          .selectFrom('attachments')
          .select('id')
          .where('case_id', '=', id)
          .where('event_id', '=', intake.id)
          .where('kind', '=', 'image')
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      ).map((a) => a.id)
    : [];
  return presentResidentDetail(row, relation, steps, reportPhotos, result);
}

/** A resident's report from the H5: routed to the grid holding the location, or to my own grid without one. */
export async function reportCase(
  trx: Trx,
  deps: CaseDeps,
  actor: Actor,
  body: z.infer<typeof residentReportBody>,
): Promise<number> {
  const me = await trx
    .selectFrom('accounts')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .select(['accounts.phone', 'accounts.display_name', 'people.id as person_id', 'people.name', 'people.unit_id'])
    .where('accounts.id', '=', actor.accountId)
    .executeTakeFirstOrThrow();
  if (body.location) {
    // A resident reports within the territory: a point outside every grid is a mistake, not a case for the street.
    const grid = await locateGrid(trx, body.location.lng, body.location.lat);
    if (!grid) throw badRequest('The location is outside every grid of the territory', { field: 'location' });
  } else if (!me.unit_id) {
    throw badRequest('Give the location, or complete your address first', { field: 'location' });
  }
  const result = await intakeCase(trx, deps, actor, {
    caseType: 'appeal',
    channel: 'h5',
    title: body.title ?? [...body.description].slice(0, 30).join(''),
    description: body.description,
    categoryId: body.categoryId,
    urgency: 'normal',
    location: body.location,
    address: body.address,
    unitId: me.unit_id ?? undefined,
    reporter: {
      accountId: actor.accountId,
      personId: me.person_id,
      name: me.name ?? me.display_name,
      phone: me.phone,
    },
    confidential: body.confidential,
    attachmentIds: body.attachmentIds,
    attachmentKind: 'image',
  });
  return result.caseId;
}

/** The district (or, in a territory without one, the top unit) my home lies in; null without a home. */
async function homeDistrictPath(q: Queryable, accountId: number): Promise<string | null> {
  const { path } = await residentHome(q, accountId);
  if (!path) return null;
  const district = await ancestorOfKind(q, path, ['district']);
  return district?.path ?? `/${path.split('/').filter(Boolean)[0]}/`;
}

/**
 * Open cases near the point of a report that I could join instead of reporting again: not confidential, in my
 * home's district, not my own; same top-level category (or not yet classified) when one is given; nearest
 * first, words in common ranking higher. Only public facts: no reporter, no description.
 */
export async function similarForResident(
  q: Queryable,
  actor: Actor,
  query: { lng: number; lat: number; text?: string | undefined; categoryId?: number | undefined },
): Promise<SimilarCaseDto[]> {
  const district = await homeDistrictPath(q, actor.accountId);
  if (!district) return [];
  const top =
    query.categoryId === undefined
      ? undefined
      : await q
          .selectFrom('case_categories')
          .select((eb) => eb.fn.coalesce('parent_id', 'id').as('top'))
          .where('id', '=', query.categoryId)
          .executeTakeFirst();
  const rows: SimilarRow[] = await nearbyOpenCases(
    q,
    (eb) =>
      eb.and([
        eb('cases.confidential', '=', false),
        eb('cases.territory_path', 'like', `${escapeLike(district)}%`),
        eb.or([eb('cases.reporter_account_id', 'is', null), eb('cases.reporter_account_id', '!=', actor.accountId)]),
        ...(top
          ? [
              eb.or([
                eb('cases.category_id', 'is', null),
                eb(
                  'cases.category_id',
                  'in',
                  eb
                    .selectFrom('case_categories as sc')
                    .select('sc.id')
                    .where((c) => c.or([c('sc.id', '=', top.top), c('sc.parent_id', '=', top.top)])),
                ),
              ]),
            ]
          : []),
      ]),
    { lng: query.lng, lat: query.lat },
    SIMILAR_RADIUS_METRES,
    query.text,
    SIMILAR_LIMIT,
  );
  if (rows.length === 0) return [];
  const joined = new Set(
    (
      await q
        .selectFrom('case_supporters')
        .select('case_id')
        .where('account_id', '=', actor.accountId)
        .where(
          'case_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    ).map((s) => s.case_id),
  );
  return rows.map((r) => presentSimilar(r, joined.has(r.id)));
}

/**
 * "Me too" (附议): joins an open case I could see as similar (open, not yet resolved, not confidential, located,
 * in my home's district); anything else is the same 404 as an unknown id. My own report is a 409. Joining twice
 * changes nothing. The case row is locked, so the count stays exact under concurrent joins.
 */
export async function joinCase(trx: Trx, actor: Actor, caseId: number, now: Date) {
  const district = await homeDistrictPath(trx, actor.accountId);
  if (!district) throw notFound('Case');
  const target = await trx
    .selectFrom('cases')
    .select(['id', 'reporter_account_id', 'supporters_count'])
    .where('id', '=', caseId)
    .where('closed_at', 'is', null)
    .where('state', '!=', 'resolved')
    .where('confidential', '=', false)
    .where('location', 'is not', null)
    .where('territory_path', 'like', `${escapeLike(district)}%`)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw notFound('Case');
  if (target.reporter_account_id === actor.accountId) throw conflict('This is your own report: you follow it already');
  const inserted = await trx
    .insertInto('case_supporters')
    .values({ case_id: caseId, account_id: actor.accountId, created_at: now })
    .onConflict((oc) => oc.columns(['case_id', 'account_id']).doNothing())
    .returning('case_id')
    .executeTakeFirst();
  if (!inserted) return { joined: false, supporters: target.supporters_count };
  const updated = await trx
    .updateTable('cases')
    .set((eb) => ({ supporters_count: eb('supporters_count', '+', 1) }))
    .where('id', '=', caseId)
    .returning('supporters_count')
    .executeTakeFirstOrThrow();
  return { joined: true, supporters: updated.supporters_count };
}
