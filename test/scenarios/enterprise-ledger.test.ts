import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/server/clock.ts';
import { createTestApp, insertUnit, staffClient, type TestApp } from '../support/app.ts';
import { act } from '../support/cases.ts';
import { databaseKinds } from '../support/databases.ts';

/**
 * From the sources (万人助万企): a task force keeps a ledger of the problems firms raise, 74 of them, and
 * reports "解决率100%". Problems inside the town's remit are handled by the town; the others are whistled to
 * the district's departments. Every one is resolved and rated by the firm's contact.
 */
const PROBLEMS = 74;

for (const kind of await databaseKinds()) {
  describe(`scenario: an enterprise ledger of ${PROBLEMS} problems (${kind})`, () => {
    let t: TestApp;
    // Monday 2026-11-02 09:00 in Shanghai.
    const clock = new ManualClock('2026-11-02T01:00:00Z');
    before(async () => {
      t = await createTestApp(kind, {}, clock);
    });
    after(() => t.dispose());

    test(`${PROBLEMS} problems collected, ${PROBLEMS} resolved: 100%, and the rates to match`, async () => {
      const district = await insertUnit(t.database, 'district', '武安市');
      const town = await insertUnit(t.database, 'town', '午汲镇', district);
      const finance = await insertUnit(t.database, 'department', '市工业和信息化局', district);
      const helper = await staffClient(t, 'wuji.helper', [{ role: 'streetAdmin', unitId: town.id }]);
      const industry = await staffClient(t, 'gxj.handler', [{ role: 'departmentHandler', unitId: finance.id }]);
      const leader = await staffClient(t, 'wuan.leader', [{ role: 'leader', unitId: district.id }]);
      const category = await t.database.db
        .selectFrom('case_categories')
        .select('id')
        .where('code', '=', 'enterprise.financing')
        .executeTakeFirst();

      for (let i = 1; i <= PROBLEMS; i += 1) {
        const created = await helper.post('/api/cases', {
          caseType: 'enterprise',
          channel: 'enterpriseVisit',
          title: `企业问题${i}`,
          description: `帮扶干部走访企业收集的第${i}个问题`,
          unitId: town.id,
          reporter: { name: `企业联系人${i}`, phone: `1390000${String(i).padStart(4, '0')}` },
          ...(category ? { categoryId: category.id } : {}),
        });
        assert.equal(created.statusCode, 201, created.body);
        const c = created.json().case;
        if (c.state === 'received') await act(helper, c.id, { action: 'dispatch', unitId: town.id });
        // Two in three are in the town's remit; the rest go to the district's industry bureau.
        if (i % 3 === 0) {
          await act(helper, c.id, { action: 'whistle', leadUnitId: finance.id, deadline: '2026-11-30T17:00:00+08:00' });
          await act(industry, c.id, { action: 'checkIn' });
          await act(industry, c.id, { action: 'resolve', result: '已协调解决' });
        } else {
          await act(helper, c.id, { action: 'resolve', result: '镇专班已解决' });
        }
        await act(helper, c.id, {
          action: 'visit',
          rating: i % 10 === 0 ? 'partlySatisfied' : 'satisfied',
          solved: true,
        });
      }

      const ledger = await leader.get(`/api/metrics/ledger?caseType=enterprise&within=${district.id}`);
      assert.equal(ledger.statusCode, 200, ledger.body);
      const total = ledger.json().total;
      assert.equal(total.collected, PROBLEMS);
      assert.equal(total.resolved, PROBLEMS);
      assert.equal(total.resolutionRate, 1);
      assert.equal(total.inProgress, 0);

      const rates = await leader.get(
        `/api/metrics/three-rates?unitId=${town.id}&period=month&date=2026-11-02&caseType=enterprise`,
      );
      assert.equal(rates.statusCode, 200, rates.body);
      const r = rates.json();
      assert.equal(r.counts.received, PROBLEMS);
      assert.equal(r.rates.resolutionRate, 1, 'every firm said its problem was solved');
      // 7 of 74 were rated partly satisfied (i = 10, 20 … 70), weighted 0.8 by default; rates have 4 decimals.
      const expected = (PROBLEMS - 7 + 0.8 * 7) / PROBLEMS;
      assert.ok(Math.abs(r.rates.satisfactionRate - expected) < 5e-5, `${r.rates.satisfactionRate} vs ${expected}`);
    });
  });
}
