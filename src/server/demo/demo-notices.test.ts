import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { demoResidentClient, silentLog } from '../../../test/support/demo.ts';
import { ManualClock } from '../clock.ts';
import { loadDemoDataIfEmpty } from './demo-data.ts';
import { loadDemoNotices } from './demo-notices.ts';

// Tuesday 2026-11-24 10:00 in Shanghai.
const clock = new ManualClock('2026-11-24T02:00:00Z');

for (const kind of await databaseKinds()) {
  describe(`demo notices (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      assert.ok(await loadDemoDataIfEmpty(t.database, silentLog));
    });
    after(() => t.dispose());

    test('are written once, and the demo resident of 体育场社区第一网格 finds theirs, the urgent one first', async () => {
      assert.equal(await loadDemoNotices(t.database, t.config, clock), 8);
      assert.equal(await loadDemoNotices(t.database, t.config, clock), null, 'a second start writes nothing');

      const resident = await demoResidentClient(t);
      const page = (await resident.get('/api/me/notices?pageSize=50')).json() as {
        items: Array<{ title: string; urgent: boolean; pinned: boolean; publisher: { name: string } }>;
        unreadCount: number;
      };
      const titles = page.items.map((n) => n.title);
      assert.equal(titles.length, 6, titles.join(' / '));
      assert.equal(page.unreadCount, 6);
      assert.ok(page.items[0]?.urgent && page.items[0].title.includes('燃气'), 'the urgent notice comes first');
      assert.equal(page.items[1]?.publisher.name, '光明路街道', 'then the pinned one of the street');
      assert.ok(
        titles.some((x) => /停水通知】\d+月\d+日/.test(x)),
        'the water cut names its date',
      );
      assert.ok(
        titles.some((x) => x.includes('第一网格')),
        'the notice of their own grid',
      );
      assert.ok(!titles.some((x) => x.includes('第二网格')), 'not that of another grid');
      assert.ok(!titles.some((x) => x.includes('电影')), 'not the withdrawn one');
    });
  });
}
