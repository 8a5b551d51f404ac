// Screenshots of the built page mid-upload, at desktop width and at 360 px, in Debian's Chromium against local
// mode (the same launcher, sign-in and local mode as the end-to-end tests in e2e/): three files, one done, one
// caught at about 40 %, one waiting in the queue. The upload link is throttled through the DevTools protocol
// and then held still for the pictures. Fails if the page breaks its CSP, logs an error, or is wider than 360 px.
//
// Usage: npm run screenshot (builds the page first; needs what local mode needs: cdk.out, the jars,
// local/node_modules and e2e/node_modules)
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MiB, browser, localMode, randomFile, row, signIn, tempDir, waitForState } from '../../e2e/lib/harness.mjs';

const outDir = fileURLToPath(new URL('../docs/', import.meta.url));
const FILES = [
  { name: 'product-launch-trailer.mp4', size: 24 * MiB },
  { name: 'keynote-2025-4k.mov', size: 160 * MiB },
  { name: 'drone-footage-raw.mp4', size: 200 * MiB },
];

/** Stands in for node:test's context: what the harness starts is stopped in reverse order at the end. */
const cleanups = [];
const ctx = { after: (fn) => cleanups.push(fn) };

async function main() {
  const stack = await localMode(ctx);
  // Two parts at a time: the first file finishes, the second moves, the third waits in the queue.
  stack.config.upload = { ...(stack.config.upload ?? {}), concurrency: 2 };
  const dir = await tempDir(ctx);
  const files = [];
  for (const file of FILES) files.push(await randomFile(dir, file.name, file.size));
  const { context, page, problems } = await browser(ctx);
  await signIn(page, stack);
  const cdp = await context.newCDPSession(page);
  const link = (bytesPerSecond) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: bytesPerSecond });

  await link(16 * MiB);
  await page.locator('#file-input').setInputFiles(files.map((file) => file.path));
  await waitForState(page, files[0].name, 'done');
  await waitForPercent(page, files[1].name, 40);
  await link(1); // about one byte a second: the rows stand still for both pictures

  await page.screenshot({ path: join(outDir, 'screenshot-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(outDir, 'screenshot-360.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) problems.push(`the page is ${overflow}px wider than a 360px screen`);
  await link(-1);
  for (const file of ['screenshot-desktop.png', 'screenshot-360.png']) {
    console.log(`wrote web/docs/${file} (${Math.round((await stat(join(outDir, file))).size / 1024)} KB)`);
  }
  if (problems.length > 0) throw new Error(`Problems:\n- ${problems.join('\n- ')}`);
}

/** Waits until the file's row shows at least `percent` %, for up to two minutes. */
async function waitForPercent(page, name, percent) {
  const label = await row(page, name).locator('.file-percent').elementHandle();
  await page.waitForFunction(([element, least]) => Number.parseInt(element.textContent ?? '0', 10) >= least, [label, percent], { timeout: 120_000 });
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    while (cleanups.length) await cleanups.pop()().catch(() => {});
  });
