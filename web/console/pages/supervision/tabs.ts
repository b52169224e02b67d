import type { CaseFilter, Worklist } from '../../api/cases.ts';

export type SupervisionTab =
  | 'overdue'
  | 'red'
  | 'returnedTwice'
  | 'dissatisfied'
  | 'supervised'
  | 'supervisionReview'
  | 'extensionRequests'
  | 'tasks';

export interface TabSpec {
  key: SupervisionTab;
  /** What the tab lists: a worklist of the server's, or list filters; the user's filters go on top. */
  base: CaseFilter;
  /** The tab's count comes from the worklist counts; otherwise from the list's own total. */
  worklist?: Worklist;
  /** Cases here are decided on their own page (a review, an extension): the row links there. */
  decideOnCase?: boolean;
}

export const SUPERVISION_TABS: readonly TabSpec[] = [
  { key: 'overdue', base: { worklist: 'overdue' }, worklist: 'overdue' },
  { key: 'red', base: { colour: 'red', open: 'true' } },
  { key: 'returnedTwice', base: { worklist: 'returnedTwice' }, worklist: 'returnedTwice' },
  { key: 'dissatisfied', base: { worklist: 'dissatisfied' }, worklist: 'dissatisfied' },
  { key: 'supervised', base: { worklist: 'supervised' }, worklist: 'supervised' },
  {
    key: 'supervisionReview',
    base: { worklist: 'supervisionReview' },
    worklist: 'supervisionReview',
    decideOnCase: true,
  },
  {
    key: 'extensionRequests',
    base: { worklist: 'extensionRequests' },
    worklist: 'extensionRequests',
    decideOnCase: true,
  },
  { key: 'tasks', base: { caseType: 'task', open: 'true' } },
];

/** Keys a tab sets itself: never taken from the address bar, never written to it. */
export const TAB_KEYS = ['worklist', 'caseType', 'open'] as const;

export function tabOf(key: string | null): TabSpec {
  return SUPERVISION_TABS.find((tab) => tab.key === key) ?? (SUPERVISION_TABS[0] as TabSpec);
}
