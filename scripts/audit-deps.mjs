#!/usr/bin/env node
// `npm run audit:deps`: the production dependencies against the npm registry's advisory database.
// Exit 0: no high or critical advisory. Exit 1: at least one (listed). Exit 3: the advisory service could not
// be asked (offline, or a registry mirror without it) — that is "unknown", never reported as a pass.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}
if (!report || report.error || !report.metadata) {
  const reason = report?.message || report?.error?.summary || run.stderr.trim().split('\n').pop() || 'no answer';
  console.error(`audit:deps: the advisory service could not be asked (${reason}); the result is unknown`);
  process.exit(3);
}
const counts = report.metadata.vulnerabilities ?? {};
const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, v]) =>
  ['high', 'critical'].includes(v.severity),
);
console.log(
  `audit:deps: ${report.metadata.dependencies?.prod ?? '?'} production packages; advisories: ` +
    ['critical', 'high', 'moderate', 'low'].map((s) => `${s} ${counts[s] ?? 0}`).join(', '),
);
for (const [name, v] of serious) console.log(`  ${v.severity}: ${name} ${v.range}`);
process.exit(serious.length > 0 ? 1 : 0);
