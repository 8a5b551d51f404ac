// The CRC-32 worker's speed in headless Chromium, WebAssembly against its JavaScript fallback. The built
// worker (web/dist) is served twice by local mode's web server (local/lib/web.mjs) with the response headers
// of the synthesized templates (cdk.out): once as CloudFront serves it, with the worker behavior's CSP, which
// allows 'wasm-unsafe-eval', and once with the page's CSP, which does not, so the same file falls back to
// crc32Update. Each round posts one Blob of --size-mib bytes to each worker in turn (the worker reads it in
// 1 MiB BYOB pieces, as it reads a part) and times request to answer. The bytes are the same for both (a fixed
// xorshift sequence), and so must their answers be.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listenWeb } from '../../local/lib/web.mjs';
import { LOCAL_ACCOUNT, readWorld } from '../../local/lib/world.mjs';
import { MiB, args, fmt, freshBrowser, load1, machine, median, onCleanup, repoRoot, runBenchmark } from '../lib/bench.mjs';

const opts = args({ 'size-mib': 128, rounds: 7 });

runBenchmark(async () => {
  console.log(`machine      ${machine()}, load average ${fmt(load1())}`);
  const distDir = join(repoRoot, 'web', 'dist');
  const worker = (await readdir(join(distDir, 'assets'))).find((name) => /^crc32-worker-.*\.js$/.test(name));
  if (!worker) throw new Error('web/dist/assets has no crc32-worker-*.js: build the page first (cd web && npm run build)');

  const served = await listenWeb({ distDir });
  onCleanup(served.close);
  const world = readWorld(join(repoRoot, 'cdk.out'), { ...LOCAL_ACCOUNT, region: 'eu-west-1', local: { pageOrigin: served.origin, issuer: served.origin, apiUrl: served.origin, clientId: 'bench' } });
  served.configure({}, world.siteHeaders, []);
  // The same worker file under the page's CSP: the JavaScript fallback, as before issue 14.
  const pageCspOnly = await listenWeb({ distDir });
  onCleanup(pageCspOnly.close);
  pageCspOnly.configure({}, { page: world.siteHeaders.page, byPath: [] }, []);

  // One tab per site, each with its worker started and its Blob made; then the rounds alternate between
  // them, so that a change in the machine's load touches both alike.
  const { context } = await freshBrowser();
  const tabs = {};
  for (const [name, site] of [['js', pageCspOnly], ['wasm', served]]) {
    const page = await context.newPage();
    await page.goto(`${site.origin}/favicon.svg`);
    await page.evaluate(async ({ url, size }) => {
      const words = new Uint32Array(size / 4);
      let x = 2463534242;
      for (let i = 0; i < words.length; i++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        words[i] = x;
      }
      const blob = new Blob([words]);
      const worker = new Worker(url, { type: 'module' });
      let id = 0;
      // Request to answer, as the page's uploader waits for it (the worker reads the Blob in 1 MiB pieces).
      window.checksumRound = () => new Promise((resolve) => {
        const started = performance.now();
        worker.onmessage = (event) => resolve({ ms: performance.now() - started, reply: event.data });
        worker.postMessage({ type: 'checksum', id: ++id, blob });
      });
      await window.checksumRound(); // the first answer waits for the worker to start and, where allowed, to compile crc32.wat
    }, { url: `${site.origin}/assets/${worker}`, size: opts['size-mib'] * MiB });
    tabs[name] = page;
  }
  const results = { wasm: [], js: [] };
  const answers = {};
  for (let round = 0; round < opts.rounds; round++) {
    for (const name of ['wasm', 'js']) {
      const { ms, reply } = await tabs[name].evaluate(() => window.checksumRound());
      if (reply.crc32 !== name) throw new Error(`the worker served for "${name}" answered ${JSON.stringify(reply)}`);
      results[name].push((opts['size-mib'] * MiB) / 1e6 / (ms / 1000));
      answers[name] = reply.value;
    }
  }
  if (answers.wasm !== answers.js) throw new Error(`the two CRC32s of the same bytes differ: wasm ${answers.wasm}, js ${answers.js}`);
  console.log(`blob         ${opts['size-mib']} MiB, ${opts.rounds} rounds each, worker ${worker}`);
  for (const name of ['wasm', 'js']) console.log(`${name.padEnd(12)} ${results[name].map((x) => fmt(x, 0)).join(' ')} MB/s (median ${fmt(median(results[name]), 0)})`);
  console.log(`summary crc32_worker_wasm_mbps=${fmt(median(results.wasm), 0)} crc32_worker_js_mbps=${fmt(median(results.js), 0)} ratio=${fmt(median(results.wasm) / median(results.js))}`);
});
