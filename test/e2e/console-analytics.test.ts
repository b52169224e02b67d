/**
 * The dashboards in Chromium against the real server with the demo data: 数据分析 as the district leader (the
 * rates equal to the API's, the charts drawn, communities in the rankings, the grid heat map), the wall screen
 * (dark, no menu, refreshing itself every minute) and 通报排名 (on screen, as real .xlsx downloads, printable on
 * A4), with screenshots and no console errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import { signedIn as sharedSignedIn } from './console-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  type openPage,
  RESULTS_DIR,
  type RunningServer,
  screenshot as saveScreenshot,
  settled,
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

const signedIn = (username: string, options: Parameters<typeof openPage>[1] = {}) =>
  sharedSignedIn(browser, server, username, { timezoneId: 'Asia/Shanghai', ...options });

/** The JSON of the next API answer whose path starts with `prefix`. */
function nextAnswer(page: Page, prefix: string): Promise<Response> {
  return page.waitForResponse((r) => new URL(r.url()).pathname.startsWith(prefix) && r.request().method() === 'GET');
}

const percent = (rate: number | null) => (rate === null ? '暂无' : `${(rate * 100).toFixed(1)}%`);

interface RatesAnswer {
  rates: Record<'responseRate' | 'resolutionRate' | 'satisfactionRate', number | null>;
  formulas: Record<string, { zh: string; en: string }>;
  counts: { assigned: number; respondedInTime: number };
}

/** The three rate cards show exactly the rates of the API's answer. */
async function assertRatesShown(page: Page, answer: RatesAnswer) {
  for (const key of ['responseRate', 'resolutionRate', 'satisfactionRate'] as const) {
    const card = page.getByTestId(`rate-${key}`);
    assert.equal(await card.getAttribute('data-value'), String(answer.rates[key]), key);
    assert.equal((await card.locator('.ant-statistic-content').textContent())?.trim(), percent(answer.rates[key]), key);
  }
}

/** An SVG chart with drawn paths inside the element. */
async function assertChartDrawn(page: Page, testId: string) {
  const chart = page.getByTestId(testId);
  // Axis lines have no height, so "attached", not "visible".
  await chart.locator('svg path').first().waitFor({ state: 'attached' });
  assert.ok((await chart.locator('svg path').count()) > 0, `${testId} draws paths`);
}

describe('dashboards in the browser', () => {
  test('数据分析 as the leader: rates equal the API, charts drawn, communities ranked, grid heat map', async () => {
    const watched = await signedIn('leader');
    const { page, context } = watched;
    const ratesAnswer = nextAnswer(page, '/api/metrics/three-rates');
    const overviewAnswer = nextAnswer(page, '/api/metrics/overview');
    await page.getByRole('menuitem', { name: '数据分析' }).click();
    const analytics = page.locator('[data-testid="analytics-page"][data-ready="true"]');
    await analytics.waitFor({ timeout: 60_000 });

    // The rates on the cards are the API's, and a second request for the same period answers the same.
    const rates = await ratesAnswer;
    const shown = (await rates.json()) as RatesAnswer;
    await assertRatesShown(page, shown);
    const again = await context.request.get(rates.url());
    assert.deepEqual(((await again.json()) as RatesAnswer).rates, shown.rates);
    // The formula is one click away, as the server states it.
    await page.getByTestId('formula-responseRate').click();
    await page.getByText(shown.formulas.responseRate!.zh).waitFor();
    await page.keyboard.press('Escape');

    // Every chart with data has drawn; over time and by unit always have some (days and streets exist).
    const overview = (await (await overviewAnswer).json()) as {
      byCategory: unknown[];
      byChannel: unknown[];
      totals: { received: number };
    };
    await assertChartDrawn(page, 'chart-overTime');
    await assertChartDrawn(page, 'chart-byUnit');
    for (const [key, rows] of [
      ['byCategory', overview.byCategory],
      ['byChannel', overview.byChannel],
    ] as const) {
      if (rows.length > 0) await assertChartDrawn(page, `chart-${key}`);
      else await page.getByTestId(`chart-${key}`).locator('.ant-empty').waitFor();
    }
    assert.equal(
      (await page.getByTestId('received-total').textContent())?.trim(),
      overview.totals.received.toLocaleString('zh-CN'),
    );
    // The grid heat map: the district's grids drawn as filled polygons.
    const map = page.getByTestId('grid-heat-map');
    await map.locator('path.leaflet-interactive').first().waitFor();
    assert.ok(Number(await map.getAttribute('data-grids')) > 0);
    await saveScreenshot(page, 'analytics-leader-month');

    // Rankings of the communities: every community the API lists is on the page, ranked or listed apart.
    const rankingsAnswer = nextAnswer(page, '/api/metrics/rankings');
    await page.getByTestId('ranking-level').click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: /^社区$/ })
      .click();
    const ranked = (await (await rankingsAnswer).json()) as {
      level: string;
      rows: Array<{ unit: { id: number; name: string } }>;
      belowMinimum: Array<{ unit: { id: number; name: string } }>;
    };
    assert.equal(ranked.level, 'community');
    const communities = [...ranked.rows, ...ranked.belowMinimum].map((r) => r.unit.name);
    assert.ok(communities.includes('体育场社区'), communities.join(','));
    const rankings = page.getByTestId('rankings');
    for (const name of communities) await rankings.getByText(name, { exact: false }).first().waitFor();
    if (ranked.rows.length > 0) {
      assert.equal(await rankings.locator('tbody tr[data-row-key]').count(), ranked.rows.length);
    }

    // Another period: this year's rates, again those of the API.
    const yearAnswer = nextAnswer(page, '/api/metrics/three-rates');
    await page.getByTestId('period').getByText('本年').click();
    const year = (await (await yearAnswer).json()) as RatesAnswer;
    await analytics.waitFor({ timeout: 60_000 });
    await assertRatesShown(page, year);
    await assertChartDrawn(page, 'chart-overTime');
    await settled(page);
    await saveScreenshot(page, 'analytics-leader-year');

    // A tablet-sized window still shows the page, charts one under the other.
    await page.setViewportSize({ width: 800, height: 1024 });
    await settled(page);
    await assertChartDrawn(page, 'chart-byUnit');
    await saveScreenshot(page, 'analytics-leader-tablet');

    // In English the same page reads in English.
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    await page.getByText('Response rate').first().waitFor();
    await analytics.waitFor({ timeout: 60_000 });
    await saveScreenshot(page, 'analytics-leader-english');
    assertNoConsoleErrors(watched, 'analytics');
    await context.close();
  });

  test('数据分析 for a department: its rates and the department ranking, no territory charts', async () => {
    const watched = await signedIn('zjj.handler');
    const { page, context } = watched;
    const ratesAnswer = nextAnswer(page, '/api/metrics/three-rates');
    await page.goto(`${server.baseUrl}/console/analytics`);
    await page.locator('[data-testid="analytics-page"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const rates = (await (await ratesAnswer).json()) as RatesAnswer & { dimension: string; unit: { kind: string } };
    assert.deepEqual([rates.unit.kind, rates.dimension], ['department', 'handler']);
    await assertRatesShown(page, rates);
    await page.getByText('部门不按辖区统计受理量').waitFor();
    // It is ranked among the departments it can see: itself.
    await page.getByTestId('rankings').getByText('住建局').first().waitFor();
    assert.equal(await page.getByTestId('chart-overTime').count(), 0);
    await settled(page);
    await saveScreenshot(page, 'analytics-department');
    assertNoConsoleErrors(watched, 'analytics (department)');
    await context.close();
  });

  test('指挥大屏: dark, full window without the menu, and it refreshes itself every minute', async () => {
    const watched = await signedIn('leader', { viewport: { width: 1920, height: 1080 } });
    const { page, context } = watched;
    await page.clock.install();
    await page.goto(`${server.baseUrl}/console/screen`);
    const screen = page.getByTestId('screen-page');
    await page.locator('[data-testid="screen-page"][data-refreshes="1"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('side-menu').count(), 0, 'no menu on the wall screen');
    // Dark: light text on a background whose every channel is low.
    const colours = String(
      await page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('[data-testid=\"screen-page\"]')); return s.backgroundColor + '|' + s.color; })()",
      ),
    );
    const [back, text] = colours.split('|').map((c) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number));
    assert.ok(back!.length === 3 && back!.every((c) => c < 64), `dark background: ${colours}`);
    assert.ok(
      text!.every((c) => c > 200),
      `light text: ${colours}`,
    );
    // Time runs for the charts' frames, then everything has drawn.
    await page.clock.runFor(2000);
    await assertChartDrawn(page, 'screen-chart-overTime');
    await page.getByTestId('grid-heat-map').locator('path.leaflet-interactive').first().waitFor();
    const numbers = (await page.getByTestId('screen-open').textContent()) ?? '';
    assert.match(numbers, /在办事项\s*\d+/);
    const first = await screen.getAttribute('data-refreshed-at');
    const firstText = (await page.getByTestId('screen-last-refresh').textContent()) ?? '';
    assert.match(firstText, /最后刷新 \d\d:\d\d:\d\d/);
    await saveScreenshot(page, 'screen-1920x1080');

    // A minute later it has asked again by itself and says so.
    await page.clock.runFor(60_000);
    await page.locator('[data-testid="screen-page"][data-refreshes="2"]').waitFor({ timeout: 30_000 });
    const second = await screen.getAttribute('data-refreshed-at');
    assert.ok(first && second && Date.parse(second) - Date.parse(first) >= 60_000, `${first} → ${second}`);
    assert.notEqual(await page.getByTestId('screen-last-refresh').textContent(), firstText);

    // The office screen size still fits.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.clock.runFor(1000);
    await assertChartDrawn(page, 'screen-chart-overTime');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'screen-1366x768.png') });
    assertNoConsoleErrors(watched, 'screen');
    await context.close();
  });

  test('通报排名: bulletin and league table on screen, real .xlsx downloads, A4 print of the report only', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page, context } = watched;
    const bulletinAnswer = nextAnswer(page, '/api/metrics/bulletin');
    await page.getByRole('menuitem', { name: '通报排名' }).click();
    const bulletin = (await (await bulletinAnswer).json()) as {
      unit: { name: string };
      counts: { received: number };
      period: { label: string };
    };
    await page.locator('[data-testid="reports-page"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const sheet = page.getByTestId('bulletin-sheet');
    await sheet.getByText(`${bulletin.unit.name}一周一通报`).waitFor();
    await sheet.getByText(bulletin.period.label).waitFor();
    await settled(page);
    await saveScreenshot(page, 'reports-bulletin');

    /** Clicks download and checks the file is a real workbook (a zip: PK). */
    const downloadWorkbook = async (name: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
      assert.match(file.suggestedFilename(), /\.xlsx$/);
      const target = path.join(RESULTS_DIR, name);
      await file.saveAs(target);
      const bytes = readFileSync(target);
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', `${name} is a zip`);
      assert.ok(bytes.length > 1000, `${name}: ${bytes.length} bytes`);
    };
    await downloadWorkbook('bulletin.xlsx');

    // Printing shows only the report: no menu, header or buttons, on A4.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByTestId('side-menu').isVisible(), false, 'menu hidden in print');
    assert.equal(await page.getByTestId('download').isVisible(), false, 'buttons hidden in print');
    assert.equal(await sheet.isVisible(), true, 'the report prints');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'reports-bulletin-print.png'), fullPage: true });
    await page.pdf({ path: path.join(RESULTS_DIR, 'reports-bulletin-a4.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });

    // The league table: the month's ranking with last month's rank and the change.
    const leagueAnswer = nextAnswer(page, '/api/metrics/league-table');
    await page.getByRole('tab', { name: '一月一晾晒' }).click();
    const league = (await (await leagueAnswer).json()) as {
      rows: Array<{ unit: { name: string }; rankChange: number | null }>;
      belowMinimum: Array<{ unit: { name: string } }>;
    };
    const table = page.getByTestId('league-table');
    await table.waitFor();
    await table.getByRole('columnheader', { name: '名次变化' }).waitFor();
    for (const r of [...league.rows, ...league.belowMinimum]) await table.getByText(r.unit.name).first().waitFor();
    await settled(page);
    await saveScreenshot(page, 'reports-league-table');
    await downloadWorkbook('league-table.xlsx');

    await page.getByRole('tab', { name: '台账' }).click();
    await page.getByTestId('ledger-sheet').waitFor();
    await downloadWorkbook('ledger.xlsx');
    await settled(page);
    await saveScreenshot(page, 'reports-ledger');
    assertNoConsoleErrors(watched, 'reports');
    await context.close();

    // Without data.export (a leader) the download is offered but disabled, the report still shown.
    const leader = await signedIn('leader');
    await leader.page.goto(`${server.baseUrl}/console/reports`);
    await leader.page.locator('[data-testid="reports-page"][data-ready="true"]').waitFor({ timeout: 60_000 });
    assert.equal(await leader.page.getByTestId('download').isDisabled(), true);
    assertNoConsoleErrors(leader, 'reports (leader)');
    await leader.context.close();
  });
});
