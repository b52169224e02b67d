/**
 * 我的待办 and 事项查询 in Chromium against the real server with the demo data: a grid worker's worklist with
 * its counts and rows, filters in the address bar, a saved filter applied again, a case sent to the grid by
 * the hotline arriving live (toast, badge, row) without a reload, a supervisor's bulk chase with its summary,
 * and an Excel export that is a real workbook with the table's rows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { settledScreenshot, signedIn as sharedSignedIn, staffApi } from './console-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  RESULTS_DIR,
  type RunningServer,
  screenshot as saveScreenshot,
  startServer,
} from './support.ts';

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
const apiAs = (username: string) => staffApi(server, username);

const screenshot = settledScreenshot;

/** Opens 我的待办 (optionally with a query) and waits until counts and the first rows have rendered. */
async function openWorklist(page: Page, query = '') {
  await page.goto(`${server.baseUrl}/console/worklist${query}`);
  await page.locator('[data-testid="worklist-page"][data-ready="true"]').waitFor();
}

const rowIds = (page: Page) =>
  page
    .locator('[data-testid="case-table"] [data-testid="case-number"]')
    .evaluateAll((links) => links.map((a) => Number(a.getAttribute('data-case-id'))));

/** Waits until the table shows exactly these cases (in any order): a filter's answer has replaced the last one. */
async function waitForRows(page: Page, expected: number[], timeoutMs = 15_000) {
  const want = JSON.stringify([...expected].sort((a, b) => a - b));
  const deadline = Date.now() + timeoutMs;
  let shown = '';
  while (Date.now() < deadline) {
    shown = JSON.stringify((await rowIds(page)).sort((a, b) => a - b));
    if (shown === want) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`the table shows ${shown}, expected ${want}`);
}

/** The ids of a list as the API gives them to the signed-in page. */
async function apiIds(page: Page, query: string): Promise<number[]> {
  const response = await page.request.get(`${server.baseUrl}/api/cases?${query}&pageSize=100`);
  return ((await response.json()) as { items: Array<{ id: number }> }).items.map((c) => c.id);
}

const tabCount = async (page: Page, worklist: string) =>
  Number(await page.getByTestId(`worklist-tab-${worklist}`).getAttribute('data-count'));

const menuCount = async (page: Page, path: string) =>
  Number((await page.getByTestId(`menu-count-${path}`).getAttribute('data-count')) || 0);

/** A point inside a grid of the demo data: the mean of its boundary's corners, checked with /api/grids/locate. */
async function pointInGrid(api: APIRequestContext, gridName: string) {
  const found = await api.get(`/api/grids?q=${encodeURIComponent(gridName)}&withBoundary=true`);
  const grid = (
    (await found.json()) as { items: Array<{ id: number; name: string; boundary: { coordinates: number[][][] } }> }
  ).items.find((g) => g.name === gridName);
  assert.ok(grid, `${gridName} is in the demo data`);
  const ring = grid.boundary.coordinates[0]!.slice(0, -1);
  const lng = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
  const located = (await (await api.get(`/api/grids/locate?lng=${lng}&lat=${lat}`)).json()) as {
    grid: { id: number } | null;
  };
  assert.equal(located.grid?.id, grid.id, 'the point lies in the grid');
  return { lng, lat };
}

describe('worklists and case search', () => {
  test('a grid worker sees the worklist with counts and rows, filters it, saves the filter and applies it again', async () => {
    const watched = await signedIn('grid.tiyuchang1');
    const { page } = watched;
    await openWorklist(page);
    // A grid worker's lists are shown even when empty; the page opens on the first one holding cases.
    await page.getByTestId('worklist-tab-toHandle').waitFor();
    await page.getByTestId('worklist-tab-toVisit').waitFor();
    const toHandle = await tabCount(page, 'toHandle');
    assert.ok(toHandle > 0, 'the demo grid has cases to handle');
    assert.equal(
      await page.locator('.ant-tabs-tab-active [data-testid="worklist-tab-toHandle"]').count(),
      1,
      'the first list with cases is open',
    );
    const ids = await rowIds(page);
    assert.equal(ids.length, toHandle, 'one row per case of the list');
    const badge = await menuCount(page, 'worklist');
    assert.equal(badge, toHandle + (await tabCount(page, 'toVisit')), 'the menu counts what waits for me');
    await page.locator('[data-testid="case-row"] .time-left').first().waitFor();
    await screenshot(page, 'worklist-grid-worker');

    // Filter by channel: the address bar keeps it, the rows are the list's rows for it.
    const hotline = await apiIds(page, 'worklist=toHandle&channel=hotline');
    assert.ok(hotline.length > 0 && hotline.length < ids.length, 'the demo data has a narrower hotline list');
    await page.getByTestId('filter-channel').click();
    await page.locator('.ant-select-item-option', { hasText: /^热线$/ }).click();
    await page.waitForURL(/channel=hotline/);
    await waitForRows(page, hotline);
    const filteredUrl = page.url();

    // Save it under a name (Enter submits).
    await page.getByTestId('saved-filters-button').click();
    await page.getByTestId('saved-filter-save').click();
    await page.getByTestId('saved-filter-name').fill('热线来件');
    await page.getByTestId('saved-filter-name').press('Enter');
    await page.getByText('已保存常用筛选“热线来件”').waitFor();

    // Clear the filters, then apply the saved one again.
    await page.getByTestId('filter-reset').click();
    await page.waitForURL((url) => !url.search.includes('channel='));
    await waitForRows(page, ids);
    await page.getByTestId('saved-filters-button').click();
    await page.locator('[data-testid="saved-filter-item"][data-name="热线来件"]').click();
    await page.waitForURL(/channel=hotline/);
    await waitForRows(page, hotline);
    await screenshot(page, 'worklist-saved-filter');

    // Back and forward move through the filters as through pages.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('channel='));
    await waitForRows(page, ids);
    await page.goForward();
    await page.waitForURL(filteredUrl);
    await waitForRows(page, hotline);
    assertNoConsoleErrors(watched, 'grid worker worklist');
    await watched.context.close();
  });

  test('a case sent to the grid by the hotline appears live, without a reload', async () => {
    const watched = await signedIn('grid.tiyuchang1');
    const { page } = watched;
    await openWorklist(page, '?worklist=toHandle');
    await page.locator('[data-testid="notification-bell"][data-connected="true"]').waitFor();
    const before = await tabCount(page, 'toHandle');
    const badgeBefore = await menuCount(page, 'worklist');
    const rowsBefore = await rowIds(page);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    const { api, csrf } = await apiAs('hotline');
    const location = await pointInGrid(api, '体育场社区第一网格');
    const categories = (await (await api.get('/api/case-categories')).json()) as {
      items: Array<{ code: string; children: Array<{ id: number; code: string }> }>;
    };
    const garbage = categories.items.flatMap((c) => c.children).find((c) => c.code === 'environment.garbage');
    assert.ok(garbage);
    const created = await api.post('/api/cases', {
      headers: { 'x-csrf-token': csrf },
      data: {
        channel: 'hotline',
        title: '体育场路东侧垃圾堆放',
        description: '居民来电：体育场路东侧有大量建筑垃圾堆放，影响通行',
        categoryId: garbage.id,
        location,
        reporter: { name: '李女士', phone: '13800001234' },
      },
    });
    assert.equal(created.status(), 201, await created.text());
    const newCase = ((await created.json()) as { case: { id: number; number: string; state: string } }).case;
    assert.equal(newCase.state, 'inGrid', 'dispatched to the grid from its location');
    await api.dispose();

    // The toast links to the case; the count, the menu badge and the table follow.
    await page.locator(`.ant-notification-notice[data-case-id="${newCase.id}"]`).waitFor({ timeout: 15_000 });
    await page.locator(`[data-testid="case-number"][data-case-id="${newCase.id}"]`).waitFor({ timeout: 15_000 });
    await page.locator(`[data-testid="worklist-tab-toHandle"][data-count="${before + 1}"]`).waitFor();
    assert.equal(await menuCount(page, 'worklist'), badgeBefore + 1, 'the menu badge grew');
    assert.deepEqual(
      (await rowIds(page)).filter((id) => id !== newCase.id).sort(),
      [...rowsBefore].sort(),
      'the other rows stay',
    );
    assert.deepEqual(navigations, [], 'no reload');
    const unread = await page.getByTestId('notification-unread').textContent();
    assert.ok(Number(unread?.replace(/\D/g, '') || 0) >= 1, 'the bell counts it');
    await screenshot(page, 'worklist-live-arrival');

    // The bell lists it; clicking opens the case.
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-item').first().waitFor();
    await screenshot(page, 'worklist-notifications');
    await page
      .getByTestId('notification-item')
      .filter({ hasText: newCase.number })
      .first()
      .getByTestId('notification-open')
      .click();
    await page.waitForURL(`**/console/cases/${newCase.id}`);
    assertNoConsoleErrors(watched, 'live arrival');
    await watched.context.close();
  });

  test('a supervisor chases two overdue cases at once and reads the summary', async () => {
    const watched = await signedIn('supervisor');
    const { page } = watched;
    await openWorklist(page, '?worklist=overdue');
    const overdue = await rowIds(page);
    assert.ok(overdue.length >= 2, 'the demo data has overdue cases');
    await page.locator('[data-testid="case-row"] .time-left.overdue').first().waitFor();
    const checkboxes = page.locator('[data-testid="case-row"] .ant-checkbox-input');
    await checkboxes.nth(0).check();
    await checkboxes.nth(1).check();
    await page.getByTestId('bulk-selected').getByText('已选 2 件').waitFor();
    await page.getByTestId('bulk-chase').click();
    await page.getByTestId('bulk-chase-note').fill('请于今日下班前反馈办理进展');
    await page.getByTestId('bulk-chase-run').click();
    const summary = page.getByTestId('bulk-chase-summary');
    await summary.waitFor();
    assert.equal(await summary.getAttribute('data-chased'), '2');
    assert.equal(await summary.getAttribute('data-refused'), '0');
    await summary.getByText('已催办 2 件，未能催办 0 件').waitFor();
    await saveScreenshot(page, 'worklist-bulk-chase');
    await page.getByTestId('bulk-chase-close').click();

    // Each chase is an event in the case's timeline.
    for (const id of overdue.slice(0, 2)) {
      const detail = (await (await page.request.get(`${server.baseUrl}/api/cases/${id}`)).json()) as {
        case: { events: Array<{ action: string; note: string | null }> };
      };
      const chase = detail.case.events.filter((e) => e.action === 'chase').at(-1);
      assert.equal(chase?.note, '请于今日下班前反馈办理进展');
    }
    assertNoConsoleErrors(watched, 'supervisor bulk chase');
    await watched.context.close();
  });

  test('事项查询 exports the filtered list as a real Excel workbook', async () => {
    const watched = await signedIn('tiyuchang');
    const { page } = watched;
    await page
      .getByRole('menuitem')
      .filter({ hasText: /^事项查询$/ })
      .click();
    await page.locator('[data-testid="case-search-page"][data-ready="true"]').waitFor();
    await page.getByTestId('filter-open').click();
    await page.locator('.ant-select-item-option', { hasText: /^未归档$/ }).click();
    await page.waitForURL(/open=true/);
    const open = await apiIds(page, 'open=true');
    assert.ok(open.length > 0 && open.length <= 20, 'one page of open cases in 体育场社区');
    await waitForRows(page, open);
    const numbers = await page
      .locator('[data-testid="case-table"] [data-testid="case-number"]')
      .evaluateAll((links) => links.map((a) => a.textContent ?? ''));
    await screenshot(page, 'case-search-open');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-export').click()]);
    assert.match(download.suggestedFilename(), /^事项清单-\d{8}\.xlsx$/);
    const file = path.join(RESULTS_DIR, 'case-export.xlsx');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip container (xlsx)');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.getCell('A1').text, '编号');
    const exported: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) exported.push(String(row.getCell(1).text));
    });
    assert.deepEqual(exported.sort(), [...numbers].sort(), 'the export has the rows of the filtered list');
    assertNoConsoleErrors(watched, 'case search export');
    await watched.context.close();
  });
});
