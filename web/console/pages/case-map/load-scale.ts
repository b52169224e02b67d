/**
 * The fill of a grid by its open cases: five classes of blue (so the red outline of grids with red cases
 * stands apart), or a pale grey when nothing is open.
 */
export const LOAD_FILLS = ['#e6f4ff', '#bae0ff', '#69b1ff', '#1677ff', '#0047ab'] as const;
export const EMPTY_FILL = '#f5f5f5';
export const RED_OUTLINE = '#cf1322';
export const OUTLINE = '#8c8c8c';
export const SELECTED_OUTLINE = '#262626';

/** Upper limits of the classes for counts up to `max`: five equal steps of whole cases. */
export function loadSteps(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / LOAD_FILLS.length));
  return LOAD_FILLS.map((_, i) => step * (i + 1));
}

export function loadFill(open: number, steps: number[]): string {
  if (open <= 0) return EMPTY_FILL;
  const index = steps.findIndex((limit) => open <= limit);
  return LOAD_FILLS[index === -1 ? LOAD_FILLS.length - 1 : index] as string;
}

/** The classes as [from, to] for the legend, stopping at the one that holds the largest count. */
export function loadClasses(max: number): Array<{ from: number; to: number; fill: string }> {
  const steps = loadSteps(max);
  const classes: Array<{ from: number; to: number; fill: string }> = [];
  let from = 1;
  for (const [i, to] of steps.entries()) {
    classes.push({ from, to, fill: LOAD_FILLS[i] as string });
    if (to >= max) break;
    from = to + 1;
  }
  return classes;
}
