#!/usr/bin/env node
// Runs every test file with node's test runner (TypeScript runs natively on Node 24).
// Browser tests (test/e2e) need the built web apps and Debian's chromium; `npm test` builds first.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const noBrowser = process.argv.includes('--no-browser');
const files = [...globSync('src/**/*.test.ts'), ...globSync('test/**/*.test.ts')]
  .filter((f) => !(noBrowser && f.startsWith('test/e2e/')))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TZ: process.env.TZ || 'Asia/Shanghai' },
});
process.exit(result.status ?? 1);
