/**
 * 事项配置 (case settings) driven in Chromium against the real server with the demo data, as the system
 * administrator (systemAdmin holds case.configure): a case type's orange share, a category keyword that the
 * suggestion then picks, a server refusal shown on its field, a time-limit rule that /resolve then chooses,
 * a day made a holiday and back; and a community worker without case.configure, who neither sees the menu
 * entry nor gets the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { signedIn as sharedSignedIn } from './console-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
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

const signedIn = (username: string) => sharedSignedIn(browser, server, username);

/** A screenshot once loading is over and drawers or modals have finished sliding in. */
async function screenshot(page: Page, name: string) {
  await settled(page);
  // Browser-side code reaches the DOM through globalThis: the tests are type-checked without the DOM library.
  await page
    .waitForFunction(
      () =>
        (globalThis as any).document
          .getAnimations()
          .every((a: any) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  await saveScreenshot(page, name);
}

const menu = (page: Page, name: string) => page.getByRole('menuitem').filter({ hasText: new RegExp(`^${name}$`) });
const tab = (page: Page, name: string) => page.getByRole('tab', { name });
/** The open drawer or modal (antd keeps closed ones in the DOM, hidden; role queries skip hidden ones). */
const dialog = (page: Page) => page.getByRole('dialog').last();
const toast = (page: Page, text: string | RegExp) => page.locator('.ant-message-notice', { hasText: text });

/** Picks an option of a Select or TreeSelect by typing part of its text (both support search). */
async function choose(page: Page, field: Locator, search: string, option: string) {
  await field.click();
  await page.keyboard.type(search);
  await page
    .locator('.ant-select-dropdown:visible, .ant-tree-select-dropdown:visible')
    .getByTitle(option, { exact: true })
    .first()
    .click();
}

describe('case settings (事项配置)', () => {
  test('an administrator tunes a case type, a category keyword, a time limit and the calendar', async () => {
    const watched = await signedIn('sysadmin');
    const { page } = watched;

    await menu(page, '事项配置').click();
    await page.waitForURL('**/console/case-settings');
    await page.getByRole('heading', { name: '事项配置' }).waitFor();

    // ---- Case types: the orange share, edited in a drawer that lists the change before saving.
    const appeal = page.getByTestId('case-type-appeal');
    await appeal.getByTestId('orange-share').getByText('80%').waitFor();
    for (const code of ['enterprise', 'inspection', 'task']) await page.getByTestId(`case-type-${code}`).waitFor();
    await screenshot(page, 'case-admin-types');
    await appeal.getByRole('button', { name: '编辑' }).click();
    const typeDrawer = dialog(page);
    await typeDrawer.getByText('尚未修改任何内容').waitFor();
    const share = typeDrawer.getByLabel('黄灯比例');
    await share.fill('75');
    await share.blur();
    const typeChange = typeDrawer.locator('[data-change="orangeShare"]');
    assert.match((await typeChange.textContent()) ?? '', /80%.*75%/, 'the change is listed as old → new');
    await typeDrawer.getByTestId('save-case-type').click();
    await toast(page, '已保存事项类型“群众诉求”').waitFor();
    await appeal.getByTestId('orange-share').getByText('75%').waitFor();

    // ---- Categories: the suggestion before and after a new keyword.
    await tab(page, '分类目录').click();
    await page.getByTestId('category-environment').waitFor();
    const report = '楼下有人私装地锁';
    await page.getByTestId('suggest-text').locator('input').fill(report);
    await page.getByTestId('suggest-try').click();
    const result = page.getByTestId('suggest-result');
    await result.getByText('没有匹配的分类').waitFor();

    await page.getByPlaceholder('按名称、编码或关键词筛选').fill('小区停车');
    const parking = page.getByTestId('category-property.parking');
    await parking.waitFor();
    assert.doesNotMatch((await parking.getByTestId('category-keywords').getAttribute('data-keywords')) ?? '', /地锁/);
    await parking.getByTestId('edit-category').click();
    const categoryDrawer = dialog(page);
    await categoryDrawer.getByText('二级分类（上级：物业管理）').waitFor();
    await categoryDrawer.locator('[data-testid="keywords-input"] input').fill('地锁');
    await page.keyboard.press('Enter');
    await categoryDrawer.locator('[data-change="keywords"] [data-added="地锁"]').waitFor();
    await categoryDrawer.getByTestId('change-list').scrollIntoViewIfNeeded();
    await screenshot(page, 'case-admin-category-drawer');
    await categoryDrawer.getByTestId('save-category').click();
    await toast(page, '已保存分类“小区停车”').waitFor();
    await parking.locator('[data-keywords*="地锁"]').waitFor();
    // The suggestion box asks again after the save: the new keyword now picks the category first.
    const first = result.getByTestId('suggestion').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-category-name'), '小区停车');
    await screenshot(page, 'case-admin-categories');

    // A refusal by the server lands on the field it names: a code already taken.
    await page.getByPlaceholder('按名称、编码或关键词筛选').fill('');
    await page.getByTestId('add-root-category').click();
    const newCategory = dialog(page);
    await newCategory.getByLabel('编码').fill('environment');
    await newCategory.getByLabel('名称', { exact: true }).fill('测试分类');
    await newCategory.getByLabel('英文名称').fill('Test category');
    await newCategory.getByLabel('英文名称').press('Enter');
    await newCategory.locator('.ant-form-item-explain-error', { hasText: '该编码已被其他分类使用' }).waitFor();
    await newCategory.getByRole('button', { name: '取消' }).click();

    // ---- Time limits: the preview before, a new rule, the preview choosing it, the rule removed again.
    await tab(page, '办理时限').click();
    const resolved = page.getByTestId('resolved-rule');
    await resolved.waitFor();
    await choose(page, page.locator('.resolve-card .ant-select').nth(1), '小区停车', '小区停车');
    await choose(page, page.locator('.resolve-card .ant-select').nth(2), '紧急', '紧急');
    await resolved.getByTestId('resolved-label').getByText('群众诉求 · 任意分类 · 紧急').waitFor();

    await page.getByTestId('add-time-limit').click();
    const ruleForm = dialog(page);
    await choose(
      page,
      ruleForm.locator('.ant-form-item', { hasText: '分类' }).locator('.ant-select'),
      '小区停车',
      '小区停车',
    );
    await choose(
      page,
      ruleForm.locator('.ant-form-item', { hasText: '紧急程度' }).locator('.ant-select'),
      '紧急',
      '紧急',
    );
    await ruleForm.getByLabel('响应时限').fill('2');
    const resolution = ruleForm.locator('.ant-form-item', { hasText: '办结时限' });
    await choose(page, resolution.getByLabel('时间单位'), '工作日', '个工作日');
    await ruleForm.getByLabel('办结时限').fill('1.5');
    await ruleForm.getByLabel('回访时限').fill('16');
    await resolution.getByTestId('duration-minutes').getByText('= 720 工作分钟').waitFor();
    await ruleForm.locator('.ant-form-item', { hasText: '响应时限' }).getByText('= 120 工作分钟').waitFor();
    await screenshot(page, 'case-admin-time-limit-form');
    await page.locator('.ant-modal-footer:visible').getByRole('button', { name: '保存' }).click();
    await toast(page, '已新增时限规则：群众诉求 · 物业管理 / 小区停车 · 紧急').waitFor();

    // The preview asks /resolve again: the new, more specific rule applies, and its row is marked.
    await resolved.getByTestId('resolved-label').getByText('群众诉求 · 物业管理 / 小区停车 · 紧急').waitFor();
    await resolved.getByTestId('resolved-resolution').getByText('1 个工作日 4 小时').waitFor();
    const ruleId = await resolved.getAttribute('data-rule-id');
    const row = page.locator(`[data-testid="time-limit-row"][data-rule-id="${ruleId}"]`);
    assert.equal(await row.getAttribute('data-resolved'), 'true');
    assert.equal(await row.getByTestId('response').textContent(), '2 小时');
    assert.equal(await row.getByTestId('visit').textContent(), '2 个工作日');
    await screenshot(page, 'case-admin-time-limits');

    await row.getByRole('button', { name: '删除' }).click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '删除' }).click();
    await toast(page, '已删除时限规则').waitFor();
    await resolved.getByTestId('resolved-label').getByText('群众诉求 · 任意分类 · 紧急').waitFor();

    // ---- Calendar: a plain working day of December made a holiday with a note, then restored.
    await tab(page, '工作日历').click();
    await page.getByTestId('work-hours').getByText('09:00-17:00').waitFor();
    const grid = page.getByTestId('year-grid');
    const plain = grid.locator('button[data-day*="-12-"][data-source="weekday"][data-kind="workday"]').first();
    const day = (await plain.getAttribute('data-day')) ?? '';
    assert.match(day, /^\d{4}-12-\d{2}$/);
    const cell = grid.locator(`button[data-day="${day}"]`);
    await cell.click();
    const dayModal = dialog(page);
    await dayModal.getByTestId('day-source').getByText('按星期').waitFor();
    await dayModal.getByText('休息日', { exact: true }).click();
    await dayModal.getByTestId('day-name').fill('防汛停工');
    await dayModal.locator('[data-change="kind"]').getByText('休息日').waitFor();
    await dayModal.getByTestId('save-day').click();
    await toast(page, `已将 ${day} 设为休息日`).waitFor();
    await grid.locator(`button[data-day="${day}"][data-kind="holiday"][data-source="override"]`).waitFor();
    await page.getByTestId(`override-${day}`).getByText('防汛停工').waitFor();
    await screenshot(page, 'case-admin-calendar');

    await cell.click();
    await dayModal.getByTestId('day-source').getByText('本地调整').waitFor();
    await dayModal.getByTestId('remove-override').click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '恢复默认' }).click();
    await toast(page, `已恢复 ${day} 的默认安排`).waitFor();
    await grid.locator(`button[data-day="${day}"][data-kind="workday"][data-source="weekday"]`).waitFor();
    await page.getByTestId(`override-${day}`).waitFor({ state: 'detached' });

    // The year view is keyboard-usable: one day in the tab order, arrows move, Enter opens.
    await dayModal.waitFor({ state: 'hidden' });
    await cell.focus();
    await page.keyboard.press('ArrowRight');
    const next = await page.locator(':focus').getAttribute('data-day');
    assert.ok(next && next > day, `the arrow moved to the next day (${next})`);
    await page.keyboard.press('Enter');
    await dialog(page).getByText(`设置日期：${next}`).waitFor();
    await page.keyboard.press('Escape');

    // ---- On a tablet the categories page still fits: nothing overflows sideways.
    await page.setViewportSize({ width: 800, height: 1024 });
    await tab(page, '分类目录').click();
    await page.getByTestId('category-environment').waitFor();
    const overflow = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as any;
      return (document.documentElement.scrollWidth as number) - (innerWidth as number);
    });
    assert.ok(overflow <= 0, `no sideways scrolling on a tablet (${overflow}px too wide)`);
    await screenshot(page, 'case-admin-categories-tablet');

    assertNoConsoleErrors(watched, 'case settings');
    await watched.context.close();
  });

  test('without case.configure there is no menu entry and the page says no permission', async () => {
    const watched = await signedIn('tiyuchang');
    const { page } = watched;
    await menu(page, '我的待办').waitFor();
    assert.equal(await menu(page, '事项配置').count(), 0, 'no 事项配置 in the menu');
    await page.goto(`${server.baseUrl}/console/case-settings`);
    await page.getByText('您没有权限执行此操作').waitFor();
    assert.equal(await page.getByTestId('year-grid').count(), 0);
    await screenshot(page, 'case-admin-forbidden');
    assertNoConsoleErrors(watched, 'forbidden case settings');
    await watched.context.close();
  });
});
