// The page's side of the upload ledger: "Recent uploads" is the server's list (GET /uploads), so it
// survives a reload; a cancel tells the ledger (POST /uploads/abort) after the S3 abort, and the list
// then shows the upload as aborted. Local mode runs no verifier, so a finished upload stays "Not
// finished" in the ledger and its row waits for a verdict; "verified" is covered by the unit tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, randomFile, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

/** The entry of the recent list for a file name, in a ledger state. */
const recentEntry = (page, name, state) => page.locator(`#recent-list > li[data-state="${state}"]`).filter({ hasText: name });

test('recent uploads come from the ledger: kept over a reload, a cancel shows as aborted', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, context, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  page.on('dialog', (dialog) => void dialog.accept()); // "Cancel the upload of …?"
  await signIn(page, stack);
  await page.locator('#recent-status', { hasText: 'No uploads yet.' }).waitFor({ timeout: 60_000 });

  await t.test('a finished upload is listed, also after a reload', async () => {
    const file = await randomFile(dir, 'listed.bin', 3 * MiB);
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'done');
    // No verifier in local mode: the row says it is being verified, and the ledger still has the grant open.
    await row(page, file.name).locator('.file-ledger', { hasText: 'Being verified by the server' }).waitFor();
    const entry = recentEntry(page, file.name, 'granted');
    await entry.waitFor({ timeout: 60_000 });
    assert.match(await entry.innerText(), /Not finished/);
    assert.match(await entry.innerText(), /3\.15\sMB/); // 3 MiB

    await page.reload();
    await recentEntry(page, file.name, 'granted').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#file-list > li').count(), 0, 'the file rows are gone after the reload; the recent list is the server\'s');
  });

  await t.test('a cancelled upload is aborted in the ledger and listed as such', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });
    const file = await randomFile(dir, 'cancelled.bin', 6 * 8 * MiB);
    const firstPart = page.waitForResponse((r) => r.ok() && r.request().method() === 'PUT' && new URL(r.url()).searchParams.has('partNumber') && r.url().includes(file.name));
    await page.locator('#file-input').setInputFiles([file.path]);
    await firstPart;
    const ledgerAbort = page.waitForResponse((r) => r.url() === `${stack.apiUrl}/uploads/abort` && r.request().method() === 'POST');
    await page.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await waitForState(page, file.name, 'cancelled');
    const answer = await ledgerAbort;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.equal(answer.status(), 200);
    assert.deepEqual(JSON.parse(answer.request().postData()), { key: keys.get(file.name) });
    assert.deepEqual(await answer.json(), { key: keys.get(file.name), state: 'aborted' });

    const entry = recentEntry(page, file.name, 'aborted');
    await entry.waitFor({ timeout: 60_000 });
    assert.match(await entry.innerText(), /Aborted/);
    assert.match(await entry.innerText(), /cancelled on this page/);
    // The finished upload of the first step is still there, below the newer one.
    const names = await page.locator('#recent-list > li .saved-name').allInnerTexts();
    assert.deepEqual(names.slice(0, 2), [file.name, 'listed.bin']);
  });

  // moto puts CORS headers on the answers to GET and PUT only (getmoto/moto#6376), not on AbortMultipartUpload's
  // DELETE, so the browser hides that answer from the page; the page then goes on to the ledger all the same.
  // faults.test.mjs covers the S3 abort itself.
  const motoDelete = (problem) => /blocked by CORS policy/.test(problem) && /cancelled\.bin\?uploadId=[^&']+' from/.test(problem);
  assert.deepEqual(problems.filter((problem) => !motoDelete(problem)), []);
});
