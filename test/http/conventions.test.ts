import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listMigrations, migrate, migrationStatus } from '../../src/server/db/migrate.ts';
import { anonymous, buildTerritory, createTestApp, errorCode, staffClient, type TestApp } from '../support/app.ts';
import { databaseKinds, freshDatabase } from '../support/databases.ts';

for (const kind of await databaseKinds()) {
  describe(`API conventions (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind, { BODY_LIMIT_BYTES: '4096' });
    });
    after(() => t.dispose());

    test('health reports the database and current migrations', async () => {
      const response = await anonymous(t).get('/api/health');
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.status, 'ok');
      assert.equal(body.database.kind, kind);
      assert.equal(body.migrations.applied, listMigrations().length);
      assert.deepEqual(body.migrations.pending, []);
    });

    test('OpenAPI is generated from the route schemas and the docs page is served', async () => {
      const spec = (await anonymous(t).get('/api/openapi.json')).json();
      assert.equal(spec.openapi, '3.1.0');
      const login = spec.paths['/api/auth/login'].post;
      assert.deepEqual(login.requestBody.content['application/json'].schema.required.sort(), ['password', 'username']);
      assert.ok(spec.paths['/api/units/{id}'].patch, 'PATCH /api/units/{id} documented');
      const docs = await anonymous(t).get('/api/docs/');
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger/i);
    });

    test('every failure has the one error shape, with the request id echoed', async () => {
      const missing = await t.app.inject({
        method: 'GET',
        url: '/api/nowhere',
        headers: { 'x-request-id': 'trace-12345678' },
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(errorCode(missing), 'NOT_FOUND');
      assert.equal(missing.json().error.requestId, 'trace-12345678');
      assert.equal(missing.headers['x-request-id'], 'trace-12345678');

      const malformed = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "a", ',
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(errorCode(malformed), 'MALFORMED_JSON');

      const tooBig = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'a', password: 'x'.repeat(5000) }),
      });
      assert.equal(tooBig.statusCode, 413);
      assert.equal(errorCode(tooBig), 'PAYLOAD_TOO_LARGE');

      const wrongType = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: 'username=a',
      });
      assert.equal(wrongType.statusCode, 415);
      assert.equal(errorCode(wrongType), 'UNSUPPORTED_MEDIA_TYPE');
    });

    test('overlong strings are refused with field details and nothing is written', async () => {
      const territory = await buildTerritory(t.database);
      const admin = await staffClient(t, 'conv-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      const before = await t.database.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const response = await admin.post('/api/units', {
        parentId: territory.district.id,
        kind: 'street',
        name: '街'.repeat(101),
      });
      assert.equal(response.statusCode, 400);
      assert.equal(errorCode(response), 'VALIDATION_FAILED');
      assert.equal(response.json().error.details[0].path, 'name');
      const afterCount = await t.database.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });

    test('responses carry the security headers', async () => {
      const response = await anonymous(t).get('/api/health');
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'(;|$)/);
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(response.headers['referrer-policy'], 'same-origin');
      assert.equal(response.headers['cache-control'], 'no-store');
    });
  });

  describe(`migrations (${kind})`, () => {
    test('applying twice changes nothing, and an edited migration is refused', async () => {
      const { database, dispose } = await freshDatabase(kind);
      try {
        assert.deepEqual(await migrate(database), []);
        assert.deepEqual((await migrationStatus(database)).pending, []);
        const dir = mkdtempSync(path.join(tmpdir(), 'linli-migrations-'));
        for (const m of listMigrations()) writeFileSync(path.join(dir, m.name), m.sql);
        const first = listMigrations()[0]!;
        writeFileSync(path.join(dir, first.name), `${first.sql}\n-- edited`);
        await assert.rejects(migrate(database, dir), /was edited after it was applied/);
      } finally {
        await dispose();
      }
    });
  });
}
