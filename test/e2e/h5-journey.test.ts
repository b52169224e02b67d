/**
 * A resident's whole journey in the H5 on a phone, against the real server with the demo data, in one go:
 * a new phone signs in with the one-time code and registers a home (which places it in 体育场社区第一网格);
 * taps 一键呼叫 and is told who calls back and by when, then that the grid worker has; reports a blocked drain
 * with a photo and a point on the map; follows the case live while the staff act on it through the API — the
 * grid worker escalates it, the community whistles 城市管理局, which checks in and resolves it with a photo —;
 * rates it 满意; and enrols in a community-university course that then fills up. Screenshots are saved as
 * test-results/h5-journey-*.png; any browser console error fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type ApiSession, codeFromLog, residentApi, staffApi } from './console-support.ts';
import { PHONE, png } from './h5-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openPage,
  type RunningServer,
  screenshot,
  startServer,
} from './support.ts';

const RESIDENT_PHONE = '19900000061';
const NEIGHBOUR_PHONE = '19900000062';
const HOME_GRID = '体育场社区第一网格';
const COURSE = '社区大学·老年人智能手机课（旅程测试）';

let server: RunningServer;
let browser: Browser;
const sessions: ApiSession[] = [];

before(async () => {
  // The development SMS sender logs sign-in codes at info level.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
});

after(async () => {
  for (const s of sessions) await s.close();
  await browser?.close();
  await server?.stop();
});

async function staff(username: string): Promise<ApiSession> {
  const session = await staffApi(server, username);
  sessions.push(session);
  return session;
}

async function call<T>(session: ApiSession, method: 'get' | 'post', url: string, data?: unknown): Promise<T> {
  const response =
    method === 'get'
      ? await session.api.get(url)
      : await session.api.post(url, { data, headers: { 'x-csrf-token': session.csrf } });
  assert.ok(response.status() >= 200 && response.status() < 300, `${method} ${url}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface StaffCase {
  id: number;
  state: string;
  version: number;
  allowedActions: string[];
}

/** One transition as a staff member, on the version they just read. */
async function act(session: ApiSession, caseId: number, body: Record<string, unknown>): Promise<StaffCase> {
  const { case: current } = await call<{ case: StaffCase }>(session, 'get', `/api/cases/${caseId}`);
  assert.ok(current.allowedActions.includes(String(body.action)), `${body.action} allowed (${current.allowedActions})`);
  return (
    await call<{ case: StaffCase }>(session, 'post', `/api/cases/${caseId}/transitions`, {
      ...body,
      version: current.version,
    })
  ).case;
}

/** Taps a place in the open picker sheet. */
const pick = (page: Page, name: string) => page.locator('.h5-sheet').getByText(name, { exact: true }).tap();

/** The timeline step of a kind on the open case page. */
const step = (page: Page, kind: string) => page.locator(`[data-step-kind="${kind}"]`).last();

describe('resident H5: the whole journey on a phone', { timeout: 420_000 }, () => {
  test('sign in, call, report with a photo, follow the staff’s work live, rate, enrol in a course that fills up', async () => {
    const watched = await openPage(browser, PHONE);
    const { page } = watched;

    // 1. Sign in with the code from the SMS (the development sender logs it) and register a home.
    await page.goto(`${server.baseUrl}/h5/`);
    await page.waitForURL('**/h5/signin');
    await page.getByRole('textbox', { name: '手机号' }).fill(RESIDENT_PHONE);
    const since = server.output().length;
    await page.getByRole('button', { name: '获取验证码' }).tap();
    await page.getByRole('textbox', { name: '验证码' }).fill(await codeFromLog(server, RESIDENT_PHONE, since));
    await page.getByRole('button', { name: '登录', exact: true }).tap();
    await page.getByRole('heading', { name: '完善居住信息' }).waitFor();
    await page.getByRole('textbox', { name: '姓名' }).fill('陈秀英');
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
    await page.getByRole('button', { name: '保存' }).tap();
    await page.getByText('已找到您的网格').waitFor();
    assert.equal(await page.locator('.h5-grid-name').textContent(), HOME_GRID);
    await page.getByRole('button', { name: '进入首页' }).tap();
    await page.getByRole('heading', { name: '您好，陈秀英' }).waitFor();
    await screenshot(page, 'h5-journey-1-home');

    // 2. One tap: who calls back and by when; then the grid worker calls and the page says so by itself.
    const gridWorker = await staff('grid.tiyuchang1');
    await page.getByRole('link', { name: '一键呼叫：请网格员给我回电话' }).tap();
    await page.getByRole('button', { name: '确认呼叫' }).tap();
    await page.getByRole('heading', { name: '已通知网格员，请保持电话畅通' }).waitFor();
    assert.match((await page.locator('.h5-call-due').textContent()) ?? '', /^将在 .*回电/);
    await page.locator('.h5-person a[href^="tel:"]').first().waitFor();
    await screenshot(page, 'h5-journey-2-call-waiting');
    const waiting = await call<{ items: Array<{ id: number; version: number }> }>(
      gridWorker,
      'get',
      '/api/call-requests?status=waiting',
    );
    assert.equal(waiting.items.length, 1, 'the grid worker sees the one call');
    const request = waiting.items[0]!;
    await call(gridWorker, 'post', `/api/call-requests/${request.id}/close`, {
      version: request.version,
      reason: '已电话联系，居民说明了下水道的情况，请其拍照反映',
    });
    await page.getByRole('heading', { name: '已回电' }).waitFor({ timeout: 45_000 });
    await page.getByText('处理说明：已电话联系，居民说明了下水道的情况，请其拍照反映').waitFor();
    await screenshot(page, 'h5-journey-3-called-back');

    // 3. Report with a photo and a point on the map; a category is suggested from the words.
    await page.goto(`${server.baseUrl}/h5/`);
    await page.getByRole('button', { name: /随手拍/ }).tap();
    await page.waitForURL('**/h5/report');
    await page.getByRole('textbox', { name: '遇到了什么问题' }).fill('1号楼门口的下水道堵了，污水漫到路上，很难走');
    const suggested = page.locator('.h5-chip[data-category-id]').first();
    await suggested.waitFor();
    await suggested.tap();
    await page
      .locator('.adm-image-uploader input[type=file]')
      .setInputFiles({ name: 'drain.png', mimeType: 'image/png', buffer: png(40, 30, [90, 80, 60]) });
    await page.locator('.adm-image-uploader-cell img[src*="size=thumb"]').waitFor();
    await page.getByRole('button', { name: '在地图上选点' }).tap();
    const map = page.locator('[data-testid="report-map"][data-ready="true"]');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    assert.ok(box);
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator(`[data-testid="report-grid"][data-grid-name="${HOME_GRID}"]`).waitFor();
    await screenshot(page, 'h5-journey-4-report');
    await page.getByRole('button', { name: '提交' }).tap();
    await page.waitForURL(/\/h5\/cases\/\d+$/);
    const caseId = Number(/\/cases\/(\d+)$/.exec(page.url())?.[1]);
    await step(page, 'received').waitFor();
    await page.locator('.h5-photos img[src*="size=thumb"]').first().waitFor();

    // 4. The staff work on it; the open case page follows each step without a reload. The grid worker confirms
    // the category the resident chose (an H5 report waits for that), then passes it up.
    const reported = await call<{ case: { state: string; category: { id: number } | null } }>(
      gridWorker,
      'get',
      `/api/cases/${caseId}`,
    );
    assert.equal(reported.case.state, 'received');
    assert.ok(reported.case.category, 'the suggested category came with the report');
    await act(gridWorker, caseId, { action: 'classify', categoryId: reported.case.category.id });
    await act(gridWorker, caseId, { action: 'escalate', reason: '下水道主管需要市政疏通，报社区协调' });
    await step(page, 'escalated').waitFor({ timeout: 45_000 });
    const community = await staff('tiyuchang');
    const choices = await call<{ departments: Array<{ id: number; name: string }> }>(
      community,
      'get',
      `/api/cases/${caseId}/unit-choices`,
    );
    const cgj = choices.departments.find((d) => d.name === '城市管理局');
    assert.ok(cgj, '城市管理局 can be whistled');
    await act(community, caseId, {
      action: 'whistle',
      leadUnitId: cgj.id,
      assistUnitIds: [],
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    await page.locator('[data-step-kind="whistled"]', { hasText: '城市管理局' }).waitFor({ timeout: 45_000 });
    const department = await staff('cgj.handler');
    await act(department, caseId, { action: 'checkIn' });
    await page.locator('[data-step-kind="checkedIn"]', { hasText: '城市管理局' }).waitFor({ timeout: 45_000 });
    await screenshot(page, 'h5-journey-5-following');
    const upload = await department.api.post('/api/attachments', {
      multipart: {
        kind: 'image',
        file: { name: 'done.png', mimeType: 'image/png', buffer: png(40, 30, [40, 160, 60]) },
      },
      headers: { 'x-csrf-token': department.csrf },
    });
    assert.equal(upload.status(), 200, await upload.text());
    const photo = ((await upload.json()) as { attachment: { id: string } }).attachment.id;
    await act(department, caseId, { action: 'resolve', result: '已疏通下水道并清理路面', attachmentIds: [photo] });
    await step(page, 'resolved').waitFor({ timeout: 45_000 });
    await page.locator('.h5-step-text', { hasText: '已疏通下水道并清理路面' }).waitFor();
    await page.locator('.h5-step-body .h5-photos img[src*="size=thumb"]').first().waitFor();

    // 5. Rate it.
    await page.getByRole('heading', { name: '请评价办理结果' }).waitFor();
    await screenshot(page, 'h5-journey-6-resolved');
    await page.getByRole('button', { name: '满意', exact: true }).tap();
    await page.getByRole('button', { name: '提交评价' }).tap();
    await page.getByRole('heading', { name: '我的评价' }).waitFor();
    await page.locator('.h5-case-head [data-stage="closed"]').waitFor();
    const staffView = await call<{ case: { state: string; rating: string } }>(community, 'get', `/api/cases/${caseId}`);
    assert.deepEqual([staffView.case.state, staffView.case.rating], ['closed', 'satisfied'], 'staff see the rating');
    await screenshot(page, 'h5-journey-7-rated');

    // 6. A course of the community with two places: I take one, a neighbour the other, and it is full.
    const places = await community.api.get('/api/places/search?q=体育场社区');
    const communityId = (
      (await places.json()) as { items: Array<{ id: number; name: string; kind: string }> }
    ).items.find((p) => p.name === '体育场社区' && p.kind === 'community')?.id;
    assert.ok(communityId, '体育场社区 is found');
    const startsAt = new Date(Date.now() + 2 * 86_400_000);
    startsAt.setUTCHours(6, 0, 0, 0);
    const { activity } = await call<{ activity: { id: number } }>(community, 'post', '/api/activities', {
      kind: 'course',
      unitId: communityId,
      title: COURSE,
      venue: '体育场社区党群服务中心二楼教室',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      capacity: 2,
      waitlistCapacity: 3,
    });
    await page.goto(`${server.baseUrl}/h5/activities`);
    const card = page.locator('article.act-card').filter({ hasText: COURSE });
    await card.getByText('余 2 个名额').waitFor();
    await card.getByRole('link', { name: COURSE }).tap();
    await page.getByRole('heading', { name: COURSE, level: 1 }).waitFor();
    await page.getByRole('button', { name: '报名', exact: true }).tap();
    await page.getByRole('heading', { name: '您已报名' }).waitFor();
    await screenshot(page, 'h5-journey-8-enrolled');

    const neighbour = await residentApi(browser, server, NEIGHBOUR_PHONE);
    sessions.push(neighbour);
    const home = await neighbour.api.get(`${server.baseUrl}/api/places?q=体育场家属院`);
    const compound = ((await home.json()) as { items: Array<{ id: number; name: string }> }).items.find(
      (p) => p.name === '体育场家属院',
    );
    assert.ok(compound);
    let unitId = compound.id;
    for (const name of ['1号楼', '1单元']) {
      const children = await neighbour.api.get(`${server.baseUrl}/api/places?parentId=${unitId}`);
      const next = ((await children.json()) as { items: Array<{ id: number; name: string }> }).items.find(
        (p) => p.name === name,
      );
      assert.ok(next, name);
      unitId = next.id;
    }
    const profile = await neighbour.api.put(`${server.baseUrl}/api/me/profile`, {
      data: { name: '刘桂芳', unitId },
      headers: { 'x-csrf-token': neighbour.csrf },
    });
    assert.equal(profile.status(), 200, await profile.text());
    const taken = await neighbour.api.post(`${server.baseUrl}/api/me/activities/${activity.id}/enrolment`, {
      headers: { 'x-csrf-token': neighbour.csrf },
    });
    assert.equal(taken.status(), 201, await taken.text());

    // My page of the course now shows it full, with my place kept; the list tells others it is full.
    await page.reload();
    await page.getByText('共 2 个，已报名 2 人').waitFor();
    await page.getByRole('heading', { name: '您已报名' }).waitFor();
    await screenshot(page, 'h5-journey-9-course-full');
    const seen = await neighbour.api.get(`${server.baseUrl}/api/me/activities/${activity.id}`);
    const course = ((await seen.json()) as { activity: { placesLeft: number; enrolled: number } }).activity;
    assert.deepEqual([course.enrolled, course.placesLeft], [2, 0], 'both places are taken');

    assertNoConsoleErrors(watched);
    await watched.context.close();
  });
});
