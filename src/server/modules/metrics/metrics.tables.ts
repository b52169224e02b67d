/** Row types of the metrics module's tables (its migrations), for Kysely; merged into DB in db/schema.ts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the module's tables land
export interface MetricsTables {}
