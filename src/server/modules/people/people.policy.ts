import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { scopeCoversPath, type UnitScope, unitCondition } from '../../access/scope.ts';

type AnyEb = ExpressionBuilder<any, any>;

/**
 * The one place that says which people an actor may act on: the person's unit (people.unit_id, with its
 * path kept on the person as people.unit_path) inside the permission's unit scope, or, for an 'own' scope,
 * the actor's own record. People without a unit are reached only by an all-scope (or as one's own record).
 */
export function personCondition(eb: AnyEb, actor: Actor, scope: UnitScope, personAlias = 'p'): Expression<SqlBool> {
  const own = actor.personId !== null ? eb(eb.ref(`${personAlias}.id`), '=', actor.personId) : undefined;
  return unitCondition(eb, scope, `${personAlias}.unit_path`, `${personAlias}.unit_id`, own);
}

export interface PersonPlace {
  id: number;
  unitId: number | null;
  unitPath: string | null;
}

/** The same rule for a person already loaded (to decide the actions offered on a record). */
export function coversPerson(actor: Actor, scope: UnitScope, person: PersonPlace): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  if (scope.own && actor.personId !== null && actor.personId === person.id) return true;
  if (person.unitId === null || person.unitPath === null) return false;
  return scopeCoversPath(scope, person.unitId, person.unitPath);
}
