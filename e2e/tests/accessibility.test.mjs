// Accessibility with a real engine: axe-core's WCAG 2.1 A and AA rules over every state of the page
// (signed out, empty, uploading, paused, failed, done, unfinished uploads from earlier, a 390 px phone),
// and each progress bar's name and value text as Chromium exposes them to assistive technology.
//
// The failure is a Playwright route (an AccessDenied answer to UploadPart); with routes on Playwright
// answers CORS preflights itself, which does not matter here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, progressBars } from '../lib/a11y.mjs';
import { MiB, browser, localMode, randomFile, row, s3CorsHeaders, signIn, tempDir, waitForState } from '../lib/harness.mjs';

test('the page has no WCAG 2.1 AA violations in any state, and its progress bars speak', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, context, problems } = await browser(t);
  page.on('dialog', (dialog) => dialog.accept());
  const cdp = await context.newCDPSession(page);
  const throttle = (bytesPerSecond) =>
    cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  const expectClean = async (state) => assert.deepEqual(await axeViolations(page), [], `axe-core finds no WCAG 2.1 AA violation when ${state}`);
  // What a screen reader gets from a file's progress bar: the file's name, a value within its range, and
  // a description that says the percent and bytes the row shows. While bytes move, the tree and the
  // row are read until they agree (the bar may move between the two reads).
  const expectSpokenBar = async (name) => {
    let seen;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      const bar = (await progressBars(page)).find((b) => b.name === name);
      const percent = await row(page, name).locator('.file-percent').textContent();
      const bytes = await row(page, name).locator('.file-bytes').textContent();
      seen = { bar, percent, bytes };
      if (!bar) continue;
      const barPercent = (100 * (bar.value - bar.valuemin)) / (bar.valuemax - bar.valuemin);
      const valueAgrees = Math.abs(barPercent - Number(percent.replace('%', ''))) < 1.5;
      if (valueAgrees && bar.description.includes(percent) && bar.description.includes(bytes)) return;
    }
    assert.fail(`the progress bar of ${name} is named by it, and its value and description say what the row shows: ${JSON.stringify(seen)}`);
  };

  await t.test('signed out', async () => {
    await page.goto(stack.pageUrl);
    await page.locator('#signed-out').waitFor();
    await expectClean('signed out');
  });

  await t.test('signed in, no uploads yet', async () => {
    await signIn(page, stack);
    await page.locator('#overall', { hasText: 'No uploads yet.' }).waitFor();
    await expectClean('signed in with no uploads');
  });

  const slow = await randomFile(dir, 'slow clip.bin', 48 * MiB);
  await t.test('uploading: the progress bar is named by its file and says its percent', async () => {
    await throttle(2 * MiB);
    await page.locator('#file-input').setInputFiles([slow.path]);
    await waitForState(page, slow.name, 'uploading');
    await row(page, slow.name).locator('.file-percent', { hasNotText: /^0%$/ }).waitFor({ timeout: 60_000 });
    await expectClean('uploading');
    await expectSpokenBar(slow.name);
  });

  await t.test('paused', async () => {
    await page.getByRole('button', { name: `Pause ${slow.name}` }).click();
    await waitForState(page, slow.name, 'paused');
    await expectClean('paused');
    await expectSpokenBar(slow.name);
    await throttle(-1);
  });

  const denied = await randomFile(dir, 'denied.bin', 24 * MiB);
  await t.test('failed', async () => {
    await page.route(`${stack.s3Endpoint}/**`, (route) => {
      const url = new URL(route.request().url());
      if (!url.searchParams.has('partNumber') || !url.pathname.endsWith(denied.name)) return route.continue();
      return route.fulfill({
        status: 403,
        headers: { ...s3CorsHeaders(stack), 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      });
    });
    await page.locator('#file-input').setInputFiles([denied.path]);
    await waitForState(page, denied.name, 'failed');
    await expectClean('an upload failed');
  });

  await t.test('done', async () => {
    const small = await randomFile(dir, 'small.bin', 1 * MiB);
    await page.locator('#file-input').setInputFiles([small.path]);
    await waitForState(page, small.name, 'done');
    await page.getByRole('button', { name: `Resume ${slow.name}` }).click();
    await waitForState(page, slow.name, 'done');
    await expectClean('uploads are done');
    for (const name of [slow.name, denied.name, 'small.bin']) await expectSpokenBar(name);
  });

  await t.test('unfinished uploads from earlier (after a reload)', async () => {
    await page.reload();
    await page.locator('#saved').getByText(denied.name).waitFor();
    await expectClean('unfinished uploads from earlier are listed');
  });

  await t.test('a 390 px phone screen, with rows in several states', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expectClean('390 px wide, with a saved upload');
    await throttle(2 * MiB);
    await page.locator('#file-input').setInputFiles([slow.path, denied.path]);
    await waitForState(page, slow.name, 'uploading');
    await waitForState(page, denied.name, 'failed');
    await expectClean('390 px wide, uploading and failed');
    await throttle(-1);
  });

  assert.deepEqual(problems, []);
});
