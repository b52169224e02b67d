import type { Database, Trx } from '../db/database.ts';
import type { CaseDeps } from '../modules/cases/case-transition.ts';

/** Where a sweep reports an item that failed (pino's logger fits); without one the sweep throws at the end. */
export interface SweepLog {
  error(obj: object, msg?: string): void;
}

export interface SweepDeps extends CaseDeps {
  log?: SweepLog | undefined;
}

/** A sweep: processes at most `limit` due items and says how many it processed. */
export type Sweep = (database: Database, deps: SweepDeps, limit?: number) => Promise<number>;

export const DEFAULT_SWEEP_LIMIT = 200;

/**
 * The claim loop every sweep shares. Each item is claimed and handled in its own short transaction:
 * `claim` selects the next due row `FOR UPDATE SKIP LOCKED` (ordered by its marker, an index range scan), so
 * another instance running the same sweep skips the rows this one holds, and `handle` moves the marker in the
 * same transaction, so once it commits nobody claims the item again. Ids already handled (or failed) in this
 * run are passed to `claim` to leave out, so one broken item neither blocks the batch nor repeats in a tight
 * loop; it is retried on the next run.
 */
export async function claimEach<T extends { id: number }>(
  database: Database,
  deps: SweepDeps,
  name: string,
  limit: number,
  claim: (trx: Trx, now: Date, skip: readonly number[]) => Promise<T | undefined>,
  handle: (trx: Trx, item: T, now: Date) => Promise<void>,
): Promise<number> {
  const skip: number[] = [];
  const failures: Array<{ id: number; error: unknown }> = [];
  let processed = 0;
  while (processed + failures.length < limit) {
    const current: { id: number | null } = { id: null };
    try {
      const found = await database.transaction(async (trx) => {
        const now = deps.clock.now();
        const item = await claim(trx, now, skip);
        if (!item) return false;
        current.id = item.id;
        await handle(trx, item, now);
        return true;
      });
      if (!found) break;
      processed += 1;
      skip.push(current.id!);
    } catch (error) {
      const id = current.id;
      // The claim itself failed (e.g. the database is unreachable): nothing more to do in this run.
      if (id === null) throw error;
      skip.push(id);
      failures.push({ id, error });
      deps.log?.error({ err: error, sweep: name, id }, `${name}: item ${id} failed; retried next run`);
    }
  }
  if (failures.length && !deps.log) {
    throw new AggregateError(
      failures.map((f) => f.error),
      `${name}: ${failures.length} item(s) failed: ${failures.map((f) => f.id).join(', ')}`,
    );
  }
  return processed;
}
