/**
 * The whole case loop in the staff console, in Chromium against the real server with the demo data, across
 * the people who work it: the hotline operator records a resident's call on the map; the grid worker
 * escalates it; the community whistles 城市管理局 and 住建局; 住建局 returns its part, 城市管理局 checks in
 * and resolves; the supervisor chases an overdue case; the resident rates the result from their phone's
 * account; the leader's analytics page shows the new rates. Every page is screenshotted
 * (test-results/loop-*.png) and must log no console error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  type ApiSession,
  chooseAddress,
  menuEntry,
  pointInGridNearPin,
  residentApi,
  signedIn,
  staffApi,
} from './console-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  type RunningServer,
  screenshot as saveScreenshot,
  settled,
  startServer,
  type WatchedPage,
} from './support.ts';

const GRID = '体育场社区第一网格';
const PLACE = '体育场家属院';
/** The demo resident (people-factory.ts DEMO_RESIDENT_PHONE), who calls the hotline from a registered phone. */
const RESIDENT_PHONE = '13800000001';

let server: RunningServer;
let browser: Browser;
let resident: ApiSession;
let leaderApi: ApiSession;

before(async () => {
  [server, browser] = await Promise.all([startServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
  // The resident has used the H5 before, so the hotline's caller ID finds their account.
  resident = await residentApi(browser, server, RESIDENT_PHONE);
  leaderApi = await staffApi(server, 'leader');
});

after(async () => {
  await resident?.close();
  await leaderApi?.close();
  await browser?.close();
  await server?.stop();
});

async function screenshot(page: Page, name: string) {
  await settled(page);
  await saveScreenshot(page, `loop-${name}`);
}

const dialog = (page: Page) => page.getByRole('dialog');

/** The case as the page's own session sees it through the API. */
async function caseAs(page: Page, id: number) {
  return page.evaluate(async (caseId) => {
    const response = await fetch(`/api/cases/${caseId}`, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as {
      case: {
        state: string;
        allowedActions: string[];
        events: Array<{ action: string; actorName: string }>;
        rating: string | null;
      };
    };
    return body.case;
  }, id);
}

/** The worklist the case waits in for the page's user (asked of the API, as the tab counts are). */
async function worklistOf(page: Page, caseNumber: string): Promise<string> {
  return page.evaluate(async (q) => {
    const counts = ((await (await fetch('/api/cases/worklists')).json()) as { counts: Record<string, number> }).counts;
    for (const list of Object.keys(counts)) {
      if (!counts[list]) continue;
      const found = (await (await fetch(`/api/cases?worklist=${list}&q=${encodeURIComponent(q)}`)).json()) as {
        total: number;
      };
      if (found.total > 0) return list;
    }
    return '';
  }, caseNumber);
}

/** Opens 我的待办 at the tab holding the case, finds it by its number and opens it from its row. */
async function openFromWorklist(page: Page, caseNumber: string, caseId: number) {
  await menuEntry(page, '我的待办').click();
  const worklist = page.getByTestId('worklist-page');
  await worklist.waitFor();
  const list = await worklistOf(page, caseNumber);
  assert.ok(list, `${caseNumber} waits in one of my worklists`);
  await worklist.getByTestId(`worklist-tab-${list}`).click();
  await worklist.locator(`[role="tab"][aria-selected="true"] [data-testid="worklist-tab-${list}"]`).waitFor();
  await settled(page);
  await worklist.getByTestId('filter-q').locator('input').last().fill(caseNumber);
  await worklist.getByTestId('filter-q').locator('input').last().press('Enter');
  const row = page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`);
  await row.waitFor();
  await row.getByTestId('case-number').click();
  await page.locator(`[data-testid="case-detail"][data-case-id="${caseId}"]`).waitFor();
  await settled(page);
}

/** Takes an action from the case page: its button, the short form, submit, and the success message. */
async function act(page: Page, action: string, label: string, fill: (form: Page) => Promise<void>) {
  await page.getByTestId(`action-${action}`).click();
  await dialog(page).waitFor();
  await fill(page);
  await dialog(page).getByRole('button', { name: '提交' }).click();
  await page.getByText(`${label}成功`).first().waitFor();
  await dialog(page).waitFor({ state: 'hidden' });
  await settled(page);
}

/** Picks an option in an antd Select of the action form by typing part of it. */
async function choose(page: Page, testId: string, option: string) {
  await dialog(page).getByTestId(testId).click();
  await page.keyboard.type(option);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

function done(watched: WatchedPage, who: string) {
  assertNoConsoleErrors(watched, who);
  return watched.context.close();
}

describe('the case loop in the console', { timeout: 600_000 }, () => {
  let caseId = 0;
  let caseNumber = '';

  test('the hotline operator records a resident’s call on the map; it lands in the grid', async () => {
    const watched = await signedIn(browser, server, 'hotline');
    const { page } = watched;
    await menuEntry(page, '受理登记').click();
    const form = page.getByTestId('intake-page');
    await form.waitFor();
    await chooseAddress(page, form, PLACE, GRID);
    const aim = await pointInGridNearPin(page, GRID);
    await page.mouse.click(aim.x, aim.y);
    await form.locator(`[data-testid="point-grid"][data-grid-name="${GRID}"]`).waitFor();
    await form
      .getByTestId('intake-description')
      .fill('体育场家属院5号楼北侧垃圾堆放多日无人清运，夏天气味很大，居民来电反映');
    await form.getByTestId('intake-title').fill('体育场家属院5号楼垃圾无人清运');
    await form.getByTestId('category-suggestion').filter({ hasText: '垃圾清运' }).click();
    await form.getByTestId('intake-reporter-name').fill('王女士');
    await form.getByTestId('intake-reporter-phone').fill(RESIDENT_PHONE);
    await screenshot(page, '1-hotline-intake');
    await form.getByTestId('intake-submit').click();
    await page.waitForURL(/\/console\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').at(-1));
    await page.locator(`[data-testid="case-detail"][data-case-id="${caseId}"]`).waitFor();
    caseNumber = ((await page.getByTestId('case-number').first().textContent()) ?? '').match(/LL-\d{4}-\d+/)?.[0] ?? '';
    assert.match(caseNumber, /^LL-\d{4}-\d+$/);
    const recorded = await caseAs(page, caseId);
    assert.equal(recorded.state, 'inGrid', 'classified at intake and sent to the grid from its point');
    await screenshot(page, '1-hotline-case');
    await done(watched, 'hotline');

    const mine = await resident.api.get(`${server.baseUrl}/api/me/cases`);
    assert.ok(
      (await mine.json()).items.some((c: { id: number }) => c.id === caseId),
      'the caller follows the case on their phone',
    );
  });

  test('the grid worker finds it in 我的待办 and escalates it to the community', async () => {
    const watched = await signedIn(browser, server, 'grid.tiyuchang1');
    const { page } = watched;
    await openFromWorklist(page, caseNumber, caseId);
    await screenshot(page, '2-grid-worklist-case');
    assert.deepEqual(
      await page
        .getByTestId('case-actions')
        .locator('[data-action]')
        .evaluateAll((b) => b.map((x) => x.getAttribute('data-action'))),
      (await caseAs(page, caseId)).allowedActions,
      'the buttons are exactly the server’s allowed actions',
    );
    await act(page, 'escalate', '上报', async () => {
      await dialog(page).getByLabel('原因').fill('垃圾堆放点属物业管理区域，需社区协调物业与城管共同处理');
    });
    assert.equal((await caseAs(page, caseId)).state, 'atCommunity');
    await screenshot(page, '2-grid-escalated');
    await done(watched, 'grid worker');
  });

  test('the community whistles 城市管理局 (lead) and 住建局 (assisting)', async () => {
    const watched = await signedIn(browser, server, 'tiyuchang');
    const { page } = watched;
    await openFromWorklist(page, caseNumber, caseId);
    await act(page, 'whistle', '吹哨', async () => {
      await choose(page, 'field-lead', '城市管理局');
      await choose(page, 'field-assists', '住建局');
      await page.keyboard.press('Escape');
      const deadline = new Date(Date.now() + 10 * 24 * 3600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      await dialog(page).getByTestId('field-deadline').click();
      await page.keyboard.type(
        `${deadline.getFullYear()}-${pad(deadline.getMonth() + 1)}-${pad(deadline.getDate())} 17:00`,
      );
      await page.keyboard.press('Enter');
    });
    assert.equal((await caseAs(page, caseId)).state, 'whistled');
    await page.getByTestId('case-lead').getByText('城市管理局').waitFor();
    await screenshot(page, '3-community-whistled');
    await done(watched, 'community');
  });

  test('住建局 returns its part; 城市管理局 checks in and resolves it', async () => {
    const zjj = await signedIn(browser, server, 'zjj.handler');
    await openFromWorklist(zjj.page, caseNumber, caseId);
    await act(zjj.page, 'assistReturn', '协办退回', async () => {
      await dialog(zjj.page).getByLabel('原因').fill('该垃圾点不属于住建局职责范围，建议由城管牵头处理');
    });
    await screenshot(zjj.page, '4-zjj-returned');
    await done(zjj, '住建局');

    const cgj = await signedIn(browser, server, 'cgj.handler');
    const { page } = cgj;
    await openFromWorklist(page, caseNumber, caseId);
    await act(page, 'checkIn', '报到', async () => {});
    assert.equal((await caseAs(page, caseId)).state, 'handling');
    await act(page, 'resolve', '办结', async () => {
      await dialog(page).getByLabel('办理结果').fill('已协调环卫公司清运垃圾，并在5号楼北侧增设两个垃圾桶');
    });
    const resolved = await caseAs(page, caseId);
    assert.equal(resolved.state, 'resolved');
    assert.deepEqual(
      resolved.events
        .map((e) => e.action)
        .filter((a) => ['escalate', 'whistle', 'assistReturn', 'checkIn', 'resolve'].includes(a)),
      ['escalate', 'whistle', 'assistReturn', 'checkIn', 'resolve'],
    );
    await screenshot(page, '5-cgj-resolved');
    await done(cgj, '城市管理局');
  });

  test('the supervisor chases an overdue case from 督查督办', async () => {
    const watched = await signedIn(browser, server, 'supervisor');
    const { page } = watched;
    await menuEntry(page, '督查督办').click();
    await page.getByTestId('supervision-page').waitFor();
    await page.getByTestId('supervision-tab-overdue').click();
    const row = page.getByTestId('case-row').first();
    await row.waitFor();
    const overdueId = Number(await row.getAttribute('data-case-id'));
    const before = (await caseAs(page, overdueId)).events.filter((e) => e.action === 'chase').length;
    await screenshot(page, '6-supervision-overdue');
    await row.getByTestId('row-chase').click();
    await page.getByText(/催办/).last().waitFor();
    for (let i = 0; i < 50; i++) {
      if ((await caseAs(page, overdueId)).events.filter((e) => e.action === 'chase').length > before) break;
      await page.waitForTimeout(100);
    }
    const chased = await caseAs(page, overdueId);
    assert.equal(chased.events.filter((e) => e.action === 'chase').length, before + 1, 'one chase recorded');
    const me = (await page.getByTestId('header-user').textContent()) ?? '';
    assert.ok(me.startsWith(chased.events.at(-1)?.actorName ?? '-'), 'the chase is recorded as mine');
    await screenshot(page, '6-supervision-chased');
    await done(watched, 'supervisor');
  });

  test('the resident’s rating arrives and the leader’s analytics show the new rates', async () => {
    const rates = async () => {
      const district = (await (await leaderApi.api.get(`${server.baseUrl}/api/units?kind=district`)).json()).items[0];
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      const answer = await leaderApi.api.get(
        `${server.baseUrl}/api/metrics/three-rates?unitId=${district.id}&period=month&date=${today}`,
      );
      assert.equal(answer.status(), 200, await answer.text());
      return (await answer.json()) as {
        rates: Record<string, number | null>;
        counts: { visited: number; satisfied: number };
      };
    };
    const before = await rates();

    const rated = await resident.api.post(`${server.baseUrl}/api/me/cases/${caseId}/visit`, {
      headers: { 'x-csrf-token': resident.csrf },
      data: { rating: 'satisfied', solved: true, comment: '清理得很干净，谢谢' },
    });
    assert.equal(rated.status(), 200, await rated.text());
    assert.equal((await rated.json()).case.state, 'closed');

    const after = await rates();
    assert.equal(after.counts.visited, before.counts.visited + 1, 'the rating is counted at once');
    assert.equal(after.counts.satisfied, before.counts.satisfied + 1);

    const community = await signedIn(browser, server, 'tiyuchang');
    await community.page.goto(`${server.baseUrl}/console/cases/${caseId}`);
    await community.page.getByTestId('case-rating').getByText('满意').first().waitFor();
    await screenshot(community.page, '7-rating-arrived');
    await done(community, 'community after the rating');

    const watched = await signedIn(browser, server, 'leader');
    const { page } = watched;
    await menuEntry(page, '数据分析').click();
    await page.locator('[data-testid="analytics-page"][data-ready="true"]').waitFor();
    for (const key of ['responseRate', 'resolutionRate', 'satisfactionRate'] as const) {
      assert.equal(
        await page.getByTestId(`rate-${key}`).getAttribute('data-value'),
        String(after.rates[key]),
        `${key} on the page is the rate after the rating`,
      );
    }
    await screenshot(page, '8-leader-analytics');
    await done(watched, 'leader');
  });
});
