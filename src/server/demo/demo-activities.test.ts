import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { demoResidentClient, silentLog } from '../../../test/support/demo.ts';
import { ManualClock } from '../clock.ts';
import { loadDemoActivities } from './demo-activities.ts';
import { loadDemoDataIfEmpty } from './demo-data.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const clock = new ManualClock('2026-11-23T02:00:00Z');

for (const kind of await databaseKinds()) {
  describe(`demo activities (${kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(kind, {}, clock);
      assert.ok(await loadDemoDataIfEmpty(t.database, silentLog));
    });
    after(() => t.dispose());

    test('are written once, and the demo resident of 体育场社区 finds the upcoming ones', async () => {
      assert.equal(await loadDemoActivities(t.database, t.config, clock), 8);
      assert.equal(await loadDemoActivities(t.database, t.config, clock), null, 'a second start writes nothing');

      const resident = await demoResidentClient(t);
      const upcoming = (await resident.get('/api/me/activities?pageSize=50')).json().items as Array<{
        title: string;
        kind: string;
        placesLeft: number;
        organiser: { name: string };
      }>;
      const titles = upcoming.map((a) => a.title);
      for (const expected of [
        '社区大学·智能手机课（第一期）',
        '党课：学习贯彻党的二十届四中全会精神',
        '社区大学·太极拳入门',
      ]) {
        assert.ok(titles.includes(expected), `${expected} is open to the demo resident`);
      }
      assert.deepEqual(
        new Set(upcoming.map((a) => a.kind)),
        new Set(['course', 'partyClass', 'volunteer', 'activity']),
      );
      assert.equal(upcoming.find((a) => a.title.includes('智能手机'))?.placesLeft, 3);
      const past = (await resident.get('/api/me/activities?when=past')).json().items as Array<{ title: string }>;
      assert.deepEqual(
        past.map((a) => a.title),
        ['社区大学·防范电信网络诈骗讲座'],
      );
    });
  });
}
