import { sql } from 'kysely';
import type { Database } from '../src/server/db/database.ts';
import { type Ack, MARKER_PREFIX } from './intake-load.ts';

export interface Verdict {
  acknowledged: number;
  /** Acknowledged, but no case with that id carries the request's marker (or the number differs). */
  lost: number;
  /** Extra cases carrying a marker that another case already carries. */
  duplicated: number;
  /** Markers in the database whose request was never acknowledged (a client gave up): not a loss. */
  unacknowledged: number;
  lostExamples: string[];
  duplicatedExamples: string[];
}

const MARKER = new RegExp(`${MARKER_PREFIX}[A-Za-z0-9-]+`);

/** Reads every drill case straight from the database and holds the acknowledgements against it. */
export async function verifyAcks(database: Database, acks: readonly Ack[]): Promise<Verdict> {
  const rows = await sql<{ id: number; number: string; description: string }>`
    SELECT id, number, description FROM cases WHERE description LIKE ${`%${MARKER_PREFIX}%`}`.execute(database.db);
  const byId = new Map<number, { number: string; marker: string | null }>();
  const casesPerMarker = new Map<string, number>();
  for (const row of rows.rows) {
    const marker = MARKER.exec(row.description)?.[0] ?? null;
    byId.set(Number(row.id), { number: row.number, marker });
    if (marker) casesPerMarker.set(marker, (casesPerMarker.get(marker) ?? 0) + 1);
  }
  const verdict: Verdict = {
    acknowledged: acks.length,
    lost: 0,
    duplicated: 0,
    unacknowledged: 0,
    lostExamples: [],
    duplicatedExamples: [],
  };
  const acknowledgedMarkers = new Set<string>();
  for (const ack of acks) {
    acknowledgedMarkers.add(ack.marker);
    const found = byId.get(ack.caseId);
    if (!found || found.marker !== ack.marker || (ack.number !== null && ack.number !== found.number)) {
      verdict.lost++;
      if (verdict.lostExamples.length < 3) verdict.lostExamples.push(`${ack.key} → case ${ack.caseId}`);
    }
  }
  for (const [marker, count] of casesPerMarker) {
    if (count > 1) {
      verdict.duplicated += count - 1;
      if (verdict.duplicatedExamples.length < 3) verdict.duplicatedExamples.push(`${marker} ×${count}`);
    }
    if (!acknowledgedMarkers.has(marker)) verdict.unacknowledged++;
  }
  return verdict;
}
