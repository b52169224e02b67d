/**
 * `npm run serve` / `npm start`: runs src/server/main.ts with the served heap limits. Node sizes V8's heap
 * from the machine's memory (a 24 GiB host lets it grow past 2 GiB before it collects in earnest), so
 * without a cap the server's RSS under load is mostly garbage not yet collected. Measured (bench/README.md
 * "Memory"): with these limits the busiest workloads stay under 300 MiB at the same throughput.
 *
 * The limits are given on the command line unless the operator set the same flag in NODE_OPTIONS
 * (`NODE_OPTIONS=--max-old-space-size=512 npm start`), which then wins. The launcher replaces itself with
 * the server (execve: same pid, signals and exit code are the server's); where execve is missing
 * (Windows) the server runs in-process without the limits.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** V8 limits in MiB: old space (long-lived objects) and each semi-space of the young generation. */
export const SERVED_HEAP_LIMITS = { 'max-old-space-size': 192, 'max-semi-space-size': 16 } as const;

/** The served limits as node flags, without any the operator already set in NODE_OPTIONS. */
export function servedHeapArgs(nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  return Object.entries(SERVED_HEAP_LIMITS)
    .filter(([flag]) => !new RegExp(`--${flag}[=\\s]`).test(`${nodeOptions} `.replaceAll('_', '-')))
    .map(([flag, mib]) => `--${flag}=${mib}`);
}

if (import.meta.main) {
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
  if (typeof process.execve === 'function') {
    process.execve(process.execPath, [process.execPath, ...servedHeapArgs(), main, ...process.argv.slice(2)]);
  } else {
    await import(main);
  }
}
