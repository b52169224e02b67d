/**
 * The resident H5 on a phone, against the real server with the demo data: sign-in with the one-time code
 * the development SMS sender prints in the server log, first-time registration of a home, the home page,
 * settings and sign-out, and the errors a resident may meet. Any browser console error fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_RESIDENT_PHONE } from '../../src/server/demo/demo-data.ts';
import { PHONE, SMALL_PHONE } from './h5-support.ts';
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
  // The development sender logs the code at info level.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The code the development SMS sender printed for the phone after `since` characters of server output. */
async function codeFromLog(phone: string, since: number): Promise<string> {
  const pattern = new RegExp(`sign-in code for ${phone}: (\\d{6})`, 'g');
  for (let i = 0; i < 100; i++) {
    const found = [...server.output().slice(since).matchAll(pattern)].at(-1);
    if (found?.[1]) return found[1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sign-in code for ${phone} in the server log:\n${server.output().slice(since)}`);
}

const phoneBox = (page: Page) => page.getByRole('textbox', { name: '手机号' });
const codeBox = (page: Page) => page.getByRole('textbox', { name: '验证码' });

/** Asks for a code on the sign-in page and returns it from the server log. */
async function requestCode(page: Page, phone: string): Promise<string> {
  await phoneBox(page).fill(phone);
  const since = server.output().length;
  await page.getByRole('button', { name: '获取验证码' }).tap();
  return codeFromLog(phone, since);
}

async function signIn(page: Page, phone: string) {
  await page.goto(`${server.baseUrl}/h5/`);
  await page.getByRole('heading', { name: '手机号登录' }).waitFor();
  const code = await requestCode(page, phone);
  await codeBox(page).fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).tap();
}

/** Taps a place in the open picker sheet. */
const pick = (page: Page, name: string) => page.locator('.h5-sheet').getByText(name, { exact: true }).tap();

describe('resident H5', { timeout: 240_000 }, () => {
  test('a new phone signs in with the code from the log, registers a home in 体育场社区 and sees its grid', async () => {
    const watched = await openPage(browser, PHONE);
    const { page } = watched;
    const phone = '19900000001';

    await page.goto(`${server.baseUrl}/h5/`);
    await page.waitForURL('**/h5/signin');
    await page.getByRole('heading', { name: '手机号登录' }).waitFor();
    const code = await requestCode(page, phone);
    await page.getByText('验证码已发送至 199****0001').waitFor();
    const resend = page.getByRole('button', { name: /秒后可重发/ });
    assert.equal(await resend.isDisabled(), true, 'the code button waits 60 s before a new code');
    await screenshot(page, 'h5-sign-in-code-sent');

    await codeBox(page).fill(code);
    await page.getByRole('button', { name: '登录', exact: true }).tap();
    await page.getByRole('heading', { name: '完善居住信息' }).waitFor();
    assert.match(page.url(), /\/h5\/welcome$/);

    await page.getByRole('textbox', { name: '姓名' }).fill('王小明');
    await page.locator('.h5-place-picker').getByText('请选择').tap();
    await page.getByRole('searchbox').fill('体育场');
    await pick(page, '体育场社区');
    await page.getByRole('heading', { name: '选择小区' }).waitFor();
    await pick(page, '体育场家属院');
    await page.getByRole('heading', { name: '选择楼栋' }).waitFor();
    await pick(page, '1号楼');
    await page.getByRole('heading', { name: '选择单元' }).waitFor();
    await pick(page, '1单元');
    await page.locator('.h5-sheet').waitFor({ state: 'hidden' });
    await screenshot(page, 'h5-profile-filled');

    await page.getByRole('button', { name: '保存' }).tap();
    await page.getByText('已找到您的网格').waitFor();
    const gridName = (await page.locator('.h5-grid-name').textContent()) ?? '';
    assert.match(gridName, /^体育场社区第.网格$/, 'the home belongs to one of 体育场社区’s grids');
    await page.getByText('体育场社区 体育场家属院 1号楼 1单元').waitFor();
    await screenshot(page, 'h5-grid-found');

    await page.getByRole('button', { name: '进入首页' }).tap();
    await page.getByRole('heading', { name: '您好，王小明' }).waitFor();
    assert.match(page.url(), /\/h5\/?$/);
    assert.equal(await page.locator('.h5-grid-name').textContent(), gridName);
    await page.getByText('光明路街道').waitFor();

    // The profile is stored: after a reload the resident goes straight to home.
    await page.reload();
    await page.getByRole('heading', { name: '您好，王小明' }).waitFor();
    await screenshot(page, 'h5-new-resident-home');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('the demo resident signs in straight to home; language, large type and sign-out work', async () => {
    const watched = await openPage(browser, SMALL_PHONE);
    const { page } = watched;
    await signIn(page, DEMO_RESIDENT_PHONE);
    await page.getByRole('heading', { name: '我的网格' }).waitFor();
    assert.match(page.url(), /\/h5\/?$/, 'a known resident never sees the registration form');
    assert.equal(await page.locator('.h5-grid-name').textContent(), '体育场社区第一网格');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `no sideways scrolling on a 375 px phone (overflow ${overflow} px)`);
    await screenshot(page, 'h5-demo-resident-home');

    await page.getByText('我的', { exact: true }).tap();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    const signOutBox = await page.getByRole('button', { name: '退出登录' }).boundingBox();
    assert.ok(signOutBox && signOutBox.height >= 44, 'buttons are big enough to tap');

    await page.getByText('English', { exact: true }).tap();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en-US');
    const rootFontSize = () => page.evaluate<string>('getComputedStyle(document.documentElement).fontSize');
    const before = await rootFontSize();
    await page.getByRole('switch', { name: 'Large text' }).tap();
    await page.waitForSelector('html.large-type', { state: 'attached' });
    const afterSize = await rootFontSize();
    assert.ok(Number.parseFloat(afterSize) > Number.parseFloat(before), 'large type makes the text bigger');
    await screenshot(page, 'h5-settings-english-large-type');

    await page.getByText('Home', { exact: true }).tap();
    await page.getByRole('heading', { name: 'My grid' }).waitFor();
    await screenshot(page, 'h5-home-english-large-type');
    await page.getByText('Me', { exact: true }).tap();

    await page.getByRole('button', { name: 'Sign out' }).tap();
    await page.locator('.adm-dialog').getByRole('button', { name: 'Sign out' }).tap();
    await page.getByRole('heading', { name: 'Sign in with your phone' }).waitFor();
    assert.match(page.url(), /\/h5\/signin$/);
    const session = await page.request.get(`${server.baseUrl}/api/auth/session`);
    assert.equal(session.status(), 401, 'signing out ends the session on the server');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('a wrong code and asking for codes too often are shown plainly', async () => {
    const watched = await openPage(browser, PHONE);
    const { page } = watched;
    const phone = '19900000002';
    await page.goto(`${server.baseUrl}/h5/`);
    await page.getByRole('heading', { name: '手机号登录' }).waitFor();
    const code = await requestCode(page, phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await codeBox(page).fill(wrong);
    await page.getByRole('button', { name: '登录', exact: true }).tap();
    await page.getByRole('alert').filter({ hasText: '验证码错误或已过期，请重新获取' }).waitFor();
    assert.equal(await codeBox(page).inputValue(), '', 'the wrong code is cleared for another try');
    assert.match(page.url(), /\/h5\/signin$/);
    await screenshot(page, 'h5-wrong-code');

    // Reloading forgets the countdown, but the server still refuses a second code within the minute.
    await page.reload();
    await phoneBox(page).fill(phone);
    await page.getByRole('button', { name: '获取验证码' }).tap();
    await page.getByRole('alert').filter({ hasText: '获取验证码太频繁，请稍后再试' }).waitFor();
    await screenshot(page, 'h5-rate-limited');

    // The first code still works: one wrong guess does not burn it.
    await codeBox(page).fill(code);
    await page.getByRole('button', { name: '登录', exact: true }).tap();
    await page.getByRole('heading', { name: '完善居住信息' }).waitFor();
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('the H5 can be installed on the home screen: manifest, icons and theme colour', async () => {
    const watched = await openPage(browser, PHONE);
    const { page } = watched;
    await page.goto(`${server.baseUrl}/h5/`);
    await page.getByRole('heading', { name: '手机号登录' }).waitFor();
    const head = {
      manifest: await page.locator('link[rel="manifest"]').getAttribute('href'),
      theme: await page.locator('meta[name="theme-color"]').getAttribute('content'),
      appleCapable: await page.locator('meta[name="apple-mobile-web-app-capable"]').getAttribute('content'),
      touchIcon: await page.locator('link[rel="apple-touch-icon"]').getAttribute('href'),
    };
    assert.ok(head.manifest && head.touchIcon, 'manifest and touch icon are linked');
    assert.equal(head.appleCapable, 'yes');
    const response = await page.request.get(new URL(head.manifest, server.baseUrl).href);
    assert.equal(response.status(), 200);
    const manifest = (await response.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      scope: string;
      display: string;
      theme_color: string;
      icons: Array<{ src: string; sizes: string; type: string }>;
    };
    assert.equal(manifest.short_name, '邻里');
    assert.equal(manifest.start_url, '/h5/');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.theme_color, head.theme);
    for (const size of ['192x192', '512x512']) {
      assert.ok(
        manifest.icons.some((icon) => icon.sizes === size && icon.type === 'image/png'),
        `a ${size} PNG icon`,
      );
    }
    for (const src of [...manifest.icons.map((icon) => icon.src), head.touchIcon]) {
      const icon = await page.request.get(new URL(src, server.baseUrl).href);
      assert.equal(icon.status(), 200, src);
      assert.match(icon.headers()['content-type'] ?? '', /^image\//, src);
    }
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });
});
