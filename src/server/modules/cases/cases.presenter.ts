import type { Actor } from '../../access/actor.ts';
import { maskName, maskPhone } from '../../http/privacy.ts';
import type { CaseAttachment } from '../attachments/attachments.service.ts';
import type { WorkCalendar } from '../calendar/working-time.ts';
import { allowedActions, type CaseState } from './case-machine.ts';
import { type CaseContext, factsOf, relationsOf } from './case-relations.ts';
import type { CaseDetailDto, CaseSummaryDto } from './cases.schema.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The moment a response describes and the calendar its working time is counted on. */
export interface ReadClock {
  now: Date;
  calendar: WorkCalendar;
}

/** Working minutes from now to the deadline, negative once it has passed; null without a deadline. */
export function workingMinutesLeft(due: Date | null, at: ReadClock): number | null {
  if (!due) return null;
  const minutes =
    due >= at.now ? at.calendar.workingMinutesBetween(at.now, due) : -at.calendar.workingMinutesBetween(due, at.now);
  return Math.round(minutes);
}

/** The columns a case list selects (see cases.service.ts `summaryQuery`). */
export interface CaseSummaryRow {
  id: number;
  number: string;
  case_type: string;
  title: string;
  category_id: number | null;
  category_name: string | null;
  category_parent_name: string | null;
  urgency: string;
  channel: string;
  state: string;
  colour: string;
  supervised: boolean;
  round: number;
  address: string | null;
  grid_id: number | null;
  grid_name: string | null;
  owner_unit_id: number;
  owner_name: string;
  owner_kind: string;
  lead_unit_id: number | null;
  lead_name: string | null;
  due_at: Date | null;
  manual_colour: string | null;
  next_chase_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export function presentSummary(r: CaseSummaryRow, at: ReadClock): CaseSummaryDto {
  return {
    id: r.id,
    number: r.number,
    caseType: r.case_type,
    title: r.title,
    category:
      r.category_id && r.category_name
        ? { id: r.category_id, name: r.category_name, parentName: r.category_parent_name }
        : null,
    urgency: r.urgency as CaseSummaryDto['urgency'],
    channel: r.channel as CaseSummaryDto['channel'],
    state: r.state as CaseState,
    colour: r.colour as CaseSummaryDto['colour'],
    supervised: r.supervised,
    round: r.round,
    address: r.address,
    grid: r.grid_id && r.grid_name ? { id: r.grid_id, name: r.grid_name, kind: 'grid' } : null,
    owner: { id: r.owner_unit_id, name: r.owner_name, kind: r.owner_kind },
    lead: r.lead_unit_id && r.lead_name ? { id: r.lead_unit_id, name: r.lead_name, kind: 'department' } : null,
    dueAt: iso(r.due_at),
    manualColour: r.manual_colour as CaseSummaryDto['manualColour'],
    nextChaseAt: iso(r.next_chase_at),
    timeLeftMinutes: workingMinutesLeft(r.due_at, at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

export interface EventRow {
  id: number;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_name: string;
  actor_unit_id: number | null;
  actor_unit_name: string | null;
  actor_unit_kind: string | null;
  note: string | null;
  data: unknown;
  created_at: Date;
}

export interface DetailExtras {
  summary: CaseSummaryRow;
  at: ReadClock;
  events: EventRow[];
  attachments: CaseAttachment[];
  assignments: Array<{
    unit_id: number;
    unit_name: string;
    unit_kind: string;
    role: 'owner' | 'lead' | 'assist';
    status: string;
    round: number;
    assigned_at: Date;
    response_due_at: Date;
    responded_at: Date | null;
  }>;
  mergedInto: { id: number; number: string; state: string } | null;
}

/**
 * The case as a staff member (or its reporter) sees it. The reporter is masked for staff and absent when
 * they asked for confidentiality; the allowed actions come from the state machine and the actor's relation.
 */
export function presentDetail(actor: Actor, ctx: CaseContext, x: DetailExtras): CaseDetailDto {
  const r = ctx.row;
  const isReporter = actor.kind === 'resident' && r.reporter_account_id === actor.accountId;
  const hasReporter = r.reporter_name !== null || r.reporter_phone !== null;
  const reporter =
    !hasReporter || (r.confidential && !isReporter)
      ? null
      : isReporter
        ? { name: r.reporter_name, phone: r.reporter_phone, masked: false }
        : { name: maskName(r.reporter_name), phone: maskPhone(r.reporter_phone), masked: true };
  const pending = r.pending_extension as CaseDetailDto['pendingExtension'];
  return {
    ...presentSummary(x.summary, x.at),
    description: r.description,
    location: r.lng !== null && r.lat !== null ? { lng: r.lng, lat: r.lat } : null,
    territory: { id: ctx.territory.id, name: ctx.territory.name, kind: ctx.territory.kind },
    reporter,
    confidential: r.confidential,
    manualColour: r.manual_colour,
    limitKind: r.limit_kind,
    orangeAt: iso(r.orange_at),
    resolutionDueAt: iso(r.resolution_due_at),
    visitDueAt: iso(r.visit_due_at),
    pendingExtension: pending ?? null,
    assignments: x.assignments.map((a) => ({
      unit: { id: a.unit_id, name: a.unit_name, kind: a.unit_kind },
      role: a.role,
      status: a.status,
      round: a.round,
      assignedAt: a.assigned_at.toISOString(),
      responseDueAt: a.response_due_at.toISOString(),
      respondedAt: iso(a.responded_at),
    })),
    rating: r.rating,
    solved: r.solved,
    ratingComment: r.rating_comment,
    mergedInto: x.mergedInto && { ...x.mergedInto, state: x.mergedInto.state as CaseState },
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    events: x.events.map((e) => ({
      id: e.id,
      seq: e.seq,
      action: e.action,
      fromState: e.from_state as CaseState | null,
      toState: e.to_state as CaseState,
      actorName: e.actor_name,
      actorUnit:
        e.actor_unit_id && e.actor_unit_name
          ? { id: e.actor_unit_id, name: e.actor_unit_name, kind: e.actor_unit_kind ?? '' }
          : null,
      note: e.note,
      data: (e.data ?? {}) as Record<string, unknown>,
      at: e.created_at.toISOString(),
    })),
    attachments: x.attachments,
    allowedActions: allowedActions(ctx.state, relationsOf(actor, ctx), factsOf(ctx)),
  };
}
