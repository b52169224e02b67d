import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { audit } from '../audit/audit.service.ts';
import { idParam } from '../units/units.schema.ts';
import { createUnitPostBody, unitPostList, unitPostResponse } from './unit-posts.schema.ts';
import { addUnitPost, listUnitPosts, removeUnitPost } from './unit-posts.service.ts';

/** Posts people hold in units (网格员, 网格长, 楼栋长 …): what the grid card shows. */
export async function unitPostsRoutes(app: App, { database }: Services) {
  app.get(
    '/api/units/:id/posts',
    {
      schema: {
        tags: ['territory'],
        summary: "A unit's post holders, with their work phones",
        params: idParam,
        response: { 200: unitPostList },
      },
      config: { access: { auth: 'staff', permission: 'unit.read' } },
    },
    async (request) => ({ items: await listUnitPosts(database.db, actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/units/:id/posts',
    {
      schema: {
        tags: ['territory'],
        summary: 'Give a person a post in a unit (the person must be in my person.read scope)',
        params: idParam,
        body: createUnitPostBody,
        response: { 201: unitPostResponse },
      },
      config: { access: { auth: 'staff', permission: 'unit.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const post = await database.transaction(async (trx) => {
        const created = await addUnitPost(trx, actor, request.params.id, request.body);
        await audit(trx, request, {
          action: 'unitPost.create',
          targetType: 'unitPost',
          targetId: created.id,
          unitId: created.unitId,
          detail: { personId: created.personId, post: created.post },
        });
        return created;
      });
      return reply.status(201).send({ post });
    },
  );

  app.delete(
    '/api/unit-posts/:id',
    {
      schema: { tags: ['territory'], summary: 'Take a post away', params: idParam },
      config: { access: { auth: 'staff', permission: 'unit.manage' } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction(async (trx) => {
        const removed = await removeUnitPost(trx, actor, request.params.id);
        await audit(trx, request, {
          action: 'unitPost.delete',
          targetType: 'unitPost',
          targetId: removed.id,
          unitId: removed.unit_id,
          detail: { personId: removed.person_id, post: removed.post },
        });
      });
      return reply.status(204).send();
    },
  );
}
