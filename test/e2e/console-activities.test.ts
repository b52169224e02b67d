/**
 * 活动课堂 in Chromium against the real server with the demo data: the community worker of 体育场社区 publishes a
 * course with two places through the form, finds it in the list, sees a resident's enrolment in the attendance
 * (phone masked), downloads the sign-in sheet as a real workbook and opens the check-in QR code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { residentApi, settledScreenshot, signedIn, staffApi } from './console-support.ts';
import { assertNoConsoleErrors, launchBrowser, RESULTS_DIR, type RunningServer, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;

before(async () => {
  // Info level: the development sender prints the resident's sign-in code there.
  [server, browser] = await Promise.all([startServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const TITLE = '社区大学·剪纸入门（浏览器测试）';

test('a community worker publishes a course with 2 places and follows its enrolment and check-in', async () => {
  const staff = await staffApi(server, 'tiyuchang');
  const session = await (await staff.api.get('/api/auth/session')).json();
  assert.ok(session.session.permissions.includes('activity.manage'), 'community staff run activities (role grant)');
  await staff.close();

  const watched = await signedIn(browser, server, 'tiyuchang');
  const { page } = watched;
  await page.goto(`${server.baseUrl}/console/activities`);
  await page.getByTestId('activities-table').waitFor();

  await page.getByTestId('create-activity').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('主办单位').click();
  await page.getByTitle('体育场社区（社区）').click();
  await dialog.getByLabel('标题').fill(TITLE);
  await dialog.getByLabel('地点').fill('体育场社区党群服务中心三楼');
  const capacity = dialog.getByLabel('名额', { exact: true });
  await capacity.fill('2');
  await dialog.getByRole('button', { name: '发布活动' }).click();

  // The new activity opens in the drawer.
  const drawer = page.locator('.activity-drawer');
  await drawer.getByText(TITLE).first().waitFor();
  await drawer.getByTestId('activity-places').filter({ hasText: '0 / 2' }).waitFor();
  const activityId = await page.evaluate(async (title) => {
    const response = await fetch(`/api/activities?q=${encodeURIComponent(title)}`);
    return ((await response.json()) as { items: Array<{ id: number }> }).items[0]?.id;
  }, TITLE);
  assert.ok(activityId, 'the course was stored');

  const resident = await residentApi(browser, server, '13800000001');
  const enrolled = await resident.api.post(`${server.baseUrl}/api/me/activities/${activityId}/enrolment`, {
    headers: { 'x-csrf-token': resident.csrf },
  });
  assert.equal(enrolled.status(), 201, await enrolled.text());
  assert.equal((await enrolled.json()).enrolment.status, 'enrolled');
  await resident.close();

  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  await page.getByTestId('activities-search').locator('input').fill('剪纸入门');
  await page.getByTestId('activities-search').locator('input').press('Enter');
  const places = page.getByTestId(`places-${activityId}`);
  await places.filter({ hasText: '1 / 2' }).waitFor();
  await settledScreenshot(page, 'console-activities-list');

  await page.getByTestId('activity-link').filter({ hasText: TITLE }).click();
  const attendance = drawer.getByTestId('attendance-table');
  await attendance.getByText('138****0001').waitFor();
  await attendance.getByText('已报名').waitFor();
  assert.match((await drawer.getByTestId('attendance-counts').textContent()) ?? '', /已报名 1 · 候补 0 · 已签到 0/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    drawer.getByTestId('export-attendance').click(),
  ]);
  const file = path.join(RESULTS_DIR, 'console-activities-attendance.xlsx');
  await download.saveAs(file);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('签到表');
  assert.ok(sheet, 'a sign-in sheet');
  assert.equal(String(sheet.getCell('A1').value), `${TITLE}（社区大学课程）签到表`);
  assert.equal(sheet.getCell('C4').value, '138****0001');
  assert.equal(sheet.getCell('D4').value, '已报名');

  await drawer.getByRole('tab', { name: '签到二维码' }).click();
  const qr = drawer.getByTestId('check-in-qr');
  await qr.locator('img').waitFor();
  const src = await qr.locator('img').getAttribute('src');
  assert.match(src ?? '', /^data:image\/svg\+xml/);
  const url = (await qr.locator('.check-in-qr-url').textContent()) ?? '';
  assert.match(url, new RegExp(`/h5/activities/${activityId}/check-in\\?code=[A-Za-z0-9_-]{16}`));
  assert.ok(await qr.getByText('体育场社区党群服务中心三楼', { exact: false }).isVisible());
  await settledScreenshot(page, 'console-activities-qr');

  // Printing prints the QR card alone: the print dialog is stubbed, the print media emulated.
  await page.evaluate('window.print = () => {}');
  await drawer.getByTestId('print-qr').click();
  await page.emulateMedia({ media: 'print' });
  assert.ok(await qr.locator('img').isVisible(), 'the QR code prints');
  assert.ok(await qr.getByText(TITLE).isVisible(), 'with the title');
  assert.equal(await page.getByRole('menuitem', { name: '活动课堂' }).isVisible(), false, 'the menu does not');
  assert.equal(await drawer.getByTestId('export-attendance').isVisible(), false, 'nor the rest of the drawer');
  await page.screenshot({ path: path.join(RESULTS_DIR, 'console-activities-qr-print.png') });
  await page.emulateMedia({ media: 'screen' });

  assertNoConsoleErrors(watched, 'activities page');
  await watched.context.close();
});
