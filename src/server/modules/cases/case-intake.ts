import { sql } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import type { Trx } from '../../db/database.ts';
import { badRequest } from '../../http/errors.ts';
import { claimAttachments } from '../attachments/attachments.service.ts';
import { locateGrid } from '../grids/grids.repository.ts';
import { recordCaseStats } from '../metrics/case-stats.ts';
import { searchVectorSql } from '../search/segment.ts';
import { nextChaseAt } from './case-limits.ts';
import { covers, type UnitRef } from './case-relations.ts';
import { auditCaseEvent, type CaseDeps, type TransitionResult, transition } from './case-transition.ts';
import { ancestorOfKind, findUnitRef, nextCaseNumber } from './cases.repository.ts';
import type { CaseChannel, CaseColour, CaseUrgency, OutboxPayload } from './cases.tables.ts';

/** What intake needs, from whichever door the case came in (staff intake, the H5, a called-back call request). */
export interface IntakeCommand {
  caseType: string;
  channel: CaseChannel;
  title: string;
  description: string;
  categoryId?: number | undefined;
  urgency: CaseUrgency;
  location?: { lng: number; lat: number } | undefined;
  address?: string | undefined;
  /** Staff: the unit the case belongs to without a grid location. Residents: their home unit. */
  unitId?: number | undefined;
  reporter: { accountId?: number | null; personId?: number | null; name?: string | null; phone?: string | null };
  confidential: boolean;
  attachmentIds?: string[] | undefined;
  /** Only uploads of this kind may be attached (a resident's report takes photos only). */
  attachmentKind?: 'image' | undefined;
  selfResolved?: { result: string } | undefined;
  manualColour?: CaseColour | undefined;
}

/**
 * Where a case belongs: the grid holding its location; otherwise (outside every grid, or a type not routed to
 * grids) the given unit — for a located case outside every grid, the street above it, which dispatches by hand.
 */
async function territoryOf(trx: Trx, actor: Actor, command: IntakeCommand, routesToGrid: boolean) {
  if (routesToGrid && command.location) {
    const grid = await locateGrid(trx, command.location.lng, command.location.lat);
    if (grid) {
      const unit = (await findUnitRef(trx, grid.id))!;
      return { unit, gridId: grid.id };
    }
  }
  let base: UnitRef | null = command.unitId ? await findUnitRef(trx, command.unitId) : null;
  if (command.unitId && !base) throw badRequest('Unknown unit', { field: 'unitId' });
  if (!base && actor.kind === 'staff') {
    const grant = actor.grants.find((g) => g.permissions.has('case.intake'));
    base = grant ? await findUnitRef(trx, grant.unitId) : null;
  }
  if (!base) throw badRequest('The location is outside every grid and no unit was given', { field: 'location' });
  if (base.kind === 'department') throw badRequest('A case belongs to a place, not a department', { field: 'unitId' });
  const grid = await ancestorOfKind(trx, base.path, ['grid']);
  if (routesToGrid && !command.location && grid) return { unit: grid, gridId: grid.id };
  if (routesToGrid && command.location) {
    // Located outside every grid: the street (or town) above the reporter or intake unit dispatches it.
    const street = await ancestorOfKind(trx, base.path, ['street', 'town']);
    return { unit: street ?? base, gridId: null };
  }
  // Not routed to grids (enterprise problems, tasks): the unit itself, or its nearest unit that can hold a case.
  const holder = await ancestorOfKind(trx, base.path, ['grid', 'community', 'village', 'street', 'town']);
  return { unit: holder ?? base, gridId: grid?.id ?? null };
}

/**
 * Intake 受理: writes the case and its first event (received) in the caller's transaction, then — when staff
 * gave a category — classifies (which dispatches it from the location) and, for a patrol finding solved on the
 * spot, resolves it, all through the one transition function.
 */
export async function intakeCase(
  trx: Trx,
  deps: CaseDeps,
  actor: Actor,
  command: IntakeCommand,
): Promise<TransitionResult> {
  // The case type and the chosen category in one round trip (the category as JSON beside the type's row).
  const found = await trx
    .selectFrom('case_types')
    .selectAll('case_types')
    .select(
      sql<{ parent_id: number | null; active: boolean } | null>`${
        command.categoryId === undefined
          ? sql`NULL::json`
          : sql`(SELECT json_build_object('parent_id', c.parent_id, 'active', c.active)
                   FROM case_categories c WHERE c.id = ${command.categoryId})`
      }`.as('intake_category'),
    )
    .where('code', '=', command.caseType)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!found) throw badRequest('Unknown case type', { field: 'caseType' });
  const { intake_category: category, ...caseType } = found;
  if (command.categoryId !== undefined && (!category?.active || category.parent_id === null)) {
    throw badRequest('Choose an active second-level category', { field: 'categoryId' });
  }
  if (command.manualColour && !caseType.manual_colour) {
    throw badRequest('Only task-force items carry a manual colour', { field: 'manualColour' });
  }
  const { unit: territory, gridId } = await territoryOf(trx, actor, command, caseType.routes_to_grid);
  if (actor.kind === 'staff' && !covers(actor, 'case.intake', territory.id, territory.path)) {
    throw badRequest('This place is outside your area', { field: command.location ? 'location' : 'unitId' });
  }

  const now = deps.clock.now();
  const year = Number(now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }));
  const number = await nextCaseNumber(trx, deps.config.caseNumberPrefix, year);
  const point = command.location ? `(${command.location.lng},${command.location.lat})` : null;
  const inserted = await trx
    .insertInto('cases')
    .values({
      number,
      case_type: caseType.code,
      category_id: command.categoryId ?? null,
      urgency: command.urgency,
      channel: command.channel,
      title: command.title,
      description: command.description,
      lng: command.location?.lng ?? null,
      lat: command.location?.lat ?? null,
      location: point,
      address: command.address ?? null,
      grid_id: gridId,
      territory_unit_id: territory.id,
      territory_path: territory.path,
      reporter_account_id: command.reporter.accountId ?? null,
      reporter_person_id: command.reporter.personId ?? null,
      reporter_name: command.reporter.name ?? null,
      reporter_phone: command.reporter.phone ?? null,
      confidential: command.confidential,
      state: 'received',
      owner_unit_id: territory.id,
      owner_unit_path: territory.path,
      manual_colour: command.manualColour ?? null,
      colour: command.manualColour ?? 'green',
      next_chase_at: command.manualColour ? nextChaseAt(command.manualColour, now) : null,
      search: searchVectorSql(command.title, command.description) as never,
      event_count: 1,
      created_at: now,
      updated_at: now,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const event = await trx
    .insertInto('case_events')
    .values({
      case_id: inserted.id,
      seq: 1,
      action: 'intake',
      from_state: null,
      to_state: 'received',
      actor_account_id: actor.accountId,
      actor_unit_id:
        actor.kind === 'staff' ? (actor.grants.find((g) => g.permissions.has('case.intake'))?.unitId ?? null) : null,
      actor_name: actor.displayName,
      owner_unit_id: territory.id,
      data: JSON.stringify({ channel: command.channel, territory: { id: territory.id, name: territory.name } }),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditCaseEvent(trx, {
    actor,
    action: 'intake',
    caseId: inserted.id,
    number,
    territoryId: territory.id,
    from: null,
    to: 'received',
    eventId: event.id,
  });
  if (command.attachmentIds?.length) {
    await claimAttachments(
      trx,
      actor,
      command.attachmentIds,
      { caseId: inserted.id, eventId: event.id },
      command.attachmentKind,
    );
  }
  await recordCaseStats(trx, {
    at: now,
    action: 'intake',
    caseType: caseType.code,
    territory: { unitId: territory.id, path: territory.path },
    received: true,
    intake: { channel: command.channel, categoryId: command.categoryId ?? null },
  });

  let result: TransitionResult = { caseId: inserted.id, eventId: event.id, state: 'received', version: 1 };
  const who = { kind: 'user' as const, actor };
  if (command.categoryId !== undefined && actor.kind === 'staff') {
    result = await transition(trx, deps, who, inserted.id, {
      action: 'classify',
      categoryId: command.categoryId,
      urgency: command.urgency,
    });
  }
  if (command.selfResolved) {
    if (result.state !== 'inGrid') {
      throw badRequest('Only a classified case in your grid can be resolved on the spot', { field: 'selfResolved' });
    }
    result = await transition(trx, deps, who, inserted.id, {
      action: 'selfResolve',
      result: command.selfResolved.result,
    });
  }
  // A case that stays received waits for classification in its territory: tell the people there. (Once
  // classified, the classify event has told the unit it was dispatched to.)
  if (result.state === 'received') {
    const payload: OutboxPayload = {
      recipients: { accountIds: [], unitIds: [territory.id] },
      title: `${number} ${command.title}`,
      body: 'intake',
      action: 'intake',
      caseNumber: number,
      state: 'received',
      excludeAccountId: actor.accountId,
    };
    await trx
      .insertInto('outbox')
      .values({
        topic: 'case.intake',
        case_id: inserted.id,
        event_id: event.id,
        payload: JSON.stringify(payload),
        created_at: now,
      })
      .execute();
  }
  return result;
}
