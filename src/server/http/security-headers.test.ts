import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { anonymous, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';

/** The CSP as a map of directive → sources. */
function directives(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  assert.ok(header, `a CSP on ${response.raw.req.url}`);
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

/** What every page and every API answer carries, whatever its status. */
function assertHardened(response: LightMyRequestResponse, what: string) {
  const csp = directives(response);
  assert.deepEqual(csp.get('script-src'), ["'self'"], `${what}: scripts from our origin only, no inline, no eval`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], what);
  assert.deepEqual(csp.get('object-src'), ["'none'"], what);
  assert.deepEqual(csp.get('base-uri'), ["'self'"], what);
  assert.deepEqual(csp.get('default-src'), ["'self'"], what);
  for (const [name, sources] of csp) {
    assert.ok(!sources.includes("'unsafe-eval'"), `${what}: no unsafe-eval in ${name}`);
    if (name !== 'style-src') assert.ok(!sources.includes("'unsafe-inline'"), `${what}: unsafe-inline in ${name}`);
  }
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(response.headers['referrer-policy'], 'same-origin', what);
  assert.equal(response.headers['x-frame-options'], 'DENY', what);
}

for (const kind of await databaseKinds()) {
  describe(`security headers (${kind})`, () => {
    let plain: TestApp;
    let tls: TestApp;
    let webDir: string;
    before(async () => {
      // A stand-in for the built web apps, so the pages are served as in production.
      webDir = await mkdtemp(path.join(tmpdir(), 'linli-web-'));
      for (const app of ['console', 'h5']) {
        await mkdir(path.join(webDir, app), { recursive: true });
        await writeFile(path.join(webDir, app, 'index.html'), `<!doctype html><title>${app}</title>`);
      }
      plain = await createTestApp(kind, { WEB_DIR: webDir });
      tls = await createTestApp(kind, { WEB_DIR: webDir, COOKIE_SECURE: 'true' });
    });
    after(async () => {
      await plain.dispose();
      await tls.dispose();
      await rm(webDir, { recursive: true, force: true });
    });

    const answers = async (t: TestApp) => ({
      'the console page': await anonymous(t).get('/console/'),
      'an H5 page': await anonymous(t).get('/h5/my/cases'),
      'an API answer': await anonymous(t).get('/api/health'),
      'an API refusal': await anonymous(t).get('/api/cases'),
      'a missing route': await anonymous(t).get('/api/nowhere'),
    });

    test('CSP without inline scripts, no framing, nosniff and a referrer policy on pages and API answers', async () => {
      for (const t of [plain, tls]) {
        for (const [what, response] of Object.entries(await answers(t))) assertHardened(response, what);
      }
    });

    test('HSTS only behind TLS (COOKIE_SECURE), for a year and subdomains', async () => {
      for (const [what, response] of Object.entries(await answers(plain))) {
        assert.equal(response.headers['strict-transport-security'], undefined, `${what}: no HSTS over plain HTTP`);
      }
      for (const [what, response] of Object.entries(await answers(tls))) {
        const hsts = String(response.headers['strict-transport-security'] ?? '');
        const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1]);
        assert.ok(maxAge >= 31_536_000, `${what}: ${hsts}`);
        assert.match(hsts, /includeSubDomains/, what);
      }
    });
  });
}
