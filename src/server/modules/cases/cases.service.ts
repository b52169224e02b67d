import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Permission } from '../../access/permissions.ts';
import { escapeLike, unitCondition, unitScope } from '../../access/scope.ts';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { notFound } from '../../http/errors.ts';
import { caseAttachmentsJson, presentCaseAttachments } from '../attachments/attachments.service.ts';
import { getWorkCalendar } from '../calendar/calendar.service.ts';
import { searchMatchSql, searchQuerySql, searchRankSql } from '../search/segment.ts';
import { OPEN_STATES } from './case-machine.ts';
import { caseCondition } from './cases.access.ts';
import {
  type CaseSummaryRow,
  type DetailExtras,
  type EventRow,
  presentDetail,
  presentSummary,
  type ReadClock,
} from './cases.presenter.ts';

export type { ReadClock };

/** The clock and working-day calendar a case response is computed with (the calendar is cached). */
export async function readClock(q: Queryable, config: Config, now: Date): Promise<ReadClock> {
  return { now, calendar: await getWorkCalendar(q, config, now) };
}

import { caseContextColumns, toCaseContext } from './cases.repository.ts';
import type { CaseDetailDto, ListCasesQuery, WORKLISTS } from './cases.schema.ts';

type Eb = ExpressionBuilder<DB, 'cases'>;

/** Worklists where what is due first comes first (the rest list the newest first). */
const BY_DEADLINE = new Set<Worklist>(['toHandle', 'toCheckIn', 'overdue', 'supervised']);

/** A full-text search orders by relevance the newest this many matching cases (the count still counts all). */
export const SEARCH_RANK_WINDOW = 2_000;

/**
 * Lists and worklist badges count at most this many cases (a larger total is reported as capped, "1,000+").
 * A count walks the matching index entries one by one, and where the data scope is "territory or an assignment
 * in scope" (every staff member's) a district's overdue entries sit among the whole city's, so the walk is about
 * cap ÷ the district's share long: 10,000 made the overdue list ~90 ms at a megacity, 1,000 makes it a tenth.
 * Exact totals per unit are the dashboard's (from the daily rollups), not the list's.
 */
export const COUNT_CAP = 1_000;
export type Worklist = (typeof WORKLISTS)[number];

/** The select of a case list: one row per case with the names of its category and units. */
export function summaryQuery(q: Queryable) {
  return q
    .selectFrom('cases')
    .innerJoin('units as owner', 'owner.id', 'cases.owner_unit_id')
    .leftJoin('units as grid', 'grid.id', 'cases.grid_id')
    .leftJoin('units as lead', 'lead.id', 'cases.lead_unit_id')
    .leftJoin('case_categories as cat', 'cat.id', 'cases.category_id')
    .leftJoin('case_categories as parent', 'parent.id', 'cat.parent_id')
    .select([
      'cases.id',
      'cases.number',
      'cases.case_type',
      'cases.title',
      'cases.category_id',
      'cat.name as category_name',
      'parent.name as category_parent_name',
      'cases.urgency',
      'cases.channel',
      'cases.state',
      'cases.colour',
      'cases.supervised',
      'cases.round',
      'cases.address',
      'cases.grid_id',
      'grid.name as grid_name',
      'cases.owner_unit_id',
      'owner.name as owner_name',
      'owner.kind as owner_kind',
      'cases.lead_unit_id',
      'lead.name as lead_name',
      'cases.due_at',
      'cases.manual_colour',
      'cases.next_chase_at',
      'cases.created_at',
      'cases.updated_at',
      'cases.version',
    ]);
}

/** The case's owning unit is where the actor holds the permission. */
const ownerCovered = (eb: Eb, actor: Actor, permission: Permission) =>
  unitCondition(eb, unitScope(actor, permission), 'cases.owner_unit_path', 'cases.owner_unit_id');

/** A unit in scope for the permission has an open assignment of one of the roles on the case. */
const assignedTo = (eb: Eb, actor: Actor, roles: Array<'owner' | 'lead' | 'assist'>, statuses: string[]) =>
  eb.exists(
    eb
      .selectFrom('case_assignments as a')
      .select(sql`1`.as('one'))
      .whereRef('a.case_id', '=', 'cases.id')
      .where('a.role', 'in', roles)
      .where('a.status', 'in', statuses as never[])
      .where((ab) => unitCondition(ab, unitScope(actor, 'case.handle'), 'a.unit_path', 'a.unit_id')),
  );

type Branch = (eb: Eb) => Expression<SqlBool>;

/**
 * A worklist's condition as disjoint parts (their OR is `worklistCondition`). "To handle" is two: cases waiting at
 * a grid, community or street owned in scope, and cases a department in scope leads. Lists and badges read each
 * part from its own index and add them up (UNION ALL), so both can be answered from the indexes alone; an OR of
 * the two would be a bitmap scan, which visits a heap page per matching case (see bench/README.md, "Read paths").
 */
export function worklistBranches(actor: Actor, worklist: Worklist): Branch[] | null {
  if (worklist !== 'toHandle') return null;
  return [
    (eb) =>
      eb.and([eb('cases.state', 'in', ['inGrid', 'atCommunity', 'atStreet']), ownerCovered(eb, actor, 'case.handle')]),
    (eb) =>
      eb.and([
        eb('cases.state', '=', 'handling'),
        unitCondition(eb, unitScope(actor, 'case.handle'), 'cases.lead_unit_path', 'cases.lead_unit_id'),
      ]),
  ];
}

/** The condition of each worklist (我的待办): what is waiting for this actor to act. */
export function worklistCondition(eb: Eb, actor: Actor, worklist: Worklist, now: Date): Expression<SqlBool> {
  switch (worklist) {
    case 'toClassify':
      return eb.and([eb('cases.state', '=', 'received'), ownerCovered(eb, actor, 'case.handle')]);
    case 'toDispatch':
      return eb.and([eb('cases.state', '=', 'pendingDispatch'), ownerCovered(eb, actor, 'case.dispatch')]);
    case 'toCheckIn':
      return eb.and([
        eb('cases.state', 'in', ['whistled', 'handling']),
        assignedTo(eb, actor, ['lead', 'assist'], ['pending']),
      ]);
    case 'toHandle':
      return eb.or((worklistBranches(actor, worklist) ?? []).map((branch) => branch(eb)));
    case 'toArbitrate':
      return eb.and([eb('cases.state', '=', 'arbitration'), ownerCovered(eb, actor, 'case.dispatch')]);
    case 'toVisit':
      return eb.and([
        eb('cases.state', '=', 'resolved'),
        unitCondition(eb, unitScope(actor, 'case.visit'), 'cases.territory_path', 'cases.territory_unit_id'),
      ]);
    case 'overdue':
      // Active (ACTIVE_STATES) = open (closed_at is set on entering a terminal state, which is final) and not
      // resolved; written literally so that the partial index cases_overdue_idx (migration 0220) matches.
      return eb.and([
        eb('cases.closed_at', 'is', null),
        eb('cases.state', '<>', sql.lit('resolved')),
        eb('cases.due_at', '<=', now),
        eb('cases.manual_colour', 'is', null),
      ]);
    case 'supervised':
      return eb.and([
        eb('cases.closed_at', 'is', null),
        eb('cases.supervised', '=', sql.lit(true)),
        eb('cases.state', 'in', OPEN_STATES as never[]),
      ]);
    case 'supervisionReview':
      return eb.and([
        eb('cases.state', '=', 'supervisionReview'),
        unitCondition(eb, unitScope(actor, 'case.supervise'), 'cases.territory_path', 'cases.territory_unit_id'),
      ]);
    case 'extensionRequests':
      return eb.and([
        eb('cases.pending_extension', 'is not', null),
        unitCondition(eb, unitScope(actor, 'case.supervise'), 'cases.territory_path', 'cases.territory_unit_id'),
      ]);
    case 'returnedTwice':
      return eb.and([eb('cases.closed_at', 'is', null), eb('cases.return_count', '>=', sql.lit(2))]);
    case 'dissatisfied':
      return eb.and([
        eb('cases.closed_at', 'is', null),
        eb.or([eb('cases.round', '>=', sql.lit(2)), eb('cases.rating', '=', sql.lit('dissatisfied'))]),
      ]);
    default:
      throw new Error(`unknown worklist ${worklist satisfies never}`);
  }
}

/** A list's filters without its paging: what the Excel export takes. */
export type CaseListFilter = Omit<ListCasesQuery, 'page' | 'pageSize'>;

function filters(eb: Eb, actor: Actor, f: CaseListFilter, paths: { unit?: string }, now: Date, branch?: Branch) {
  const and: ReturnType<typeof caseCondition>[] = [caseCondition(eb, actor)];
  if (f.worklist) and.push(branch ? branch(eb) : worklistCondition(eb, actor, f.worklist, now));
  if (f.state) and.push(eb('cases.state', 'in', Array.isArray(f.state) ? f.state : [f.state]));
  if (f.caseType) and.push(eb('cases.case_type', '=', f.caseType));
  if (f.categoryId) {
    and.push(
      eb.or([
        eb('cases.category_id', '=', f.categoryId),
        eb(
          'cases.category_id',
          'in',
          eb.selectFrom('case_categories').select('id').where('parent_id', '=', f.categoryId),
        ),
      ]),
    );
  }
  if (f.colour) and.push(eb('cases.colour', '=', f.colour));
  if (f.channel) and.push(eb('cases.channel', '=', f.channel));
  if (f.gridId) and.push(eb('cases.grid_id', '=', f.gridId));
  if (paths.unit !== undefined) and.push(eb('cases.territory_path', 'like', `${escapeLike(paths.unit)}%`));
  if (f.handlerUnitId) {
    and.push(
      eb.exists(
        eb
          .selectFrom('case_assignments as h')
          .select(sql`1`.as('one'))
          .whereRef('h.case_id', '=', 'cases.id')
          .where('h.unit_id', '=', f.handlerUnitId),
      ),
    );
  }
  if (f.supervised !== undefined) and.push(eb('cases.supervised', '=', f.supervised));
  if (f.open !== undefined)
    and.push(f.open ? eb('cases.closed_at', 'is', null) : eb('cases.closed_at', 'is not', null));
  if (f.from)
    and.push(eb('cases.created_at', '>=', sql<Date>`(${f.from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`));
  if (f.to) {
    and.push(eb('cases.created_at', '<', sql<Date>`(${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`));
  }
  return and as Array<Expression<SqlBool>>;
}

/**
 * The WHERE of a case list — data scope, worklist, filters and full-text search, exactly as GET /api/cases
 * applies them — for other readers of the same rows (the Excel export). Null when nothing can match: an unknown
 * unit, or search text without a searchable word.
 */
export async function listCondition(
  q: Queryable,
  actor: Actor,
  f: CaseListFilter,
  now: Date,
): Promise<((eb: Eb) => Expression<SqlBool>) | null> {
  const prepared = await prepareList(q, f);
  if (!prepared) return null;
  return (eb) => eb.and(listWhere(eb, actor, f, prepared, now));
}

/** A case number typed into the search box (e.g. LL-2026-000123) finds that case rather than words. */
const CASE_NUMBER = /^[A-Za-z]{1,16}-\d{4}-\d{1,12}$/;

interface PreparedList {
  paths: { unit?: string };
  tsquery: ReturnType<typeof searchQuerySql> | null;
  number: string | null;
}

/** A list without a unit or search filter (the worklist badges). */
const NO_FILTER: PreparedList = { paths: {}, tsquery: null, number: null };

/** The unit path and the search of a list's filter; null when nothing can match. */
async function prepareList(q: Queryable, f: CaseListFilter): Promise<PreparedList | null> {
  const paths: { unit?: string } = {};
  if (f.unitId) {
    const unit = await q.selectFrom('units').select('path').where('id', '=', f.unitId).executeTakeFirst();
    if (!unit) return null;
    paths.unit = unit.path;
  }
  if (f.q && CASE_NUMBER.test(f.q)) return { paths, tsquery: null, number: f.q.toUpperCase() };
  const tsquery = f.q ? searchQuerySql(f.q) : null;
  if (f.q && !tsquery) return null;
  return { paths, tsquery, number: null };
}

function listWhere(eb: Eb, actor: Actor, f: CaseListFilter, p: PreparedList, now: Date, branch?: Branch) {
  const and = filters(eb, actor, f, p.paths, now, branch);
  if (p.tsquery) and.push(searchMatchSql('cases.search', p.tsquery) as Expression<SqlBool>);
  if (p.number) and.push(eb('cases.number', '=', p.number));
  return and;
}

/**
 * The ids of the cases a list matches, with the key it is sorted by (`k`, null when it is sorted by id alone):
 * one SELECT, or for a worklist made of disjoint parts one per part joined by UNION ALL.
 */
function matchingCases(
  q: Queryable,
  actor: Actor,
  f: CaseListFilter,
  p: PreparedList,
  now: Date,
  key: RawBuilder<unknown> | null,
) {
  const part = (branch?: Branch) =>
    q
      .selectFrom('cases')
      .select(['cases.id', (key ?? sql<unknown>`null`).as('k')])
      .where((eb) => eb.and(listWhere(eb, actor, f, p, now, branch)));
  const [first, ...rest] = (f.worklist && worklistBranches(actor, f.worklist)) || [undefined];
  return rest.reduce((union, branch) => union.unionAll(part(branch)), part(first));
}

export async function listCases(q: Queryable, actor: Actor, f: ListCasesQuery, at: ReadClock) {
  const now = at.now;
  const prepared = await prepareList(q, f);
  if (!prepared) return { items: [], total: 0, totalIsCapped: false, page: f.page, pageSize: f.pageSize };
  const { tsquery } = prepared;
  const byDeadline = !tsquery && f.worklist !== undefined && BY_DEADLINE.has(f.worklist);
  const key = tsquery
    ? searchRankSql('cases.search', tsquery)
    : byDeadline
      ? sql<unknown>`${sql.ref('cases.due_at')}`
      : null;
  // The page is chosen from the ids and the sort key alone (index-only where the indexes hold them), and only
  // its rows are joined to the names of their units and categories — not every matching case before the sort.
  const sorted = <T extends { orderBy: (...args: never[]) => T }>(query: T, k: string, id: string): T => {
    const byKey = tsquery
      ? (query.orderBy as (e: unknown, d: 'desc') => T)(sql.ref(k), 'desc')
      : byDeadline
        ? (query.orderBy as (e: unknown) => T)(sql`${sql.ref(k)} ASC NULLS LAST`)
        : query;
    return (byKey.orderBy as (e: unknown, d: 'desc') => T)(sql.ref(id), 'desc');
  };
  const matching = matchingCases(q, actor, f, prepared, now, key);
  // A search ranks the newest SEARCH_RANK_WINDOW matches, not all of them: a common word matches a quarter of
  // a million cases at 1M, and ranking every one took seconds (bench/README.md, "Read paths").
  const ranked = tsquery ? matching.orderBy(sql.ref('id'), 'desc').limit(SEARCH_RANK_WINDOW) : matching;
  const page = sorted(q.selectFrom(ranked.as('m')).select(['m.id', 'm.k']), 'm.k', 'm.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  // Counting stops at COUNT_CAP: a district-wide list of a million cases says "1,000+" instead of counting
  // every row on each page view.
  const counted = q
    .selectFrom(
      matchingCases(q, actor, f, prepared, now, null)
        .limit(COUNT_CAP + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'));
  const [rows, count] = await Promise.all([
    sorted(summaryQuery(q).innerJoin(page.as('p'), 'p.id', 'cases.id'), 'p.k', 'cases.id').execute(),
    counted.executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => presentSummary(r as CaseSummaryRow, at)),
    total: Math.min(count.n, COUNT_CAP),
    totalIsCapped: count.n > COUNT_CAP,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** How many cases wait in each worklist for the actor (the console's menu badges). */
export async function worklistCounts(q: Queryable, actor: Actor, lists: readonly Worklist[], now: Date) {
  const counts = await Promise.all(
    lists.map((w) =>
      q
        .selectFrom(
          matchingCases(q, actor, { worklist: w }, NO_FILTER, now, null)
            .limit(COUNT_CAP + 1)
            .as('m'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  );
  return Object.fromEntries(lists.map((w, i) => [w, counts[i]!.n])) as Record<Worklist, number>;
}

/**
 * The case detail in one statement: the case row with its context (type, units, open assignments), the summary's
 * names, the timeline, the assignments, the attachments and the case it was merged into as JSON beside it. The
 * data scope is in the WHERE: out of scope is the same 404 as missing.
 */
export async function caseDetail(q: Queryable, actor: Actor, id: number, at: ReadClock): Promise<CaseDetailDto> {
  const found = await summaryQuery(q)
    .selectAll('cases')
    .select(caseContextColumns)
    .select([
      sql<DetailEventJson[] | null>`(SELECT json_agg(json_build_object('id', e.id, 'seq', e.seq, 'action', e.action,
          'from_state', e.from_state, 'to_state', e.to_state, 'actor_name', e.actor_name,
          'actor_unit_id', e.actor_unit_id, 'actor_unit_name', u.name, 'actor_unit_kind', u.kind, 'note', e.note,
          'data', e.data, 'created_at', e.created_at) ORDER BY e.seq)
          FROM case_events e LEFT JOIN units u ON u.id = e.actor_unit_id
         WHERE e.case_id = cases.id)`.as('detail_events'),
      sql<DetailAssignmentJson[] | null>`(SELECT json_agg(json_build_object('unit_id', a.unit_id,
          'unit_name', u.name, 'unit_kind', u.kind, 'role', a.role, 'status', a.status, 'round', a.round,
          'assigned_at', a.assigned_at, 'response_due_at', a.response_due_at, 'responded_at', a.responded_at)
          ORDER BY a.id)
          FROM case_assignments a JOIN units u ON u.id = a.unit_id
         WHERE a.case_id = cases.id)`.as('detail_assignments'),
      caseAttachmentsJson(sql.ref('cases.id')).as('detail_attachments'),
      sql<DetailExtras['mergedInto']>`(SELECT json_build_object('id', m.id, 'number', m.number, 'state', m.state)
          FROM cases m WHERE m.id = cases.merged_into_id)`.as('detail_merged_into'),
    ])
    .where('cases.id', '=', id)
    .where((eb) => caseCondition(eb, actor))
    .executeTakeFirst();
  if (!found) throw notFound('Case');
  const { detail_events, detail_assignments, detail_attachments, detail_merged_into, ...row } = found;
  const { category_name, category_parent_name, grid_name, owner_name, owner_kind, lead_name, ...caseRow } = row;
  return presentDetail(actor, toCaseContext(caseRow), {
    summary: row as CaseSummaryRow,
    at,
    events: (detail_events ?? []).map((e) => ({ ...e, created_at: new Date(e.created_at) })),
    assignments: (detail_assignments ?? []).map((a) => ({
      ...a,
      assigned_at: new Date(a.assigned_at),
      response_due_at: new Date(a.response_due_at),
      responded_at: a.responded_at === null ? null : new Date(a.responded_at),
    })),
    attachments: presentCaseAttachments(detail_attachments),
    mergedInto: detail_merged_into ?? null,
  });
}

/** Rows of the detail's JSON columns: timestamps arrive as ISO strings. */
type DetailEventJson = Omit<EventRow, 'created_at'> & { created_at: string };
type DetailAssignmentJson = Omit<
  DetailExtras['assignments'][number],
  'assigned_at' | 'response_due_at' | 'responded_at'
> & { assigned_at: string; response_due_at: string; responded_at: string | null };

/** Metres from a point, by the equirectangular approximation (exact enough within a few kilometres). */
function metresFrom(at: { lng: number; lat: number }) {
  const cosLat = Math.cos((at.lat * Math.PI) / 180);
  return sql<number>`111320 * sqrt(power((${sql.ref('cases.lng')} - ${at.lng}::float8) * ${cosLat}::float8, 2) + power(${sql.ref('cases.lat')} - ${at.lat}::float8, 2))`;
}

/**
 * Open, not yet resolved cases within the radius of a point that match `where`, nearest first, text in common
 * ranking a case higher: the summary row with `distance_m`. The box around the point is what the GiST index on
 * open cases' locations answers, so the cost is the cases near the point, not all cases.
 */
export async function nearbyOpenCases(
  q: Queryable,
  where: (eb: Eb) => Expression<SqlBool>,
  at: { lng: number; lat: number },
  radiusMetres: number,
  text: string | undefined,
  limit: number,
) {
  const dLat = radiusMetres / 111_320;
  const dLng = radiusMetres / (111_320 * Math.cos((at.lat * Math.PI) / 180));
  const metres = metresFrom(at);
  const box = sql`box(point(${at.lng - dLng}::float8, ${at.lat - dLat}::float8), point(${at.lng + dLng}::float8, ${at.lat + dLat}::float8))`;
  const tsquery = text ? searchQuerySql(text) : null;
  const rank = tsquery ? sql<number>`coalesce(${searchRankSql('cases.search', tsquery)}, 0)` : sql<number>`0`;
  return summaryQuery(q)
    .select([sql<number>`round(${metres})`.as('distance_m'), rank.as('text_rank'), 'cases.supporters_count'])
    .where('cases.closed_at', 'is', null)
    .where('cases.state', '!=', 'resolved')
    .where(sql<boolean>`${sql.ref('cases.location')} <@ ${box}`)
    .where(sql<boolean>`${metres} <= ${radiusMetres}::float8`)
    .where(where)
    .orderBy(sql`${metres} - ${rank} * ${radiusMetres}::float8`)
    .limit(limit)
    .execute();
}

/**
 * Open cases near a point, nearest first, that the actor may read — to merge a duplicate instead of opening a
 * second case. Text in common ranks a case higher within the radius.
 */
export async function similarCases(
  q: Queryable,
  actor: Actor,
  at: { lng: number; lat: number },
  radiusMetres: number,
  text: string | undefined,
  excludeId: number | undefined,
  limit: number,
  clock: ReadClock,
) {
  const rows = await nearbyOpenCases(
    q,
    (eb) => eb.and([caseCondition(eb, actor), ...(excludeId ? [eb('cases.id', '!=', excludeId)] : [])]),
    at,
    radiusMetres,
    text,
    limit,
  );
  return rows.map((r) => ({ ...presentSummary(r as CaseSummaryRow, clock), distanceMetres: Number(r.distance_m) }));
}
