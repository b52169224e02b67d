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
import { validIdNumber } from './people.fixtures.ts';

async function count(t: TestApp, table: 'people' | 'audit_log') {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const kind of await databaseKinds()) {
  describe(`people (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    let workerA: Awaited<ReturnType<typeof staffClient>>;
    let personA: { id: number; version: number };
    let personB: { id: number; version: number };

    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'people-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      workerA = await staffClient(t, 'people-cw-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      const a = await admin.post('/api/people', {
        name: '张秀英',
        phone: '13912345678',
        idNumber: validIdNumber('1948-03-02', 22),
        unitId: territory.gridA.id,
        address: '幸福小区3号楼2单元501室',
      });
      assert.equal(a.statusCode, 201, a.body);
      personA = a.json().person;
      const b = await admin.post('/api/people', {
        name: '李建国',
        phone: '13800001111',
        unitId: territory.gridB.id,
        address: '和平里小区1号楼101室',
      });
      assert.equal(b.statusCode, 201, b.body);
      personB = b.json().person;
    });
    after(() => t.dispose());

    test('registration takes birth date and gender from the identity number and answers masked', async () => {
      const detail = (await admin.get(`/api/people/${personA.id}`)).json().person;
      assert.equal(detail.birthDate, '1948-03-02');
      assert.equal(detail.gender, 'female');
      assert.equal(detail.phone, '139****5678');
      assert.match(detail.idNumber, /^4104\*{10}\d{3}[\dX]$/);
      assert.ok(!detail.address.includes('501'), 'the room number is hidden');
      assert.deepEqual(detail.unit, { id: territory.gridA.id, name: territory.gridA.name, kind: 'grid' });
      assert.deepEqual(detail.actions, { update: true, reveal: true, manageCare: true });
    });

    test('a community worker sees and changes nobody in another community', async () => {
      const list = await workerA.get('/api/people?pageSize=200');
      assert.equal(list.statusCode, 200);
      const ids = list.json().items.map((p: { id: number }) => p.id);
      assert.ok(ids.includes(personA.id));
      assert.ok(!ids.includes(personB.id));

      const elsewhere = await workerA.get(`/api/people?within=${territory.communityB.id}`);
      assert.equal(elsewhere.statusCode, 404);
      const detail = await workerA.get(`/api/people/${personB.id}`);
      assert.equal(detail.statusCode, 404);
      const missing = await workerA.get('/api/people/99999999');
      assert.equal(detail.json().error.message, missing.json().error.message);

      const auditBefore = await count(t, 'audit_log');
      const reveal = await workerA.post(`/api/people/${personB.id}/reveal`, { fields: ['phone'] });
      assert.equal(reveal.statusCode, 404);
      const update = await workerA.patch(`/api/people/${personB.id}`, { version: personB.version, name: '改名' });
      assert.equal(update.statusCode, 404);
      const care = await workerA.put(`/api/people/${personB.id}/care`, { kinds: ['elderly'] });
      assert.equal(care.statusCode, 404);
      const moveIn = await workerA.patch(`/api/people/${personA.id}`, {
        version: personA.version,
        unitId: territory.gridB.id,
      });
      assert.equal(moveIn.statusCode, 404);
      const create = await workerA.post('/api/people', { name: '王五', unitId: territory.gridB.id });
      assert.equal(create.statusCode, 404);
      assert.equal(await count(t, 'audit_log'), auditBefore, 'nothing was written');
      const unchanged = (await admin.get(`/api/people/${personB.id}`)).json().person;
      assert.equal(unchanged.name, '李建国');
    });

    test('lists mask phones, identity numbers and addresses', async () => {
      const list = (await admin.get(`/api/people?within=${territory.communityA.id}`)).json();
      assert.equal(list.total, 1);
      const [item] = list.items;
      assert.equal(item.phone, '139****5678');
      assert.ok(!item.idNumber.includes('19480302'));
      assert.ok(!item.address.includes('501'));
      assert.deepEqual(item.flags, { resident: true, staff: false, partyMember: false, carePerson: false });
    });

    test('search by part of a name, by the last four phone digits, and by whole identity number', async () => {
      const byName = (await admin.get(`/api/people?q=${encodeURIComponent('秀')}`)).json();
      assert.deepEqual(
        byName.items.map((p: { id: number }) => p.id),
        [personA.id],
      );
      const byTail = (await admin.get('/api/people?q=1111')).json();
      assert.deepEqual(
        byTail.items.map((p: { id: number }) => p.id),
        [personB.id],
      );
      const byId = (await admin.get(`/api/people?q=${validIdNumber('1948-03-02', 22)}`)).json();
      assert.deepEqual(
        byId.items.map((p: { id: number }) => p.id),
        [personA.id],
      );
      const wildcard = (await admin.get(`/api/people?q=${encodeURIComponent('%')}`)).json();
      assert.equal(wildcard.total, 0, 'LIKE wildcards are matched literally');
    });

    test('a reveal returns the full values and is written to the audit log', async () => {
      const response = await workerA.post(`/api/people/${personA.id}/reveal`, { fields: ['phone', 'idNumber'] });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { phone: '13912345678', idNumber: validIdNumber('1948-03-02', 22) });
      const entry = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'person.reveal')
        .where('target_id', '=', String(personA.id))
        .where('actor_account_id', '=', workerA.accountId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry.detail, { fields: ['phone', 'idNumber'] });

      const gridWorker = await staffClient(t, 'people-gw-a', [{ role: 'gridWorker', unitId: territory.gridA.id }]);
      const refused = await gridWorker.post(`/api/people/${personA.id}/reveal`, { fields: ['phone'] });
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'FORBIDDEN');
      const detail = (await gridWorker.get(`/api/people/${personA.id}`)).json().person;
      assert.equal(detail.actions.reveal, false);
    });

    test('invalid registrations are refused and leave nothing written', async () => {
      const peopleBefore = await count(t, 'people');
      const auditBefore = await count(t, 'audit_log');
      const good = validIdNumber('1990-01-01', 11);
      const badChecksum = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: '赵六', unitId: territory.gridA.id, idNumber: badChecksum }, 'idNumber'],
        [{ name: '赵六', unitId: territory.gridA.id, phone: '12345678901' }, 'phone'],
        [{ name: '赵六', unitId: territory.gridA.id, phone: '1391234567' }, 'phone'],
        [{ name: '赵'.repeat(51), unitId: territory.gridA.id }, 'name'],
        [{ name: '', unitId: territory.gridA.id }, 'name'],
        [{ name: '赵六', unitId: territory.gridA.id, idNumber: good, birthDate: '1990-01-02' }, 'birthDate'],
        [{ name: '赵六', unitId: territory.streetA.id }, 'unitId'],
      ];
      for (const [body, path] of cases) {
        const response = await admin.post('/api/people', body);
        assert.equal(response.statusCode, 400, `${JSON.stringify(body)} → ${response.body}`);
        assert.equal(errorCode(response), 'VALIDATION_FAILED');
        assert.equal(response.json().error.details[0].path, path);
      }
      const unknown = await admin.post('/api/people', { name: '赵六', unitId: territory.gridA.id, religion: 'x' });
      assert.equal(unknown.statusCode, 400);
      assert.equal(errorCode(unknown), 'VALIDATION_FAILED');
      assert.equal(await count(t, 'people'), peopleBefore);
      assert.equal(await count(t, 'audit_log'), auditBefore);
    });

    test('a second record with the same identity number is a 409 DUPLICATE', async () => {
      const response = await admin.post('/api/people', {
        name: '张秀英',
        idNumber: validIdNumber('1948-03-02', 22).toLowerCase(),
        unitId: territory.gridB.id,
      });
      assert.equal(response.statusCode, 409);
      assert.equal(errorCode(response), 'DUPLICATE');
    });

    test('updates use the version: a stale one is a 409 and changes nothing', async () => {
      const created = await workerA.post('/api/people', { name: '孙七', unitId: territory.gridA.id });
      assert.equal(created.statusCode, 201, created.body);
      const person = created.json().person;
      const first = await workerA.patch(`/api/people/${person.id}`, { version: person.version, phone: '13700002222' });
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().person.version, person.version + 1);
      assert.equal(first.json().person.phone, '137****2222');
      const stale = await workerA.patch(`/api/people/${person.id}`, { version: person.version, name: '孙八' });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      assert.equal((await workerA.get(`/api/people/${person.id}`)).json().person.name, '孙七');
      const entry = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'person.update')
        .where('target_id', '=', String(person.id))
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry.detail.fields, ['phone']);
      assert.ok(!JSON.stringify(entry.detail).includes('13700002222'), 'the phone itself is not logged');
    });

    test('one person can be a resident, a staff member and a Party member at once', async () => {
      const created = await admin.post('/api/people', {
        name: '周书记',
        unitId: territory.communityA.id,
        phone: '13655556666',
      });
      const person = created.json().person;
      await t.database.db
        .insertInto('accounts')
        .values({ kind: 'staff', username: 'zhou-shuji', display_name: '周书记', person_id: person.id })
        .execute();
      const org = await t.database.db
        .insertInto('party_orgs')
        .values({ kind: 'branch', name: '甲社区党支部', path: '/pending/' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.database.db
        .updateTable('party_orgs')
        .set({ path: `/${org.id}/` })
        .where('id', '=', org.id)
        .execute();
      await t.database.db.insertInto('party_members').values({ person_id: person.id, party_org_id: org.id }).execute();

      const detail = (await workerA.get(`/api/people/${person.id}`)).json().person;
      assert.deepEqual(detail.flags, { resident: true, staff: true, partyMember: true, carePerson: false });
      assert.equal(detail.partyMembership.partyOrg.name, '甲社区党支部');
      const members = (await workerA.get('/api/people?isPartyMember=true')).json();
      assert.deepEqual(
        members.items.map((p: { id: number }) => p.id),
        [person.id],
      );
      const others = (await workerA.get('/api/people?isPartyMember=false&pageSize=200')).json();
      assert.ok(!others.items.some((p: { id: number }) => p.id === person.id));
    });

    test('unauthenticated and wrong-role callers are refused', async () => {
      const leader = await staffClient(t, 'people-leader', [{ role: 'leader', unitId: territory.district.id }]);
      const response = await leader.get('/api/people');
      assert.equal(response.statusCode, 403);
      assert.equal(errorCode(response), 'FORBIDDEN');
      const anonymousResponse = await t.app.inject({ method: 'GET', url: '/api/people' });
      assert.equal(anonymousResponse.statusCode, 401);
    });
  });
}
