/**
 * Intake in Chromium against the real server with the demo data: a hotline operator finds an address, pins
 * the point in 体育场社区第一网格, takes a suggested category, is warned of a similar open case nearby and
 * records the case; a grid worker records a patrol finding resolved on the spot; a resident's one-tap call is
 * called back and recorded from 待回电, another closed with a reason.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  menuEntry,
  pointInGridNearPin,
  residentApi,
  chooseAddress as sharedChooseAddress,
  signedIn as sharedSignedIn,
  staffApi as sharedStaffApi,
} from './console-support.ts';
import {
  assertNoConsoleErrors,
  DEMO_PASSWORD,
  launchBrowser,
  openPage,
  RESULTS_DIR,
  type RunningServer,
  settled,
  startServer,
} from './support.ts';

const GRID = '体育场社区第一网格';
const COMPOUND = '体育场家属院';

let server: RunningServer;
let browser: Browser;

before(async () => {
  // The development SMS sender logs residents' sign-in codes at info level.
  [server, browser] = await Promise.all([startServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A full-page screenshot once the page has settled, with animations finished (test-results/<name>.png). */
async function screenshot(page: Page, name: string) {
  await settled(page);
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}

const menu = menuEntry;
const signedIn = (username: string) => sharedSignedIn(browser, server, username);
const staffApi = (username: string) => sharedStaffApi(server, username);
const chooseAddress = (page: Page, scope: Locator) => sharedChooseAddress(page, scope, COMPOUND, GRID);

/** A resident signs in with a one-time code, gives a home in 体育场家属院 and taps 一键呼叫. */
async function residentCalls(phone: string, name: string, note: string): Promise<number> {
  const { api, csrf, close } = await residentApi(browser, server, phone);
  const headers = { 'x-csrf-token': csrf };
  const places = await (await api.get(`${server.baseUrl}/api/places?q=${encodeURIComponent(COMPOUND)}`)).json();
  const home = (places.items as Array<{ id: number; name: string }>).find((p) => p.name === COMPOUND);
  assert.ok(home, 'the compound is a public place');
  const profile = await api.put(`${server.baseUrl}/api/me/profile`, { data: { name, unitId: home.id }, headers });
  assert.equal(profile.status(), 200, await profile.text());
  const call = await api.post(`${server.baseUrl}/api/me/call-requests`, { data: { note }, headers });
  assert.equal(call.status(), 201, await call.text());
  const id = (await call.json()).callRequest.id as number;
  await close();
  return id;
}

describe('intake', { timeout: 300_000 }, () => {
  test('a hotline operator searches the address, pins the point, takes a suggested category and is warned of a similar case', async () => {
    // A similar open case near the compound, recorded first through the API.
    const { api, csrf } = await staffApi('hotline');
    const found = await (await api.get(`${server.baseUrl}/api/places/search?q=${encodeURIComponent(COMPOUND)}`)).json();
    const compound = found.items.find((p: { name: string }) => p.name === COMPOUND);
    assert.equal(compound.grid.name, GRID);
    const earlier = await api.post(`${server.baseUrl}/api/cases`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        channel: 'hotline',
        title: '体育场家属院垃圾没人清运',
        description: '体育场家属院门口的垃圾已经堆了三天',
        location: compound.point,
        address: compound.address,
      },
    });
    assert.equal(earlier.status(), 201, await earlier.text());
    const earlierNumber = (await earlier.json()).case.number as string;

    const watched = await signedIn('hotline');
    const { page } = watched;
    await menu(page, '受理登记').click();
    const form = page.getByTestId('intake-page');
    await form.waitFor();
    await form.getByTestId('intake-channel').getByText('热线').waitFor();

    await chooseAddress(page, form);
    assert.match(await form.getByTestId('intake-address').locator('input').inputValue(), /体育场社区体育场家属院$/);

    // Then the operator aims more precisely: a click inside the grid moves the pin, the grid stays named.
    const before = await form.getByTestId('point-coordinates').textContent();
    const aim = await pointInGridNearPin(page, GRID);
    await page.mouse.click(aim.x, aim.y);
    await form
      .getByTestId('point-coordinates')
      .filter({ hasNotText: before ?? '' })
      .waitFor();
    await form.locator(`[data-testid="point-grid"][data-grid-name="${GRID}"]`).waitFor();
    await form.getByTestId('intake-destination').getByText(GRID).waitFor();

    // The description suggests categories; the title is taken from it when left empty.
    await form
      .getByTestId('intake-description')
      .fill('体育场家属院3号楼门口垃圾堆积多日，垃圾桶满溢无人清运，气味很大');
    await form.getByTestId('intake-reporter-name').click();
    assert.equal(
      await form.getByTestId('intake-title').inputValue(),
      '体育场家属院3号楼门口垃圾堆积多日，垃圾桶满溢无人清运',
    );
    const suggestion = form.getByTestId('category-suggestion').filter({ hasText: '垃圾清运' });
    await suggestion.click();
    // The form re-renders the chips after the click: wait for the pressed state rather than reading it at once.
    await form
      .locator('[data-testid="category-suggestion"][aria-pressed="true"]')
      .filter({ hasText: '垃圾清运' })
      .waitFor();
    const categoryId = Number(await suggestion.getAttribute('data-category-id'));
    await form.getByTestId('intake-category').getByText('市容环境 / 垃圾清运').waitFor();

    await form.getByTestId('intake-reporter-name').fill('李先生');
    await form.getByTestId('intake-reporter-phone').fill('13700001234');
    await form.getByTestId('intake-urgency').getByText('紧急').click();

    const warning = form.getByTestId('duplicate-warning');
    await warning.locator(`[data-testid="duplicate-item"][data-case-number="${earlierNumber}"]`).waitFor();
    assert.equal(
      await warning.getByRole('link', { name: earlierNumber }).getAttribute('target'),
      '_blank',
      'a similar case opens in a new tab, the form stays',
    );
    await screenshot(page, 'console-intake-hotline');

    // A wrong phone is caught on the field before anything is sent.
    await form.getByTestId('intake-reporter-phone').fill('12345');
    await form.getByTestId('intake-submit').click();
    await form.getByText('请填写 11 位手机号或带区号的固定电话').waitFor();
    await form.getByTestId('intake-reporter-phone').fill('13700001234');

    await form.getByTestId('intake-submit').click();
    await page.waitForURL(/\/console\/cases\/\d+$/);
    const caseId = Number(new URL(page.url()).pathname.split('/').at(-1));
    await page.getByText(/已受理，事项编号 LL-/).waitFor();
    const detail = page.locator(`[data-testid="case-detail"][data-case-id="${caseId}"]`);
    await detail.getByText(GRID).first().waitFor();

    const recorded = (await (await api.get(`${server.baseUrl}/api/cases/${caseId}`)).json()).case;
    assert.equal(recorded.grid.name, GRID);
    assert.equal(recorded.channel, 'hotline');
    assert.equal(recorded.category.id, categoryId);
    assert.equal(recorded.urgency, 'urgent');
    assert.equal(recorded.title, '体育场家属院3号楼门口垃圾堆积多日，垃圾桶满溢无人清运');
    assert.match(recorded.address, /体育场家属院$/);
    assert.notEqual(recorded.state, 'received', 'classified at intake, so dispatched at once');
    await screenshot(page, 'console-intake-hotline-case');
    assertNoConsoleErrors(watched, 'hotline intake');
    await watched.context.close();
  });

  test('a grid worker records a patrol finding resolved on the spot', async () => {
    const watched = await signedIn('grid.tiyuchang1');
    const { page } = watched;
    await menu(page, '受理登记').click();
    const form = page.getByTestId('intake-page');
    await form.waitFor();
    await form.getByTestId('intake-channel').getByText('网格巡查').waitFor();

    await chooseAddress(page, form);
    await form.getByTestId('intake-title').fill('3号楼楼道堆放纸箱');
    await form.getByTestId('intake-description').fill('巡查发现体育场家属院3号楼二单元楼道堆放纸箱杂物，堵塞消防通道');

    // Resolving on the spot needs a category: the form says so before sending.
    await form.getByTestId('intake-self-resolve').click();
    await form.getByTestId('intake-result').fill('已联系住户当场清理，楼道恢复畅通');
    await form.getByTestId('intake-submit').click();
    await form.getByText('就地办结须先选择分类').waitFor();

    // The category picker searches by keyword.
    await form.getByTestId('intake-category').click();
    await page.keyboard.type('楼道堆物');
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '楼道堆物' }).first().click();
    await form.getByTestId('intake-category').getByText('楼道堆物').waitFor();
    await screenshot(page, 'console-intake-patrol');

    await form.getByTestId('intake-submit').click();
    await page.waitForURL(/\/console\/cases\/\d+$/);
    const caseId = Number(new URL(page.url()).pathname.split('/').at(-1));
    const detail = page.locator(`[data-testid="case-detail"][data-case-id="${caseId}"]`);
    await detail.waitFor();
    const recorded = (await (await page.request.get(`${server.baseUrl}/api/cases/${caseId}`)).json()).case;
    assert.equal(recorded.channel, 'patrol');
    assert.ok(recorded.resolvedAt, 'resolved at intake');
    assert.ok(['resolved', 'closed'].includes(recorded.state), recorded.state);
    assert.equal(recorded.grid.name, GRID);
    assert.ok(
      recorded.events.some((e: { action: string }) => e.action === 'selfResolve'),
      'the timeline records the on-the-spot resolution',
    );
    await screenshot(page, 'console-intake-patrol-case');
    assertNoConsoleErrors(watched, 'patrol intake');
    await watched.context.close();
  });

  test("a resident's one-tap call is called back and recorded from 待回电; another is closed with a reason", async () => {
    const recordedCall = await residentCalls('13912340001', '王阿姨', '3号楼楼道的灯坏了，晚上看不见');
    const closedCall = await residentCalls('13912340002', '赵师傅', '想问问垃圾几点清运');

    const watched = await signedIn('grid.tiyuchang1');
    const { page } = watched;
    await menu(page, '待回电').click();
    const list = page.getByTestId('call-requests-page');
    const row = (id: number) => list.locator(`[data-testid="call-row"][data-call-id="${id}"]`);
    await row(recordedCall).waitFor();
    await row(closedCall).waitFor();
    await row(recordedCall).getByText('王阿姨').waitFor();
    await row(recordedCall).getByText('13912340001').waitFor();
    await row(recordedCall).locator('[data-testid="call-due"][data-overdue="false"]').waitFor();
    await screenshot(page, 'console-call-requests');

    await row(recordedCall).getByTestId('call-convert').click();
    const drawer = page.getByTestId('convert-form');
    await drawer.waitFor();
    assert.equal(await drawer.getByTestId('intake-description').inputValue(), '3号楼楼道的灯坏了，晚上看不见');
    await drawer.getByTestId('intake-title').fill('3号楼楼道灯不亮');
    await chooseAddress(page, drawer);
    await screenshot(page, 'console-call-convert');
    await drawer.getByTestId('convert-submit').click();
    await page.getByText(/已登记事项 LL-/).waitFor();
    await row(recordedCall).waitFor({ state: 'detached' });

    await row(closedCall).getByTestId('call-close').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '已电话解答，无需登记事项' }).click();
    await dialog.getByTestId('close-submit').click();
    await row(closedCall).waitFor({ state: 'detached' });

    await list.getByRole('tab', { name: '已处理' }).click();
    const converted = row(recordedCall);
    await converted.getByTestId('call-case').waitFor();
    await screenshot(page, 'console-call-requests-handled');
    await list.locator('.ant-segmented').getByText('已关闭').click();
    await row(closedCall).getByText('已电话解答，无需登记事项').waitFor();
    await list.locator('.ant-segmented').getByText('已登记事项').click();

    const detail = (await (await page.request.get(`${server.baseUrl}/api/call-requests/${recordedCall}`)).json())
      .callRequest;
    assert.equal(detail.status, 'converted');
    const recorded = (await (await page.request.get(`${server.baseUrl}/api/cases/${detail.case.id}`)).json()).case;
    assert.equal(recorded.channel, 'call');
    assert.equal(recorded.title, '3号楼楼道灯不亮');
    assert.equal(recorded.grid.name, GRID);

    await converted.getByTestId('call-case').getByRole('link').click();
    await page.locator(`[data-testid="case-detail"][data-case-id="${detail.case.id}"]`).waitFor();
    assertNoConsoleErrors(watched, 'call requests');
    await watched.context.close();
  });
  test('on a tablet the form and the map stack, nothing runs off the screen', async () => {
    const watched = await openPage(browser, { viewport: { width: 800, height: 1100 } });
    const { page } = watched;
    await page.goto(`${server.baseUrl}/console/login`);
    await page.getByLabel('用户名').fill('hotline');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${server.baseUrl}/console/intake`);
    const form = page.getByTestId('intake-page');
    await form.getByTestId('point-picker-map').waitFor();
    await settled(page);
    const title = await form.getByTestId('intake-title').boundingBox();
    const map = await form.getByTestId('point-picker-map').boundingBox();
    assert.ok(title && map);
    assert.ok(map.y > title.y + title.height, 'the map comes below the case fields');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await screenshot(page, 'console-intake-tablet');
    assertNoConsoleErrors(watched, 'intake on a tablet');
    await watched.context.close();
  });
});
