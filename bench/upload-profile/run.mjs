// Where the page's upload time goes: one upload through the page (as bench/upload-throughput does it)
// with Chromium's CPU profiler on the page's renderer (DevTools protocol, Profiler domain), the CPU seconds
// of every Chromium process and of the S3 server over the upload, and the page's own `performance`
// measures (checksum, signing, sending), which it records when sessionStorage `upload:trace` is "1".
// Function names are readable with an unminified build: (cd web && npx vite build --minify false).
import {
  MiB, args, backend, chromiumProcesses, cpuSeconds, fmt, load1, localMode, machine, mbps, randomFile, runBenchmark, setConcurrency,
  signedInPage, tempDir, uploadThroughPage, alias,
} from '../lib/bench.mjs';

const opts = args({ 'size-mib': 1024, concurrency: 4, backend: 's3proxy', top: 25, 'interval-us': 500 });

async function cpuByKind(processes) {
  const by = {};
  for (const { pid, kind } of processes) by[kind] = (by[kind] ?? 0) + (await cpuSeconds(pid).catch(() => 0));
  return by;
}

runBenchmark(async () => {
  const size = opts['size-mib'] * MiB;
  console.log(`machine      ${machine()}, load average ${fmt(load1())}`);
  const stack = await localMode();
  const dir = await tempDir();
  const s3 = await backend(stack, opts.backend, dir);
  console.log(`backend      ${s3.about}`);
  setConcurrency(stack, opts.concurrency);
  const session = await signedInPage(stack);
  const file = await randomFile(dir, 'source.bin', size);
  const warm = await randomFile(dir, 'warm-up.bin', 16 * MiB);
  await session.page.evaluate(() => sessionStorage.setItem('upload:trace', '1'));
  const { key: warmKey } = await uploadThroughPage(session, warm);
  await s3.verifyAndDrop(warmKey, warm.size);

  const processes = await chromiumProcesses();
  const { cdp } = session;
  let before;
  let serverBefore;
  const source = await alias(file, 'profiled.bin');
  const result = await uploadThroughPage(session, source, {
    beforeUpload: async () => {
      await session.page.evaluate(() => performance.clearMeasures());
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: opts['interval-us'] });
      before = await cpuByKind(processes);
      serverBefore = await s3.cpuSeconds();
      await cdp.send('Profiler.start');
    },
  });
  const { profile } = await cdp.send('Profiler.stop');
  const after = await cpuByKind(processes);
  const serverCpu = (await s3.cpuSeconds()) - serverBefore;
  const measures = await session.page.evaluate(() => performance.getEntriesByType('measure').map((m) => ({ name: m.name, duration: m.duration })));
  await s3.verifyAndDrop(result.key, size);

  console.log(`upload       ${opts['size-mib']} MiB at concurrency ${opts.concurrency}: ${fmt(result.seconds)} s = ${fmt(mbps(size, result.seconds), 1)} MB/s (parts window ${fmt(result.partsSeconds)} s), load average ${fmt(load1())}\n`);

  console.log('CPU seconds over the upload, per process kind (per wall second in brackets):');
  for (const kind of Object.keys(after).sort()) {
    const used = after[kind] - (before[kind] ?? 0);
    console.log(`  ${kind.padEnd(28)} ${fmt(used).padStart(7)} (${fmt(used / result.seconds)})`);
  }
  console.log(`  ${`S3 server (${opts.backend})`.padEnd(28)} ${fmt(serverCpu).padStart(7)} (${fmt(serverCpu / result.seconds)})\n`);

  // Self time per function of the renderer's main thread, from the sampled profile.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const where = f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`renderer main thread: ${fmt(total / 1000)} s sampled; top ${opts.top} by self time (ms, share of the sampled time):`);
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, opts.top)) {
    console.log(`  ${fmt(ms, 0).padStart(8)} ${fmt((100 * ms) / total, 1).padStart(5)} %  ${name.slice(0, 110)}`);
  }

  if (measures.length) {
    const agg = new Map();
    for (const m of measures) {
      const a = agg.get(m.name) ?? { n: 0, total: 0, max: 0 };
      a.n++;
      a.total += m.duration;
      a.max = Math.max(a.max, m.duration);
      agg.set(m.name, a);
    }
    console.log('\nthe page\'s performance measures (count, total ms, mean ms, max ms):');
    for (const [name, a] of agg) console.log(`  ${name.padEnd(24)} ${String(a.n).padStart(6)} ${fmt(a.total, 0).padStart(9)} ${fmt(a.total / a.n, 1).padStart(8)} ${fmt(a.max, 1).padStart(8)}`);
  } else {
    console.log('\n(no performance measures: this build of the page records none)');
  }
});
