import { useCallback, useEffect, useRef, useState } from 'react';
import type { CasePage } from '../../api/cases.ts';
import { useLive } from '../../lib/live.tsx';

/** A burst of notifications (a whistle to several departments) reloads the table once. */
const LIVE_RELOAD_MS = 1000;

/**
 * The state a page around CaseTable keeps: the selected rows and their numbers (for bulk actions), whether the
 * table has shown the rows of the current filter (`key`, from filterKey), and reloads — on demand, and with
 * `live`, shortly after a case notification arrives.
 */
export function useCaseList(key: string, { live = false }: { live?: boolean } = {}) {
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<number[]>([]);
  const [labels, setLabels] = useState<Record<number, string>>({});
  const [loadedKey, setLoadedKey] = useState<string>();
  const reload = useCallback(() => setReloadKey((k) => k + 1), []);

  const onLoaded = useCallback(
    (page: CasePage) => {
      setLoadedKey(key);
      setLabels((known) => {
        const next = { ...known };
        for (const c of page.items) next[c.id] = c.number;
        return next;
      });
    },
    [key],
  );

  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLive((n) => {
    if (!live || !n.caseId) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(reload, LIVE_RELOAD_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  return { reloadKey, reload, selected, setSelected, labels, loaded: loadedKey === key, onLoaded };
}
