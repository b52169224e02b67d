import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../../shared/api.ts';

export const PAGE_SIZE = 10;

export interface Paged<T> {
  items: T[];
  total: number;
  /** The first page is loading (the list is empty meanwhile). */
  loading: boolean;
  /** A further page is loading. */
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

/**
 * A list read page by page: the first page whenever `key` changes (a filter), further pages on request.
 * Answers to an older key are dropped, so a quick change of filter never shows the wrong list.
 */
export function usePaged<T>(key: string, load: (page: number) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const current = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key or attempt starts the list again
  useEffect(() => {
    const request = ++current.current;
    setItems([]);
    setTotal(0);
    setPage(0);
    setError(null);
    setLoading(true);
    loadRef.current(1).then(
      (result) => {
        if (request !== current.current) return;
        setItems(result.items);
        setTotal(result.total);
        setPage(1);
        setLoading(false);
      },
      (e) => {
        if (request !== current.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [key, attempt]);

  const loadMore = useCallback(() => {
    const request = current.current;
    setLoadingMore(true);
    setError(null);
    loadRef.current(page + 1).then(
      (result) => {
        if (request !== current.current) return;
        setItems((before) => [...before, ...result.items]);
        setTotal(result.total);
        setPage(page + 1);
        setLoadingMore(false);
      },
      (e) => {
        if (request !== current.current) return;
        setError(e);
        setLoadingMore(false);
      },
    );
  }, [page]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    items,
    total,
    loading,
    loadingMore,
    error,
    hasMore: page > 0 && items.length < total,
    loadMore,
    reload,
  };
}
