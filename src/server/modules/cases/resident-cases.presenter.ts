import { allowedActions, type CaseState } from './case-machine.ts';
import type { CaseRating } from './cases.tables.ts';
import type {
  ResidentCaseDetailDto,
  ResidentCaseSummaryDto,
  SimilarCaseDto,
  Stage,
  StepKind,
  TimelineStepDto,
} from './resident-cases.schema.ts';

/**
 * Cases as a resident sees them: a plain-language stage and timeline. Staff names never appear (unit names
 * do); text appears only where it is meant for the resident; purely internal events are left out.
 */

export type Relation = 'reporter' | 'supporter';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The plain-language stage of a case state. */
export function stageOf(state: string): Stage {
  switch (state as CaseState) {
    case 'received':
    case 'pendingDispatch':
      return 'received';
    case 'resolved':
      return 'resolved';
    case 'closed':
      return 'closed';
    case 'merged':
      return 'merged';
    default:
      return 'handling';
  }
}

/** Runs of 7 or more digits (a phone number typed into a title) become asterisks. */
export function maskDigits(text: string): string {
  return text.replace(/[0-9０-９]{7,}/g, (run) => '*'.repeat(run.length));
}

/**
 * Events that become a step of the resident's timeline (every one of them maps to a step, except a refused
 * extension, which the list query leaves out too). Notes between staff, chases, colours, extension requests,
 * assisting departments' refusals and visit invitations are internal.
 */
export const STEP_ACTIONS = [
  'intake',
  'classify',
  'dispatch',
  'overrule',
  'escalate',
  'whistle',
  'redispatch',
  'checkIn',
  'assistCheckIn',
  'transfer',
  'returnCase',
  'decideExtension',
  'supervise',
  'resolve',
  'selfResolve',
  'visit',
  'rehandle',
  'expireVisit',
  'reject',
  'closeBySupervisor',
  'merge',
] as const;

export interface ResidentEventRow {
  id: number;
  case_id: number;
  action: string;
  owner_unit_id: number;
  note: string | null;
  data: unknown;
  created_at: Date;
}

type Data = Record<string, unknown>;
const dataOf = (e: ResidentEventRow): Data => (e.data && typeof e.data === 'object' ? (e.data as Data) : {});
const idOf = (v: unknown): number | null =>
  v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'number' ? (v as { id: number }).id : null;
const idsOf = (v: unknown): number[] => (Array.isArray(v) ? v.map(idOf).filter((id): id is number => id !== null) : []);

function stepKind(e: ResidentEventRow): StepKind | null {
  const d = dataOf(e);
  switch (e.action) {
    case 'intake':
      return 'received';
    case 'classify':
    case 'dispatch':
    case 'overrule':
      return 'assigned';
    case 'escalate':
      return 'escalated';
    case 'whistle':
    case 'redispatch':
      return 'whistled';
    case 'checkIn':
    case 'assistCheckIn':
      return 'checkedIn';
    case 'transfer':
      return 'transferred';
    case 'returnCase':
      return 'returned';
    case 'decideExtension':
      return d.approved === true ? 'extended' : null;
    case 'supervise':
      return 'supervised';
    case 'resolve':
    case 'selfResolve':
      return 'resolved';
    case 'visit':
      return d.reopened === true ? 'reopened' : d.toSupervision === true ? 'supervised' : 'rated';
    case 'rehandle':
      return 'reopened';
    case 'expireVisit':
    case 'reject':
    case 'closeBySupervisor':
      return 'closed';
    case 'merge':
      return 'merged';
    default:
      return null;
  }
}

/** The units a step names: where the case went, who was summoned, who resolved it. */
export function stepUnitIds(e: ResidentEventRow): number[] {
  const d = dataOf(e);
  let ids: Array<number | null>;
  switch (e.action) {
    case 'whistle':
    case 'redispatch':
      ids = [idOf(d.lead), ...idsOf(d.assists)];
      break;
    case 'transfer':
      ids = d.lead ? [idOf(d.lead), ...idsOf(d.assists)] : [e.owner_unit_id];
      break;
    case 'checkIn':
    case 'returnCase':
    case 'overrule':
      ids = [idOf(d.unit)];
      break;
    case 'assistCheckIn':
      ids = idsOf(d.units);
      break;
    case 'resolve':
    case 'selfResolve':
      ids = [idOf(d.resolver)];
      break;
    case 'intake':
    case 'classify':
    case 'dispatch':
    case 'escalate':
      ids = [e.owner_unit_id];
      break;
    case 'rehandle':
    case 'visit':
      // Reopened: back to the unit that resolved it (the lead department of a whistled case).
      ids = e.action === 'rehandle' || d.reopened === true ? [idOf(d.to) ?? e.owner_unit_id] : [];
      break;
    default:
      ids = [];
  }
  return ids.filter((id): id is number => id !== null);
}

const SHANGHAI_MINUTE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** 2026-12-04 17:30 (Beijing time): the same in both languages. */
export function shanghaiMinute(value: string | Date): string {
  return SHANGHAI_MINUTE.format(new Date(value));
}

function stepText(e: ResidentEventRow, relation: Relation): string | null {
  const d = dataOf(e);
  switch (e.action) {
    case 'resolve':
    case 'selfResolve':
    case 'reject':
      return e.note;
    case 'visit':
      // The reporter's own words; a supporter does not read another resident's rating.
      return relation === 'reporter' ? e.note : null;
    case 'decideExtension':
      return typeof d.to === 'string' ? shanghaiMinute(d.to) : null;
    case 'merge': {
      const master = d.master as { number?: unknown } | undefined;
      return typeof master?.number === 'string' ? master.number : null;
    }
    default:
      return null;
  }
}

export interface UnitBrief {
  id: number;
  name: string;
  kind: string;
}

export interface StepContext {
  relation: Relation;
  units: ReadonlyMap<number, UnitBrief>;
  /** Image attachment ids by the event they were added with. */
  photosByEvent: ReadonlyMap<number, string[]>;
}

/** The event as a timeline step, or null when it is internal. */
export function toStep(e: ResidentEventRow, x: StepContext): TimelineStepDto | null {
  const kind = stepKind(e);
  if (!kind) return null;
  const units = [...new Set(stepUnitIds(e))].map((id) => x.units.get(id)).filter((u): u is UnitBrief => !!u);
  return {
    id: e.id,
    at: e.created_at.toISOString(),
    kind,
    units,
    text: stepText(e, x.relation),
    photos: kind === 'resolved' ? (x.photosByEvent.get(e.id) ?? []) : [],
  };
}

/** The columns the resident's case responses read (see resident-cases.service.ts `residentRows`). */
export interface ResidentCaseRow {
  id: number;
  number: string;
  title: string;
  category_id: number | null;
  category_name: string | null;
  category_parent_name: string | null;
  state: string;
  grid_id: number | null;
  grid_name: string | null;
  created_at: Date;
  reporter_account_id: number | null;
  resolution_due_at: Date | null;
  resolved_at: Date | null;
  supporters_count: number;
}

export interface ResidentDetailRow extends ResidentCaseRow {
  description: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  confidential: boolean;
  visit_due_at: Date | null;
  rating: CaseRating | null;
  solved: boolean | null;
  rating_comment: string | null;
}

const REPORTER: ReadonlySet<'reporter'> = new Set(['reporter']);

/** Whether the reporter may rate the case now: what the state machine says (visit, by the reporter). */
export const reporterMayRate = (state: string) => allowedActions(state as CaseState, REPORTER).includes('visit');

export const relationOf = (row: { reporter_account_id: number | null }, accountId: number): Relation =>
  row.reporter_account_id === accountId ? 'reporter' : 'supporter';

type CategoryColumns = Pick<ResidentCaseRow, 'category_id' | 'category_name' | 'category_parent_name'>;
const categoryOf = (r: CategoryColumns) =>
  r.category_id && r.category_name
    ? { id: r.category_id, name: r.category_name, parentName: r.category_parent_name }
    : null;

export function presentResidentSummary(
  r: ResidentCaseRow,
  relation: Relation,
  lastStep: TimelineStepDto | null,
): ResidentCaseSummaryDto {
  return {
    id: r.id,
    number: r.number,
    // A joined case is another resident's report: its title is shown as the similar-case list showed it.
    title: relation === 'reporter' ? r.title : maskDigits(r.title),
    category: categoryOf(r),
    stage: stageOf(r.state),
    state: r.state as CaseState,
    relation,
    reportedAt: r.created_at.toISOString(),
    promisedBy: iso(r.resolution_due_at),
    resolvedAt: iso(r.resolved_at),
    needsRating: relation === 'reporter' && reporterMayRate(r.state),
    lastStep,
  };
}

/**
 * The whole case for its reporter; for a resident who joined it, what the similar-case list showed plus the
 * progress: no description, address, location, report photos or rating, which are the reporter's.
 */
export function presentResidentDetail(
  r: ResidentDetailRow,
  relation: Relation,
  steps: TimelineStepDto[],
  reportPhotos: string[],
  result: ResidentCaseDetailDto['result'],
): ResidentCaseDetailDto {
  const mine = relation === 'reporter';
  const rated = mine && r.rating !== null && r.rating !== 'noAnswer';
  return {
    ...presentResidentSummary(r, relation, steps.at(-1) ?? null),
    description: mine ? r.description : '',
    address: mine ? r.address : null,
    location: mine && r.lng !== null && r.lat !== null ? { lng: r.lng, lat: r.lat } : null,
    confidential: r.confidential,
    grid: r.grid_id && r.grid_name ? { id: r.grid_id, name: r.grid_name } : null,
    photos: mine ? reportPhotos : [],
    timeline: steps,
    result,
    rating: rated
      ? { rating: r.rating as Exclude<CaseRating, 'noAnswer'>, solved: r.solved, comment: r.rating_comment }
      : null,
    canRate: mine && reporterMayRate(r.state),
    visitDueAt: r.state === 'resolved' ? iso(r.visit_due_at) : null,
    supporters: r.supporters_count,
  };
}

export type SimilarRow = CategoryColumns &
  Pick<ResidentCaseRow, 'id' | 'number' | 'title' | 'state' | 'created_at' | 'supporters_count'> & {
    distance_m: number;
  };

export function presentSimilar(r: SimilarRow, joined: boolean): SimilarCaseDto {
  return {
    id: r.id,
    number: r.number,
    title: maskDigits(r.title),
    category: categoryOf(r),
    stage: stageOf(r.state),
    reportedAt: r.created_at.toISOString(),
    distanceMetres: Math.round(Number(r.distance_m)),
    supporters: r.supporters_count,
    joined,
  };
}
