// Small things the page must get right: a phone that cannot drop files is not asked to drop them; a
// queued file offers no Pause; a storage server that reports no checksums (moto) is said once for the
// page, not on every finished row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, randomFile, row, signIn, tempDir, waitForState } from '../lib/harness.mjs';

test('page details', { timeout: 6 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);

  await t.test('a touch-only phone is asked to choose files, not to drop them; a desktop may drop', async (t) => {
    const phone = await browser(t, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await signIn(phone.page, stack);
    assert.equal(await phone.page.evaluate(() => matchMedia('(any-pointer: fine)').matches), false, 'the emulated phone has no fine pointer');
    await phone.page.locator('#choose').waitFor();
    const phoneZone = await phone.page.locator('#drop-zone').innerText();
    assert.doesNotMatch(phoneZone, /drop/i);
    assert.match(phoneZone, /Choose files/);

    const desktop = await browser(t);
    await signIn(desktop.page, stack);
    await desktop.page.locator('#choose').waitFor();
    assert.match(await desktop.page.locator('#drop-zone').innerText(), /Drop video files here/);
    assert.deepEqual([...phone.problems, ...desktop.problems], []);
  });

  await t.test('a queued file offers Cancel but no Pause; a missing checksum is said once for the page', async (t) => {
    const { page, context, problems } = await browser(t);
    await signIn(page, stack);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 8 * MiB });
    const first = await randomFile(dir, 'first.bin', 24 * MiB);
    const second = await randomFile(dir, 'second.bin', 2 * MiB);
    const third = await randomFile(dir, 'third.bin', 2 * MiB);
    await page.locator('#file-input').setInputFiles([first.path, second.path, third.path]);
    await waitForState(page, second.name, 'queued');
    const queued = row(page, second.name);
    await queued.getByRole('button', { name: `Cancel ${second.name}` }).waitFor();
    assert.equal(await queued.getByRole('button', { name: /^Pause/ }).count(), 0, 'no Pause on a queued row');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    for (const file of [first, second, third]) await waitForState(page, file.name, 'done', 3 * 60_000);

    await page.locator('#checksum-note').waitFor();
    assert.equal(await page.getByText('does not report checksums').count(), 1, 'said once');
    for (const file of [first, second, third]) assert.doesNotMatch(await row(page, file.name).innerText(), /checksum/i);
    assert.deepEqual(problems, []);
  });
});
