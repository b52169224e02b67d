/**
 * The resident H5's case pages on a phone, against the real server with the demo data: the home page's one-tap
 * call and the grid worker calling back, reporting a problem with a photo and a point on the map, joining a
 * neighbour's report with "me too", and rating the result — 不满意 reopens it, 满意 after the second round.
 * The staff side is driven through the API as the grid worker (grid.tiyuchang1). Any console error fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { DEMO_RESIDENT_PHONE } from '../../src/server/demo/demo-data.ts';
import { type ApiSession, codeFromLog, residentApi, staffApi } from './console-support.ts';
import { PHONE, png } from './h5-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openPage,
  type RunningServer,
  screenshot,
  startServer,
  type WatchedPage,
} from './support.ts';

const HOME_GRID = '体育场社区第一网格';

let server: RunningServer;
let browser: Browser;
let gridWorker: ApiSession;

before(async () => {
  // The development SMS sender logs sign-in codes at info level.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
  gridWorker = await staffApi(server, 'grid.tiyuchang1');
});

after(async () => {
  await gridWorker?.close();
  await browser?.close();
  await server?.stop();
});

/**
 * The demo resident's session, signed in once with the code from the server log (the server refuses a second
 * code within a minute); each test opens the H5 in a fresh context carrying it.
 */
let residentSession: BrowserContextOptions['storageState'];

async function signInDemoResident(options: BrowserContextOptions = {}): Promise<WatchedPage> {
  if (!residentSession) {
    const context = await browser.newContext();
    const since = server.output().length;
    const sent = await context.request.post(`${server.baseUrl}/api/auth/otp`, { data: { phone: DEMO_RESIDENT_PHONE } });
    assert.equal(sent.status(), 200, await sent.text());
    const code = await codeFromLog(server, DEMO_RESIDENT_PHONE, since);
    const verified = await context.request.post(`${server.baseUrl}/api/auth/otp/verify`, {
      data: { phone: DEMO_RESIDENT_PHONE, code },
    });
    assert.equal(verified.status(), 200, await verified.text());
    residentSession = await context.storageState();
    await context.close();
  }
  const watched = await openPage(browser, { ...PHONE, storageState: residentSession, ...options });
  await watched.page.goto(`${server.baseUrl}/h5/`);
  await watched.page.getByRole('heading', { name: '我的网格' }).waitFor();
  return watched;
}

async function staffGet<T>(session: ApiSession, url: string): Promise<T> {
  const response = await session.api.get(url);
  assert.equal(response.status(), 200, await response.text());
  return (await response.json()) as T;
}

async function staffPost<T>(session: ApiSession, url: string, data: unknown): Promise<T> {
  const response = await session.api.post(url, { data, headers: { 'x-csrf-token': session.csrf } });
  assert.equal(response.status(), 200, `${url}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface StaffCase {
  id: number;
  state: string;
  version: number;
  allowedActions: string[];
}

/** The grid worker resolves the case on the spot (classifying it first when nobody has), with a photo. */
async function resolveAsGridWorker(caseId: number, result: string, categoryId: number | null) {
  let { case: current } = await staffGet<{ case: StaffCase }>(gridWorker, `/api/cases/${caseId}`);
  if (current.state === 'received') {
    assert.ok(categoryId, 'a category to classify with');
    ({ case: current } = await staffPost<{ case: StaffCase }>(gridWorker, `/api/cases/${caseId}/transitions`, {
      action: 'classify',
      version: current.version,
      categoryId,
    }));
  }
  const upload = await gridWorker.api.post('/api/attachments', {
    multipart: {
      kind: 'image',
      file: { name: 'result.png', mimeType: 'image/png', buffer: png(24, 16, [40, 160, 60]) },
    },
    headers: { 'x-csrf-token': gridWorker.csrf },
  });
  assert.equal(upload.status(), 200, await upload.text());
  const photo = ((await upload.json()) as { attachment: { id: string } }).attachment.id;
  const action = current.allowedActions.includes('selfResolve') ? 'selfResolve' : 'resolve';
  assert.ok(current.allowedActions.includes(action), `the grid worker may resolve it (${current.allowedActions})`);
  await staffPost(gridWorker, `/api/cases/${caseId}/transitions`, {
    action,
    version: current.version,
    result,
    attachmentIds: [photo],
  });
}

/** The case the page shows (…/cases/:id). */
function caseIdOf(page: Page): number {
  const id = Number(/\/h5\/cases\/(\d+)$/.exec(page.url())?.[1]);
  assert.ok(id > 0, `on a case page: ${page.url()}`);
  return id;
}

let reportedCaseId = 0;
let reportedCategoryId: number | null = null;
let homePoint: { lng: number; lat: number } | null = null;

describe('resident H5: call, report, me too, rate', { timeout: 300_000 }, () => {
  test('home: one tap calls the grid worker, who calls back; the page says when', async () => {
    const watched = await signInDemoResident();
    const { page } = watched;
    const call = page.getByRole('link', { name: '一键呼叫：请网格员给我回电话' });
    const box = await call.boundingBox();
    assert.ok(box && box.width >= 120 && box.height >= 120, `the call button is big (${box?.width}×${box?.height})`);
    assert.equal(await page.locator('.h5-grid-name').textContent(), HOME_GRID);
    await page.locator('.h5-home-worker a[href^="tel:"]').first().waitFor();
    await page.getByRole('button', { name: /随手拍/ }).waitFor();
    await screenshot(page, 'h5-cases-home');

    // The grid card: who looks after my grid, each with a button that dials them.
    await page.getByRole('link', { name: /网格名片/ }).tap();
    await page.getByRole('heading', { name: HOME_GRID }).waitFor();
    await page.locator('.h5-person[data-post="gridWorker"] a[href^="tel:"]').first().waitFor();
    await screenshot(page, 'h5-cases-grid-card');
    await page.goBack();

    await call.tap();
    await page.getByText('网格员在规定时间内给您回电话').waitFor();
    await page.getByRole('textbox', { name: '想说什么（可不填）' }).fill('楼道灯坏了，想请人来看看');
    await page.getByRole('button', { name: '确认呼叫' }).tap();
    await page.getByRole('heading', { name: '已通知网格员，请保持电话畅通' }).waitFor();
    const due = (await page.locator('.h5-call-due').textContent()) ?? '';
    assert.match(due, /^将在 (\d+ 分钟内回电（\d\d:\d\d 前）|.+ 前回电)$/, `when the call back is due: ${due}`);
    const callers = page.locator('.h5-person');
    assert.ok((await callers.count()) >= 1, 'who will call back is shown');
    await callers.first().locator('a[href^="tel:"]').waitFor();
    await screenshot(page, 'h5-cases-call-waiting');

    // Tapping the call again while one waits shows the waiting one, not a second request.
    await page.goto(`${server.baseUrl}/h5/`);
    await call.tap();
    await page.getByRole('heading', { name: '已通知网格员，请保持电话畅通' }).waitFor();
    const mine = (await (await page.request.get(`${server.baseUrl}/api/me/call-requests`)).json()) as {
      items: Array<{ id: number; status: string }>;
    };
    assert.equal(mine.items.filter((r) => r.status === 'waiting').length, 1, 'one request waits');

    // The grid worker calls back and records the case; the open page follows without a reload.
    const waiting = await staffGet<{ items: Array<{ id: number; note: string | null; version: number }> }>(
      gridWorker,
      '/api/call-requests?status=waiting',
    );
    const request = waiting.items.find((r) => r.id === mine.items[0]!.id);
    assert.ok(request, 'the grid worker sees the request');
    const converted = await staffPost<{ case: { id: number; number: string } }>(
      gridWorker,
      `/api/call-requests/${request.id}/convert`,
      { version: request.version, title: '楼道灯不亮', description: '居民来电：3号楼楼道灯坏了，需要维修' },
    );
    await page.getByRole('heading', { name: '已回电' }).waitFor({ timeout: 45_000 });
    await page.getByText(/已给您回电$/).waitFor();
    await screenshot(page, 'h5-cases-called-back');
    await page.getByRole('link', { name: `查看事项 ${converted.case.number} ›` }).tap();
    await page.waitForURL(`**/h5/cases/${converted.case.id}`);
    await page.getByRole('heading', { name: '楼道灯不亮' }).waitFor();

    // Large type on a small phone: the big buttons wrap, nothing scrolls sideways.
    await page.setViewportSize({ width: 375, height: 667 });
    await page.evaluate(`localStorage.setItem('linli.h5.largeType', '1')`);
    for (const [path, ready] of [
      ['/h5/', 'a[href^="tel:"]'],
      ['/h5/grid', 'a[href^="tel:"]'],
      ['/h5/report', '.h5-report button[type="submit"]'],
    ] as const) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.locator(ready).first().waitFor();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(overflow <= 0, `${path}: no sideways scrolling with large type (overflow ${overflow} px)`);
    }
    await screenshot(page, 'h5-cases-report-large-type');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('a report with a photo and a point on the map: category suggested, sent once, the case page follows', async () => {
    const watched = await signInDemoResident();
    const { page } = watched;
    await page.getByRole('button', { name: /随手拍/ }).tap();
    await page.waitForURL('**/h5/report');

    await page.getByRole('textbox', { name: '遇到了什么问题' }).fill('小区东门口的路灯不亮了，晚上走路很黑');
    const lamp = page.locator('.h5-chip', { hasText: '路灯' }).first();
    await lamp.waitFor();
    await lamp.tap();
    // The suggested category is chosen (waited for: the chips re-render after the tap).
    await page.locator('.h5-chip[aria-pressed="true"]', { hasText: '路灯' }).first().waitFor();
    reportedCategoryId = Number(await lamp.getAttribute('data-category-id'));

    // A file that only pretends to be a photo is refused with the reason; a real one uploads.
    const input = page.locator('.adm-image-uploader input[type=file]');
    await input.setInputFiles({
      name: 'fake.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('%PDF-1.4 not a photo'),
    });
    await page.getByRole('alert').filter({ hasText: '只能上传照片' }).waitFor();
    await page.locator('.h5-photo-refused .adm-image-uploader-cell-delete').tap();
    await page.locator('.h5-photo-refused').waitFor({ state: 'detached' });
    await input.setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: png(32, 24, [200, 180, 40]) });
    await page.locator('.adm-image-uploader-cell img[src*="size=thumb"]').waitFor();

    await page.getByRole('button', { name: '在地图上选点' }).tap();
    const map = page.locator('[data-testid="report-map"][data-ready="true"]');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    const mapBox = await map.boundingBox();
    assert.ok(mapBox);
    // The map opens on my home grid; a tap in its middle pins the point there.
    await page.touchscreen.tap(mapBox.x + mapBox.width / 2, mapBox.y + mapBox.height / 2);
    await page.locator(`[data-testid="report-grid"][data-grid-name="${HOME_GRID}"]`).waitFor();
    await page.getByTestId('report-pin').waitFor();
    await page.getByRole('textbox', { name: '详细地址（可不填）' }).fill('体育场家属院东门');
    await screenshot(page, 'h5-cases-report-filled');

    const submit = page.getByRole('button', { name: '提交' });
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/me/cases'));
    await submit.tap();
    const body = (await sent).postDataJSON() as { location?: { lng: number; lat: number }; attachmentIds: string[] };
    assert.equal(body.attachmentIds.length, 1, 'the photo goes with the report');
    assert.ok(body.location, 'the point goes with the report');
    homePoint = body.location;

    await page.waitForURL(/\/h5\/cases\/\d+$/);
    reportedCaseId = caseIdOf(page);
    await page.getByRole('heading', { name: /路灯不亮/ }).waitFor();
    await page.locator('[data-step-kind="received"]').waitFor();
    await page.locator('.h5-photos img[src*="size=thumb"]').first().waitFor();
    await page.getByText(`${HOME_GRID} · 体育场家属院东门`).waitFor();
    await screenshot(page, 'h5-cases-reported');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('a second report at the same spot shows the neighbour’s similar case; 我也遇到 joins it', async () => {
    assert.ok(homePoint, 'the first report gave the spot');
    // A neighbour reported the same lamp a moment ago.
    const neighbour = await residentApi(browser, server, '19900000031');
    const reported = await neighbour.api.post(`${server.baseUrl}/api/me/cases`, {
      data: { description: '东门口路灯坏了好几天了，一直不亮', location: homePoint, categoryId: reportedCategoryId },
      headers: { 'x-csrf-token': neighbour.csrf },
    });
    assert.equal(reported.status(), 201, await reported.text());
    const neighbourCase = ((await reported.json()) as { case: { id: number; number: string } }).case;
    await neighbour.close();

    const watched = await signInDemoResident({
      geolocation: { longitude: homePoint.lng, latitude: homePoint.lat },
      permissions: ['geolocation'],
    });
    const { page } = watched;
    await page.goto(`${server.baseUrl}/h5/report`);
    await page.getByRole('textbox', { name: '遇到了什么问题' }).fill('东门的路灯还是不亮');
    await page.getByRole('button', { name: '使用当前位置' }).tap();
    await page.locator(`[data-testid="report-grid"][data-grid-name="${HOME_GRID}"]`).waitFor();
    const similar = page.locator(`.h5-similar-item[data-case-number="${neighbourCase.number}"]`);
    await similar.waitFor();
    await screenshot(page, 'h5-cases-similar');

    await similar.getByRole('button', { name: '我也遇到' }).tap();
    await page.waitForURL(`**/h5/cases/${neighbourCase.id}`);
    await page.getByText('您点了“我也遇到”').waitFor();
    await page.goto(`${server.baseUrl}/h5/cases`);
    const row = page.locator(`.h5-case-row[data-case-number="${neighbourCase.number}"]`);
    await row.getByText('我也遇到').waitFor();
    await screenshot(page, 'h5-cases-my-cases');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });

  test('rating: 不满意 explains the reopening and sends it back; after the second round, 满意 closes it', async () => {
    assert.ok(reportedCaseId > 0, 'the report test made a case');
    await resolveAsGridWorker(reportedCaseId, '已更换灯泡，路灯恢复照明', reportedCategoryId);

    const watched = await signInDemoResident();
    const { page } = watched;
    await page.getByText('我的事项', { exact: true }).tap();
    const row = page.locator('.h5-case-row').filter({ hasText: '路灯不亮' }).first();
    await row.getByText('去评价').waitFor();
    await row.tap();
    await page.waitForURL(`**/h5/cases/${reportedCaseId}`);
    await page.getByRole('heading', { name: '请评价办理结果' }).waitFor();
    await page.locator('[data-step-kind="resolved"]').waitFor();
    await page.getByText('已更换灯泡，路灯恢复照明').first().waitFor();
    await page.locator('.h5-step-body .h5-photos img[src*="size=thumb"]').first().waitFor();

    await page.getByRole('button', { name: '不满意' }).tap();
    await page.getByRole('note').filter({ hasText: '重新交给工作人员再办一次' }).waitFor();
    await page.getByRole('button', { name: '提交评价' }).tap();
    await page.getByRole('alert').filter({ hasText: '请写下哪里不满意' }).waitFor();
    await page.getByRole('textbox', { name: '说说哪里不满意' }).fill('只亮了一晚又坏了');
    await screenshot(page, 'h5-cases-rate-dissatisfied');
    await page.getByRole('button', { name: '提交评价' }).tap();
    await page.locator('[data-step-kind="reopened"]').waitFor();
    assert.equal(await page.getByRole('heading', { name: '请评价办理结果' }).count(), 0, 'no second rating for now');
    await page.locator('.h5-case-head [data-stage="handling"]').waitFor();
    await screenshot(page, 'h5-cases-reopened');

    await resolveAsGridWorker(reportedCaseId, '更换了整个灯头，连续三晚正常', null);
    await page.reload();
    await page.getByRole('heading', { name: '请评价办理结果' }).waitFor();
    await page.getByRole('button', { name: '满意', exact: true }).tap();
    await page.getByRole('button', { name: '提交评价' }).tap();
    await page.getByRole('heading', { name: '我的评价' }).waitFor();
    assert.equal(await page.locator('.h5-rating-value').textContent(), '满意 · 已解决');
    await page.locator('.h5-case-head [data-stage="closed"]').waitFor();
    await screenshot(page, 'h5-cases-rated');
    assertNoConsoleErrors(watched);
    await watched.context.close();
  });
});
