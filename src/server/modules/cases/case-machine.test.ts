import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createTestApp, errorCode, type TestApp } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { allowedActions, CASE_STATES, RELATIONS, TRANSITIONS, USER_ACTIONS } from './case-machine.ts';
import { replayCase } from './case-replay.ts';

describe('the state machine table', () => {
  test('every state but the archived ones has a way out, and every target state is a known state', () => {
    for (const [action, rule] of Object.entries(TRANSITIONS)) {
      for (const s of [...rule.from, ...rule.to]) assert.ok(CASE_STATES.includes(s), `${action}: ${s}`);
      for (const r of rule.by) assert.ok(RELATIONS.includes(r), `${action}: ${r}`);
    }
    for (const state of CASE_STATES.filter((s) => s !== 'closed' && s !== 'merged')) {
      const out = Object.values(TRANSITIONS).some(
        (rule) => (rule.from as readonly string[]).includes(state) && rule.to.some((to) => to !== state),
      );
      assert.ok(out, `${state} has no transition leading elsewhere`);
    }
  });

  test('nobody may act on an archived case, and the system actions are not offered to people', () => {
    const everyone = new Set(RELATIONS);
    assert.deepEqual(allowedActions('closed', everyone), []);
    assert.deepEqual(allowedActions('merged', everyone), []);
    for (const a of ['colourChange', 'expireVisit', 'inviteVisit', 'intake']) {
      assert.ok(!USER_ACTIONS.includes(a as never), a);
    }
  });
});

const MONDAY_10 = '2026-11-23T02:00:00Z';

for (const kind of await databaseKinds()) {
  describe(`transitions through the API (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    const clock = new ManualClock(MONDAY_10);
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
    });
    after(() => t.dispose());

    const newCase = async () => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        title: '楼道堆放杂物',
        description: '三号楼楼道堆满杂物，存在消防隐患',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '李四', phone: '13700001111' },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().case as { id: number; version: number };
    };

    test('an action the state does not allow is 409 naming what is allowed now', async () => {
      const c = await newCase();
      const response = await w.gridWorkerA.post(`/api/cases/${c.id}/transitions`, { action: 'checkIn' });
      assert.equal(response.statusCode, 409);
      assert.equal(errorCode(response), 'ILLEGAL_TRANSITION');
      const details = response.json().error.details;
      assert.equal(details.state, 'inGrid');
      assert.ok(details.allowed.includes('selfResolve'));
      assert.ok(details.allowed.includes('escalate'));
    });

    test('someone who may read the case but has no part in it is refused with 403, a stale version with 409', async () => {
      const c = await newCase();
      const leader = await w.leader.post(`/api/cases/${c.id}/transitions`, { action: 'selfResolve', result: '已处理' });
      assert.equal(leader.statusCode, 403);
      assert.equal(errorCode(leader), 'FORBIDDEN');
      await act(w.gridWorkerA, c.id, { action: 'note', note: '已联系物业' });
      const stale = await w.gridWorkerA.post(`/api/cases/${c.id}/transitions`, {
        action: 'selfResolve',
        result: '已清理',
        version: c.version,
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(errorCode(stale), 'VERSION_CONFLICT');
      const row = await t.database.db
        .selectFrom('cases')
        .select('state')
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.state, 'inGrid');
    });

    test('a whistle with a deadline in the past or to a non-department is refused and nothing is written', async () => {
      const c = await newCase();
      await act(w.gridWorkerA, c.id, { action: 'escalate', reason: '需社区协调' });
      const before = await t.database.db.selectFrom('case_events').select('id').where('case_id', '=', c.id).execute();
      const past = await w.communityA.post(`/api/cases/${c.id}/transitions`, {
        action: 'whistle',
        leadUnitId: w.territory.department.id,
        deadline: '2026-11-20T00:00:00Z',
      });
      assert.equal(past.statusCode, 400);
      const notDept = await w.communityA.post(`/api/cases/${c.id}/transitions`, {
        action: 'whistle',
        leadUnitId: w.territory.gridB.id,
        deadline: '2026-12-20T00:00:00Z',
      });
      assert.equal(notDept.statusCode, 400);
      const afterward = await t.database.db
        .selectFrom('case_events')
        .select('id')
        .where('case_id', '=', c.id)
        .execute();
      assert.equal(afterward.length, before.length);
    });

    test('whatever people do, the case row always agrees with what its events say', async () => {
      const actors = () => [
        w.gridWorkerA,
        w.communityA,
        w.streetA,
        w.department,
        w.department2,
        w.supervisor,
        w.hotline,
      ];
      const future = () => new Date(clock.now().getTime() + 10 * 86_400_000).toISOString();
      const bodyFor = (action: string): Record<string, unknown> => {
        switch (action) {
          case 'classify':
            return { categoryId: w.categories.garbage };
          case 'dispatch':
            return { unitId: w.territory.gridA2.id };
          case 'whistle':
          case 'redispatch':
            return {
              leadUnitId: w.territory.department.id,
              assistUnitIds: [w.territory.department2.id],
              deadline: future(),
              note: '请尽快处理',
            };
          case 'transfer':
            return { unitId: w.territory.gridA2.id, reason: '属于相邻网格' };
          case 'visit':
            return { rating: 'dissatisfied', solved: false, comment: '没解决' };
          case 'requestExtension':
            return { extraMinutes: 480, reason: '需要更多时间' };
          case 'decideExtension':
            return { approve: true };
          case 'setColour':
            return { colour: 'red' };
          case 'merge':
            return { masterId: 1 };
          default:
            return { result: '已处理', reason: '原因说明', note: '说明' };
        }
      };
      const pick = (action: string, body: Record<string, unknown>) => {
        const keep: Record<string, string[]> = {
          selfResolve: ['result'],
          resolve: ['result'],
          escalate: ['reason'],
          returnCase: ['reason'],
          assistReturn: ['reason'],
          reject: ['reason'],
          checkIn: [],
          assistCheckIn: [],
          chase: [],
          note: ['note'],
          overrule: ['note'],
          supervise: ['note'],
          closeBySupervisor: ['note'],
          rehandle: ['note'],
        };
        const fields = keep[action];
        if (!fields) return body;
        return Object.fromEntries(Object.entries(body).filter(([k]) => fields.includes(k)));
      };
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat(6), fc.nat(20)), { minLength: 4, maxLength: 14 }), async (steps) => {
          const c = await newCase();
          for (const [who, choice] of steps) {
            const client = actors()[who]!;
            const seen = await client.get(`/api/cases/${c.id}`);
            if (seen.statusCode !== 200) continue;
            const allowed: string[] = seen.json().case.allowedActions;
            if (allowed.length === 0) continue;
            const action = allowed[choice % allowed.length]!;
            const response = await client.post(`/api/cases/${c.id}/transitions`, {
              action,
              ...pick(action, bodyFor(action)),
            });
            assert.ok(response.statusCode < 500, `${action}: ${response.body}`);
            if (response.statusCode >= 400) errorCode(response);
            clock.advance(3_600_000);
          }
          const row = await t.database.db
            .selectFrom('cases')
            .selectAll()
            .where('id', '=', c.id)
            .executeTakeFirstOrThrow();
          const events = await t.database.db
            .selectFrom('case_events')
            .select(['seq', 'action', 'from_state', 'to_state', 'owner_unit_id', 'data'])
            .where('case_id', '=', c.id)
            .orderBy('seq')
            .execute();
          const replayed = replayCase(events);
          assert.deepEqual(replayed, {
            state: row.state,
            ownerUnitId: row.owner_unit_id,
            round: row.round,
            supervised: row.supervised,
            returnCount: row.return_count,
            rating: row.rating,
            eventCount: row.event_count,
          });
        }),
        { numRuns: 12, seed: 20261123 },
      );
    });
  });
}
