import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildTerritory,
  type Client,
  createTestApp,
  errorCode,
  insertUnit,
  staffClient,
  type Territory,
  type TestApp,
} from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

for (const kind of await databaseKinds()) {
  describe(`unit posts and the grid card (${kind})`, () => {
    let t: TestApp;
    let territory: Territory;
    let admin: Client;
    let streetAdmin: Client;
    let worker: Client;
    const people: Record<string, number> = {};

    const insertPerson = async (name: string, phone: string | null, unitId: number) => {
      const row = await t.database.db
        .insertInto('people')
        .values({
          name,
          phone,
          unit_id: unitId,
          gender: null,
          birth_date: null,
          id_number: null,
          address: null,
          note: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const audits = async (action: string) =>
      t.database.db
        .selectFrom('audit_log')
        .select(['target_id', 'unit_id', 'detail'])
        .where('action', '=', action)
        .orderBy('id')
        .execute();

    before(async () => {
      t = await createTestApp(kind);
      territory = await buildTerritory(t.database);
      admin = await staffClient(t, 'posts-admin', [{ role: 'districtAdmin', unitId: territory.district.id }]);
      streetAdmin = await staffClient(t, 'posts-street-a', [{ role: 'streetAdmin', unitId: territory.streetA.id }]);
      worker = await staffClient(t, 'posts-cw-a', [{ role: 'communityWorker', unitId: territory.communityA.id }]);
      people.wang = await insertPerson('王网格', '13800138001', territory.communityA.id);
      people.li = await insertPerson('李楼长', '13800138002', territory.communityA.id);
      people.zhao = await insertPerson('赵乙', '13800138003', territory.communityB.id);
    });
    after(() => t.dispose());

    test('adding posts, refusing duplicates, wrong posts, unknown and out-of-scope people', async () => {
      const url = `/api/units/${territory.gridA.id}/posts`;
      const worker1 = await streetAdmin.post(url, {
        personId: people.wang,
        post: 'gridWorker',
        services: '环境卫生、矛盾调解',
      });
      assert.equal(worker1.statusCode, 201, worker1.body);
      const created = worker1.json().post;
      assert.equal(created.personName, '王网格');
      assert.equal(created.phone, '13800138001');
      assert.equal(created.services, '环境卫生、矛盾调解');

      const duplicate = await streetAdmin.post(url, { personId: people.wang, post: 'gridWorker' });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(errorCode(duplicate), 'DUPLICATE');

      const head = await streetAdmin.post(url, { personId: people.wang, post: 'gridHead' });
      assert.equal(head.statusCode, 201, head.body);

      const wrongPost = await streetAdmin.post(url, { personId: people.li, post: 'buildingHead' });
      assert.equal(wrongPost.statusCode, 400);
      assert.equal(errorCode(wrongPost), 'BAD_REQUEST');
      assert.deepEqual(wrongPost.json().error.details.allowedPosts, ['gridHead', 'gridWorker']);

      const unknownPerson = await streetAdmin.post(url, { personId: 999999, post: 'gridWorker' });
      assert.equal(unknownPerson.statusCode, 404);
      assert.equal(errorCode(unknownPerson), 'NOT_FOUND');
      const otherStreetsPerson = await streetAdmin.post(url, { personId: people.zhao, post: 'gridWorker' });
      assert.equal(otherStreetsPerson.statusCode, 404);
      assert.equal(otherStreetsPerson.json().error.message, unknownPerson.json().error.message);

      const unknownPost = await streetAdmin.post(url, { personId: people.li, post: 'mayor' });
      assert.equal(errorCode(unknownPost), 'VALIDATION_FAILED');

      const list = await worker.get(url);
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(
        list.json().items.map((p: { post: string; personName: string }) => [p.post, p.personName]),
        [
          ['gridHead', '王网格'],
          ['gridWorker', '王网格'],
        ],
      );
      const logged = await audits('unitPost.create');
      assert.equal(logged.length, 2);
      assert.equal(logged[0]!.unit_id, territory.gridA.id);
      assert.equal(logged[0]!.target_id, String(created.id));
    });

    test('units outside my scope are not found; read-only staff cannot add or remove posts', async () => {
      const outside = `/api/units/${territory.gridB.id}/posts`;
      const byAdmin = await admin.post(outside, { personId: people.zhao, post: 'gridWorker' });
      assert.equal(byAdmin.statusCode, 201, byAdmin.body);
      const postB = byAdmin.json().post.id;

      for (const response of [
        await streetAdmin.get(outside),
        await streetAdmin.post(outside, { personId: people.li, post: 'gridWorker' }),
        await streetAdmin.delete(`/api/unit-posts/${postB}`),
        await worker.get(outside),
        await streetAdmin.delete('/api/unit-posts/999999'),
      ]) {
        assert.equal(response.statusCode, 404, response.body);
        assert.equal(errorCode(response), 'NOT_FOUND');
      }
      const readOnly = await worker.post(`/api/units/${territory.gridA.id}/posts`, {
        personId: people.li,
        post: 'gridWorker',
      });
      assert.equal(readOnly.statusCode, 403);
      const readOnlyDelete = await worker.delete(`/api/unit-posts/${postB}`);
      assert.equal(readOnlyDelete.statusCode, 403);
    });

    test('removing a post', async () => {
      const url = `/api/units/${territory.gridA.id}/posts`;
      const added = await streetAdmin.post(url, { personId: people.li, post: 'gridWorker' });
      const id = added.json().post.id;
      const removed = await streetAdmin.delete(`/api/unit-posts/${id}`);
      assert.equal(removed.statusCode, 204);
      const again = await streetAdmin.delete(`/api/unit-posts/${id}`);
      assert.equal(again.statusCode, 404);
      const names = (await streetAdmin.get(url)).json().items.map((p: { personName: string }) => p.personName);
      assert.ok(!names.includes('李楼长'));
      const logged = await audits('unitPost.delete');
      assert.equal(logged.length, 1);
      assert.equal(logged[0]!.target_id, String(id));
    });

    test('the grid card: grid, community phone, post holders with full phones, compounds and buildings', async () => {
      await t.database.db
        .updateTable('units')
        .set({ phone: '010-62345678' })
        .where('id', '=', territory.communityA.id)
        .execute();
      const compound = await insertUnit(t.database, 'compound', '幸福小区', territory.gridA);
      const building = await insertUnit(t.database, 'building', '1号楼', compound);
      const closed = await insertUnit(t.database, 'building', '2号楼', compound);
      await t.database.db.updateTable('units').set({ active: false }).where('id', '=', closed.id).execute();
      const head = await streetAdmin.post(`/api/units/${building.id}/posts`, {
        personId: people.li,
        post: 'buildingHead',
      });
      assert.equal(head.statusCode, 201, head.body);

      const response = await worker.get(`/api/grids/${territory.gridA.id}/card`);
      assert.equal(response.statusCode, 200, response.body);
      const card = response.json().card;
      assert.deepEqual(card.grid, { id: territory.gridA.id, name: '甲一网格', phone: null, address: null });
      assert.equal(card.community.name, '甲社区');
      assert.equal(card.community.phone, '010-62345678');
      assert.deepEqual(
        card.posts.map((p: { post: string; personName: string; phone: string; services: string | null }) => [
          p.post,
          p.personName,
          p.phone,
          p.services,
        ]),
        [
          ['gridHead', '王网格', '13800138001', null],
          ['gridWorker', '王网格', '13800138001', '环境卫生、矛盾调解'],
        ],
      );
      assert.deepEqual(
        card.subUnits.map(
          (u: { id: number; parentId: number; kind: string; heads: Array<{ personName: string; phone: string }> }) => [
            u.kind,
            u.id,
            u.parentId,
            u.heads.map((h) => `${h.personName} ${h.phone}`),
          ],
        ),
        [
          ['compound', compound.id, territory.gridA.id, []],
          ['building', building.id, compound.id, ['李楼长 13800138002']],
        ],
      );

      const outOfScope = await worker.get(`/api/grids/${territory.gridB.id}/card`);
      assert.equal(outOfScope.statusCode, 404);
      const dept = await staffClient(t, 'posts-dept', [{ role: 'departmentHandler', unitId: territory.department.id }]);
      const noPermission = await dept.get(`/api/grids/${territory.gridA.id}/card`);
      assert.equal(noPermission.statusCode, 403);

      const listed = await worker.get('/api/grids');
      assert.equal(listed.json().items[0].postCount, 2);
    });
  });
}
