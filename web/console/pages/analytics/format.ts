/** A rate (0–1) as a percentage with one decimal; null (nothing to measure yet) as a dash. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A change of score (−1…1) in percentage points, signed. */
export function points(change: number | null | undefined): string {
  if (change === null || change === undefined) return '—';
  const p = (change * 100).toFixed(1);
  return change > 0 ? `+${p}` : p;
}
