import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildTerritory,
  createTestApp,
  errorCode,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

for (const kind of await databaseKinds()) {
  describe(`care persons (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let workerA: Awaited<ReturnType<typeof staffClient>>;
    let workerB: Awaited<ReturnType<typeof staffClient>>;
    let elder: { id: number };
    let neighbour: { id: number };
    let elderB: { id: number };

    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      workerA = await staffClient(t, 'care-cw-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      workerB = await staffClient(t, 'care-cw-b', [{ role: 'communityWorker', unitId: territory.communityB.id }]);
      const add = async (client: typeof workerA, name: string, unitId: number) => {
        const response = await client.post('/api/people', { name, unitId });
        assert.equal(response.statusCode, 201, response.body);
        return response.json().person as { id: number };
      };
      elder = await add(workerA, '王奶奶', territory.gridA.id);
      neighbour = await add(workerA, '刘大姐', territory.gridA.id);
      elderB = await add(workerB, '赵爷爷', territory.gridB.id);
    });
    after(() => t.dispose());

    test('a care-person file is added, listed by kind, changed with its version, and audited', async () => {
      const added = await workerA.put(`/api/people/${elder.id}/care`, {
        kinds: ['livingAlone', 'elderly'],
        note: '独居，患高血压，子女在外地',
        visitCycleDays: 7,
        responsiblePersonId: neighbour.id,
      });
      assert.equal(added.statusCode, 200, added.body);
      const care = added.json().care;
      assert.deepEqual(care.responsiblePerson, { id: neighbour.id, name: '刘大姐' });

      const list = (await workerA.get('/api/care-persons?kind=livingAlone')).json();
      assert.deepEqual(
        list.items.map((i: { person: { id: number } }) => i.person.id),
        [elder.id],
      );
      assert.equal(list.items[0].note, '独居，患高血压，子女在外地');
      assert.equal((await workerA.get('/api/care-persons?kind=disabled')).json().total, 0);

      const noVersion = await workerA.put(`/api/people/${elder.id}/care`, { kinds: ['elderly'] });
      assert.equal(noVersion.statusCode, 409);
      assert.equal(errorCode(noVersion), 'VERSION_CONFLICT');
      const changed = await workerA.put(`/api/people/${elder.id}/care`, { kinds: ['elderly'], version: care.version });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual(changed.json().care.kinds, ['elderly']);

      const entries = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('target_id', '=', String(elder.id))
        .where('action', 'like', 'carePerson.%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        entries.map((e) => e.action),
        ['carePerson.create', 'carePerson.update'],
      );
      assert.ok(!JSON.stringify(entries).includes('高血压'), 'the note is not copied into the audit log');

      const detail = (await workerA.get(`/api/people/${elder.id}`)).json().person;
      assert.equal(detail.flags.carePerson, true);
      assert.deepEqual(detail.care.kinds, ['elderly']);
    });

    test('kinds and notes are hidden from a role without carePerson.read', async () => {
      await workerB.put(`/api/people/${elderB.id}/care`, { kinds: ['hardship'], note: '低保户' });
      const supervisor = await staffClient(t, 'care-supervisor', [
        { role: 'supervisor', unitId: territory.district.id },
      ]);
      const detail = await supervisor.get(`/api/people/${elderB.id}`);
      assert.equal(detail.statusCode, 200, detail.body);
      const person = detail.json().person;
      assert.equal(person.care, null);
      assert.equal(person.flags.carePerson, null);
      assert.ok(!detail.body.includes('低保户') && !detail.body.includes('hardship'));
      const list = await supervisor.get('/api/people?pageSize=200');
      assert.ok(list.json().items.every((p: { flags: { carePerson: unknown } }) => p.flags.carePerson === null));
      assert.ok(!list.body.includes('hardship'));
      const careList = await supervisor.get('/api/care-persons');
      assert.equal(careList.statusCode, 403);
      const filter = await supervisor.get('/api/people?isCarePerson=true');
      assert.equal(filter.statusCode, 403);
    });

    test('a community worker neither sees nor changes care files in another community', async () => {
      const list = (await workerA.get('/api/care-persons?pageSize=200')).json();
      assert.ok(!list.items.some((i: { person: { id: number } }) => i.person.id === elderB.id));
      const within = await workerA.get(`/api/care-persons?within=${territory.communityB.id}`);
      assert.equal(within.statusCode, 404);
      const change = await workerA.put(`/api/people/${elderB.id}/care`, { kinds: ['other'], version: 1 });
      assert.equal(change.statusCode, 404);
      const remove = await workerA.delete(`/api/people/${elderB.id}/care`);
      assert.equal(remove.statusCode, 404);
      const responsibleElsewhere = await workerA.put(`/api/people/${neighbour.id}/care`, {
        kinds: ['other'],
        responsiblePersonId: elderB.id,
      });
      assert.equal(responsibleElsewhere.statusCode, 404);
      const still = (await workerB.get(`/api/people/${elderB.id}`)).json().person;
      assert.deepEqual(still.care.kinds, ['hardship']);
      assert.equal(still.flags.carePerson, true);
    });

    test('bad kinds are refused and a file can be closed', async () => {
      const bad = await workerB.put(`/api/people/${elderB.id}/care`, { kinds: ['vip'], version: 1 });
      assert.equal(bad.statusCode, 400);
      assert.equal(errorCode(bad), 'VALIDATION_FAILED');
      const empty = await workerB.put(`/api/people/${elderB.id}/care`, { kinds: [], version: 1 });
      assert.equal(empty.statusCode, 400);
      const gridWorker = await staffClient(t, 'care-gw-b', [{ role: 'gridWorker', unitId: territory.gridB.id }]);
      const readOnly = await gridWorker.delete(`/api/people/${elderB.id}/care`);
      assert.equal(readOnly.statusCode, 403, 'grid workers read care files but do not close them');
      const closed = await workerB.delete(`/api/people/${elderB.id}/care`);
      assert.equal(closed.statusCode, 204);
      const detail = (await workerB.get(`/api/people/${elderB.id}`)).json().person;
      assert.equal(detail.care, null);
      assert.equal(detail.flags.carePerson, false);
    });
  });
}
