import type { Actor } from '../../access/actor.ts';
import { maskName, maskPhone } from '../../http/privacy.ts';
import type { CaseState } from '../cases/case-machine.ts';
import { covers } from '../cases/case-relations.ts';
import { type ReadClock, workingMinutesLeft } from '../cases/cases.presenter.ts';
import type { CallerRow, CallRequestRow } from './call-requests.repository.ts';
import type { CallRequestDto, MyCallRequestDto } from './call-requests.schema.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function caseRef(r: CallRequestRow) {
  return r.case_id !== null && r.case_number !== null && r.case_state !== null
    ? { id: r.case_id, number: r.case_number, state: r.case_state as CaseState }
    : null;
}

/**
 * Whether the staff member must call this resident back: case.handle over the request's grid (or the unit it
 * waits at). Only they see the resident's name and phone in full; everyone else reading the worklist
 * (supervisors, leaders, a street watching its grids) sees them masked.
 */
export function handles(actor: Actor, r: { territory_unit_id: number; territory_path: string }): boolean {
  return actor.kind === 'staff' && covers(actor, 'case.handle', r.territory_unit_id, r.territory_path);
}

/** As the resident sees their own request: who will call back (public service numbers) and by when. */
export function presentMine(r: CallRequestRow, callers: CallerRow[]): MyCallRequestDto {
  return {
    id: r.id,
    status: r.status,
    note: r.note,
    grid: r.grid_id !== null && r.grid_name !== null ? { id: r.grid_id, name: r.grid_name, phone: r.grid_phone } : null,
    callers: callers.map((c) => ({ name: c.name, post: c.post, phone: c.phone })),
    callbackDueAt: iso(r.callback_due_at)!,
    calledBackAt: iso(r.called_back_at),
    closeReason: r.close_reason,
    case: caseRef(r),
    createdAt: iso(r.created_at)!,
  };
}

/** As staff see it; the resident's details in full only to those who call back (see `handles`). */
export function presentForStaff(actor: Actor, r: CallRequestRow, at: ReadClock): CallRequestDto {
  const now = at.now;
  const full = handles(actor, r);
  const due = new Date(r.callback_due_at);
  const calledBack = r.called_back_at === null ? null : new Date(r.called_back_at);
  return {
    id: r.id,
    status: r.status,
    note: r.note,
    resident: full
      ? { name: r.resident_name, phone: r.phone, masked: false }
      : { name: maskName(r.resident_name), phone: maskPhone(r.phone), masked: true },
    grid:
      r.grid_id !== null && r.grid_name !== null && r.grid_kind !== null
        ? { id: r.grid_id, name: r.grid_name, kind: r.grid_kind }
        : null,
    territory: { id: r.territory_unit_id, name: r.territory_name, kind: r.territory_kind },
    callbackDueAt: due.toISOString(),
    overdue: due.getTime() < (calledBack ?? now).getTime(),
    timeLeftMinutes: r.status === 'waiting' ? workingMinutesLeft(due, at) : null,
    calledBackAt: iso(calledBack),
    calledBackBy:
      r.called_back_by !== null && r.called_back_by_name !== null
        ? { id: r.called_back_by, name: r.called_back_by_name }
        : null,
    closeReason: r.close_reason,
    case: caseRef(r),
    canHandle: full && r.status === 'waiting',
    createdAt: iso(r.created_at)!,
    version: r.version,
  };
}
