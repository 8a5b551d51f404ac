// Where the page's upload time goes: one upload through the page (as bench/upload-throughput does it)
// with Chromium's CPU profiler on the page's renderer main thread and on its workers (the CRC32 worker;
// DevTools protocol, Profiler domain), the CPU seconds of every Chromium process and of its busiest
// threads and of the S3 server over the upload, and the page's own `performance` measures (checksum,
// signing, sending), which it records when sessionStorage `upload:trace` is "1". `--uploader uppy` (or
// `sdk`) profiles that peer instead, run in the same page as bench/upload-throughput runs it.
// Function names are readable with an unminified build: (cd web && npx vite build --minify false).
import { threadsBetween, threadSnapshot } from '../lib/cpu.mjs';
import { bundlePeers, uploadThroughPeer } from '../upload-throughput/peers-harness.mjs';
import {
  MiB, args, backend, chromiumProcesses, cpuSeconds, fmt, load1, localMode, machine, mbps, randomFile, runBenchmark, setConcurrency,
  signedInPage, tempDir, uploadThroughPage, alias,
} from '../lib/bench.mjs';

const UPLOADERS = ['page', 'uppy', 'sdk'];
const opts = args({ 'size-mib': 1024, concurrency: 4, backend: 's3proxy', top: 25, 'interval-us': 500, uploader: 'page' });

async function cpuByKind(processes) {
  const by = {};
  for (const { pid, kind } of processes) by[kind] = (by[kind] ?? 0) + (await cpuSeconds(pid).catch(() => 0));
  return by;
}

/**
 * Profiles the page's workers from their start: auto-attach (non-flat sessions, driven through
 * Target.sendMessageToTarget, since Playwright's CDP session cannot address a child session) with each
 * worker held until its profiler runs. Other auto-attached targets are let go at once. `stop()` resolves
 * to [{ title, profile }] for every worker that started.
 */
function profileWorkers(cdp, intervalUs) {
  let nextId = 1;
  const pending = new Map();
  const started = [];
  const sendTo = (sessionId, method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  const onMessage = ({ message }) => {
    const parsed = JSON.parse(message);
    pending.get(parsed.id)?.(parsed);
    pending.delete(parsed.id);
  };
  const onAttached = ({ sessionId, targetInfo, waitingForDebugger }) => {
    const run = () => (waitingForDebugger ? sendTo(sessionId, 'Runtime.runIfWaitingForDebugger') : undefined);
    if (targetInfo.type !== 'worker') return void run();
    started.push(
      (async () => {
        await sendTo(sessionId, 'Profiler.enable');
        await sendTo(sessionId, 'Profiler.setSamplingInterval', { interval: intervalUs });
        await sendTo(sessionId, 'Profiler.start');
        await run();
        return { sessionId, title: targetInfo.title || targetInfo.url };
      })(),
    );
  };
  cdp.on('Target.receivedMessageFromTarget', onMessage);
  cdp.on('Target.attachedToTarget', onAttached);
  return {
    start: () => cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false }),
    async stop() {
      const workers = await Promise.all(started);
      const profiles = [];
      for (const { sessionId, title } of workers) {
        const { profile } = await sendTo(sessionId, 'Profiler.stop');
        profiles.push({ title, profile });
      }
      await cdp.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: false });
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      cdp.off('Target.attachedToTarget', onAttached);
      return profiles;
    },
  };
}

/** Prints a sampled profile's top functions by self time (ms and share of the sampled time). */
function printTopSelf(label, profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byId.get(profile.samples[i]).callFrame;
    const where = f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`${label}: ${fmt(total / 1000)} s sampled; top ${top} by self time (ms, share of the sampled time):`);
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${fmt(ms, 0).padStart(8)} ${fmt((100 * ms) / total, 1).padStart(5)} %  ${name.slice(0, 110)}`);
  }
}

runBenchmark(async () => {
  if (!UPLOADERS.includes(opts.uploader)) throw new Error(`--uploader must be one of ${UPLOADERS.join(', ')}, but ${opts.uploader} was given`);
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
  // The page, or one of its peers in the same signed-in page (as bench/upload-throughput runs them).
  const peers = opts.uploader === 'page' ? undefined : await bundlePeers();
  const upload = (source, options) =>
    peers
      ? uploadThroughPeer(session, peers, opts.uploader, source, { apiUrl: stack.apiUrl, s3Endpoint: s3.endpoint, concurrency: opts.concurrency }, options)
      : uploadThroughPage(session, source, options);
  console.log(`uploader     ${opts.uploader}${peers ? ` (${peers.about})` : ''}`);
  const { key: warmKey } = await upload(warm);
  await s3.verifyAndDrop(warmKey, warm.size);

  const processes = await chromiumProcesses();
  const { cdp } = session;
  const workers = profileWorkers(cdp, opts['interval-us']);
  let before;
  let threadsBefore;
  let serverBefore;
  const source = await alias(file, 'profiled.bin');
  const result = await upload(source, {
    beforeUpload: async () => {
      await session.page.evaluate(() => performance.clearMeasures());
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: opts['interval-us'] });
      await workers.start();
      before = await cpuByKind(processes);
      threadsBefore = await threadSnapshot(processes.map((p) => p.pid));
      serverBefore = await s3.cpuSeconds();
      await cdp.send('Profiler.start');
    },
  });
  const { profile } = await cdp.send('Profiler.stop');
  const workerProfiles = await workers.stop();
  const after = await cpuByKind(processes);
  const threads = threadsBetween(threadsBefore, await threadSnapshot(processes.map((p) => p.pid)));
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

  const kindOf = new Map(processes.map((p) => [p.pid, p.kind]));
  console.log('busiest Chromium threads over the upload (process kind / thread name, threads of that name, CPU seconds):');
  for (const { pid, name, threads: n, seconds } of threads.slice(0, 12)) {
    console.log(`  ${`${kindOf.get(pid)} / ${name}`.padEnd(40)} ${String(n).padStart(3)} ${fmt(seconds).padStart(7)}`);
  }
  console.log('');

  printTopSelf('renderer main thread', profile, opts.top);
  for (const { title, profile: workerProfile } of workerProfiles) {
    console.log('');
    printTopSelf(`worker ${title}`, workerProfile, opts.top);
  }
  if (!workerProfiles.length) console.log('\n(no worker started during the upload)');

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
    console.log(`\n(no performance measures: ${peers ? 'only the page records them' : 'this build of the page records none'})`);
  }
});
