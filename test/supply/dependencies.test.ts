import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Dependencies are pinned: package.json names exact versions, the lockfile agrees with it and carries an
 * integrity hash for every package, and nothing runs an install script except the packages allowed below.
 * (Advisories are checked by `npm run audit:deps`, which needs the registry's advisory service.)
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
/** `node` installs the Node 24 runtime the npm scripts run on (see README); nothing else may run scripts. */
const INSTALL_SCRIPTS_ALLOWED = new Set(['node_modules/node']);
const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

interface LockEntry {
  version?: string;
  integrity?: string;
  link?: boolean;
  hasInstallScript?: boolean;
}
const packages = Object.entries(lock.packages as Record<string, LockEntry>).filter(([key]) => key !== '');

describe('dependency pinning', () => {
  test('package.json names exact versions, no ranges', () => {
    const ranged = ['dependencies', 'devDependencies', 'optionalDependencies']
      .flatMap((field) => Object.entries((manifest[field] ?? {}) as Record<string, string>))
      .filter(([, version]) => !EXACT.test(version))
      .map(([name, version]) => `${name}@${version}`);
    assert.deepEqual(ranged, []);
  });

  test('the lockfile installs exactly the versions package.json names', () => {
    const mismatched = ['dependencies', 'devDependencies']
      .flatMap((field) => Object.entries((manifest[field] ?? {}) as Record<string, string>))
      .filter(([name, version]) => lock.packages[`node_modules/${name}`]?.version !== version)
      .map(
        ([name, version]) =>
          `${name}: package.json ${version}, lockfile ${lock.packages[`node_modules/${name}`]?.version}`,
      );
    assert.deepEqual(mismatched, []);
    assert.deepEqual(lock.packages[''].dependencies, manifest.dependencies);
    assert.deepEqual(lock.packages[''].devDependencies, manifest.devDependencies);
  });

  test('every locked package carries a sha512 integrity hash', () => {
    assert.ok(packages.length > 100, 'the lockfile lists the whole tree');
    const unhashed = packages
      .filter(([, entry]) => !entry.link && !/^sha512-/.test(entry.integrity ?? ''))
      .map(([key]) => key);
    assert.deepEqual(unhashed, []);
  });

  test('no package runs an install script except the allowed ones', () => {
    const scripted = packages.filter(([, entry]) => entry.hasInstallScript).map(([key]) => key);
    assert.deepEqual(
      scripted.filter((key) => !INSTALL_SCRIPTS_ALLOWED.has(key)),
      [],
      'a new dependency runs code at install time: review it, then allow it here',
    );
  });
});
