// What the page says when S3 cannot be reached: a connection lost mid-upload is called that (never the
// bucket's CORS rule) with the time of the next try, and the upload completes once the connection is
// back; CORS is named as a suspect only when S3 has not answered a single request of the page while
// the browser is online. The cuts are Playwright routes that refuse the connection with the browser online.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, ownerView, randomFile, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('outage messages', { timeout: 8 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const owner = ownerView(stack);

  await t.test('a connection cut mid-upload is named as such, with the next try, and the upload completes intact', async (t) => {
    const { page, context, problems } = await browser(t);
    const keys = watchKeys(page, stack);
    await signIn(page, stack);
    const file = await randomFile(dir, 'cut.bin', 40 * MiB);
    let cut = false;
    await page.route(`${stack.s3Endpoint}/**`, (route) => (cut ? route.abort('connectionrefused') : route.continue()));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });
    const firstPart = page.waitForResponse((r) => r.ok() && r.url().includes(file.name) && new URL(r.url()).searchParams.has('partNumber'));
    await page.locator('#file-input').setInputFiles([file.path]);
    await firstPart;
    cut = true;
    await waitForState(page, file.name, 'retrying', 60_000);
    const reason = row(page, file.name).locator('.file-reason');
    await reason.filter({ hasText: 'Trying again' }).waitFor({ timeout: 30_000 });
    const text = await reason.textContent();
    assert.match(text, /Lost the connection to S3/);
    assert.doesNotMatch(text, /CORS/, 'an outage after S3 answered is not blamed on CORS');
    assert.equal(await page.evaluate(() => navigator.onLine), true, 'the browser stayed online throughout');
    cut = false;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await waitForState(page, file.name, 'done', 4 * 60_000);
    const stored = await owner.object(keys.get(file.name));
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
    assert.deepEqual(problems, []);
  });

  await t.test('S3 out of reach from the first request on, while online: CORS is named as a suspect', async (t) => {
    const { page, problems } = await browser(t);
    await signIn(page, stack);
    await page.route(`${stack.s3Endpoint}/**`, (route) => route.abort('connectionrefused'));
    const file = await randomFile(dir, 'never.bin', 1 * MiB);
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'retrying', 60_000);
    assert.match(await row(page, file.name).locator('.file-reason').textContent(), /no request of this page has reached it yet.*CORS rule/);
    await page.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await waitForState(page, file.name, 'cancelled');
    assert.deepEqual(problems, []);
  });
});
