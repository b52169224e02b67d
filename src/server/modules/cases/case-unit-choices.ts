import type { Actor } from '../../access/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { allowedActions } from './case-machine.ts';
import { type CaseContext, covers, factsOf, relationsOf } from './case-relations.ts';
import { type CaseUnitChoices, caseUnitChoices } from './case-unit-choices.schema.ts';
import { loadCaseContext } from './cases.repository.ts';
import { caseIdParam } from './cases.schema.ts';

const GRID: UnitKind[] = ['grid'];
const COMMUNITY: UnitKind[] = ['community', 'village'];
const STREET: UnitKind[] = ['street', 'town'];
const DISPATCH_LIMIT = 500;

function units(q: Queryable) {
  return q
    .selectFrom('units as u')
    .leftJoin('units as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.name', 'u.kind', 'u.path', 'p.name as parentName'])
    .where('u.active', '=', true)
    .orderBy('u.depth')
    .orderBy('u.sort_order')
    .orderBy('u.name')
    .orderBy('u.id');
}

/**
 * The units the actions I may take now can send the case to, so a picker offers exactly those the transition
 * would accept (case-effects.ts decides: departments hang off the owner or an ancestor; a transfer stays at
 * the same level and kind; a dispatch goes to a unit in my own area). A community worker cannot list the
 * district's departments through /api/units, yet whistles to them.
 */
export async function unitChoices(q: Queryable, actor: Actor, ctx: CaseContext): Promise<CaseUnitChoices> {
  const allowed = new Set(allowedActions(ctx.state, relationsOf(actor, ctx), factsOf(ctx)));
  const present = (rows: Array<{ id: number; name: string; kind: string; parentName: string | null }>) =>
    rows.map(({ id, name, kind, parentName }) => ({ id, name, kind, parentName }));
  const result: CaseUnitChoices = { departments: [], transferTargets: [], dispatchTargets: [] };

  if (allowed.has('whistle') || allowed.has('redispatch')) {
    const ancestors = ctx.owner.path.split('/').filter(Boolean).map(Number);
    result.departments = present(
      await units(q).where('u.kind', '=', 'department').where('u.parent_id', 'in', ancestors).execute(),
    );
  }

  if (allowed.has('transfer')) {
    const departmental = ctx.state === 'whistled' || ctx.state === 'handling';
    const from = departmental ? ctx.lead : ctx.owner;
    const kinds = departmental
      ? (['department'] as UnitKind[])
      : [GRID, COMMUNITY, STREET].find((k) => k.includes(ctx.owner.kind as UnitKind));
    if (from?.parentId && kinds) {
      result.transferTargets = present(
        await units(q)
          .where('u.parent_id', '=', from.parentId)
          .where('u.kind', 'in', kinds)
          .where('u.id', '!=', from.id)
          .execute(),
      );
    }
  }

  if (allowed.has('dispatch')) {
    const rows = await units(q)
      .where('u.kind', 'in', [...GRID, ...COMMUNITY, ...STREET])
      .where('u.path', 'like', `${ctx.owner.path}%`)
      .where('u.id', '!=', ctx.owner.id)
      .limit(DISPATCH_LIMIT * 2)
      .execute();
    result.dispatchTargets = present(
      rows.filter((u) => covers(actor, 'case.dispatch', u.id, u.path)).slice(0, DISPATCH_LIMIT),
    );
  }
  return result;
}

export async function caseUnitChoicesRoutes(app: App, { database }: Services) {
  app.get(
    '/api/cases/:id/unit-choices',
    {
      schema: {
        tags: ['cases'],
        summary: 'The units my allowed actions on this case can send it to (whistle, redispatch, transfer, dispatch)',
        params: caseIdParam,
        response: { 200: caseUnitChoices },
      },
      config: { access: { auth: 'staff', permission: 'case.read' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const ctx = await loadCaseContext(database.db, request.params.id, actor, false);
      if (!ctx) throw notFound('Case');
      return unitChoices(database.db, actor, ctx);
    },
  );
}
