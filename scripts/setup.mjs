#!/usr/bin/env node
// Runs on whatever Node the machine has (it may be older than the project's): installs the project's
// dependencies, including the pinned Node.js 24 runtime, when they are missing or stale, and builds the
// web apps when their sources are newer than the build. Plain JavaScript on purpose.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = new Set(process.argv.slice(2));
const run = (cmd) =>
  execSync(cmd, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
  });

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir) {
  if (!existsSync(dir)) return 0;
  let best = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    best = Math.max(best, entry.isDirectory() ? newest(p) : mtime(p));
  }
  return best;
}

const installed = path.join(root, 'node_modules', '.package-lock.json');
const runtime = path.join(root, 'node_modules', 'node', 'bin', 'node');
if (!existsSync(installed) || !existsSync(runtime) || mtime(path.join(root, 'package-lock.json')) > mtime(installed)) {
  // `npm install` (not `npm ci`): it installs the locked versions too, and npm 11 writes lockfiles without the
  // other platforms' optional packages (Biome's binaries), which `npm ci` then refuses as out of sync.
  console.log('Installing dependencies …');
  run('npm install --no-audit --no-fund');
}

if (args.has('--web')) {
  const built = path.join(root, 'dist', 'web', 'console', 'index.html');
  const sources = Math.max(
    newest(path.join(root, 'web')),
    mtime(path.join(root, 'vite.config.ts')),
    mtime(path.join(root, 'package-lock.json')),
  );
  if (!existsSync(built) || sources > mtime(built)) {
    console.log('Building the web apps …');
    run('npm run -s build:web');
  }
}
