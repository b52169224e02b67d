import { z } from 'zod';
import { queryId } from '../people/refs.schema.ts';

export const caseLoadQuery = z.strictObject({
  /** Grids anywhere below this unit (a street, a community…) or the grid itself; default: my whole scope. */
  unitId: queryId.optional(),
});

const count = z.number().int().min(0);

/**
 * Open cases now, as the dashboard counts them: not closed and not resolved (a resolved case waits for its
 * return visit and is counted apart). Colours and overdue (the running time limit has passed) are among these.
 */
export const caseLoadCounts = z.object({
  open: count,
  red: count,
  orange: count,
  green: count,
  supervised: count,
  overdue: count,
  awaitingVisit: count.meta({ description: 'Resolved, waiting for the return visit (not counted in open)' }),
});
export type CaseLoadCounts = z.infer<typeof caseLoadCounts>;

export const gridCaseLoad = caseLoadCounts.extend({
  gridId: z.number().int(),
  name: z.string(),
  communityId: z.number().int().nullable(),
  communityName: z.string().nullable(),
  active: z.boolean(),
});
export type GridCaseLoad = z.infer<typeof gridCaseLoad>;

export const caseLoadResponse = z.object({
  /** The instant the counts describe. */
  asOf: z.string(),
  /** Every grid of the scope (below unitId), in tree order, with zeros where nothing is open. */
  items: z.array(gridCaseLoad),
  totals: caseLoadCounts,
});
export type CaseLoadResponse = z.infer<typeof caseLoadResponse>;

export const mapSettingsResponse = z.object({
  /** Leaflet URL template ({z}/{x}/{y}, optionally {s}); null: draw on a plain background, no tiles. */
  tileUrl: z.string().nullable(),
  attribution: z.string().nullable(),
});
export type MapSettings = z.infer<typeof mapSettingsResponse>;
