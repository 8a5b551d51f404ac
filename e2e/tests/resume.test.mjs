// Pause and resume in the same page; then a reload in the middle of an upload: the page lists the
// unfinished upload, the file is chosen again, and only the parts S3 does not have yet are sent.
// Nothing here is routed by Playwright, so every request meets the bucket's real CORS rule in moto.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, ownerView, randomFile, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

const PARTS = 6; // 48 MiB in 8 MiB parts

test('pause, resume, and a reload mid-upload that re-sends only the missing parts', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, context, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  const owner = ownerView(stack);
  await signIn(page, stack);
  const cdp = await context.newCDPSession(page);
  const throttle = (bytesPerSecond) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });

  // S3's answers to UploadPart, as part numbers per file, and the part numbers the page sends.
  const accepted = new Map();
  const sent = new Map();
  page.on('response', (response) => {
    const url = new URL(response.url());
    const part = url.searchParams.get('partNumber');
    if (part && response.request().method() === 'PUT' && response.ok()) {
      const name = decodeURIComponent(url.pathname).split('/').pop();
      accepted.set(name, [...(accepted.get(name) ?? []), Number(part)]);
    }
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    const part = url.searchParams.get('partNumber');
    if (part && request.method() === 'PUT') {
      const name = decodeURIComponent(url.pathname).split('/').pop();
      sent.set(name, [...(sent.get(name) ?? []), Number(part)]);
    }
  });
  const firstAccepted = (name) => page.waitForResponse((r) => r.ok() && r.request().method() === 'PUT' && new URL(r.url()).searchParams.has('partNumber') && r.url().includes(name));

  await t.test('pause and resume in the same page', async () => {
    const file = await randomFile(dir, 'paused.bin', PARTS * 8 * MiB);
    await throttle(8 * MiB);
    const first = firstAccepted(file.name);
    await page.locator('#file-input').setInputFiles([file.path]);
    await first;
    await page.getByRole('button', { name: `Pause ${file.name}` }).click();
    await waitForState(page, file.name, 'paused');
    const doneBeforePause = new Set(accepted.get(file.name));
    // What the page itself recorded as finished: a paused row's progress counts only those parts (8 MiB each).
    // A part whose answer was on its way when Pause aborted its request is not among them, and is sent again.
    const recorded = Math.round((Number(await row(page, file.name).locator('progress').getAttribute('value')) / 1000) * PARTS);
    const sentBeforeResume = sent.get(file.name).length;
    await throttle(-1);
    await page.getByRole('button', { name: `Resume ${file.name}` }).click();
    await waitForState(page, file.name, 'done');
    const sentAfterResume = sent.get(file.name).slice(sentBeforeResume);
    assert.ok(recorded >= 1 && recorded < PARTS, `paused after ${recorded} of ${PARTS} parts (S3 had answered ${doneBeforePause.size})`);
    assert.equal(new Set(sentAfterResume).size, sentAfterResume.length, `no part is sent twice after the resume (${sentAfterResume})`);
    assert.equal(sentAfterResume.length, PARTS - recorded, `only the ${PARTS - recorded} parts the page had not finished are sent (${sentAfterResume})`);
    assert.deepEqual(new Set([...doneBeforePause, ...sentAfterResume]), new Set(Array.from({ length: PARTS }, (_, i) => i + 1)));
    const stored = await owner.object(keys.get(file.name));
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
  });

  await t.test('a reload mid-upload; choosing the file again sends only the missing parts', async () => {
    const file = await randomFile(dir, 'reloaded.bin', PARTS * 8 * MiB);
    await throttle(8 * MiB);
    const first = firstAccepted(file.name);
    await page.locator('#file-input').setInputFiles([file.path]);
    await first;
    const key = keys.get(file.name);
    await page.reload();
    await throttle(-1);
    await page.locator('#saved').getByText(file.name).waitFor();
    // What S3 holds decides, not what the browser saw: a reload can cut off the answer to a stored part.
    const acceptedBeforeReload = new Set(await owner.parts(key));
    const sentBefore = sent.get(file.name).length;
    const starts = () => stack.handlerLines().filter((line) => line.route === 'POST /uploads').length;
    const startsBefore = starts();

    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'done');
    const sentAfterReload = sent.get(file.name).slice(sentBefore);
    assert.ok(acceptedBeforeReload.size >= 1 && acceptedBeforeReload.size < PARTS, `reloaded after ${acceptedBeforeReload.size} of ${PARTS} parts`);
    assert.deepEqual(sentAfterReload.filter((p) => acceptedBeforeReload.has(p)), [], `parts sent after the reload (${sentAfterReload}) exclude those S3 had (${[...acceptedBeforeReload]})`);
    assert.deepEqual(new Set([...acceptedBeforeReload, ...sentAfterReload]), new Set(Array.from({ length: PARTS }, (_, i) => i + 1)));
    assert.equal(starts(), startsBefore, 'the resumed upload asked for no new key (it refreshed credentials for the saved one)');
    assert.match(await row(page, file.name).textContent(), /Done/);
    const stored = await owner.object(key);
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
  });

  assert.deepEqual(await owner.openUploads(), [], 'no multipart upload is left open');
  assert.deepEqual(problems, []);
});
