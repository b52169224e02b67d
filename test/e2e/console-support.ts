/**
 * Steps the console's browser tests share: signing staff in through the page or the API, a resident through
 * the one-time code the development sender logs, and aiming at a grid on the intake map.
 */
import assert from 'node:assert/strict';
import { type APIRequestContext, type Browser, type Locator, type Page, request } from 'playwright-core';
import { DEMO_PASSWORD, openPage, type RunningServer, screenshot, settled, type WatchedPage } from './support.ts';

/** A screenshot once the page has finished loading (no request in flight, no spinner). */
export async function settledScreenshot(page: Page, name: string): Promise<void> {
  await settled(page);
  await screenshot(page, name);
}

/** A fresh page (desk-sized unless `options` say otherwise) signed in through the form, the menu shown. */
export async function signedIn(
  browser: Browser,
  server: RunningServer,
  username: string,
  options: Parameters<typeof openPage>[1] = {},
): Promise<WatchedPage> {
  const watched = await openPage(browser, options);
  const { page } = watched;
  await page.goto(`${server.baseUrl}/console/`);
  await page.waitForURL('**/console/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('menuitem', { name: '工作台' }).waitFor();
  return watched;
}

/** A side-menu entry whose text starts with the name (a badge may follow). */
export const menuEntry = (page: Page, name: string) =>
  page.getByRole('menuitem').filter({ hasText: new RegExp(`^${name}`) });

export interface ApiSession {
  api: APIRequestContext;
  csrf: string;
  close(): Promise<void>;
}

/** An API client with its own cookies (paths relative to the server): a staff member signed in by password. */
export async function staffApi(server: RunningServer, username: string): Promise<ApiSession> {
  const api = await request.newContext({ baseURL: server.baseUrl });
  const response = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  assert.equal(response.status(), 200, await response.text());
  return { api, csrf: (await response.json()).session.csrfToken, close: () => api.dispose() };
}

/** The code the development sender printed for the phone after `since` characters of server output. */
export async function codeFromLog(server: RunningServer, phone: string, since: number): Promise<string> {
  const pattern = new RegExp(`sign-in code for ${phone}: (\\d{6})`, 'g');
  for (let i = 0; i < 100; i++) {
    const found = [...server.output().slice(since).matchAll(pattern)].at(-1);
    if (found?.[1]) return found[1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sign-in code for ${phone} in the server log`);
}

/** A resident signed in by one-time code (the server must log at info level). */
export async function residentApi(browser: Browser, server: RunningServer, phone: string): Promise<ApiSession> {
  const context = await browser.newContext();
  const api = context.request;
  const since = server.output().length;
  const sent = await api.post(`${server.baseUrl}/api/auth/otp`, { data: { phone } });
  assert.equal(sent.status(), 200, await sent.text());
  const verified = await api.post(`${server.baseUrl}/api/auth/otp/verify`, {
    data: { phone, code: await codeFromLog(server, phone, since) },
  });
  assert.equal(verified.status(), 200, await verified.text());
  return { api, csrf: (await verified.json()).session.csrfToken, close: () => context.close() };
}

/**
 * Types a place into the intake form's address search and chooses it; waits for the grid it lies in. On a
 * loaded machine the dropdown can redraw under the pointer and swallow the click, so, like a user, it picks
 * again (three tries) before failing.
 */
export async function chooseAddress(page: Page, form: Locator, place: string, grid: string) {
  const located = form.locator(`[data-testid="point-grid"][data-grid-name="${grid}"]`);
  for (let attempt = 1; ; attempt++) {
    await form.getByTestId('intake-address').locator('input').fill(place);
    await page.locator(`[data-testid="address-option"][data-place-name="${place}"]`).click();
    try {
      await located.waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** A point of the screen just below the map's pin and inside the grid's drawn shape (what a user aims at). */
export async function pointInGridNearPin(page: Page, grid: string): Promise<{ x: number; y: number }> {
  const pin = await page.getByTestId('point-pin').boundingBox();
  assert.ok(pin, 'the pin is shown');
  const tip = { x: pin.x + pin.width / 2, y: pin.y + pin.height };
  for (const [dx, dy] of [
    [0, 30],
    [10, 30],
    [-10, 30],
    [0, 50],
    [30, -20],
    [-30, -20],
  ] as const) {
    const x = tip.x + dx;
    const y = tip.y + dy;
    const under = await page.evaluate<string | null>(
      `document.elementFromPoint(${x}, ${y})?.getAttribute('data-grid-name') ?? null`,
    );
    if (under === grid) return { x, y };
  }
  throw new Error(`no point of ${grid} near the pin is free to click`);
}
