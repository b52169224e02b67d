/**
 * 网格地图 and 督查督办 in Chromium against the real server with the demo data: the map draws the grids of the
 * supervisor's district with the open-case counts the API gives, a click on a grid opens its contact card
 * (grid worker, phone) and its cases; on 督查督办 the tab counts are the server's, a one-click chase and a
 * flag with a note land on the case's timeline, and a task-force item's colour is changed in place.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { APIRequestContext, Browser } from 'playwright-core';
import { settledScreenshot, signedIn as sharedSignedIn, staffApi } from './console-support.ts';
import { assertNoConsoleErrors, launchBrowser, type RunningServer, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const signedIn = (username: string) => sharedSignedIn(browser, server, username);

const screenshot = settledScreenshot;

/** GET with the page's own session (the same cookies as the browser): what the API says to this user. */
async function apiGet<T>(api: APIRequestContext, url: string): Promise<T> {
  const response = await api.get(`${server.baseUrl}${url}`);
  assert.equal(response.status(), 200, `${url}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface GridLoad {
  gridId: number;
  name: string;
  open: number;
  red: number;
}
interface CaseRow {
  id: number;
  number: string;
  supervised: boolean;
  caseType: string;
  manualColour: string | null;
  nextChaseAt: string | null;
}
interface CaseEvent {
  action: string;
  actorName: string;
  note: string | null;
}
interface CaseDetail extends CaseRow {
  events: CaseEvent[];
}

/** Another person at another desk, through the API. */
async function apiAs(username: string) {
  const { api, csrf, close } = await staffApi(server, username);
  return {
    get: <T>(url: string) => apiGet<T>(api, url),
    post: (url: string, data: unknown) => api.post(url, { data, headers: { 'x-csrf-token': csrf } }),
    dispose: close,
  };
}

const caseOf = (api: APIRequestContext, id: number) =>
  apiGet<{ case: CaseDetail }>(api, `/api/cases/${id}`).then((b) => b.case);

describe('grid map and supervision', () => {
  test('the grid map shows every grid of the district with the API’s counts, and a grid’s card on a click', async () => {
    const watched = await signedIn('supervisor');
    const { page } = watched;
    const api = page.request;
    const load = await apiGet<{ items: GridLoad[]; totals: { open: number } }>(api, '/api/grids/case-load');
    assert.ok(load.items.length >= 10, `the district's grids, got ${load.items.length}`);
    assert.ok(load.totals.open > 0, 'the demo cases are open in some grids');

    await page.getByRole('menuitem', { name: '网格地图' }).click();
    await page.locator('[data-testid="case-map-page"][data-ready="true"]').waitFor();
    // The list beside the map: every grid of the scope with the API's open count.
    const listed = await page
      .getByTestId('grid-load-item')
      .evaluateAll((items) =>
        items.map((i) => [i.getAttribute('data-grid-name'), Number(i.getAttribute('data-open'))]),
      );
    assert.deepEqual(
      new Map(listed as Array<[string, number]>),
      new Map(load.items.map((g) => [g.name, g.open])),
      'the list holds every grid with its open count',
    );
    // The map: each drawn grid labelled with its count, outlined red when it has red cases.
    const labels = await page
      .locator('.leaflet-tooltip[data-grid-name]')
      .evaluateAll((tips) => tips.map((tip) => [tip.getAttribute('data-grid-name'), Number(tip.textContent)]));
    assert.ok(labels.length >= 10, `grids drawn from their boundaries, got ${labels.length}`);
    const byName = new Map(load.items.map((g) => [g.name, g]));
    for (const [name, count] of labels as Array<[string, number]>) {
      assert.equal(count, byName.get(name)?.open, `the label of ${name}`);
    }
    const redGrid = load.items.find((g) => g.red > 0);
    if (redGrid) {
      const stroke = await page.locator(`path[data-grid-name="${redGrid.name}"]`).getAttribute('stroke');
      assert.equal(stroke, '#cf1322', `${redGrid.name} has red cases: red outline`);
    }
    await page.getByTestId('case-map-legend').waitFor();
    await screenshot(page, 'case-map-supervisor');

    // A click on 体育场社区第一网格 (where its label sits, over the polygon) opens its card.
    const gridName = '体育场社区第一网格';
    const grid = byName.get(gridName);
    assert.ok(grid, `${gridName} is in the supervisor's district`);
    const box = await page.locator(`.leaflet-tooltip[data-grid-name="${gridName}"]`).boundingBox();
    assert.ok(box, 'the grid is drawn');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const card = page.getByTestId('grid-card');
    await card.getByText(gridName).first().waitFor();
    const { card: expected } = await apiGet<{
      card: { posts: Array<{ post: string; personName: string; phone: string | null }> };
    }>(api, `/api/grids/${grid.gridId}/card`);
    const worker = expected.posts.find((p) => p.post === 'gridWorker');
    assert.ok(worker?.phone, 'the demo grid has a grid worker with a work phone');
    await card.getByText(worker.personName, { exact: true }).waitFor();
    await card.getByText(worker.phone).first().waitFor();
    // The grid's counts and its cases, with a link to the case list of the grid.
    const cases = page.getByTestId('grid-open-cases');
    await cases.getByTestId('grid-count').first().waitFor();
    assert.equal(await cases.getByTestId('grid-count').first().textContent(), `在办 ${grid.open}`);
    const link = cases.getByTestId('grid-cases-all');
    assert.equal(await link.getAttribute('href'), `/console/cases?gridId=${grid.gridId}&open=true`);
    await screenshot(page, 'case-map-grid-card');
    // On a tablet the list goes above the map, which still shows the grids.
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.locator('.leaflet-tooltip[data-grid-name]').first().waitFor();
    await screenshot(page, 'case-map-tablet');
    assertNoConsoleErrors(watched, 'case map');
    await watched.context.close();
  });

  test('supervision: tab counts are the server’s; chase and flag from the list reach the case', async () => {
    const watched = await signedIn('supervisor');
    const { page } = watched;
    const api = page.request;
    await page.getByRole('menuitem', { name: '督查督办' }).click();
    await page.locator('[data-testid="supervision-page"][data-tab="overdue"][data-ready="true"]').waitFor();

    const { counts } = await apiGet<{ counts: Record<string, number> }>(api, '/api/cases/worklists');
    for (const list of ['overdue', 'returnedTwice', 'dissatisfied', 'supervised', 'extensionRequests']) {
      const shown = await page.getByTestId(`supervision-tab-${list}`).getAttribute('data-count');
      assert.equal(Number(shown), counts[list], `${list} tab count`);
    }
    const red = await apiGet<{ total: number }>(api, '/api/cases?colour=red&open=true&pageSize=1');
    assert.equal(Number(await page.getByTestId('supervision-tab-red').getAttribute('data-count')), red.total);
    assert.ok((counts.overdue ?? 0) > 0, 'the demo data has overdue cases');

    // Chase the first overdue case in one click.
    const rows = page.locator('[data-testid="case-table"] [data-testid="case-row"]');
    await rows.first().waitFor();
    const firstId = Number(await rows.first().getAttribute('data-case-id'));
    const chasesBefore = (await caseOf(api, firstId)).events.filter((e) => e.action === 'chase').length;
    await rows.first().getByTestId('row-chase').click();
    await page.locator('.ant-message').getByText('已催办').waitFor();
    const chased = await caseOf(api, firstId);
    const chases = chased.events.filter((e) => e.action === 'chase');
    assert.equal(chases.length, chasesBefore + 1, 'one chase event more');
    const { session } = await apiGet<{ session: { displayName: string } }>(api, '/api/auth/session');
    assert.equal(chases.at(-1)?.actorName, session.displayName, 'chased by the supervisor');
    await screenshot(page, 'supervision-chased');

    // Flag a case that is not supervised yet, with a note.
    await page.locator('[data-testid="supervision-page"][data-ready="true"]').waitFor();
    const ids = await rows.evaluateAll((list) => list.map((r) => Number(r.getAttribute('data-case-id'))));
    let target: CaseDetail | undefined;
    for (const id of ids) {
      const c = await caseOf(api, id);
      if (!c.supervised) {
        target = c;
        break;
      }
    }
    assert.ok(target, 'an overdue case not yet under supervision');
    await page.locator(`[data-testid="case-row"][data-case-id="${target.id}"]`).getByTestId('row-flag').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`督办 ${target.number}`).waitFor();
    await dialog.getByRole('button', { name: /督\s?办/ }).click();
    await dialog.getByText('请填写督办意见').waitFor();
    await page.getByTestId('flag-note').fill('群众多次反映，请三日内办结并反馈');
    await screenshot(page, 'supervision-flag-modal');
    await page.getByTestId('flag-note').press('Enter');
    await page.locator('.ant-message').getByText(`已督办 ${target.number}`).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    const flagged = await caseOf(api, target.id);
    assert.equal(flagged.supervised, true);
    assert.equal(flagged.events.at(-1)?.action, 'supervise');
    assert.equal(flagged.events.at(-1)?.note, '群众多次反映，请三日内办结并反馈');

    // Task-force items: the manual colour and the next chase; a new colour set in place.
    await page.getByTestId('supervision-tab-tasks').click();
    await page.locator('[data-testid="supervision-page"][data-tab="tasks"][data-ready="true"]').waitFor();
    const taskRow = rows.first();
    await taskRow.waitFor();
    const taskId = Number(await taskRow.getAttribute('data-case-id'));
    const before = await caseOf(api, taskId);
    assert.equal(before.caseType, 'task');
    await taskRow.getByTestId('next-chase').getByText('下次催办').waitFor();
    await taskRow.getByTestId('task-colour').click();
    await page.locator('.ant-select-dropdown:visible').getByText('红灯').click();
    await page.locator('.ant-message').getByText(`${before.number} 已改为红灯`).waitFor();
    const after = await caseOf(api, taskId);
    assert.equal(after.manualColour, 'red');
    assert.equal(after.events.at(-1)?.action, 'setColour');
    await screenshot(page, 'supervision-tasks');

    // Someone acts first: the community resolves a supervised case while the supervisor's list still shows it;
    // the chase is then refused by the server (a resolved case waits for its visit), and the page says so.
    await page.getByTestId('supervision-tab-supervised').click();
    await page.locator('[data-testid="supervision-page"][data-tab="supervised"][data-ready="true"]').waitFor();
    const community = await apiAs('tiyuchang');
    const supervised = await community.get<{ items: Array<{ id: number; state: string }> }>(
      '/api/cases?supervised=true&open=true',
    );
    const atCommunity = supervised.items.find((c) => c.state === 'atCommunity');
    assert.ok(atCommunity, 'a supervised case waits at 体育场社区');
    const staleRow = page.locator(`[data-testid="case-row"][data-case-id="${atCommunity.id}"]`);
    await staleRow.waitFor();
    const resolvedNow = await community.post(`/api/cases/${atCommunity.id}/transitions`, {
      action: 'resolve',
      result: '已协调物业完成维修',
    });
    assert.equal(resolvedNow.status(), 200, await resolvedNow.text());
    await staleRow.getByTestId('row-chase').click();
    await page.locator('.ant-message').getByText('当前状态下不能执行此操作').waitFor();
    const refused = await caseOf(api, atCommunity.id);
    assert.equal(refused.events.at(-1)?.action, 'resolve', 'no chase was written');
    await screenshot(page, 'supervision-refused');
    await community.dispose();
    assertNoConsoleErrors(watched, 'supervision');
    await watched.context.close();
  });
});
