import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Job } from './workers.ts';

/**
 * Audit retention (AUDIT_RETENTION_DAYS, at least 180): writes the configured retention into the database's
 * `audit_retention` row, then deletes at most `limit` audit rows older than it, oldest first; returns how many.
 * The database's trigger allows a DELETE only of a row older than that row's retention (see
 * migrations/20261124_0240_audit_retention.sql), so a younger row cannot go whatever this code asks; the age is
 * measured by the database's clock, like the trigger's.
 */
export async function purgeAuditLog(database: Database, retentionDays: number, limit: number): Promise<number> {
  return database.transaction(async (trx) => {
    await sql`UPDATE audit_retention SET retention_days = ${retentionDays}
      WHERE id AND retention_days IS DISTINCT FROM ${retentionDays}`.execute(trx);
    const deleted = await sql`
      DELETE FROM audit_log
      WHERE id IN (
        SELECT id FROM audit_log
        WHERE at < now() - make_interval(days => ${retentionDays}::integer)
        ORDER BY at LIMIT ${limit}
      )`.execute(trx);
    return Number(deleted.numAffectedRows ?? 0);
  });
}

/** Deletes audit records past AUDIT_RETENTION_DAYS, a batch at a time, every hour. */
export const purgeAuditLogJob: Job = {
  name: 'auditRetention',
  intervalMs: 60 * 60_000,
  limit: 1000,
  run: ({ database, config }, limit) => purgeAuditLog(database, config.auditRetentionDays, limit),
};
