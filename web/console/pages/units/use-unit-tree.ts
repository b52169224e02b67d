import { useCallback, useEffect, useState } from 'react';
import { childUnits, topUnits, type Unit } from '../../api/units.ts';

export interface UnitTreeState {
  tops: Unit[] | undefined;
  /** Loaded children by parent id; a missing entry means "not loaded yet". */
  children: Map<number, Unit[]>;
  error: unknown;
  load(parentId: number): Promise<void>;
  /** Loads a level again after a change (null: the top level). */
  reload(parentId: number | null): Promise<void>;
}

/** The unit tree as the console has loaded it so far, one level at a time. */
export function useUnitTree(): UnitTreeState {
  const [tops, setTops] = useState<Unit[]>();
  const [children, setChildren] = useState(() => new Map<number, Unit[]>());
  const [error, setError] = useState<unknown>(null);

  const loadTops = useCallback(async () => {
    try {
      setTops(await topUnits());
      setError(null);
    } catch (failure) {
      setError(failure);
      setTops([]);
    }
  }, []);

  useEffect(() => {
    void loadTops();
  }, [loadTops]);

  const fetchLevel = useCallback(async (parentId: number) => {
    const items = await childUnits(parentId);
    setChildren((current) => new Map(current).set(parentId, items));
  }, []);

  const load = useCallback(
    async (parentId: number) => {
      if (children.has(parentId)) return;
      await fetchLevel(parentId);
    },
    [children, fetchLevel],
  );

  const reload = useCallback(
    async (parentId: number | null) => {
      if (parentId === null) return loadTops();
      await fetchLevel(parentId);
      // The parent's own childCount changed too: refresh the level that holds it.
      const holder = [...children.entries()].find(([, list]) => list.some((u) => u.id === parentId))?.[0];
      if (holder !== undefined) await fetchLevel(holder);
      else await loadTops();
    },
    [children, fetchLevel, loadTops],
  );

  return { tops, children, error, load, reload };
}
