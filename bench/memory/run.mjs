// Memory: the page's JS heap while it uploads files of different sizes (default 256 MiB and 4 GiB) to
// local mode's moto. Before each upload the page is reloaded and garbage-collected (HeapProfiler), and
// the idle heap is read; during the upload Performance.getMetrics is sampled every --interval-ms and the
// peak JSHeapUsedSize (and JSHeapTotalSize) is kept. JSHeapUsedSize does not count ArrayBuffer backing
// stores (where the CRC32 reads of each part land), so Runtime.getHeapUsage's backingStorageSize is
// sampled alongside and reported as peak_buffers (blank when this Chromium does not report it). Target: peak <= concurrency x part size + 64 MiB, for
// every size alike. The part size is the one the API gave (8 MiB up to 80 GB).
import { rm } from 'node:fs/promises';
import {
  MiB, args, backend, chromiumProcesses, fmt, localMode, machine, mbps, randomFile, runBenchmark, setConcurrency, signedInPage,
  residentBytes, tempDir, uploadThroughPage,
} from '../lib/bench.mjs';

const opts = args({ 'sizes-mib': '256,4096', concurrency: 4, 'interval-ms': 200, backend: 'moto' });

runBenchmark(async () => {
  const sizes = opts['sizes-mib'].split(',').map((s) => Number(s) * MiB);
  console.log(`machine      ${machine()}`);
  const stack = await localMode();
  setConcurrency(stack, opts.concurrency);
  const dir = await tempDir();
  const s3 = await backend(stack, opts.backend, dir);
  console.log(`backend      ${s3.about}`);
  const session = await signedInPage(stack);
  const { page, cdp } = session;
  const partSizes = new Map();
  page.on('response', async (response) => {
    if (response.url() !== `${stack.apiUrl}/uploads` || response.request().method() !== 'POST' || !response.ok()) return;
    const { fileName } = JSON.parse(response.request().postData());
    partSizes.set(fileName, (await response.json()).partSize);
  });
  console.log(`page         concurrency ${opts.concurrency}, heap sampled every ${opts['interval-ms']} ms\n`);

  const rows = [];
  console.log(`${'file_MiB'.padStart(9)} ${'part_MiB'.padStart(8)} ${'conc'.padStart(4)} ${'c*p_MiB'.padStart(8)} ${'idle_MiB'.padStart(8)} ${'peak_used_MiB'.padStart(13)} ${'peak_total_MiB'.padStart(14)} ${'peak_buffers_MiB'.padStart(16)} ${'renderer_rss_idle/peak'.padStart(22)} ${'samples'.padStart(7)} ${'seconds'.padStart(8)} ${'MB/s'.padStart(6)}`);
  for (const size of sizes) {
    const file = await randomFile(dir, `heap-${size / MiB}.bin`, size);
    let peakUsed = 0;
    let peakTotal = 0;
    let samples = 0;
    let peakBacking = null;
    // The renderer process as a whole (main thread, the CRC-32 worker, buffers, everything): an upper bound.
    let renderers = [];
    let peakRss = 0;
    let idleRss = 0;
    let idle = 0;
    let sampling = false;
    let sampler;
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const { seconds, key } = await uploadThroughPage(session, file, {
      beforeUpload: async () => {
        await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
        await cdp.send('HeapProfiler.collectGarbage');
        idle = (await metrics()).JSHeapUsedSize;
        renderers = (await chromiumProcesses()).filter((p) => p.kind === 'renderer');
        idleRss = await residentBytes(renderers);
        sampling = true;
        sampler = (async () => {
          while (sampling) {
            const m = await metrics().catch(() => null);
            if (m) {
              samples++;
              peakUsed = Math.max(peakUsed, m.JSHeapUsedSize);
              peakTotal = Math.max(peakTotal, m.JSHeapTotalSize);
            }
            // ArrayBuffer backing stores (the CRC32 reads) live outside the JS heap; Chromium reports them here.
            const usage = await cdp.send('Runtime.getHeapUsage').catch(() => null);
            if (usage?.backingStorageSize !== undefined) peakBacking = Math.max(peakBacking ?? 0, usage.backingStorageSize);
            peakRss = Math.max(peakRss, await residentBytes(renderers));
            await new Promise((r) => setTimeout(r, opts['interval-ms']));
          }
        })();
      },
    });
    sampling = false;
    await sampler;
    await s3.verifyAndDrop(key, size);
    await rm(file.path); // 4 GiB: do not keep it on disk longer than its upload
    const part = partSizes.get(file.name) / MiB;
    const row = { fileMiB: size / MiB, part, cp: opts.concurrency * part, idle: idle / MiB, used: peakUsed / MiB, total: peakTotal / MiB, backing: peakBacking === null ? null : peakBacking / MiB, rss: peakRss / MiB, idleRss: idleRss / MiB, samples, seconds };
    rows.push(row);
    console.log(`${String(row.fileMiB).padStart(9)} ${String(part).padStart(8)} ${String(opts.concurrency).padStart(4)} ${String(row.cp).padStart(8)} ${fmt(row.idle, 1).padStart(8)} ${fmt(row.used, 1).padStart(13)} ${fmt(row.total, 1).padStart(14)} ${fmt(row.backing, 1).padStart(16)} ${`${fmt(row.idleRss, 0)}/${fmt(row.rss, 0)}`.padStart(22)} ${String(samples).padStart(7)} ${fmt(seconds, 1).padStart(8)} ${fmt(mbps(size, seconds), 1).padStart(6)}`);
  }
  if (session.problems.length) console.log(`page problems: ${session.problems.join('; ')}`);
  const budget = rows[0].cp + 64;
  const peaks = rows.map((r) => `heap_peak_mib_${r.fileMiB}=${fmt(r.used, 1)}${r.backing === null ? '' : ` buffers_peak_mib_${r.fileMiB}=${fmt(r.backing, 1)}`} renderer_rss_peak_mib_${r.fileMiB}=${fmt(r.rss, 0)}`).join(' ');
  const spread = Math.max(...rows.map((r) => r.used)) - Math.min(...rows.map((r) => r.used));
  console.log(`\nbudget: concurrency x part size + 64 MiB = ${budget} MiB; spread of peaks across sizes ${fmt(spread, 1)} MiB`);
  console.log(`${peaks} heap_budget_mib=${budget} heap_spread_mib=${fmt(spread, 1)} concurrency=${opts.concurrency} part_mib=${rows[0].part}`);
});
