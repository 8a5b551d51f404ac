// Credentials that run out mid-upload, by the clock: the page's clock is moved 11 minutes ahead while a
// file uploads, so the 15-minute credentials the handler vends have under 5 minutes left. The page must
// ask POST /uploads/refresh for new ones before they expire, and finish with them. (moto itself never
// expires credentials; faults.test.mjs covers S3 answering ExpiredToken.) Nothing is routed, so the
// bucket's CORS rule answers every preflight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, ownerView, randomFile, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('the page renews credentials that are about to expire and finishes the upload', { timeout: 5 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, context, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  await page.clock.install();
  await signIn(page, stack);

  const file = await randomFile(dir, 'long-running.bin', 48 * MiB);
  const refreshes = [];
  page.on('request', (request) => {
    if (request.url() === `${stack.apiUrl}/uploads/refresh` && request.method() === 'POST') refreshes.push(Date.now());
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });
  const first = page.waitForResponse((r) => r.ok() && r.url().includes(file.name) && new URL(r.url()).searchParams.has('partNumber'));
  await page.locator('#file-input').setInputFiles([file.path]);
  await first;
  assert.equal(refreshes.length, 0, 'no refresh while the credentials are fresh');

  await page.clock.fastForward('11:00');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await waitForState(page, file.name, 'done', 3 * 60_000);
  assert.ok(refreshes.length >= 1, 'the page asked for new credentials before the old ones expired');
  const refreshed = stack.handlerLines().filter((line) => line.route === 'POST /uploads/refresh' && line.outcome === 'issued');
  assert.ok(refreshed.length >= 1, 'the handler issued them');
  assert.equal(refreshed[0].key, keys.get(file.name), 'for the same key');

  const stored = await ownerView(stack).object(keys.get(file.name));
  assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
  assert.deepEqual(problems, []);
});
