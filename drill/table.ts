/** One line of the drill table (`npm run drill`); the backup drill (drill/backup-drill.ts) returns these too. */
export interface DrillRow {
  drill: string;
  database: 'postgres' | 'embedded';
  rounds: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  notes: string;
  /** Set when the drill could not run to its end (an assertion or a step failed): the run exits non-zero. */
  failed?: boolean;
  /** Set when the drill could not run here at all (e.g. no PostgreSQL binaries): reported, not a failure. */
  skipped?: boolean;
}

const HEADER = ['drill', 'database', 'rounds', 'requests acknowledged', 'lost', 'duplicated', 'notes'];

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The rows as a Markdown table, columns padded (as Biome formats Markdown, so RESULTS.md stays lint-clean). */
export function formatTable(rows: readonly DrillRow[]): string {
  const body = rows.map((row) => {
    const status = row.skipped ? 'skipped: ' : row.failed ? 'FAILED: ' : '';
    return [
      row.drill,
      row.database,
      String(row.rounds),
      String(row.acknowledged),
      String(row.lost),
      String(row.duplicated),
      cell(status + row.notes),
    ];
  });
  const widths = HEADER.map((title, i) => Math.max(3, title.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** A run passes when nothing acknowledged was lost or duplicated and no drill failed. */
export function passed(rows: readonly DrillRow[]): boolean {
  return rows.every((row) => !row.failed && row.lost === 0 && row.duplicated === 0);
}
