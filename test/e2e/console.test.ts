/**
 * The staff console driven in Chromium against the real server with the demo data: sign-in, the menu
 * built from permissions, the unit tree and the people list limited to the account's scope, the language
 * switch, and every page rendering without a console error.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertNoConsoleErrors,
  DEMO_PASSWORD,
  launchBrowser,
  openPage,
  RESULTS_DIR,
  type RunningServer,
  screenshot as saveScreenshot,
  settled,
  startServer,
  type WatchedPage,
} from './support.ts';

/** A screenshot once the page has finished loading (no request in flight, no spinner). */
async function screenshot(page: Page, name: string) {
  await settled(page);
  await saveScreenshot(page, name);
}

let server: RunningServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(username: string, password = DEMO_PASSWORD): Promise<WatchedPage> {
  const watched = await openPage(browser);
  const { page } = watched;
  await page.goto(`${server.baseUrl}/console/`);
  await page.waitForURL('**/console/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  return watched;
}

async function signedIn(username: string): Promise<WatchedPage> {
  const watched = await signIn(username);
  await watched.page.getByRole('menuitem', { name: '工作台' }).waitFor();
  return watched;
}

/** A side-menu entry by its exact text (the icon's label is not part of it). */
const menu = (page: Page, name: string) => page.getByRole('menuitem').filter({ hasText: new RegExp(`^${name}$`) });
const treeNode = (page: Page, name: string) => page.locator(`[role="treeitem"] [data-unit-name="${name}"]`);

async function expandTreeNode(page: Page, name: string) {
  await page
    .locator('[role="treeitem"]', { has: page.locator(`[data-unit-name="${name}"]`) })
    .locator('.ant-tree-switcher')
    .click();
}

/** The people rows' units as shown: { kind, name }. */
async function personUnits(page: Page): Promise<Array<{ kind: string; name: string }>> {
  await page.locator('[data-testid="person-unit"]').first().waitFor();
  return page.locator('[data-testid="person-unit"]').evaluateAll((cells) =>
    cells.map((c) => ({
      kind: c.getAttribute('data-unit-kind') ?? '',
      name: c.getAttribute('data-unit-name') ?? '',
    })),
  );
}

/** The community (or village) a row belongs to, when its unit name tells it: the unit itself or one of its grids. */
function communityOf(unit: { kind: string; name: string }): string | null {
  if (unit.kind === 'community' || unit.kind === 'village') return unit.name;
  if (unit.kind === 'grid') return unit.name.replace(/第[一二三四五六七八九十]+网格$/, '');
  return null;
}

describe('staff console', () => {
  test('a district administrator sees the district, its streets and people of several communities', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page } = watched;
    await page.getByTestId('header-user').getByText('区级管理员 · 新华区').waitFor();
    for (const item of ['组织架构', '网格管理', '人员管理', '重点人群', '党组织', '账号管理', '数据导入导出']) {
      await menu(page, item).waitFor();
    }
    // districtAdmin holds neither audit.read nor role.manage-only pages beyond its grants.
    assert.equal(await menu(page, '审计日志').count(), 0, 'no audit menu without audit.read');
    await screenshot(page, 'console-dashboard-xinhua');

    await menu(page, '组织架构').click();
    await treeNode(page, '新华区').waitFor();
    await expandTreeNode(page, '新华区');
    for (const street of ['焦店镇', '西高皇街道', '光明路街道', '曙光街街道']) await treeNode(page, street).waitFor();
    assert.equal(await treeNode(page, '城乡一体化示范区').count(), 0, 'the other district is out of scope');
    await treeNode(page, '光明路街道').click();
    await page.getByTestId('selected-unit').getByText('光明路街道').waitFor();
    await page.locator('.ant-table').getByText('体育场社区', { exact: true }).waitFor();
    await screenshot(page, 'console-units-xinhua');

    await menu(page, '人员管理').click();
    // Page through the list until people of two communities have shown up.
    const communities = new Set<string>();
    for (let pageNo = 1; communities.size < 2 && pageNo <= 27; pageNo++) {
      if (pageNo > 1) {
        await page.locator('.ant-pagination-next').click();
        await page.locator('.ant-pagination-item-active', { hasText: String(pageNo) }).waitFor();
        await settled(page);
      }
      for (const unit of await personUnits(page)) {
        const name = communityOf(unit);
        if (name) communities.add(name);
      }
    }
    assert.ok(communities.size >= 2, `people of several communities, got ${[...communities]}`);
    await screenshot(page, 'console-people-xinhua');
    assertNoConsoleErrors(watched, 'xinhua.admin');
    await watched.context.close();
  });

  test('a community worker sees only 体育场社区, in the unit tree and in the people list', async () => {
    // The units that make up 体育场社区, read independently with the district administrator's session.
    const admin = await signedIn('xinhua.admin');
    const api = admin.page.request;
    const top = (await (await api.get(`${server.baseUrl}/api/units?q=体育场社区`)).json()) as {
      items: Array<{ id: number; name: string; kind: string }>;
    };
    const community = top.items.find((u) => u.name === '体育场社区' && u.kind === 'community');
    assert.ok(community, '体育场社区 exists in the demo data');
    const inside = (await (
      await api.get(`${server.baseUrl}/api/units?within=${community.id}&pageSize=200`)
    ).json()) as {
      items: Array<{ name: string }>;
    };
    const unitNames = new Set(['体育场社区', ...inside.items.map((u) => u.name)]);
    await admin.context.close();

    const watched = await signedIn('tiyuchang');
    const { page } = watched;
    await page.getByTestId('header-user').getByText('体育场社区').waitFor();
    await menu(page, '组织架构').click();
    await treeNode(page, '体育场社区').waitFor();
    await expandTreeNode(page, '体育场社区');
    await treeNode(page, '体育场社区第一网格').waitFor();
    for (const other of ['新华区', '光明路街道', '光明路社区', '凌云社区', '西高皇街道']) {
      assert.equal(await treeNode(page, other).count(), 0, `${other} is out of scope`);
    }
    await screenshot(page, 'console-units-tiyuchang');

    await menu(page, '人员管理').click();
    const units = await personUnits(page);
    for (const unit of units) {
      assert.ok(unitNames.has(unit.name), `${unit.name} (${unit.kind}) is inside 体育场社区`);
      const name = communityOf(unit);
      if (name) assert.equal(name, '体育场社区');
    }
    const text = (await page.locator('.ant-table').textContent()) ?? '';
    for (const other of ['凌云社区', '光明路社区', '西高皇'])
      assert.ok(!text.includes(other), `no ${other} in the list`);
    await screenshot(page, 'console-people-tiyuchang');
    assertNoConsoleErrors(watched, 'tiyuchang');
    await watched.context.close();
  });

  test('switching the language to English changes the menu', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page } = watched;
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    for (const item of ['Dashboard', 'Organisation', 'Grids', 'People', 'Party organisations']) {
      await menu(page, item).waitFor();
    }
    assert.equal(await menu(page, '组织架构').count(), 0);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en-US');
    await screenshot(page, 'console-dashboard-english');
    assertNoConsoleErrors(watched, 'english');
    await watched.context.close();
  });

  test('a wrong password shows the Chinese error and stays on the sign-in page', async () => {
    const watched = await signIn('xinhua.admin', 'Wrong-password-1');
    const { page } = watched;
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
    assert.match(page.url(), /\/console\/login$/);
    await screenshot(page, 'console-login-error');
    assertNoConsoleErrors(watched, 'wrong password');
    await watched.context.close();
  });

  test('revealing a phone number asks first, shows it in full, and is written to the audit log', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page } = watched;
    await menu(page, '人员管理').click();
    const firstPhone = page.locator('[data-testid^="phone-"]').first();
    assert.match((await firstPhone.textContent()) ?? '', /^1\d{2}\*{4}\d{4}$/, 'masked before the reveal');
    await page.locator('[data-testid^="reveal-"]').first().click();
    await page.getByText('查看操作将记录在审计日志中').waitFor();
    await page.getByRole('button', { name: '确定查看' }).click();
    await page
      .locator('[data-testid^="phone-"]', { hasText: /^1\d{10}$/ })
      .first()
      .waitFor();
    assertNoConsoleErrors(watched, 'reveal');
    await watched.context.close();

    const auditor = await signedIn('auditor');
    await menu(auditor.page, '审计日志').click();
    await auditor.page.locator('.ant-table-row', { hasText: '查看完整个人信息' }).first().waitFor();
    await screenshot(auditor.page, 'console-audit-reveal');
    assertNoConsoleErrors(auditor, 'auditor');
    await auditor.context.close();
  });

  test('a grid boundary is drawn by clicking corners on the map and saved', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page } = watched;
    await menu(page, '网格管理').click();
    await page.locator('.leaflet-container path.leaflet-interactive').first().waitFor();
    await page.locator('.grid-list-item', { hasText: '体育场社区第三网格' }).click();
    const card = page.getByTestId('grid-card');
    await card.getByText('网格工作人员').waitFor();
    await card.getByRole('button', { name: '重新绘制' }).click();
    const box = await page.getByTestId('grid-map').boundingBox();
    assert.ok(box);
    // Corners in the left half: the contact card covers the right of the map.
    for (const [x, y] of [
      [0.2, 0.45],
      [0.35, 0.45],
      [0.35, 0.7],
      [0.2, 0.7],
    ] as const) {
      await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
    }
    await page.getByText('已添加 4 个').waitFor();
    await page.getByRole('button', { name: '保存边界' }).click();
    await page.getByText('边界已保存').waitFor();
    await screenshot(page, 'console-grid-drawn');
    assertNoConsoleErrors(watched, 'grid drawing');
    await watched.context.close();
  });

  test('an import is checked first: the untouched template comes back with its example row flagged', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page } = watched;
    await menu(page, '数据导入导出').click();
    const people = page.getByTestId('workbook-people');
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      people.getByRole('button', { name: '下载导入模板' }).click(),
    ]);
    assert.match(template.suggestedFilename(), /\.xlsx$/);
    const file = path.join(RESULTS_DIR, 'people-template.xlsx');
    await template.saveAs(file);
    await people.locator('input[type="file"]').setInputFiles(file);
    await people.getByRole('button', { name: '检查（不导入）' }).click();
    await people.getByTestId('import-errors').getByText('示例行未删除').waitFor();
    await people.getByText('未导入任何数据').waitFor();
    await screenshot(page, 'console-import-errors');
    assertNoConsoleErrors(watched, 'import');
    await watched.context.close();
  });

  test('every page of the console renders without console errors', async () => {
    // [account, menu entry, path, what shows when the page has loaded its data]
    const pages: Array<[string, string, string, string]> = [
      ['xinhua.admin', '网格管理', 'grids', '.leaflet-container path.leaflet-interactive'],
      ['xinhua.admin', '重点人群', 'care-persons', '.ant-table-row'],
      ['xinhua.admin', '党组织', 'party', '[role="treeitem"]'],
      ['xinhua.admin', '账号管理', 'accounts', '.ant-table-row'],
      ['xinhua.admin', '角色权限', 'roles', '.ant-table-row'],
      ['xinhua.admin', '数据导入导出', 'excel', '[data-testid="workbook-people"]'],
      ['auditor', '审计日志', 'audit', '.ant-table-row'],
    ];
    const sessions = new Map<string, WatchedPage>();
    for (const [username, item, slug, ready] of pages) {
      let watched = sessions.get(username);
      if (!watched) {
        watched = await signedIn(username);
        sessions.set(username, watched);
      }
      await menu(watched.page, item).click();
      await watched.page.waitForURL(`**/console/${slug}`);
      await watched.page.locator(ready).first().waitFor();
      await screenshot(watched.page, `console-${slug}`);
    }
    for (const [username, watched] of sessions) {
      assertNoConsoleErrors(watched, username);
      await watched.context.close();
    }
  });
});
