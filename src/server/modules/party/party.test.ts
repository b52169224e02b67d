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

type Org = { id: number; version: number; path: string };

for (const kind of await databaseKinds()) {
  describe(`Party organisations and members (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let admin: Awaited<ReturnType<typeof staffClient>>;
    let secretaryA: Awaited<ReturnType<typeof staffClient>>;
    let workerA: Awaited<ReturnType<typeof staffClient>>;
    const orgs: Record<string, Org> = {};
    let memberA: { id: number };
    let personB: { id: number };

    async function createOrg(key: string, body: Record<string, unknown>) {
      const response = await admin.post('/api/party-orgs', body);
      assert.equal(response.statusCode, 201, response.body);
      orgs[key] = response.json().partyOrg;
      return orgs[key]!;
    }

    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'party-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      secretaryA = await staffClient(t, 'party-sec-a', [{ role: 'partySecretary', unitId: territory.communityA.id }]);
      workerA = await staffClient(t, 'party-cw-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      const district = await createOrg('district', {
        parentId: null,
        kind: 'committee',
        name: '测试区委',
        unitIds: [territory.district.id],
      });
      const streetA = await createOrg('streetA', {
        parentId: district.id,
        kind: 'workingCommittee',
        name: '甲街道党工委',
        unitIds: [territory.streetA.id],
      });
      const streetB = await createOrg('streetB', {
        parentId: district.id,
        kind: 'workingCommittee',
        name: '乙街道党工委',
        unitIds: [territory.streetB.id],
      });
      const branchA = await createOrg('branchA', {
        parentId: streetA.id,
        kind: 'branch',
        name: '甲社区党支部',
        unitIds: [territory.communityA.id],
      });
      await createOrg('groupA', { parentId: branchA.id, kind: 'group', name: '甲一网格党小组' });
      await createOrg('branchB', {
        parentId: streetB.id,
        kind: 'branch',
        name: '乙社区党支部',
        unitIds: [territory.communityB.id],
      });
      memberA = (await admin.post('/api/people', { name: '陈党员', unitId: territory.gridA.id })).json().person;
      personB = (await admin.post('/api/people', { name: '郑群众', unitId: territory.gridB.id })).json().person;
    });
    after(() => t.dispose());

    test('the tree has a materialised path and refuses kinds in the wrong place', async () => {
      assert.equal(orgs.groupA!.path, `${orgs.branchA!.path}${orgs.groupA!.id}/`);
      const groupUnderCommittee = await admin.post('/api/party-orgs', {
        parentId: orgs.district!.id,
        kind: 'group',
        name: '错位党小组',
      });
      assert.equal(groupUnderCommittee.statusCode, 400);
      assert.equal(errorCode(groupUnderCommittee), 'UNIT_TREE_VIOLATION');
      const topBranch = await admin.post('/api/party-orgs', {
        parentId: null,
        kind: 'branch',
        name: '游离支部',
        unitIds: [territory.department.id],
      });
      assert.equal(errorCode(topBranch), 'UNIT_TREE_VIOLATION');
      const detail = (await admin.get(`/api/party-orgs/${orgs.groupA!.id}`)).json().partyOrg;
      assert.deepEqual(
        detail.ancestors.map((a: { id: number }) => a.id),
        [orgs.district!.id, orgs.streetA!.id, orgs.branchA!.id],
      );
      const entry = await t.database.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'partyOrg.create')
        .where('target_id', '=', String(orgs.branchA!.id))
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry.detail.unitIds, [territory.communityA.id]);
    });

    test('moving an organisation under its own descendant is refused and changes nothing', async () => {
      const inner = await createOrg('inner', {
        parentId: orgs.district!.id,
        kind: 'committee',
        name: '区直机关党委',
        unitIds: [territory.department.id],
      });
      const district = (await admin.get(`/api/party-orgs/${orgs.district!.id}`)).json().partyOrg;
      const cycle = await admin.patch(`/api/party-orgs/${district.id}`, {
        version: district.version,
        parentId: inner.id,
      });
      assert.equal(cycle.statusCode, 400);
      assert.equal(errorCode(cycle), 'UNIT_TREE_VIOLATION');
      const self = await admin.patch(`/api/party-orgs/${district.id}`, {
        version: district.version,
        parentId: district.id,
      });
      assert.equal(errorCode(self), 'UNIT_TREE_VIOLATION');
      const after = (await admin.get(`/api/party-orgs/${district.id}`)).json().partyOrg;
      assert.equal(after.parentId, null);
      assert.equal(after.version, district.version);

      // A legal move rewrites the paths below.
      const moved = await admin.patch(`/api/party-orgs/${orgs.branchA!.id}`, {
        version: orgs.branchA!.version,
        parentId: inner.id,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const group = (await admin.get(`/api/party-orgs/${orgs.groupA!.id}`)).json().partyOrg;
      assert.equal(group.path, `${inner.path}${orgs.branchA!.id}/${orgs.groupA!.id}/`);
      const back = await admin.patch(`/api/party-orgs/${orgs.branchA!.id}`, {
        version: moved.json().partyOrg.version,
        parentId: orgs.streetA!.id,
      });
      assert.equal(back.statusCode, 200, back.body);
      orgs.branchA = back.json().partyOrg;
      const stale = await admin.patch(`/api/party-orgs/${orgs.branchA!.id}`, { version: 1, name: '旧名' });
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
    });

    test('a community worker sees their own branch and nothing of another community', async () => {
      const top = (await workerA.get('/api/party-orgs')).json();
      assert.deepEqual(
        top.items.map((o: { id: number }) => o.id),
        [orgs.branchA!.id],
      );
      const children = (await workerA.get(`/api/party-orgs?parentId=${orgs.branchA!.id}`)).json();
      assert.deepEqual(
        children.items.map((o: { id: number }) => o.id),
        [orgs.groupA!.id],
      );
      const search = (await workerA.get(`/api/party-orgs?q=${encodeURIComponent('党支部')}`)).json();
      assert.deepEqual(
        search.items.map((o: { id: number }) => o.id),
        [orgs.branchA!.id],
      );
      for (const url of [
        `/api/party-orgs/${orgs.branchB!.id}`,
        `/api/party-orgs/${orgs.branchB!.id}/members`,
        `/api/party-orgs?parentId=${orgs.district!.id}`,
        `/api/party-orgs/${orgs.district!.id}`,
      ]) {
        const response = await workerA.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      const detail = (await workerA.get(`/api/party-orgs/${orgs.branchA!.id}`)).json().partyOrg;
      assert.deepEqual(detail.actions, { manage: false });
      const change = await workerA.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.branchA!.id,
        status: 'full',
      });
      assert.equal(change.statusCode, 403, 'reading is not managing');
    });

    test('a branch secretary manages members of their branch only', async () => {
      const intoB = await secretaryA.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.branchB!.id,
        status: 'full',
      });
      assert.equal(intoB.statusCode, 404);
      const personElsewhere = await secretaryA.put(`/api/people/${personB.id}/party-membership`, {
        partyOrgId: orgs.branchA!.id,
        status: 'full',
      });
      assert.equal(personElsewhere.statusCode, 404);
      const renameB = await secretaryA.patch(`/api/party-orgs/${orgs.branchB!.id}`, { version: 1, name: '改名' });
      assert.equal(renameB.statusCode, 404);
      const linkB = await secretaryA.patch(`/api/party-orgs/${orgs.branchA!.id}`, {
        version: orgs.branchA!.version,
        unitIds: [territory.communityA.id, territory.communityB.id],
      });
      assert.equal(linkB.statusCode, 404);
      const intoCommittee = await admin.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.streetA!.id,
        status: 'full',
      });
      assert.equal(intoCommittee.statusCode, 400);
      assert.equal(errorCode(intoCommittee), 'VALIDATION_FAILED');
      const checkInAtGrid = await secretaryA.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.branchA!.id,
        status: 'full',
        checkInUnitId: territory.gridA.id,
      });
      assert.equal(checkInAtGrid.statusCode, 400);

      const joined = await secretaryA.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.groupA!.id,
        status: 'probationary',
        joinedOn: '2025-07-01',
        checkInUnitId: territory.communityA.id,
      });
      assert.equal(joined.statusCode, 200, joined.body);
      const membership = joined.json().membership;
      assert.equal(membership.checkInUnit.id, territory.communityA.id);

      const direct = (await secretaryA.get(`/api/party-orgs/${orgs.branchA!.id}/members`)).json();
      assert.equal(direct.total, 0);
      const all = (await secretaryA.get(`/api/party-orgs/${orgs.branchA!.id}/members?includeSubOrgs=true`)).json();
      assert.deepEqual(
        all.items.map((m: { person: { id: number } }) => m.person.id),
        [memberA.id],
      );
      assert.equal(all.items[0].status, 'probationary');

      const stale = await secretaryA.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.branchA!.id,
        status: 'full',
      });
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      const full = await secretaryA.put(`/api/people/${memberA.id}/party-membership`, {
        partyOrgId: orgs.branchA!.id,
        status: 'full',
        joinedOn: '2025-07-01',
        version: membership.version,
      });
      assert.equal(full.statusCode, 200, full.body);

      const person = (await secretaryA.get(`/api/people/${memberA.id}`)).json().person;
      assert.equal(person.flags.partyMember, true);
      assert.equal(person.partyMembership.partyOrg.id, orgs.branchA!.id);
    });

    test('a secretary must be a member, and cannot leave while holding the post', async () => {
      const notMember = await admin.patch(`/api/party-orgs/${orgs.branchB!.id}`, {
        version: orgs.branchB!.version,
        secretaryPersonId: personB.id,
      });
      assert.equal(notMember.statusCode, 400);
      assert.equal(notMember.json().error.details[0].path, 'secretaryPersonId');

      const branch = (await secretaryA.get(`/api/party-orgs/${orgs.branchA!.id}`)).json().partyOrg;
      const appointed = await secretaryA.patch(`/api/party-orgs/${branch.id}`, {
        version: branch.version,
        secretaryPersonId: memberA.id,
      });
      assert.equal(appointed.statusCode, 200, appointed.body);
      assert.deepEqual(appointed.json().partyOrg.secretary, { id: memberA.id, name: '陈党员' });

      const leave = await secretaryA.delete(`/api/people/${memberA.id}/party-membership`);
      assert.equal(leave.statusCode, 409);
      assert.equal(errorCode(leave), 'CONFLICT');
      const cleared = await secretaryA.patch(`/api/party-orgs/${branch.id}`, {
        version: appointed.json().partyOrg.version,
        secretaryPersonId: null,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const left = await secretaryA.delete(`/api/people/${memberA.id}/party-membership`);
      assert.equal(left.statusCode, 204);
      const person = (await secretaryA.get(`/api/people/${memberA.id}`)).json().person;
      assert.equal(person.partyMembership, null);
      const actions = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_id', '=', String(memberA.id))
        .where('action', 'like', 'partyMember.%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['partyMember.create', 'partyMember.update', 'partyMember.remove'],
      );
    });

    test('an organisation nobody in scope leads cannot be created by a scoped manager', async () => {
      const orphan = await secretaryA.post('/api/party-orgs', {
        parentId: null,
        kind: 'committee',
        name: '无主党委',
      });
      assert.equal(orphan.statusCode, 403);
      const count = await t.database.db.selectFrom('party_orgs').select('id').where('name', '=', '无主党委').execute();
      assert.equal(count.length, 0);
    });
  });
}
