// File names that cannot lie: a right-to-left override in a name is shown, not obeyed, and cannot
// reorder the text around the name; a name the key cannot keep (emoji only) is shown as the name it is
// stored under, and the object keeps the original in its metadata (x-amz-meta-original-name).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { browser, localMode, ownerView, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('names that cannot lie', { timeout: 5 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const owner = ownerView(stack);
  const { page, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  await signIn(page, stack);

  await t.test('a right-to-left override is shown as a code point, isolated from the text around it', async () => {
    // Displayed with the override obeyed, this name reads "report-exe.mp4" backwards as ...4pm.exe.
    const name = 'report-\u202e4pm.exe';
    const path = join(dir, name);
    await writeFile(path, 'not really a program');
    await page.locator('#file-input').setInputFiles([path]);
    await waitForState(page, name.slice(0, 7), 'done');
    const shown = row(page, 'report-').locator('.file-name');
    const text = await shown.innerText();
    assert.equal(text.includes('\u202e'), false, 'the override itself is not in the text shown');
    assert.equal(text, 'report-\u2039U+202E\u203a4pm.exe');
    assert.equal(await shown.evaluate((element) => getComputedStyle(element).unicodeBidi), 'isolate');
    const label = await row(page, 'report-').getByRole('button', { name: /^Remove/ }).getAttribute('aria-label');
    assert.equal(label.includes('\u202e'), false, 'nor in what a screen reader reads');
  });

  await t.test('an emoji-only name: the row says what it is stored as, and the object keeps the original name', async () => {
    const name = '\u{1f3ac}\u{1f3a5}.mp4';
    const path = join(dir, name);
    await writeFile(path, 'clip');
    await page.locator('#file-input').setInputFiles([path]);
    await waitForState(page, name, 'done');
    const key = keys.get(name);
    assert.match(key, /\/_\.mp4$/, 'the key keeps what the safe alphabet can');
    assert.equal(await row(page, name).locator('.file-stored').innerText(), 'Stored as _.mp4');
    const stored = await owner.object(key);
    assert.equal(decodeURIComponent(stored.metadata['original-name']), name);
  });

  assert.deepEqual(problems, []);
});
