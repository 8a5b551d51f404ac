// Continue after a reload without choosing the file again (Chromium's File System Access API).
//
// Headless Chromium cannot click its own file picker, so the files are dropped on the page through the
// DevTools protocol (Input.dispatchDragEvent with file paths), as the desktop drops them: the page gets
// real FileSystemFileHandles of the files on disk (DataTransferItem.getAsFileSystemHandle), the kind the
// picker gives too, and keeps them in IndexedDB.
//
// Read permission: in an incognito window Chromium keeps the read access a drop gave across a reload, so
// Continue asks nothing and the test runs in one (an off-the-record context). In a normal profile
// Chromium asks again after a reload or a restart; answering that prompt needs a person (web/README.md).
// Nothing is routed by Playwright: every request meets the bucket's real CORS rule in moto.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { appendFile, open, stat, utimes } from 'node:fs/promises';
import { test } from 'node:test';
import { axeViolations } from '../lib/a11y.mjs';
import { MiB, browser, localMode, ownerView, randomFile, row, signIn, tempDir, waitForState, watchKeys, watchParts } from '../lib/harness.mjs';

const PARTS = 6; // 48 MiB in 8 MiB parts

/** Drops files from disk on the page's drop zone, as the desktop would. */
async function dropFiles(page, paths) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const box = await page.locator('#drop-zone').boundingBox();
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = { items: [], files: paths, dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  } finally {
    await cdp.detach();
  }
}

test('continue after a reload without choosing the file again', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, context, problems } = await browser(t, { incognito: true });
  const keys = watchKeys(page, stack);
  const owner = ownerView(stack);
  const acceptDialogs = (dialog) => dialog.accept();
  page.on('dialog', acceptDialogs);
  await signIn(page, stack);
  const cdp = await context.newCDPSession(page);
  const throttle = (bytesPerSecond) =>
    cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  const starts = () => stack.handlerLines().filter((line) => line.route === 'POST /uploads').length;

  /** Drops `file` with the upload slowed down, and resolves once S3 has accepted one of its parts. */
  const dropUntilAPartIsStored = async (file) => {
    await throttle(8 * MiB);
    const firstPart = page.waitForResponse(
      (r) => r.ok() && r.request().method() === 'PUT' && new URL(r.url()).searchParams.has('partNumber') && r.url().includes(file.name),
    );
    await dropFiles(page, [file.path]);
    await firstPart;
  };

  /** Drops `file`, reloads once S3 has accepted a part, and resolves to the parts S3 holds then. */
  const dropThenReload = async (file) => {
    await dropUntilAPartIsStored(file);
    await page.reload();
    await throttle(-1);
    await page.getByRole('button', { name: `Continue the upload of ${file.name}` }).waitFor();
    // What S3 holds decides, not what the browser saw: a reload can cut off the answer to a stored part.
    const held = await owner.parts(keys.get(file.name));
    assert.ok(held.length >= 1 && held.length < PARTS, `reloaded after ${held.length} of ${PARTS} parts`);
    return new Set(held);
  };

  await t.test('Continue sends only the parts S3 does not hold, and the object matches the file', async () => {
    const file = await randomFile(dir, 'kept.bin', PARTS * 8 * MiB);
    const sent = watchParts(page, file.name);
    const held = await dropThenReload(file);
    const sentBefore = sent.length;
    const startsBefore = starts();
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds no WCAG 2.1 AA violation with Continue offered');

    await page.getByRole('button', { name: `Continue the upload of ${file.name}` }).click();
    await waitForState(page, file.name, 'done');
    const sentAfter = sent.slice(sentBefore).sort((a, b) => a - b);
    const missing = Array.from({ length: PARTS }, (_, i) => i + 1).filter((n) => !held.has(n));
    assert.deepEqual(sentAfter, missing, `after the reload exactly the parts S3 lacked were sent (held: ${[...held]})`);
    assert.equal(starts(), startsBefore, 'no new key was asked for');
    const stored = await owner.object(keys.get(file.name));
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
    assert.equal(await page.locator('#saved').isHidden(), true, 'nothing is left to continue');
  });

  await t.test('a file whose size and last-modified time changed is refused, naming the change', async () => {
    const file = await randomFile(dir, 'grown.bin', PARTS * 8 * MiB);
    const sent = watchParts(page, file.name);
    await dropThenReload(file);
    const sentBefore = sent.length;
    await appendFile(file.path, Buffer.alloc(MiB, 1));

    await page.getByRole('button', { name: `Continue the upload of ${file.name}` }).click();
    const alert = page.locator('#alert');
    await alert.filter({ hasText: 'has changed since its upload started' }).waitFor();
    assert.match(
      await alert.textContent(),
      /^grown\.bin has changed since its upload started \(size: was 50\.3\sMB, now 51\.4\sMB; last modified: was .+, now .+\), so the upload cannot continue from it\. Discard the unfinished upload, then add the file again/,
    );
    assert.equal(await row(page, file.name).count(), 0, 'no upload started');
    assert.equal(sent.length, sentBefore, 'no part was sent');
    await page.getByRole('button', { name: `Discard the unfinished upload of ${file.name}` }).click();
    await page.locator('#saved').waitFor({ state: 'hidden' });
    assert.deepEqual((await owner.openUploads()).filter((u) => u.Key === keys.get(file.name)), [], 'Discard aborted it');
  });

  await t.test('other bytes under the same size and last-modified time are refused by the parts S3 holds', async () => {
    const file = await randomFile(dir, 'edited.bin', PARTS * 8 * MiB);
    // Whole seconds, so that putting the time back later restores exactly what the browser read.
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await utimes(file.path, time, time);
    const sent = watchParts(page, file.name);
    const held = await dropThenReload(file);
    const sentBefore = sent.length;
    // Change one MiB inside the first part S3 holds, then put the times back as they were.
    const part = Math.min(...held);
    const handle = await open(file.path, 'r+');
    await handle.write(randomFillSync(Buffer.alloc(MiB)), 0, MiB, (part - 1) * 8 * MiB);
    await handle.close();
    await utimes(file.path, time, time);
    assert.equal((await stat(file.path)).mtimeMs, time.getTime());

    await page.getByRole('button', { name: `Continue the upload of ${file.name}` }).click();
    await waitForState(page, file.name, 'failed').catch(async (error) => {
      const state = await row(page, file.name).getAttribute('data-state', { timeout: 1000 }).catch(() => 'no row');
      throw new Error(`${error.message}; the row is ${state}, the alert says: ${await page.locator('#alert').textContent()}`);
    });
    const text = await row(page, file.name).locator('.file-reason').textContent();
    assert.match(
      text,
      new RegExp(`^This is not the file this upload started with: its part ${part} \\(bytes \\d+ to \\d+\\) has CRC32 \\S+, but the part S3 holds has \\S+\\. Remove this upload`),
    );
    assert.equal(sent.length, sentBefore, 'no part was sent');
    assert.equal(await page.getByRole('button', { name: `Retry ${file.name}` }).count(), 0, 'Retry is not offered: it cannot help');
    await page.getByRole('button', { name: `Remove ${file.name}` }).click();
    await row(page, file.name).waitFor({ state: 'detached' });
  });

  await t.test('signing out mid-upload says the kept file continues from the list, not that it must be chosen again', async () => {
    const file = await randomFile(dir, 'signout.bin', PARTS * 8 * MiB);
    await dropUntilAPartIsStored(file);
    page.off('dialog', acceptDialogs);
    try {
      const question = new Promise((resolve) => {
        page.once('dialog', (dialog) => {
          resolve(dialog.message());
          void dialog.dismiss(); // stay signed in: the upload goes on
        });
      });
      await page.locator('#sign-out').click();
      assert.equal(
        await question,
        'Uploads in progress will pause. After signing in, continue them from the unfinished uploads: the files need not be chosen again. Sign out?',
      );
    } finally {
      page.on('dialog', acceptDialogs);
    }
    await throttle(-1);
    await waitForState(page, file.name, 'done');
  });

  assert.deepEqual(await owner.openUploads(), [], 'no multipart upload is left open');
  assert.deepEqual(problems, []);
});
