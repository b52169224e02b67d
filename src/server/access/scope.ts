import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from './actor.ts';
import type { Permission } from './permissions.ts';

/**
 * Where an actor may exercise a permission, as units of the tree. Every list and detail query turns this
 * into an SQL condition with `unitCondition`; nothing is filtered after loading.
 */
export type UnitScope =
  | { kind: 'all' }
  | { kind: 'some'; subtreePaths: string[]; unitIds: number[]; own: boolean }
  | { kind: 'none' };

export function unitScope(actor: Actor, permission: Permission): UnitScope {
  const subtreePaths = new Set<string>();
  const unitIds = new Set<number>();
  let own = false;
  for (const grant of actor.grants) {
    if (!grant.permissions.has(permission)) continue;
    switch (grant.scope) {
      case 'all':
        return { kind: 'all' };
      case 'subtree':
        subtreePaths.add(grant.unitPath);
        break;
      case 'unit':
        unitIds.add(grant.unitId);
        break;
      case 'own':
        own = true;
        break;
    }
  }
  // A subtree already covering another subtree makes the inner one redundant.
  const paths = [...subtreePaths].filter((p) => ![...subtreePaths].some((q) => q !== p && p.startsWith(q)));
  if (paths.length === 0 && unitIds.size === 0 && !own) return { kind: 'none' };
  return { kind: 'some', subtreePaths: paths, unitIds: [...unitIds], own };
}

/** True when the unit (given by its path) is inside the scope; for checks on a single loaded unit. */
export function scopeCoversPath(scope: UnitScope, unitId: number, unitPath: string): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  return scope.unitIds.includes(unitId) || scope.subtreePaths.some((p) => unitPath.startsWith(p));
}

type AnyEb = ExpressionBuilder<any, any>;

/**
 * The SQL condition "this row's unit is in scope", given the row's unit path and unit id columns.
 * `ownCondition` is what 'own' scope means for the aggregate (e.g. the person's own record); without it,
 * 'own' grants nothing.
 */
export function unitCondition(
  eb: AnyEb,
  scope: UnitScope,
  pathColumn: string,
  idColumn: string,
  ownCondition?: Expression<SqlBool>,
): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'none') return sql<SqlBool>`false`;
  const ors: Expression<SqlBool>[] = scope.subtreePaths.map((p) => eb(eb.ref(pathColumn), 'like', `${escapeLike(p)}%`));
  if (scope.unitIds.length > 0) ors.push(eb(eb.ref(idColumn), 'in', scope.unitIds));
  if (scope.own && ownCondition) ors.push(ownCondition);
  if (ors.length === 0) return sql<SqlBool>`false`;
  return eb.or(ors);
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
