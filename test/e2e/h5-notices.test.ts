/**
 * 信息通知 in the resident H5 on a phone, against the real server with the demo data: the notices tab's unread
 * badge, the list with unread dots and tags, opening a notice, 全部已读; then a community worker publishes an
 * URGENT notice for 体育场社区 through the API and the open H5 shows it live as a dialog, without a reload.
 * Any browser console error fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_RESIDENT_PHONE } from '../../src/server/demo/demo-data.ts';
import { codeFromLog, menuEntry, settledScreenshot, signedIn, staffApi } from './console-support.ts';
import { PHONE } from './h5-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openPage,
  type RunningServer,
  screenshot,
  startServer,
} from './support.ts';

let server: RunningServer;
let browser: Browser;

before(async () => {
  // The development sender logs the sign-in code at info level.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page, phone: string) {
  await page.goto(`${server.baseUrl}/h5/`);
  await page.getByRole('heading', { name: '手机号登录' }).waitFor();
  await page.getByRole('textbox', { name: '手机号' }).fill(phone);
  const since = server.output().length;
  await page.getByRole('button', { name: '获取验证码' }).tap();
  await page.getByRole('textbox', { name: '验证码' }).fill(await codeFromLog(server, phone, since));
  await page.getByRole('button', { name: '登录', exact: true }).tap();
}

/** The notices tab of the tab bar. */
const noticesTab = (page: Page) => page.locator('.h5-tabbar .adm-tab-bar-item').filter({ hasText: '通知' });

/** The number on the notices tab's badge in the page ('' when there is none). */
const BADGE = `(() => {
  const tab = [...document.querySelectorAll('.h5-tabbar .adm-tab-bar-item')].find((e) => e.textContent.includes('通知'));
  return tab?.querySelector('.adm-badge-content')?.textContent.trim() ?? '';
})()`;

/** Waits until the notices tab's badge shows `expected` ('' = no badge). */
async function badgeBecomes(page: Page, expected: string) {
  try {
    await page.waitForFunction(`${BADGE} === ${JSON.stringify(expected)}`, undefined, { timeout: 15_000 });
  } catch {
    assert.equal(await page.evaluate<string>(BADGE), expected, 'the notices tab badge');
  }
}

describe('notices in the resident H5', { timeout: 240_000 }, () => {
  test('unread badge, reading, all read, and an urgent notice arriving live as a dialog', async () => {
    const watched = await openPage(browser, PHONE);
    const { page } = watched;
    await signIn(page, DEMO_RESIDENT_PHONE);
    await page.getByRole('heading', { name: '我的网格' }).waitFor();

    // The badge shows the server's count of unread notices for the demo resident's home.
    const unreadAtStart = (await (await page.request.get(`${server.baseUrl}/api/me/notices/unread-count`)).json())
      .unreadCount as number;
    assert.ok(unreadAtStart >= 2, `the demo resident has unread demo notices (${unreadAtStart})`);
    await badgeBecomes(page, String(unreadAtStart));
    await screenshot(page, 'h5-notices-home-badge');

    await noticesTab(page).tap();
    await page.getByRole('heading', { name: '信息通知' }).waitFor();
    const rows = page.locator('.h5-notice-row');
    await rows.first().waitFor();
    assert.equal(await page.locator('.h5-notice-row.is-unread').count(), unreadAtStart);
    const first = rows.first();
    assert.match((await first.textContent()) ?? '', /紧急/, 'the pinned urgent notice comes first, tagged');
    await first.getByText('体育场社区发布').waitFor();
    const box = await first.boundingBox();
    assert.ok(box && box.height >= 44, 'a row is big enough to tap');
    await screenshot(page, 'h5-notices-list');

    // Opening a notice reads it: its dot goes and the badge counts one less.
    await first.tap();
    await page.locator('.h5-notice-article').waitFor();
    await page.locator('.h5-notice-body').getByText('燃气').first().waitFor();
    await screenshot(page, 'h5-notices-detail');
    await page.locator('.h5-navbar .adm-nav-bar-back').tap();
    await page.getByRole('heading', { name: '信息通知' }).waitFor();
    await page.locator('.h5-notice-row.is-read').first().waitFor();
    await badgeBecomes(page, String(unreadAtStart - 1));

    // 全部已读 clears the rest, and the badge with them.
    await page.getByRole('button', { name: '全部已读' }).tap();
    await page.getByText('已全部标为已读').waitFor();
    await page.getByText('已全部标为已读').waitFor({ state: 'hidden' });
    await badgeBecomes(page, '');
    assert.equal(await page.locator('.h5-notice-row.is-unread').count(), 0);
    assert.equal(await page.getByRole('button', { name: '全部已读' }).isDisabled(), true);
    await screenshot(page, 'h5-notices-all-read');

    // A community worker of 体育场社区 publishes an urgent notice; the open page hears of it at once.
    const staff = await staffApi(server, 'tiyuchang');
    try {
      const units = await staff.api.get(`/api/units?kind=community&q=${encodeURIComponent('体育场社区')}`);
      const community = ((await units.json()).items as Array<{ id: number; name: string }>).find(
        (u) => u.name === '体育场社区',
      );
      assert.ok(community, '体育场社区 is in the worker’s scope');
      const published = await staff.api.post('/api/notices', {
        headers: { 'x-csrf-token': staff.csrf },
        data: {
          unitId: community.id,
          title: '紧急：体育村片区停电抢修',
          body: '因电缆故障，体育村片区正在紧急抢修，预计两小时内恢复供电。请关闭大功率电器，注意用电安全。',
          urgent: true,
        },
      });
      assert.equal(published.status(), 201, await published.text());
      assert.ok((await published.json()).pushed >= 1, 'the push reaches the community’s residents');
    } finally {
      await staff.close();
    }

    const dialog = page.locator('.adm-dialog').filter({ has: page.getByTestId('urgent-notice') });
    await dialog.getByText('紧急：体育村片区停电抢修').waitFor();
    await dialog.getByText(/^因电缆故障，体育村片区正在紧急抢修/).waitFor();
    await dialog.getByText('体育场社区发布').waitFor();
    await badgeBecomes(page, '1');
    // The list behind it took the new notice in as well.
    await page.locator('.h5-notice-row.is-unread').filter({ hasText: '体育村片区停电抢修' }).waitFor();
    await screenshot(page, 'h5-notices-urgent-dialog');

    await dialog.getByRole('button', { name: '查看' }).tap();
    await page.locator('.h5-notice-body').getByText('因电缆故障').waitFor();
    assert.match(page.url(), /\/h5\/notices\/\d+$/);
    await screenshot(page, 'h5-notices-urgent-opened');
    await page.locator('.h5-navbar .adm-nav-bar-back').tap();
    await page.getByRole('heading', { name: '信息通知' }).waitFor();
    await badgeBecomes(page, '');

    // Other news arrives as a bar with a link: the grid worker calls back after a one-tap call.
    const session = await (await page.request.get(`${server.baseUrl}/api/auth/session`)).json();
    const placed = await page.request.post(`${server.baseUrl}/api/me/call-requests`, {
      headers: { 'x-csrf-token': session.session.csrfToken },
      data: {},
    });
    assert.ok([200, 201].includes(placed.status()), await placed.text());
    const callId = (await placed.json()).callRequest.id as number;
    const worker = await staffApi(server, 'grid.tiyuchang1');
    try {
      const call = await worker.api.get(`/api/call-requests/${callId}`);
      assert.equal(call.status(), 200, await call.text());
      const closed = await worker.api.post(`/api/call-requests/${callId}/close`, {
        headers: { 'x-csrf-token': worker.csrf },
        data: { version: (await call.json()).callRequest.version, reason: '已电话沟通，居民问题已解答' },
      });
      assert.equal(closed.status(), 200, await closed.text());
    } finally {
      await worker.close();
    }
    const bar = page.locator('[data-testid="live-bar"][data-topic="callRequest.calledBack"]');
    await bar.getByText('网格员已给您回电').waitFor();
    await bar.getByText('查看 ›').waitFor();
    await screenshot(page, 'h5-notices-live-bar');
    await bar.getByRole('button').filter({ hasText: '网格员已给您回电' }).tap();
    await page.waitForURL('**/h5/call');

    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('the console: a community worker publishes an urgent notice past the warning, sees reads, withdraws it', async () => {
    const watched = await signedIn(browser, server, 'tiyuchang');
    const { page } = watched;
    await menuEntry(page, '通知公告').click();
    await page.waitForURL('**/console/notices');
    await page
      .getByText(/^已读 \d+ \/ \d+$/)
      .first()
      .waitFor();
    await settledScreenshot(page, 'h5-notices-console-list');

    await page.getByRole('button', { name: '发布通知' }).click();
    const form = page.getByRole('dialog').filter({ hasText: '发布范围' });
    await form.getByLabel('发布范围').click();
    await page.keyboard.type('体育场社区');
    await page
      .locator('.ant-select-dropdown:visible')
      .getByTitle('体育场社区（社区）', { exact: true })
      .first()
      .click();
    await form.getByLabel('标题').fill('紧急：体育场家属院停水抢修');
    await form
      .getByLabel('正文')
      .fill('供水管道爆裂，体育场家属院正在抢修，预计下午三点恢复供水，请居民做好储水准备。');
    await form.getByTestId('notice-urgent').click();
    await form.getByText(/紧急通知发布后，将立即向发布范围内的每一位居民推送/).waitFor();
    await screenshot(page, 'h5-notices-console-urgent-warning');

    await form.getByTestId('notice-submit').click();
    // Publishing an urgent notice asks once more.
    await page.locator('.ant-modal-confirm-title').getByText('确认发布紧急通知？').waitFor();
    await page.getByTestId('confirm-urgent').click();
    await page
      .locator('.ant-message-notice')
      .filter({ hasText: /通知已发布，已推送给 \d+ 位居民/ })
      .waitFor();
    const row = page.locator('.ant-table-row').filter({ hasText: '紧急：体育场家属院停水抢修' });
    await row.getByText('紧急', { exact: true }).waitFor();
    await row.getByText(/^已读 0 \/ [1-9]\d*$/).waitFor();
    await settledScreenshot(page, 'h5-notices-console-published');

    await row.getByRole('button', { name: '撤回' }).click();
    await page.getByText('确定撤回这条通知吗？').waitFor();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '撤回' }).click();
    await page.locator('.ant-message-notice').filter({ hasText: '通知已撤回' }).waitFor();
    await row.getByText('已撤回').waitFor();
    assert.equal(await row.getByRole('button', { name: '撤回' }).count(), 0, 'a withdrawn notice offers no actions');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });
});
