import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anonymous,
  buildTerritory,
  createTestApp,
  errorCode,
  staffClient,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { MAX_SAVED_FILTERS_PER_PAGE } from './saved-filters.schema.ts';

const URL = '/api/me/saved-filters';

for (const kind of await databaseKinds()) {
  describe(`saved filters (${kind})`, () => {
    let t: TestApp;
    let territory: Awaited<ReturnType<typeof buildTerritory>>;
    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
    });
    after(() => t.dispose());

    const worker = (name: string) => staffClient(t, name, [{ role: 'gridWorker', unitId: territory.gridA.id }]);

    test('I save a filter, list it on its page only, apply its query as saved, and delete it', async () => {
      const me = await worker('sf.owner');
      const query = { worklist: 'toHandle', colour: 'red', state: ['inGrid', 'atCommunity'], categoryId: 12 };
      const created = await me.post(URL, { page: 'worklist', name: '  本周红灯件 ', query });
      assert.equal(created.statusCode, 201, created.body);
      const saved = created.json().savedFilter;
      assert.equal(saved.name, '本周红灯件', 'the name is trimmed');
      assert.deepEqual(saved.query, query);

      const listed = await me.get(`${URL}?page=worklist`);
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(
        listed.json().items.map((f: { id: number; query: unknown }) => [f.id, f.query]),
        [[saved.id, query]],
      );
      const otherPage = await me.get(`${URL}?page=cases`);
      assert.deepEqual(otherPage.json().items, [], 'a filter belongs to the page it was saved on');

      const removed = await me.delete(`${URL}/${saved.id}`);
      assert.equal(removed.statusCode, 200, removed.body);
      assert.deepEqual((await me.get(`${URL}?page=worklist`)).json().items, []);
      const again = await me.delete(`${URL}/${saved.id}`);
      assert.equal(again.statusCode, 404);
      assert.equal(errorCode(again), 'NOT_FOUND');
    });

    test("someone else's filters are neither listed nor deletable (404 as if absent)", async () => {
      const owner = await worker('sf.a');
      const other = await worker('sf.b');
      const created = await owner.post(URL, { page: 'cases', name: '我的', query: { colour: 'red' } });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().savedFilter.id;
      assert.deepEqual((await other.get(`${URL}?page=cases`)).json().items, []);
      const refused = await other.delete(`${URL}/${id}`);
      assert.equal(refused.statusCode, 404);
      assert.equal(errorCode(refused), 'NOT_FOUND');
      assert.equal((await owner.get(`${URL}?page=cases`)).json().items.length, 1, 'still there for its owner');
      // The same name on another account is no clash.
      assert.equal((await other.post(URL, { page: 'cases', name: '我的', query: {} })).statusCode, 201);
    });

    test('a name twice on one page is 409 DUPLICATE; the same name on another page is fine', async () => {
      const me = await worker('sf.dup');
      assert.equal((await me.post(URL, { page: 'cases', name: '红灯', query: { colour: 'red' } })).statusCode, 201);
      const duplicate = await me.post(URL, { page: 'cases', name: '红灯', query: { colour: 'orange' } });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(errorCode(duplicate), 'DUPLICATE');
      assert.equal((await me.post(URL, { page: 'supervision', name: '红灯', query: {} })).statusCode, 201);
    });

    test(`at most ${MAX_SAVED_FILTERS_PER_PAGE} per page: the next is 409 with a clear reason`, async () => {
      const me = await worker('sf.many');
      const rows = Array.from({ length: MAX_SAVED_FILTERS_PER_PAGE }, (_, i) => ({
        account_id: me.accountId,
        page: 'worklist' as const,
        name: `筛选${i}`,
        query: JSON.stringify({ q: String(i) }),
      }));
      await t.database.db.insertInto('saved_filters').values(rows).execute();
      const over = await me.post(URL, { page: 'worklist', name: '再来一个', query: {} });
      assert.equal(over.statusCode, 409, over.body);
      assert.equal(errorCode(over), 'CONFLICT');
      assert.equal(over.json().error.details.reason, 'TOO_MANY');
      assert.match(over.json().error.message, /50/);
      assert.equal((await me.post(URL, { page: 'cases', name: '再来一个', query: {} })).statusCode, 201);
    });

    test('bad input is a 400 in the one error shape, never a 500', async () => {
      const me = await worker('sf.bad');
      const bad: unknown[] = [
        { page: 'nowhere', name: 'x', query: {} },
        { page: 'cases', name: '', query: {} },
        { page: 'cases', name: 'x'.repeat(51), query: {} },
        { page: 'cases', name: 'x', query: [] },
        { page: 'cases', name: 'x', query: 'colour=red' },
        { page: 'cases', name: 'x', query: { nested: { a: 1 } } },
        { page: 'cases', name: 'x', query: { flag: true } },
        { page: 'cases', name: 'x', query: { list: [1, 2] } },
        { page: 'cases', name: 'x', query: { 'bad key': 'x' } },
        // Over 4 KB as UTF-8 JSON (each 字 is three bytes), though every value is within its own limit.
        { page: 'cases', name: 'x', query: { a: '字'.repeat(500), b: '字'.repeat(500), c: '字'.repeat(500) } },
        { page: 'cases', name: 'x', query: {}, extra: 1 },
      ];
      for (const body of bad) {
        const response = await me.post(URL, body);
        assert.equal(response.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${response.body}`);
        assert.equal(errorCode(response), 'VALIDATION_FAILED');
      }
      const noPage = await me.get(URL);
      assert.equal(noPage.statusCode, 400);
      const badId = await me.delete(`${URL}/abc`);
      assert.equal(badId.statusCode, 400);
      assert.equal(errorCode(badId), 'VALIDATION_FAILED');
    });

    test('a session is needed, and staff without case.read are refused', async () => {
      const nobody = await anonymous(t).get(`${URL}?page=cases`);
      assert.equal(nobody.statusCode, 401);
      const partyOnly = await staffClient(t, 'sf.party', [{ role: 'partySecretary', unitId: territory.district.id }]);
      const refused = await partyOnly.get(`${URL}?page=cases`);
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
    });

    test('deleting an account deletes its filters', async () => {
      const me = await worker('sf.gone');
      assert.equal((await me.post(URL, { page: 'cases', name: '临时', query: {} })).statusCode, 201);
      await t.database.db.deleteFrom('sessions').where('account_id', '=', me.accountId).execute();
      await t.database.db.deleteFrom('role_grants').where('account_id', '=', me.accountId).execute();
      await t.database.db.deleteFrom('accounts').where('id', '=', me.accountId).execute();
      const left = await t.database.db
        .selectFrom('saved_filters')
        .select('id')
        .where('account_id', '=', me.accountId)
        .execute();
      assert.deepEqual(left, []);
    });
  });
}
