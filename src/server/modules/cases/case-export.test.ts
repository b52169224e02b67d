import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { type Client, createTestApp, errorCode, staffClient, type TestApp } from '../../../../test/support/app.ts';
import { act, buildCaseWorld, type CaseWorld, IN_GRID_A, IN_GRID_B } from '../../../../test/support/cases.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { ManualClock } from '../../clock.ts';
import { loadActor } from '../auth/session.service.ts';
import { caseExportBatches, streamCaseExport } from './case-export.ts';
import { readClock } from './cases.service.ts';

const MONDAY_10 = '2026-11-23T02:00:00Z';
const URL = '/api/cases/export.xlsx';

/** The data rows of an exported workbook as { header: value } (header row first, then one row per case). */
async function sheetRows(source: Buffer): Promise<Array<Record<string, string>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(source as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => {
    headers[col] = String(cell.text);
  });
  const rows: Array<Record<string, string>> = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const record: Record<string, string> = {};
    row.eachCell((cell, col) => {
      record[headers[col] ?? `#${col}`] = String(cell.text);
    });
    rows.push(record);
  });
  return rows;
}

async function exported(client: Client, query = ''): Promise<Array<Record<string, string>>> {
  const response = await client.get(`${URL}${query}`);
  assert.equal(response.statusCode, 200, response.body.slice(0, 300));
  return sheetRows(response.rawPayload);
}

async function listed(client: Client, query = ''): Promise<string[]> {
  const sep = query ? '&' : '?';
  const response = await client.get(`/api/cases${query}${sep}pageSize=200`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().items.map((c: { number: string }) => c.number);
}

/** The case numbers of the rows (a "cut" line, in the first column, is no case number). */
const numbers = (rows: Array<Record<string, string>>) =>
  rows.map((r) => r.编号 ?? '').filter((n) => /^[A-Z]+-\d{4}-\d{6}$/.test(n));
const sorted = (list: string[]) => [...list].sort();

async function streamed(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

for (const kind of await databaseKinds()) {
  describe(`case export to Excel (${kind})`, () => {
    let t: TestApp;
    let w: CaseWorld;
    let districtAdmin: Client & { accountId: number };
    const clock = new ManualClock(MONDAY_10);
    const ids: Record<string, number> = {};

    const intake = async (key: string, body: Record<string, unknown>) => {
      const response = await w.hotline.post('/api/cases', {
        channel: 'hotline',
        categoryId: w.categories.garbage,
        location: IN_GRID_A,
        reporter: { name: '王五', phone: '13600002222' },
        ...body,
      });
      assert.equal(response.statusCode, 201, response.body);
      ids[key] = response.json().case.id;
      return response.json().case;
    };

    before(async () => {
      t = await createTestApp(kind, {}, clock);
      w = await buildCaseWorld(t);
      districtAdmin = await staffClient(t, 'export.admin', [
        { role: 'districtAdmin', unitId: w.territory.district.id },
      ]);
      await intake('a1', { title: '小区垃圾清运不及时', description: '垃圾桶满了三天没人清运' });
      await intake('a2', {
        title: '楼道漏水',
        description: '顶楼漏水严重',
        categoryId: w.categories.leak,
        urgency: 'urgent',
      });
      await intake('a3', { title: '路灯不亮', description: '门口路灯坏了', channel: 'patrol' });
      await intake('b1', { title: '乙社区垃圾清运', description: '乙社区垃圾桶满溢', location: IN_GRID_B });
      await intake('b2', { title: '乙社区路面破损', description: '路面坑洼', location: IN_GRID_B, channel: 'patrol' });
      await act(w.gridWorkerA, ids.a3!, { action: 'selfResolve', result: '已更换灯泡' });
    });
    after(() => t.dispose());

    test('the rows are the list rows for the same filter, with Chinese headers and values', async () => {
      for (const query of ['', '?channel=patrol', `?categoryId=${w.categories.environment}`, '?state=resolved']) {
        const rows = await exported(districtAdmin, query);
        assert.deepEqual(sorted(numbers(rows)), sorted(await listed(districtAdmin, query)), `filter ${query}`);
      }
      const search = `?q=${encodeURIComponent('垃圾清运')}`;
      const found = await exported(districtAdmin, search);
      assert.deepEqual(sorted(numbers(found)), sorted(await listed(districtAdmin, search)));
      assert.equal(found.length, 2);

      const rows = await exported(districtAdmin, '?channel=hotline');
      const leak = rows.find((r) => r.标题 === '楼道漏水');
      assert.ok(leak, 'the leak case is exported');
      assert.equal(leak.事项类型, '群众诉求');
      assert.equal(leak.分类, '物业管理 / 房屋漏水');
      assert.equal(leak.紧急程度, '紧急');
      assert.equal(leak.来源渠道, '热线');
      assert.equal(leak.网格, w.territory.gridA.name);
      assert.ok(['网格办理', '已受理'].includes(leak.状态 ?? ''), leak.状态);
      assert.ok(['红灯', '黄灯', '绿灯'].includes(leak.亮灯 ?? ''));
      assert.match(leak.受理时间 ?? '', /^2026-11-23 10:00$/, 'local time in Asia/Shanghai');
      assert.ok(Number(leak['剩余工作时间(分钟)']) > 0, 'working minutes left, positive before the deadline');
      const resolved = rows.find((r) => r.标题 === '路灯不亮');
      assert.equal(resolved, undefined, 'the patrol case is not a hotline case');
      const patrol = (await exported(districtAdmin, '?channel=patrol')).find((r) => r.标题 === '路灯不亮');
      assert.equal(patrol?.状态, '已办结');
      assert.match(patrol?.办结时间 ?? '', /^2026-11-23 10:00$/);
    });

    test('out-of-scope cases never appear, whatever the filter or the ids', async () => {
      const community = numbers(await exported(w.communityA));
      assert.deepEqual(sorted(community), sorted(await listed(w.communityA)));
      const bNumbers = (await listed(districtAdmin, `?unitId=${w.territory.communityB.id}`)).sort();
      assert.equal(bNumbers.length, 2);
      for (const n of bNumbers) assert.ok(!community.includes(n), `${n} of community B is not exported for A`);
      const asked = await exported(w.communityA, `?ids=${ids.b1},${ids.b2},${ids.a1}`);
      assert.equal(asked.length, 1, 'only the selected case in scope');
      const byUnit = await exported(w.communityA, `?unitId=${w.territory.communityB.id}`);
      assert.deepEqual(byUnit, [], "another community's unit filter finds nothing");
    });

    test('ids exports the selected cases only', async () => {
      const rows = await exported(districtAdmin, `?ids=${ids.a1},${ids.b2}`);
      assert.deepEqual(numbers(rows).length, 2);
      const titles = rows.map((r) => r.标题).sort();
      assert.deepEqual(titles, ['乙社区路面破损', '小区垃圾清运不及时'].sort());
      const within = await exported(districtAdmin, `?ids=${ids.a1},${ids.b2}&channel=patrol`);
      assert.deepEqual(
        within.map((r) => r.标题),
        ['乙社区路面破损'],
        'the filters still apply',
      );
    });

    test('the download is named 事项清单-<day>.xlsx with an ASCII fallback, and each export is audited', async () => {
      const response = await districtAdmin.get(`${URL}?colour=green`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /spreadsheetml/);
      const disposition = String(response.headers['content-disposition']);
      assert.match(disposition, /filename="cases-20261123\.xlsx"/);
      assert.ok(disposition.includes(encodeURIComponent('事项清单-20261123.xlsx')), disposition);
      assert.equal(response.rawPayload.subarray(0, 2).toString(), 'PK');
      const entry = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_name', 'detail'])
        .where('action', '=', 'case.export')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(entry.actor_name, 'export.admin');
      assert.deepEqual((entry.detail as { filter: unknown }).filter, { colour: 'green' });
    });

    test('without data.export it is 403 (a grid worker, a supervisor); without a session 401', async () => {
      for (const client of [w.gridWorkerA, w.supervisor, w.hotline]) {
        const refused = await client.get(URL);
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal(errorCode(refused), 'FORBIDDEN');
      }
      const anonymous = await t.app.inject({ method: 'GET', url: URL });
      assert.equal(anonymous.statusCode, 401);
    });

    test('bad queries are 400 in the one error shape', async () => {
      const many = Array.from({ length: 501 }, (_, i) => i + 1).join(',');
      for (const query of [
        '?page=1',
        '?pageSize=20',
        '?ids=abc',
        '?ids=1,,2',
        '?ids=0',
        `?ids=${many}`,
        '?colour=purple',
        '?from=yesterday',
        '?to=0000-02-29',
        '?from=2026-02-30',
        '?nonsense=1',
      ]) {
        const response: LightMyRequestResponse = await districtAdmin.get(`${URL}${query}`);
        assert.equal(response.statusCode, 400, `${query.slice(0, 40)}: ${response.body.slice(0, 200)}`);
        assert.equal(errorCode(response), 'VALIDATION_FAILED');
      }
    });

    test('a download nobody reads stops reading batches; once read, it holds every row', async () => {
      const at = await readClock(t.database.db, t.config, clock.now());
      const options = { timeZone: 'Asia/Shanghai', caseTypes: new Map([['appeal', '群众诉求']]), maxRows: 1_000_000 };
      const template = (
        await caseExportBatches(
          t.database.db,
          (await loadActor(t.database.db, t.config, districtAdmin.cookie!))!,
          {},
          at.now,
          1,
        ).next()
      ).value![0]!;
      let pulled = 0;
      const BATCHES = 120;
      async function* many() {
        for (let b = 0; b < BATCHES; b++) {
          // Each batch is a database read: the compressor gets its turn in between.
          await new Promise((r) => setImmediate(r));
          pulled += 1;
          yield Array.from({ length: 200 }, (_, i) => ({ ...template, title: `${template.title} ${b}-${i}` }));
        }
      }
      const out = streamCaseExport(many(), at, options, assert.ifError);
      // Nobody reads: the writer fills the stream's buffer and then waits, far short of the 200 batches.
      let last = -1;
      while (last !== pulled) {
        last = pulled;
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      }
      assert.ok(pulled < BATCHES / 2, `read ${pulled} of ${BATCHES} batches while nobody downloaded`);
      const rows = await sheetRows(await streamed(out));
      assert.equal(rows.length, BATCHES * 200);
      assert.equal(pulled, BATCHES);
    });

    test('rows are read in keyset batches, and an export over the cap ends with a line saying it was cut', async () => {
      const actor = await loadActor(t.database.db, t.config, districtAdmin.cookie!);
      assert.ok(actor);
      const at = await readClock(t.database.db, t.config, clock.now());
      const options = { timeZone: 'Asia/Shanghai', caseTypes: new Map([['appeal', '群众诉求']]) };
      const inTwos = () => caseExportBatches(t.database.db, actor, {}, at.now, 2);
      const all = await sheetRows(await streamed(streamCaseExport(inTwos(), at, options, assert.ifError)));
      const everything = await listed(districtAdmin);
      assert.deepEqual(numbers(all), [...everything].sort().reverse(), 'every row once, newest first');

      const cut = await sheetRows(
        await streamed(streamCaseExport(inTwos(), at, { ...options, maxRows: 3 }, assert.ifError)),
      );
      assert.equal(numbers(cut).length, 3);
      assert.match(Object.values(cut.at(-1)!)[0] ?? '', /导出已截断.*前 3 件/);

      const exact = await sheetRows(
        await streamed(streamCaseExport(inTwos(), at, { ...options, maxRows: everything.length }, assert.ifError)),
      );
      assert.equal(exact.length, everything.length, 'no "cut" line when nothing was left out');
    });
  });
}
