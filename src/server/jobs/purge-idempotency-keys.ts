import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { IDEMPOTENCY_TTL_MS } from '../http/idempotency.ts';
import type { Job } from './workers.ts';

/** Deletes at most `limit` records older than 24 hours, oldest first; returns how many. */
export async function purgeIdempotencyKeys(database: Database, now: Date, limit: number): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const deleted = await sql`
    DELETE FROM idempotency_keys
    WHERE (account_id, key) IN (
      SELECT account_id, key FROM idempotency_keys WHERE created_at < ${before} ORDER BY created_at LIMIT ${limit}
    )`.execute(database.db);
  return Number(deleted.numAffectedRows ?? 0);
}

/** Idempotency-Key records are kept 24 hours (http/idempotency.ts); this job deletes the older ones in batches. */
export const purgeIdempotencyKeysJob: Job = {
  name: 'idempotencyKeys',
  intervalMs: 10 * 60_000,
  limit: 1000,
  run: ({ database, clock }, limit) => purgeIdempotencyKeys(database, clock.now(), limit),
};
