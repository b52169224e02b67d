import { type Dispatch, type SetStateAction, useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../shared/api.ts';

export interface RefreshableList<T> {
  /** null until the first page has arrived. */
  items: T[] | null;
  setItems: Dispatch<SetStateAction<T[] | null>>;
  error: unknown;
  hasMore: boolean;
  /** The first page again, keeping the shown list until it arrives (pull to refresh, live news). */
  reload(): Promise<void>;
  /** The next page, appended; a row that moved up between two pages is shown once. */
  loadMore(): Promise<void>;
}

/** A list of my things (cases, notices) read page by page, newest first, refreshed in place. */
export function useRefreshableList<T extends { id: number }>(
  load: (page: number, pageSize: number) => Promise<Page<T>>,
  pageSize = 20,
): RefreshableList<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const page = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    try {
      const first = await loadRef.current(1, pageSize);
      page.current = 1;
      setItems(first.items);
      setTotal(first.total);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [pageSize]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const loadMore = useCallback(async () => {
    const next = await loadRef.current(page.current + 1, pageSize);
    page.current += 1;
    setTotal(next.total);
    setItems((shown) => {
      const seen = new Set((shown ?? []).map((row) => row.id));
      return [...(shown ?? []), ...next.items.filter((row) => !seen.has(row.id))];
    });
  }, [pageSize]);

  const hasMore = items !== null && items.length < total && page.current * pageSize < total;
  return { items, setItems, error, hasMore, reload, loadMore };
}
