// Runs the page's peers (peers.js: Uppy's S3 plugin, the AWS SDK v3's Upload) inside the signed-in page.
// The bundle is evaluated through the DevTools protocol, which the page's CSP does not govern; what the
// peers do then (fetch, XHR to the API and S3) is governed by the page's CSP like the page's own code.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, watchS3Requests } from '../lib/bench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');

/** esbuild's browser bundle of peers.js, from bench/node_modules (run `npm ci` in bench/ first). */
export async function bundlePeers() {
  const source = await bundleForBrowser(join(here, 'peers.js'), { minify: true });
  const version = async (name) => JSON.parse(await readFile(join(benchDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    source,
    about: `@uppy/core ${await version('@uppy/core')} + @uppy/aws-s3 ${await version('@uppy/aws-s3')}; ` +
      `@aws-sdk/lib-storage ${await version('@aws-sdk/lib-storage')} + @aws-sdk/client-s3 ${await version('@aws-sdk/client-s3')} (esbuild bundle)`,
  };
}

/**
 * Uploads `file` with the peer `who` in the signed-in page, timed from choosing the file (a file input
 * the harness adds) until the peer's upload resolves. The page is reloaded first, as before the page's own
 * uploads. `beforeUpload` runs just before the file is chosen, as in uploadThroughPage. Resolves to
 * { seconds, key } and watchS3Requests' figures.
 */
export async function uploadThroughPeer(session, peers, who, file, options, { beforeUpload } = {}) {
  const { page } = session;
  await page.reload();
  await page.locator('#user-name').waitFor({ timeout: 30_000 });
  await page.evaluate(peers.source);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-peer-file';
    input.hidden = true;
    document.body.append(input);
  });
  // Settled, as the page before its own uploads (bench/lib/bench.mjs uploadThroughPage).
  await page.waitForLoadState('networkidle');
  if (beforeUpload) await beforeUpload();
  const started = Date.now();
  const watch = watchS3Requests(page, file.name, started);
  let key;
  try {
    await page.locator('#bench-peer-file').setInputFiles([file.path]);
    ({ key } = await page.evaluate(
      ({ who, options }) => globalThis.benchPeers[who](document.getElementById('bench-peer-file').files[0], options),
      { who, options },
    ));
  } catch (error) {
    watch.stop();
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  return { seconds, key, ...watch.stop() };
}
