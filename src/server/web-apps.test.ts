/**
 * Serving the built web apps: each single-page app answers its own index.html for any path under it, hashed
 * assets are cached for good, and a browser that accepts Brotli or gzip gets the build's precompressed copy
 * (what a resident on a slow connection downloads) with the same content once decoded.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../../test/support/app.ts';

const SCRIPT = `console.log(${JSON.stringify('邻里'.repeat(400))});\n`;

describe('web apps', () => {
  let t: TestApp;
  let webDir: string;
  before(async () => {
    webDir = mkdtempSync(path.join(os.tmpdir(), 'linli-web-'));
    for (const app of ['console', 'h5']) {
      mkdirSync(path.join(webDir, app), { recursive: true });
      writeFileSync(path.join(webDir, app, 'index.html'), `<!doctype html><title>${app}</title>`);
    }
    writeFileSync(path.join(webDir, 'h5', 'sw.js'), 'self.addEventListener("fetch", () => {});\n');
    mkdirSync(path.join(webDir, 'assets'));
    const script = path.join(webDir, 'assets', 'h5-abc123.js');
    writeFileSync(script, SCRIPT);
    writeFileSync(`${script}.br`, brotliCompressSync(Buffer.from(SCRIPT)));
    writeFileSync(`${script}.gz`, gzipSync(Buffer.from(SCRIPT)));
    t = await createTestApp('embedded', { WEB_DIR: webDir });
  });
  after(async () => {
    await t?.dispose();
    rmSync(webDir, { recursive: true, force: true });
  });

  test('any path under /h5/ answers the H5 page, which is never cached stale; the service worker is served', async () => {
    for (const url of ['/h5/', '/h5/cases/12', '/h5/activities/3/check-in?code=abc']) {
      const response = await t.app.inject({ url });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /<title>h5<\/title>/, url);
      assert.equal(response.headers['cache-control'], 'no-cache', url);
    }
    const worker = await t.app.inject({ url: '/h5/sw.js' });
    assert.equal(worker.statusCode, 200);
    assert.match(String(worker.headers['content-type']), /javascript/);
    assert.match(worker.body, /addEventListener/);
  });

  test('a browser accepting Brotli gets the precompressed script; gzip-only gets gzip; others the plain file', async () => {
    const url = '/assets/h5-abc123.js';
    const br = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(br.rawPayload.length < Buffer.byteLength(SCRIPT) / 4, 'the compressed copy is much smaller');
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), SCRIPT);
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable', 'hashed assets are kept');

    const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString(), SCRIPT);

    const plain = await t.app.inject({ url, headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, SCRIPT);
  });
});
