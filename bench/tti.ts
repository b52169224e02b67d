/**
 * The arithmetic of the page-load workload (bench/pages.ts), kept apart so that it can be tested without a
 * browser: time to interactive from the ready moment and the long tasks, and nearest-rank percentiles.
 */

/** A main-thread task of 50 ms or more, as a `longtask` PerformanceObserver reports it (ms since navigation). */
export interface LongTask {
  start: number;
  duration: number;
}

/** The main thread must have had no long task for this long after the ready moment. */
export const QUIET_MS = 500;

/**
 * Time to interactive: the first moment at or after `readyAt` (the page's root said `data-ready="true"`) from
 * which the main thread ran no long task for `quietMs`. A long task running at that moment (started before it,
 * ending after it) pushes it to the task's end, and so does every long task starting within the quiet window
 * after it. All times in ms since navigation start.
 *
 * The answer only holds once the window after it has been observed: the caller waits until
 * `now ≥ interactiveAt(…) + quietMs` and asks again with the long tasks reported by then.
 */
export function interactiveAt(readyAt: number, tasks: readonly LongTask[], quietMs = QUIET_MS): number {
  let at = readyAt;
  for (const task of [...tasks].sort((a, b) => a.start - b.start)) {
    const end = task.start + task.duration;
    if (end <= at) continue;
    if (task.start >= at + quietMs) break;
    at = end;
  }
  return at;
}

/**
 * Nearest-rank percentile (the smallest value with at least q % of the values at or below it); NaN for no values.
 * With 10 samples p50 is the 5th smallest and p95, p97.5 and p99 are all the largest.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((q / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** p50 / p95 / p97.5 / p99 / max of a set of values (NaN each when there are none). */
export function distribution(values: readonly number[]) {
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p97_5: percentile(values, 97.5),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

/** p50 / p95 / p99 / max (nearest rank) of request latencies in ms, rounded to 0.01 ms; zeros for none. */
export function latencySummary(values: readonly number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    if (!sorted.length) return 0;
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((q / 100) * sorted.length)));
    return Math.round((sorted[rank - 1] as number) * 100) / 100;
  };
  return { p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}
