// An empty (0-byte) file goes up as one empty PutObject and is stored; a failure that Retry cannot mend
// (the API refusing the request itself) offers no Retry, only Remove.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { browser, localMode, ownerView, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('empty files', { timeout: 6 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const owner = ownerView(stack);

  await t.test('an empty file is uploaded with one empty PutObject and stored', async (t) => {
    const { page, problems } = await browser(t);
    const keys = watchKeys(page, stack);
    await signIn(page, stack);
    const path = join(dir, 'placeholder.mp4');
    await writeFile(path, '');
    const puts = [];
    page.on('request', (request) => {
      if (request.url().startsWith(stack.s3Endpoint) && request.method() !== 'OPTIONS') puts.push(`${request.method()} ${new URL(request.url()).search}`);
    });
    await page.locator('#file-input').setInputFiles([path]);
    await waitForState(page, 'placeholder.mp4', 'done', 2 * 60_000);
    assert.deepEqual(puts, ['PUT '], 'one PutObject, no multipart upload');
    const stored = await owner.object(keys.get('placeholder.mp4'));
    assert.equal(stored.size, 0);
    assert.match(await row(page, 'placeholder.mp4').locator('.file-percent').textContent(), /100%/);
    assert.deepEqual(problems, []);
  });

  await t.test('a request the API refuses as such offers Remove, not a Retry that would fail the same way', async (t) => {
    const { page, problems } = await browser(t);
    await signIn(page, stack);
    await page.route(`${stack.apiUrl}/uploads`, (route) =>
      route.request().method() !== 'POST'
        ? route.continue()
        : route.fulfill({
            status: 400,
            headers: { 'access-control-allow-origin': stack.pageOrigin, 'content-type': 'application/json' },
            body: JSON.stringify({ error: 'invalid_field', message: 'size must be a whole number of bytes from 0 to 5497558138880, but -1 was given' }),
          }),
    );
    const path = join(dir, 'refused.mp4');
    await writeFile(path, 'x');
    await page.locator('#file-input').setInputFiles([path]);
    await waitForState(page, 'refused.mp4', 'failed');
    const failed = row(page, 'refused.mp4');
    assert.equal(await failed.getByRole('button', { name: /^Retry/ }).count(), 0, 'no Retry');
    await failed.getByRole('button', { name: 'Remove refused.mp4' }).click();
    await failed.waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  });
});
