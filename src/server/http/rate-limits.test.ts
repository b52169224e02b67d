import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  anonymous,
  type Client,
  createTestApp,
  errorCode,
  staffClient,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/support/app.ts';
import { buildCaseWorld, type CaseWorld, residentClient } from '../../../test/support/cases.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { phonePhoto } from '../modules/attachments/attachments.fixtures.ts';

/** A 429 in the one error shape, with a Retry-After of at most the window. */
function assertLimited(response: LightMyRequestResponse, windowSeconds: number) {
  assert.equal(response.statusCode, 429, response.body);
  assert.equal(errorCode(response), 'RATE_LIMITED');
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= windowSeconds, `Retry-After ${response.headers['retry-after']}`);
}

function upload(client: Client, bytes: Buffer) {
  const boundary = `----linli${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nimage\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request({
    method: 'POST',
    url: '/api/attachments',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

for (const kind of await databaseKinds()) {
  describe(`rate limits (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let dataDir: string;
    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'linli-rate-'));
      t = await createTestApp(kind, { REPORTS_PER_HOUR: '3', UPLOADS_PER_HOUR: '2', DATA_DIR: dataDir });
      w = await buildCaseWorld(t);
    });
    after(async () => {
      await t.dispose();
      await rm(dataDir, { recursive: true, force: true });
    });

    const count = async (table: 'cases' | 'call_requests' | 'attachments') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('sign-in attempts from one address are limited per minute; another address is not held up', async () => {
      const from = (remoteAddress: string, username: string, password: string) =>
        anonymous(t).request({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password },
          remoteAddress,
        });
      for (let i = 0; i < 30; i += 1) {
        const wrong = await from('10.1.0.1', `guess-${i}`, 'Wrong-Passw0rd');
        assert.equal(errorCode(wrong), 'INVALID_CREDENTIALS', `attempt ${i + 1}`);
      }
      assertLimited(await from('10.1.0.1', 'guess-31', 'Wrong-Passw0rd'), 60);
      await staffClient(t, 'limited.staff', [{ role: 'gridWorker', unitId: w.territory.gridA.id }]);
      assertLimited(await from('10.1.0.1', 'limited.staff', TEST_PASSWORD), 60);
      const elsewhere = await from('10.1.0.2', 'guess-x', 'Wrong-Passw0rd');
      assert.equal(errorCode(elsewhere), 'INVALID_CREDENTIALS');
    });

    test('one-time codes: checking them is limited per address, like passwords', async () => {
      const verify = (code: string) =>
        anonymous(t).request({
          method: 'POST',
          url: '/api/auth/otp/verify',
          payload: { phone: '13900000099', code },
          remoteAddress: '10.2.0.1',
        });
      for (let i = 0; i < 30; i += 1) assert.equal(errorCode(await verify('000000')), 'INVALID_CODE');
      assertLimited(await verify('123456'), 60);
    });

    test("a resident's reports are limited per account (REPORTS_PER_HOUR); nothing is written over the limit", async () => {
      const me = await residentClient(t, '13900000001', w.territory.gridA.id);
      const neighbour = await residentClient(t, '13900000002', w.territory.gridA.id);
      const report = (client: Client, n: number) =>
        client.post('/api/me/cases', { description: `楼道灯不亮了，第${n}次反映` });
      // A malformed report is a 400 and does not use up the allowance.
      const malformed = await me.post('/api/me/cases', { description: '' });
      assert.equal(errorCode(malformed), 'VALIDATION_FAILED');
      for (let n = 1; n <= 3; n += 1) assert.equal((await report(me, n)).statusCode, 201, `report ${n}`);
      const cases = await count('cases');
      assertLimited(await report(me, 4), 3600);
      assert.equal(await count('cases'), cases, 'the refused report was not recorded');
      // Residents share carrier-NAT addresses: a neighbour on the same address still reports.
      assert.equal((await report(neighbour, 1)).statusCode, 201);
      // The one-tap call has its own allowance: a tap while one waits answers the waiting one, and counts.
      const call = () => me.post('/api/me/call-requests', {});
      assert.equal((await call()).statusCode, 201);
      assert.equal((await call()).statusCode, 200);
      assert.equal((await call()).statusCode, 200);
      const calls = await count('call_requests');
      assertLimited(await call(), 3600);
      assert.equal(await count('call_requests'), calls);
    });

    test('uploads are limited per account (UPLOADS_PER_HOUR); a refused upload keeps no file', async () => {
      const photo = await phonePhoto('jpeg');
      const resident = await residentClient(t, '13900000003', w.territory.gridA.id);
      for (let n = 1; n <= 2; n += 1) assert.equal((await upload(resident, photo)).statusCode, 200, `upload ${n}`);
      const rows = await count('attachments');
      const files = async () =>
        (await readdir(path.join(dataDir, 'uploads'), { recursive: true, withFileTypes: true })).filter((e) =>
          e.isFile(),
        ).length;
      const stored = await files();
      assertLimited(await upload(resident, photo), 3600);
      assert.equal(await count('attachments'), rows);
      assert.equal(await files(), stored);
      // Staff have the same allowance each: another account uploads.
      assert.equal((await upload(w.gridWorkerA, photo)).statusCode, 200);
    });
  });
}
