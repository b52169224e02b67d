/**
 * Stored XSS (issue 7, item 5): script payloads saved through the API — in a case's title and description, a
 * hotline caller's and a resident's name, a person's name, a notice's title and body, an activity's title and
 * description — are opened in the staff console and the resident H5 of the real server. Each page must show the
 * payload as text, and nothing of it may run: `window.__xss` stays unset, no dialog opens, no element carries
 * an event handler or a javascript: link from the payload, and the CSP reports no blocked attempt (which would
 * mean the markup was injected and only the second line of defence held).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_RESIDENT_PHONE } from '../../src/server/demo/demo-data.ts';
import { type ApiSession, codeFromLog, signedIn, staffApi } from './console-support.ts';
import { PHONE } from './h5-support.ts';
import { assertNoConsoleErrors, launchBrowser, type RunningServer, settled, startServer } from './support.ts';

const PAYLOADS = [
  '<img src=x onerror=window.__xss=1>',
  '<script>window.__xss=2</script>',
  '"><svg onload=window.__xss=3>',
  'javascript:window.__xss=4',
  '<a href="javascript:window.__xss=5">点我</a>',
  "{{constructor.constructor('window.__xss=6')()}}",
  '<iframe srcdoc="<script>parent.__xss=7</script>"></iframe>',
] as const;
const [IMG, SCRIPT, SVG] = PAYLOADS;
const ALL = PAYLOADS.join('\n');

const CASE_TITLE = `XSS热线事项${IMG}`;
const REPORT_TITLE = `XSS居民上报${SVG}`;
const CALLER = `张${IMG}`;
const RESIDENT_NAME = `XSS居民${SCRIPT}`;
const PERSON = `XSS王${IMG}`;
const NOTICE_TITLE = `XSS通知${SCRIPT}`;
const ACTIVITY_TITLE = `XSS活动${IMG}`;

/** Recorded in every page before its own scripts run: CSP violations (the page's own scripts cannot hide them). */
const WATCH = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample || ''));
  });`;

/** Elements that carry a payload as live markup: event handlers, javascript: links, inline scripts, frames. */
const INJECTED = `(() => {
  const found = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      const live = /^on/i.test(a.name) || (['href', 'src', 'srcdoc', 'action', 'formaction'].includes(a.name) && /javascript:|<script/i.test(a.value));
      if (live && a.value.includes('__xss')) found.push(e.tagName + '[' + a.name + ']');
    }
  }
  for (const s of document.scripts) if (s.textContent.includes('__xss')) found.push('inline script');
  for (const f of document.querySelectorAll('iframe[srcdoc]')) found.push('iframe[srcdoc]');
  return found;
})()`;

let server: RunningServer;
let browser: Browser;
/** The demo resident's phone, signed in once (one code a minute per phone). */
let resident: BrowserContext;
const ids: { hotlineCase: number; reportedCase: number; notice: number; activity: number } = {
  hotlineCase: 0,
  reportedCase: 0,
  notice: 0,
  activity: 0,
};

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  assert.ok(response.ok(), `${response.url()} → ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A resident's browser context on a phone, signed in through the API with the logged one-time code. */
async function residentContext(phone: string): Promise<{ context: BrowserContext; csrf: string }> {
  const context = await browser.newContext(PHONE);
  const since = server.output().length;
  await json(await context.request.post(`${server.baseUrl}/api/auth/otp`, { data: { phone } }));
  const verified = await json<{ session: { csrfToken: string } }>(
    await context.request.post(`${server.baseUrl}/api/auth/otp/verify`, {
      data: { phone, code: await codeFromLog(server, phone, since) },
    }),
  );
  return { context, csrf: verified.session.csrfToken };
}

/** A point inside the grid (the mean of its outline's corners, checked with the server). */
async function pointInGrid(api: APIRequestContext, gridName: string) {
  const found = await json<{ items: Array<{ id: number; name: string; boundary: { coordinates: number[][][] } }> }>(
    await api.get(`/api/grids?q=${encodeURIComponent(gridName)}&withBoundary=true`),
  );
  const grid = found.items.find((g) => g.name === gridName);
  assert.ok(grid, `${gridName} is in the demo data`);
  const ring = grid.boundary.coordinates[0]!.slice(0, -1);
  const lng = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
  return { gridId: grid.id, location: { lng, lat } };
}

async function communityId(api: APIRequestContext, name: string): Promise<number> {
  const units = await json<{ items: Array<{ id: number; name: string }> }>(
    await api.get(`/api/units?kind=community&q=${encodeURIComponent(name)}`),
  );
  const unit = units.items.find((u) => u.name === name);
  assert.ok(unit, `${name} is in scope`);
  return unit.id;
}

/** Everything with a payload, saved through the API as the people who would write it. */
async function plantPayloads() {
  const hotline: ApiSession = await staffApi(server, 'hotline');
  const community: ApiSession = await staffApi(server, 'tiyuchang');
  try {
    const { gridId, location } = await pointInGrid(hotline.api, '体育场社区第一网格');
    const categories = await json<{ items: Array<{ code: string; children: Array<{ id: number; code: string }> }> }>(
      await hotline.api.get('/api/case-categories'),
    );
    const garbage = categories.items.flatMap((c) => c.children).find((c) => c.code === 'environment.garbage');
    assert.ok(garbage);
    const intake = await json<{ case: { id: number } }>(
      await hotline.api.post('/api/cases', {
        headers: { 'x-csrf-token': hotline.csrf },
        data: {
          channel: 'hotline',
          title: CASE_TITLE,
          description: ALL,
          address: SVG,
          categoryId: garbage.id,
          location,
          reporter: { name: CALLER, phone: '13800007777' },
        },
      }),
    );
    ids.hotlineCase = intake.case.id;

    const person = await community.api.post('/api/people', {
      headers: { 'x-csrf-token': community.csrf },
      data: { name: PERSON, phone: '13800006666', unitId: gridId, address: IMG },
    });
    assert.equal(person.status(), 201, await person.text());

    const unitId = await communityId(community.api, '体育场社区');
    const notice = await json<{ notice: { id: number } }>(
      await community.api.post('/api/notices', {
        headers: { 'x-csrf-token': community.csrf },
        data: { unitId, title: NOTICE_TITLE, body: ALL },
      }),
    );
    ids.notice = notice.notice.id;
    const startsAt = new Date(Date.now() + 2 * 86_400_000);
    startsAt.setSeconds(0, 0);
    const activity = await json<{ activity: { id: number } }>(
      await community.api.post('/api/activities', {
        headers: { 'x-csrf-token': community.csrf },
        data: {
          kind: 'course',
          unitId,
          title: ACTIVITY_TITLE,
          description: ALL,
          venue: `活动室${SVG}`,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
          capacity: 10,
        },
      }),
    );
    ids.activity = activity.activity.id;
  } finally {
    await hotline.close();
    await community.close();
  }

  // The demo resident renames themselves and reports a problem of their own.
  const { context, csrf } = await residentContext(DEMO_RESIDENT_PHONE);
  resident = context;
  {
    const headers = { 'x-csrf-token': csrf };
    const me = await json<{ home: Array<{ id: number }> }>(await context.request.get(`${server.baseUrl}/api/me`));
    const home = me.home.at(-1);
    assert.ok(home, 'the demo resident has a home');
    await json(
      await context.request.put(`${server.baseUrl}/api/me/profile`, {
        headers,
        data: { name: RESIDENT_NAME, unitId: home.id },
      }),
    );
    const report = await json<{ case: { id: number } }>(
      await context.request.post(`${server.baseUrl}/api/me/cases`, {
        headers,
        data: { title: REPORT_TITLE, description: ALL },
      }),
    );
    ids.reportedCase = report.case.id;
  }
}

/** Listens for dialogs and injected markup on a page; `check` asserts nothing ran and returns what was seen. */
async function guard(context: BrowserContext, page: Page) {
  await context.addInitScript({ content: WATCH });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return async (what: string, visible: readonly string[]) => {
    await settled(page);
    for (const text of visible) {
      await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
    }
    assert.equal(await page.evaluate('typeof window.__xss'), 'undefined', `${what}: a payload ran`);
    assert.deepEqual(await page.evaluate(INJECTED), [], `${what}: payload markup in the page`);
    assert.deepEqual(await page.evaluate('window.__cspViolations'), [], `${what}: the CSP had to block something`);
    assert.deepEqual(dialogs, [], `${what}: a dialog opened`);
  };
}

before(async () => {
  // The development sender logs the sign-in codes at info level.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
  await plantPayloads();
});

after(async () => {
  await resident?.close();
  await browser?.close();
  await server?.stop();
});

describe('stored XSS payloads render as text', { timeout: 300_000 }, () => {
  test('in the staff console: case list, case detail, people, notices, activities', async () => {
    const watched = await signedIn(browser, server, 'tiyuchang');
    const { page, context } = watched;
    const check = await guard(context, page);
    const open = async (path: string) => {
      await page.goto(`${server.baseUrl}/console${path}`);
    };

    await open('/cases');
    await check('case list', [CASE_TITLE, REPORT_TITLE]);
    await open(`/cases/${ids.hotlineCase}`);
    await check('hotline case detail', [CASE_TITLE, IMG, SCRIPT, PAYLOADS[4]]);
    await open(`/cases/${ids.reportedCase}`);
    await check('reported case detail', [REPORT_TITLE, PAYLOADS[6]]);

    await open('/people');
    await page.getByPlaceholder('姓名、手机号后四位、完整手机号或身份证号').fill('XSS王');
    await page.getByPlaceholder('姓名、手机号后四位、完整手机号或身份证号').press('Enter');
    await check('people list', [PERSON]);
    await page.getByText(PERSON).first().click();
    await check('person drawer', [PERSON]);

    await open('/notices');
    await check('notice list', [NOTICE_TITLE]);
    await page.getByText(NOTICE_TITLE).first().click();
    await check('notice opened', [NOTICE_TITLE]);

    await open('/activities');
    await check('activity list', [ACTIVITY_TITLE]);

    assertNoConsoleErrors(watched, 'console with payloads');

    // The control: markup really injected is seen by these checks, and the CSP keeps its handler from running.
    await page.evaluate(`document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(IMG)})`);
    assert.deepEqual(await page.evaluate(INJECTED), ['IMG[onerror]']);
    await page.waitForFunction('window.__cspViolations.length > 0');
    assert.equal(await page.evaluate('typeof window.__xss'), 'undefined', 'the CSP blocked the inline handler');

    await context.close();
  });

  test('in the resident H5: my cases, a case, notices, a notice, activities, an activity, my name', async () => {
    const context = resident;
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const check = await guard(context, page);
    const open = async (path: string) => {
      await page.goto(`${server.baseUrl}/h5${path}`);
    };

    await open('/cases');
    await check('my cases', [REPORT_TITLE]);
    await open(`/cases/${ids.reportedCase}`);
    await check('my case', [REPORT_TITLE, IMG, SCRIPT, PAYLOADS[4]]);
    await open('/notices');
    await check('notices', [NOTICE_TITLE]);
    await open(`/notices/${ids.notice}`);
    await check('a notice', [NOTICE_TITLE, IMG, PAYLOADS[6]]);
    await open('/activities');
    await check('activities', [ACTIVITY_TITLE]);
    await open(`/activities/${ids.activity}`);
    await check('an activity', [ACTIVITY_TITLE, SCRIPT]);
    await open('/me');
    await check('me', [RESIDENT_NAME]);

    assert.deepEqual(errors, [], 'no page errors in the H5');
  });
});
