import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTerritory, type Client, createTestApp, errorCode, staffClient, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/databases.ts';

/**
 * Inputs the fuzz test once turned into 500s or into responses outside the error shape, kept here as fixed
 * cases: they must stay ordinary 400s in the one error shape.
 */
for (const kind of await databaseKinds()) {
  describe(`edge inputs (${kind})`, () => {
    let t: TestApp;
    let admin: Client;
    before(async () => {
      t = await createTestApp(kind);
      const territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'edge-admin', [
        { role: 'systemAdmin', unitId: territory.district.id },
        { role: 'auditor', unitId: territory.district.id },
      ]);
    });
    after(() => t.dispose());

    test('a malformed or overlong URL is a 400 in the error shape, with the request id', async () => {
      for (const url of ['/api/units/%zz', `/api/units/${'9'.repeat(5000)}`]) {
        const response = await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': 'edge-url-0001' } });
        assert.equal(response.statusCode, 400, url.slice(0, 40));
        assert.equal(errorCode(response), 'BAD_REQUEST');
        assert.equal(response.json().error.requestId, 'edge-url-0001');
      }
    });

    test('a NUL character in a search is refused, not a server error', async () => {
      for (const url of ['/api/units?q=a%00b', '/api/people?q=%00']) {
        const response = await admin.get(url);
        assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
        assert.equal(errorCode(response), 'VALIDATION_FAILED');
      }
    });

    test('a NUL character in a new record is refused and nothing is written', async () => {
      const before = await t.database.db.selectFrom('units').select('id').execute();
      const response = await admin.post('/api/units', { parentId: null, kind: 'district', name: 'a\u0000b' });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorCode(response), 'VALIDATION_FAILED');
      const afterRows = await t.database.db.selectFrom('units').select('id').execute();
      assert.equal(afterRows.length, before.length);
    });

    test('an upload cut short is a 400, not a server error', async () => {
      const boundary = 'edgeBoundary123';
      const response = await admin.request({
        method: 'POST',
        url: '/api/excel/import/units',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004abc`,
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorCode(response), 'BAD_REQUEST');
    });

    test('a date-time with an impossible UTC offset is refused', async () => {
      const response = await admin.get(`/api/audit?from=${encodeURIComponent('2026-01-01T00:00:00+23:03')}`);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(errorCode(response), 'VALIDATION_FAILED');
    });
  });
}
