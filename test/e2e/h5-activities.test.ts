/**
 * Activities and courses in the resident H5 on a phone, against the real server with the demo data. Staff of
 * 体育场社区 publish a course with two places; the demo resident follows a link to it while signed out, signs
 * in, comes back to it, opens the 活动 tab and enrols; a second resident takes the last place; a third finds
 * it full and joins the waiting list as number 1; the demo resident cancels and the waiting resident gets the
 * place; that resident checks in by opening the venue's QR code URL. Any browser console error fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { DEMO_RESIDENT_PHONE } from '../../src/server/demo/demo-data.ts';
import { type ApiSession, codeFromLog, residentApi, settledScreenshot, staffApi } from './console-support.ts';
import { PHONE } from './h5-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openPage,
  type RunningServer,
  startServer,
  type WatchedPage,
} from './support.ts';

const SECOND_PHONE = '19900000021';
const THIRD_PHONE = '19900000022';
const TITLE = '智能手机使用课堂';

let server: RunningServer;
let browser: Browser;
let staff: ApiSession;

before(async () => {
  // The development SMS sender logs the sign-in codes at info level.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
  staff = await staffApi(server, 'tiyuchang');
});

after(async () => {
  await staff?.close();
  await browser?.close();
  await server?.stop();
});

interface Place {
  id: number;
  name: string;
  kind: string;
}

/** A place's id by walking the public place picker: a search, then children by name. */
async function placeId(api: APIRequestContext, search: string, ...path: string[]): Promise<number> {
  const found = await api.get(`${server.baseUrl}/api/places?q=${encodeURIComponent(search)}`);
  assert.equal(found.status(), 200, await found.text());
  let place = ((await found.json()).items as Place[]).find((p) => p.name === search);
  assert.ok(place, `${search} is a place`);
  for (const name of path) {
    const parentId: number = place.id;
    const children = await api.get(`${server.baseUrl}/api/places?parentId=${parentId}`);
    place = ((await children.json()).items as Place[]).find((p) => p.name === name);
    assert.ok(place, `${name} is a place`);
  }
  return place.id;
}

/** Registers a home in 体育场社区 for a newly signed-in resident (what the welcome page does). */
async function registerHome(api: APIRequestContext, csrf: string, name: string) {
  const unitId = await placeId(api, '体育场家属院', '1号楼', '1单元');
  const saved = await api.put(`${server.baseUrl}/api/me/profile`, {
    data: { name, unitId },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(saved.status(), 200, await saved.text());
}

/** A phone page whose context is signed in as a new resident with a home (by the API, as the welcome page would). */
async function newResidentPage(phone: string, name: string): Promise<WatchedPage> {
  const watched = await openPage(browser, PHONE);
  const api = watched.page.request;
  const since = server.output().length;
  assert.equal((await api.post(`${server.baseUrl}/api/auth/otp`, { data: { phone } })).status(), 200);
  const verified = await api.post(`${server.baseUrl}/api/auth/otp/verify`, {
    data: { phone, code: await codeFromLog(server, phone, since) },
  });
  assert.equal(verified.status(), 200, await verified.text());
  await registerHome(api, (await verified.json()).session.csrfToken, name);
  return watched;
}

/** The card of the course in the open list. */
const card = (page: Page) => page.locator('article.act-card').filter({ hasText: TITLE });

/** Time in the phone's zone (Asia/Shanghai), as the page writes it. */
function clock(date: Date): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

describe('resident H5: activities and courses', { timeout: 300_000 }, () => {
  test('enrol, fill up, wait, move up on a cancellation and check in by the QR code', async () => {
    // A course of 体育场社区 with two places and a waiting list, starting in half an hour (check-in is open).
    const community = await placeId(staff.api, '体育场社区');
    const startsAt = new Date(Date.now() + 30 * 60_000);
    startsAt.setSeconds(0, 0);
    const endsAt = new Date(startsAt.getTime() + 2 * 3_600_000);
    const created = await staff.api.post('/api/activities', {
      headers: { 'x-csrf-token': staff.csrf },
      data: {
        kind: 'course',
        unitId: community,
        title: TITLE,
        description: '手把手教您用手机挂号、缴费、视频通话。\n请带上自己的手机。',
        venue: '体育场社区党群服务中心二楼教室',
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        capacity: 2,
        waitlistCapacity: 5,
        contactPhone: '0371-66001234',
      },
    });
    assert.equal(created.status(), 201, await created.text());
    const activityId: number = (await created.json()).activity.id;
    const timeText = `${clock(startsAt)}–${clock(endsAt)}`;

    // The demo resident follows a link to the course while signed out: sign-in first, then back to the course.
    const first = await openPage(browser, PHONE);
    const a = first.page;
    await a.goto(`${server.baseUrl}/h5/activities/${activityId}`);
    await a.getByRole('heading', { name: '手机号登录' }).waitFor();
    assert.match(a.url(), new RegExp(`/h5/signin\\?next=%2Factivities%2F${activityId}$`));
    await a.getByRole('textbox', { name: '手机号' }).fill(DEMO_RESIDENT_PHONE);
    const since = server.output().length;
    await a.getByRole('button', { name: '获取验证码' }).tap();
    await a.getByRole('textbox', { name: '验证码' }).fill(await codeFromLog(server, DEMO_RESIDENT_PHONE, since));
    await a.getByRole('button', { name: '登录', exact: true }).tap();
    await a.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    assert.match(a.url(), new RegExp(`/h5/activities/${activityId}$`), 'sign-in brings the resident back');

    // Back leads to the 活动 tab (the link was the first page of the visit); the course is under 社区大学.
    await a.getByText('返回', { exact: true }).tap();
    await a.waitForURL(/\/h5\/activities$/);
    await a.getByRole('tab', { name: '社区大学' }).tap();
    await a.waitForURL(/\/h5\/activities\?kind=course$/);
    await a.getByRole('tab', { name: '社区大学', selected: true }).waitFor();
    await card(a).getByText('余 2 个名额').waitFor();
    await card(a).getByText(timeText).waitFor();
    await card(a).getByText('体育场社区党群服务中心二楼教室').waitFor();
    const filterBox = await a.getByRole('tab', { name: '社区大学' }).boundingBox();
    assert.ok(filterBox && filterBox.height >= 44, 'the kind filter is big enough to tap');
    const overflow = await a.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow} px)`);
    await settledScreenshot(a, 'h5-activities-list');

    await card(a).getByRole('link', { name: TITLE }).tap();
    await a.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    const tel = a.getByRole('link', { name: '拨打联系电话 0371-66001234' });
    assert.equal(await tel.getAttribute('href'), 'tel:0371-66001234');
    await a.getByText('共 2 个，已报名 0 人').waitFor();
    await a.getByRole('button', { name: '报名', exact: true }).tap();
    await a.getByRole('heading', { name: '您已报名' }).waitFor();
    await a.locator('.act-head').getByText('已报名', { exact: true }).waitFor();
    await a.getByText('活动开始前 1 小时起可签到').waitFor();
    await a.getByText('共 2 个，已报名 1 人').waitFor();
    await settledScreenshot(a, 'h5-activities-enrolled');

    // A second resident takes the last place.
    const second = await residentApi(browser, server, SECOND_PHONE);
    await registerHome(second.api, second.csrf, '李桂兰');
    const taken = await second.api.post(`${server.baseUrl}/api/me/activities/${activityId}/enrolment`, {
      headers: { 'x-csrf-token': second.csrf },
    });
    assert.equal(taken.status(), 201, await taken.text());
    assert.equal((await taken.json()).enrolment.status, 'enrolled');

    // A third finds the course full, reads how the waiting list works and joins it as number 1.
    const third = await newResidentPage(THIRD_PHONE, '赵建国');
    const c = third.page;
    await c.goto(`${server.baseUrl}/h5/activities`);
    await card(c).getByText('已满，可排队').waitFor();
    await card(c).getByRole('link', { name: TITLE }).tap();
    await c.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await c.getByText('名额已满。排队候补后，如有人取消报名').waitFor();
    assert.equal(await c.getByRole('button', { name: '报名', exact: true }).count(), 0, 'no 报名 when full');
    await c.getByRole('button', { name: '排队候补' }).tap();
    await c.getByRole('heading', { name: '您在候补第 1 位' }).waitFor();
    await c.locator('.act-head').getByText('候补第 1 位').waitFor();
    await settledScreenshot(c, 'h5-activities-waiting');

    // The demo resident cancels (after confirming) and the place goes to the one waiting.
    await a.getByRole('button', { name: '取消报名' }).tap();
    await a.locator('.adm-dialog').getByText('确定取消报名吗？').waitFor();
    await settledScreenshot(a, 'h5-activities-cancel-confirm');
    await a.locator('.adm-dialog').getByRole('button', { name: '确定' }).tap();
    await a.getByText('已满，可排队').first().waitFor();
    await a.getByRole('button', { name: '排队候补' }).waitFor();
    await a.getByText('共 2 个，已报名 2 人').waitFor();

    await c.reload();
    await c.getByRole('heading', { name: '您已报名' }).waitFor();
    await c.locator('.act-head').getByText('已报名', { exact: true }).waitFor();

    // My enrolments (from 我的) list the course as enrolled.
    await c.goto(`${server.baseUrl}/h5/me`);
    await c.getByText('我的报名').tap();
    await c.waitForURL(/\/h5\/me\/enrolments$/);
    await card(c).getByText('已报名', { exact: true }).waitFor();
    await settledScreenshot(c, 'h5-activities-my-enrolments');

    // At the venue: the QR code's URL checks the resident in at once.
    const code = await staff.api.get(`/api/activities/${activityId}/check-in-code`);
    assert.equal(code.status(), 200, await code.text());
    const { url } = (await code.json()) as { url: string };
    const qr = new URL(url);
    assert.equal(qr.pathname, `/h5/activities/${activityId}/check-in`);
    await c.goto(`${server.baseUrl}${qr.pathname}${qr.search}`);
    await c.getByText('签到成功').waitFor();
    await c.getByRole('heading', { name: TITLE }).waitFor();
    await settledScreenshot(c, 'h5-activities-check-in');
    const attendance = await staff.api.get(`/api/activities/${activityId}`);
    assert.equal((await attendance.json()).activity.checkedIn, 1, 'staff see the check-in');

    // A wrong code, and the resident who cancelled, are told plainly why not.
    await c.goto(`${server.baseUrl}${qr.pathname}?code=wrong`);
    await c.getByText('签到没有成功').waitFor();
    await c.getByText('签到码不对，请重新扫描现场的签到二维码').waitFor();
    await a.goto(`${server.baseUrl}${qr.pathname}${qr.search}`);
    await a.getByText('您没有报名这个活动，不能签到').waitFor();
    await settledScreenshot(a, 'h5-activities-check-in-refused');

    // Large type and high contrast: the course page still fits the phone.
    await c.evaluate(() => {
      localStorage.setItem('linli.h5.largeType', '1');
      localStorage.setItem('linli.h5.highContrast', '1');
    });
    await c.goto(`${server.baseUrl}/h5/activities/${activityId}`);
    await c.getByRole('heading', { name: '您已签到' }).waitFor();
    const wide = await c.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(wide <= 0, `no sideways scrolling in large type (overflow ${wide} px)`);
    await settledScreenshot(c, 'h5-activities-large-type');

    await second.close();
    assertNoConsoleErrors(first, 'demo resident');
    assertNoConsoleErrors(third, 'third resident');
    await first.context.close();
    await third.context.close();
  });
});
