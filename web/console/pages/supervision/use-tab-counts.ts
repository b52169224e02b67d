import { useCallback } from 'react';
import { listCases } from '../../api/cases.ts';
import { useLiveState } from '../../lib/live.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { SUPERVISION_TABS, type SupervisionTab } from './tabs.ts';

export interface TabCount {
  n: number;
  /** More than the server counts (1,000): n is a lower bound. */
  capped: boolean;
}

/**
 * Each tab's count: the worklists' from the live worklist counts (kept fresh by the notification stream), the
 * others as the total of their list (a one-row page of it).
 */
export function useTabCounts() {
  const { counts, refreshCounts } = useLiveState();
  const listed = SUPERVISION_TABS.filter((tab) => !tab.worklist);
  const totals = useLoad(
    () =>
      Promise.all(
        listed.map((tab) =>
          listCases({ ...tab.base, pageSize: 1 }).then((page): [SupervisionTab, TabCount] => [
            tab.key,
            { n: page.total, capped: page.totalIsCapped },
          ]),
        ),
      ).then((pairs) => new Map(pairs)),
    [],
  );
  const byTab = new Map<SupervisionTab, TabCount | undefined>();
  for (const tab of SUPERVISION_TABS) {
    if (tab.worklist) {
      const n = counts?.[tab.worklist];
      byTab.set(tab.key, n === undefined ? undefined : { n, capped: n >= 10_000 });
    } else {
      byTab.set(tab.key, totals.data?.get(tab.key));
    }
  }
  const reloadTotals = totals.reload;
  const refresh = useCallback(() => {
    refreshCounts();
    reloadTotals();
  }, [refreshCounts, reloadTotals]);
  return { byTab, refresh, ready: counts !== undefined && totals.data !== undefined };
}
