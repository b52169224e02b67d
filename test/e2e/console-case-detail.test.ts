/**
 * The case detail page in Chromium against the real server with the demo data: the action buttons are exactly
 * the server's allowed actions; a community worker whistles two departments and the timeline shows it; the lead
 * department checks in from the keyboard and adds a note with a photo; a stale page is refused and says who acted
 * first; the reporter's full phone is shown to a user holding case.reveal and the reveal is in the audit log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pngWithMetadata } from '../../src/server/modules/attachments/attachments.fixtures.ts';
import { settledScreenshot, signedIn as sharedSignedIn } from './console-support.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  type RunningServer,
  settled,
  startServer,
  type WatchedPage,
} from './support.ts';

interface CaseJson {
  id: number;
  number: string;
  state: string;
  version: number;
  allowedActions: string[];
  reporter: { name: string | null; phone: string | null; masked: boolean } | null;
  confidential: boolean;
  lead: { name: string } | null;
  events: Array<{ action: string; data: Record<string, unknown> }>;
}

let server: RunningServer;
let browser: Browser;
const opened: WatchedPage[] = [];

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(username: string): Promise<WatchedPage> {
  const watched = await sharedSignedIn(browser, server, username);
  opened.push(watched);
  return watched;
}

const screenshot = settledScreenshot;

/** The API as the page's signed-in user (the context's cookies). */
async function api<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${server.baseUrl}${path}`);
  assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
  return (await response.json()) as T;
}

const caseOf = async (page: Page, id: number) => (await api<{ case: CaseJson }>(page, `/api/cases/${id}`)).case;

async function openCase(page: Page, id: number) {
  await page.goto(`${server.baseUrl}/console/cases/${id}`);
  await page.getByTestId('case-detail').waitFor();
  await settled(page);
}

/** The action buttons as shown, in order. */
const shownActions = (page: Page) =>
  page
    .getByTestId('case-actions')
    .locator('[data-action]')
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action') ?? ''));

const dialog = (page: Page) => page.getByRole('dialog');

/** Opens an antd Select in the dialog by its test id and picks the option with this exact text. */
async function choose(page: Page, testId: string, option: string) {
  await dialog(page).getByTestId(testId).click();
  await page.keyboard.type(option);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** A timeline entry by its action (the newest of them). */
const timelineEvent = (page: Page, action: string) =>
  page
    .getByTestId('timeline-event')
    .and(page.locator(`[data-action="${action}"]`))
    .last();

/** The case the tests share: at 体育场社区 with whistle allowed to its community worker. */
let caseId = 0;

describe('case detail', () => {
  test('a community worker sees exactly the allowed actions and whistles two departments; the timeline shows it', async () => {
    const watched = await signedIn('tiyuchang');
    const { page } = watched;
    const toHandle = await api<{ items: Array<{ id: number }> }>(page, '/api/cases?worklist=toHandle&pageSize=50');
    for (const item of toHandle.items) {
      const c = await caseOf(page, item.id);
      if (c.allowedActions.includes('whistle')) {
        caseId = c.id;
        break;
      }
    }
    assert.ok(caseId > 0, 'the demo data holds a case the community can whistle');
    const before = await caseOf(page, caseId);

    await openCase(page, caseId);
    assert.deepEqual(await shownActions(page), before.allowedActions, 'the buttons are the server’s allowed actions');
    await page.getByTestId('case-number').getByText(before.number).waitFor();
    await page.getByTestId('case-map').locator('.leaflet-interactive').first().waitFor();
    await screenshot(page, 'case-detail-community');

    await page.getByTestId('action-whistle').click();
    await dialog(page).getByText(`吹哨 · ${before.number}`).waitFor();
    await choose(page, 'field-lead', '城市管理局');
    await choose(page, 'field-assists', '住建局');
    await page.keyboard.press('Escape');
    const deadline = new Date(Date.now() + 7 * 24 * 3600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const typed = `${deadline.getFullYear()}-${pad(deadline.getMonth() + 1)}-${pad(deadline.getDate())} 17:00`;
    await dialog(page).getByTestId('field-deadline').click();
    await page.keyboard.type(typed);
    await page.keyboard.press('Enter');
    await dialog(page).getByLabel('说明（选填）').fill('噪音问题涉及城管执法和小区物业，请两部门联合处置。');
    await screenshot(page, 'case-detail-whistle-form');
    await dialog(page).getByRole('button', { name: '提交' }).click();
    await page.getByText('吹哨成功').waitFor();
    await dialog(page).waitFor({ state: 'hidden' });

    const whistle = timelineEvent(page, 'whistle');
    await whistle.waitFor();
    const words = (await whistle.getByTestId('timeline-data').textContent()) ?? '';
    assert.match(words, /主办：城市管理局/);
    assert.match(words, /协办：住建局/);
    assert.match(words, new RegExp(`办结时限：${typed}`));
    await page.getByTestId('case-tags').getByText('已吹哨').waitFor();
    await page.getByTestId('case-lead').getByText('城市管理局').waitFor();
    const after = await caseOf(page, caseId);
    assert.equal(after.state, 'whistled');
    assert.deepEqual(await shownActions(page), after.allowedActions, 'the buttons follow the new state');
    await screenshot(page, 'case-detail-whistled');
    assertNoConsoleErrors(watched, 'tiyuchang');
  });

  test('the lead department checks in with Ctrl+Enter and adds a note with a photo; a file that is no image is refused', async () => {
    assert.ok(caseId > 0);
    const watched = await signedIn('cgj.handler');
    const { page } = watched;
    await openCase(page, caseId);
    const seen = await caseOf(page, caseId);
    assert.deepEqual(await shownActions(page), seen.allowedActions);
    assert.ok(seen.allowedActions.includes('checkIn'));

    await page.getByTestId('action-checkIn').click();
    const note = dialog(page).getByLabel('说明（选填）');
    await note.waitFor();
    // The first field has the focus: typing goes straight into it.
    await page.waitForFunction(
      (field) => field !== null && field === field.ownerDocument.activeElement,
      await note.elementHandle(),
    );
    await page.keyboard.type('已接单，明日到现场核查。');
    assert.equal(await note.inputValue(), '已接单，明日到现场核查。');
    await page.keyboard.press('Control+Enter');
    await page.getByText('报到成功').waitFor();
    await timelineEvent(page, 'checkIn').getByText('城市管理局 已报到').waitFor();
    await page.getByTestId('case-tags').getByText('部门办理').waitFor();

    await page.getByTestId('action-note').click();
    await dialog(page).getByLabel('说明').fill('现场核查：音响功率过大，已约谈舞队负责人。');
    const fileInput = dialog(page).locator('input[type=file]');
    await fileInput.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await dialog(page).getByTestId('photo-upload-error').getByText('notes.txt：不是图片').waitFor();
    await fileInput.setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: pngWithMetadata() });
    await dialog(page).locator('[data-testid="photo-upload"][data-busy="false"] .ant-upload-list-item-done').waitFor();
    await screenshot(page, 'case-detail-note-photo');
    await dialog(page).getByRole('button', { name: '提交' }).click();
    await page.getByText('记录进展成功').waitFor();
    const noted = timelineEvent(page, 'note');
    await noted.getByText('现场核查：音响功率过大').waitFor();
    await noted.getByTestId('timeline-photos').locator('img').first().waitFor();
    const src = await noted.getByTestId('timeline-photos').locator('img').first().getAttribute('src');
    assert.match(src ?? '', /^\/api\/attachments\/[0-9a-f-]{36}$/);
    const photo = await page.request.get(`${server.baseUrl}${src}`);
    assert.equal(photo.status(), 200);
    assert.equal(photo.headers()['content-type'], 'image/png');
    await screenshot(page, 'case-detail-department');
    assertNoConsoleErrors(watched, 'cgj.handler');
  });

  test('acting on a stale page is refused: the page says someone acted first, what changed, and refreshes', async () => {
    assert.ok(caseId > 0);
    const watched = await signedIn('zjj.handler');
    const first = watched.page;
    const second = await watched.context.newPage();
    second.on('pageerror', (error) => watched.errors.push(`pageerror: ${error.message}`));
    await openCase(first, caseId);
    await openCase(second, caseId);
    const staleVersion = Number(await second.getByTestId('case-detail').getAttribute('data-version'));

    await first.getByTestId('action-assistCheckIn').click();
    await dialog(first).getByLabel('说明（选填）').fill('住建局协助核查小区物业责任。');
    await dialog(first).getByRole('button', { name: '提交' }).click();
    await first.getByText('协办报到成功').waitFor();

    await second.getByTestId('action-note').click();
    await dialog(second).getByLabel('说明').fill('这条记录基于旧页面。');
    await dialog(second).getByRole('button', { name: '提交' }).click();
    const alert = second.getByTestId('conflict-alert');
    await alert.getByText('有人先处理了此事项').waitFor();
    await dialog(second).waitFor({ state: 'hidden' });
    await alert.getByTestId('conflict-state').getByText('状态仍为：部门办理').waitFor();
    await alert
      .getByTestId('conflict-events')
      .getByText(/协办报到/)
      .waitFor();
    await settled(second);
    const now = await caseOf(second, caseId);
    assert.ok(now.version > staleVersion);
    assert.equal(Number(await second.getByTestId('case-detail').getAttribute('data-version')), now.version);
    await timelineEvent(second, 'assistCheckIn').waitFor();
    assert.equal(await second.getByText('这条记录基于旧页面。').count(), 0, 'the refused note was not recorded');
    await screenshot(second, 'case-detail-conflict');
    assertNoConsoleErrors(watched, 'zjj.handler');
  });

  test('a user holding case.reveal sees the full phone after confirming, and the reveal is audited', async () => {
    const watched = await signedIn('xinhua.admin');
    const { page } = watched;
    const list = await api<{ items: Array<{ id: number }> }>(page, '/api/cases?pageSize=50');
    let target: CaseJson | undefined;
    for (const item of list.items) {
      const c = await caseOf(page, item.id);
      if (c.reporter?.masked && c.reporter.phone && !c.confidential) {
        target = c;
        break;
      }
    }
    assert.ok(target, 'a demo case with a masked reporter');
    await openCase(page, target.id);
    const phone = page.getByTestId('reporter-phone');
    assert.equal(await phone.textContent(), target.reporter?.phone, 'masked at first');
    await page.getByTestId('reporter-reveal').click();
    await page.getByText('本次查看将记入审计日志').waitFor();
    await page.getByRole('button', { name: '确认查看' }).click();
    await page.getByTestId('reporter-revealed').waitFor();
    const full = (await phone.textContent()) ?? '';
    const masked = target.reporter?.phone ?? '';
    assert.ok(!full.includes('*'), `the full number: ${full}`);
    assert.ok(
      full.startsWith(masked.slice(0, masked.indexOf('*'))) && full.endsWith(masked.slice(masked.lastIndexOf('*') + 1)),
    );
    await screenshot(page, 'case-detail-revealed');
    assertNoConsoleErrors(watched, 'xinhua.admin');

    const auditor = await signedIn('auditor');
    const entries = await api<{
      items: Array<{ action: string; targetType: string; targetId: string; actorName: string }>;
    }>(auditor.page, '/api/audit?action=case.reporter.reveal');
    assert.ok(
      entries.items.some((e) => e.targetType === 'case' && e.targetId === String(target.id)),
      'the reveal is in the audit log',
    );
  });

  test('a case that does not exist or is out of scope shows the not-found page', async () => {
    const watched = await signedIn('grid.tiyuchang1');
    const { page } = watched;
    await page.goto(`${server.baseUrl}/console/cases/99999999`);
    await page.getByTestId('case-not-found').getByText('事项不存在或不在您的管辖范围内').waitFor();
    // The whistled case lies in another grid of the community: outside this grid worker's scope, so the same page.
    const outside = await page.request.get(`${server.baseUrl}/api/cases/${caseId}`);
    assert.equal(outside.status(), 404);
    await page.goto(`${server.baseUrl}/console/cases/${caseId}`);
    await page.getByTestId('case-not-found').waitFor();
    await screenshot(page, 'case-detail-not-found');
    assertNoConsoleErrors(watched, 'grid.tiyuchang1');
  });
});
