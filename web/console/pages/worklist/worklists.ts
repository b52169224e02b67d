import type { SessionInfo } from '../../../shared/api.ts';
import { WORKLIST_ORDER, type Worklist } from '../../api/cases.ts';

/**
 * The worklists a person's work consists of, shown as tabs even when empty: a grid worker handles and visits,
 * a department checks in and handles, a community or street also dispatches, a supervisor watches what is
 * overdue, supervised or waiting for an extension. Tabs of other lists appear when they hold cases. This only
 * chooses tabs; what each list contains is the server's rule.
 */
export function worklistsIWork(session: Pick<SessionInfo, 'grants'>, can: (p: string) => boolean): Set<Worklist> {
  const lists = new Set<Worklist>();
  const inDepartment = session.grants.some((g) => g.unitKind === 'department');
  const onlyDepartments = session.grants.length > 0 && session.grants.every((g) => g.unitKind === 'department');
  if (can('case.handle')) {
    lists.add('toHandle');
    if (inDepartment) lists.add('toCheckIn');
  }
  if (can('case.dispatch')) lists.add('toDispatch');
  if (can('case.visit') && !onlyDepartments) lists.add('toVisit');
  if (can('case.supervise')) {
    lists.add('overdue');
    lists.add('supervised');
    lists.add('extensionRequests');
  }
  return lists;
}

/** The tabs in menu order: the lists I work plus any other list that has cases. */
export function visibleWorklists(
  mine: Set<Worklist>,
  counts: Record<Worklist, number> | undefined,
  current: Worklist | undefined,
): Worklist[] {
  return WORKLIST_ORDER.filter((w) => mine.has(w) || (counts?.[w] ?? 0) > 0 || w === current);
}

/** The tab a page without a chosen one opens on: the first that has cases, else the first. */
export function defaultWorklist(tabs: Worklist[], counts: Record<Worklist, number>): Worklist | undefined {
  return tabs.find((w) => (counts[w] ?? 0) > 0) ?? tabs[0];
}
