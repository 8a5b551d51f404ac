// The page's side of the upload ledger, with the verifier on as in AWS (local mode runs its jar from its queue):
// a page upload ends `completed`: its row says the server verified it, "Recent uploads" (the server's list,
// GET /uploads) shows it verified, also after a reload, the ledger holds the object's size, ETag and checksum, and
// the app's bus carries its `Upload Completed` event, read from a queue of the test's own as a consumer would.
// A cancel tells the ledger (POST /uploads/abort) after the S3 abort, and the list then shows it as aborted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MiB, appEvents, browser, isS3, localMode, ownerAws, ownerView, randomFile, row, signIn, tempDir, waitForState, watchKeys,
} from '../lib/harness.mjs';

/** The entry of the recent list for a file name, in a ledger state. */
const recentEntry = (page, name, state) => page.locator(`#recent-list > li[data-state="${state}"]`).filter({ hasText: name });

test('a page upload is verified by the server and listed as such; a cancel shows as aborted', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t, { verifier: true });
  const aws = ownerAws(stack);
  const owner = ownerView(stack);
  const events = await appEvents(stack, aws, 'e2e-page-upload-events');
  const dir = await tempDir(t);
  const { page, context, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  page.on('dialog', (dialog) => void dialog.accept()); // "Cancel the upload of …?"
  await signIn(page, stack);
  await page.locator('#recent-status', { hasText: 'No uploads yet.' }).waitFor({ timeout: 60_000 });

  await t.test('a page upload ends completed: the row, the list (also after a reload), the ledger and the app\'s event', async () => {
    // More than one part (the API's smallest part is 8 MiB), so the page's multipart path is what is verified.
    const file = await randomFile(dir, 'verified.mp4', 20 * MiB);
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'done');
    // The page asks the ledger for about a minute, then gives its verdict: the verifier's must reach the row by then.
    const verdict = row(page, file.name).locator('.file-ledger[data-verdict]:not([data-verdict="verifying"])');
    await verdict.waitFor({ timeout: 120_000 });
    assert.deepEqual([await verdict.getAttribute('data-verdict'), await verdict.innerText()], ['completed', 'Verified by the server']);
    const entry = recentEntry(page, file.name, 'completed');
    await entry.waitFor({ timeout: 60_000 });
    assert.match(await entry.innerText(), /Verified/);
    assert.match(await entry.innerText(), /21\.0\sMB/); // 20 MiB, the size the verifier found

    const key = keys.get(file.name);
    const [, ownerSegment, uploadId] = key.split('/');
    const stored = await owner.object(key);
    assert.equal(stored.sha256, file.sha256, 'the object is the file, byte for byte');
    const item = await aws.grant(key);
    assert.equal(item.state, 'completed');
    assert.equal(item.actualSize, String(file.size));
    assert.equal(item.etag, stored.etag.replaceAll('"', ''));
    assert.ok(stored.checksumCRC32, 'moto reports the object\'s CRC32 checksum');
    assert.equal(item.checksum, `CRC32:${stored.checksumCRC32}`);
    assert.match(item.checksum, /^CRC32:[A-Za-z0-9+/]+=*-3$/, 'the composite checksum of the 3 parts the page sent');

    const event = await events.waitFor(key);
    assert.equal(event['detail-type'], 'Upload Completed');
    assert.equal(event.source, 'multipart-upload-sts');
    const { owner: eventOwner, key: eventKey, fileName, size, contentType, checksum, uploadId: eventUploadId, state } = event.detail;
    assert.deepEqual({ eventOwner, eventKey, fileName, size, contentType, checksum, eventUploadId, state }, {
      eventOwner: ownerSegment, eventKey: key, fileName: file.name, size: file.size, contentType: stored.contentType,
      checksum: item.checksum, eventUploadId: uploadId, state: 'completed',
    });
    assert.equal(contentType, 'video/mp4', 'the type the page declared for the file');
    assert.equal(event.detail.etag, item.etag);

    await page.reload();
    await recentEntry(page, file.name, 'completed').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#file-list > li').count(), 0, 'the file rows are gone after the reload; the recent list is the server\'s');
  });

  await t.test('a cancelled upload is aborted in the ledger and listed as such', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });
    const file = await randomFile(dir, 'cancelled.bin', 6 * 8 * MiB);
    const firstPart = page.waitForResponse((r) => r.ok() && r.request().method() === 'PUT' && new URL(r.url()).searchParams.has('partNumber') && r.url().includes(file.name));
    await page.locator('#file-input').setInputFiles([file.path]);
    await firstPart;
    const s3Abort = page.waitForResponse((r) => r.request().method() === 'DELETE' && isS3(stack, r.request(), file.name));
    const ledgerAbort = page.waitForResponse((r) => r.url() === `${stack.apiUrl}/uploads/abort` && r.request().method() === 'POST');
    await page.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await waitForState(page, file.name, 'cancelled');
    const answer = await ledgerAbort;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    // AbortMultipartUpload's answer, readable by the page (CORS headers for its origin; see the end of the test).
    const aborted = await s3Abort;
    assert.equal(aborted.status(), 204);
    assert.equal(aborted.headers()['access-control-allow-origin'], stack.pageOrigin);
    assert.equal(answer.status(), 200);
    assert.deepEqual(JSON.parse(answer.request().postData()), { key: keys.get(file.name) });
    assert.deepEqual(await answer.json(), { key: keys.get(file.name), state: 'aborted' });

    const entry = recentEntry(page, file.name, 'aborted');
    await entry.waitFor({ timeout: 60_000 });
    assert.match(await entry.innerText(), /Aborted/);
    assert.match(await entry.innerText(), /cancelled on this page/);
    // The finished upload of the first step is still there, below the newer one.
    const names = await page.locator('#recent-list > li .saved-name').allInnerTexts();
    assert.deepEqual(names.slice(0, 2), [file.name, 'verified.mp4']);
  });

  // No console error, also for the S3 abort's answer: it must carry CORS headers the page can read.
  assert.deepEqual(problems, []);
});
