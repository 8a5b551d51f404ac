// What each way of reading a part costs, per GiB checksummed: the CRC-32 worker's reading of a part
// (read-variants.ts, bundled here with the page's own CRC-32 code) on a file-backed Blob, a generated file
// chosen through an <input type=file> with Playwright's setInputFiles as the page's file is chosen. The
// worker is sent the file's parts one after another (--part-mib slices, as the page's queue sends them) and
// each way reads them in pieces of `way:MiB` (0: the part whole; the default reader's pieces are its own).
// Over each pass, the CPU seconds of each Chromium process and thread come from /proc (bench/lib/cpu.mjs):
// the browser process serves a file's bytes to the renderer, which is the cost that differs between ways.
// Rounds alternate the ways, so that the machine's load touches each alike.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadSnapshot, threadsBetween } from '../lib/cpu.mjs';
import { GiB, MiB, args, bundleForBrowser, chromiumProcesses, fmt, freshBrowser, load1, machine, median, randomFile, runBenchmark, tempDir } from '../lib/bench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const opts = args({ 'size-mib': 256, 'part-mib': 8, rounds: 5, ways: 'byob:1,byob:4,byob:8,default:0,arrayBuffer:1,arrayBuffer:8,fileReaderSync:1,fileReaderSync:8' });
const WAYS = ['byob', 'default', 'arrayBuffer', 'fileReaderSync'];

function parseWays(text) {
  return text.split(',').map((item) => {
    const [way, mib = '0'] = item.split(':');
    if (!WAYS.includes(way) || !/^\d+$/.test(mib)) throw new Error(`--ways takes way:MiB items with a way of ${WAYS.join(', ')} and whole MiB, but "${item}" was given`);
    if (way === 'byob' && mib === '0') throw new Error(`--ways: byob needs a buffer size in MiB, but "${item}" was given`);
    return { label: item, way, pieceBytes: Number(mib) * MiB };
  });
}

runBenchmark(async () => {
  const ways = parseWays(opts.ways);
  const size = opts['size-mib'] * MiB;
  console.log(`machine      ${machine()}, load average ${fmt(load1())}`);
  const dir = await tempDir();
  const file = await randomFile(dir, 'source.bin', size);
  const source = await bundleForBrowser(join(here, 'read-variants.ts'));

  const { page } = await freshBrowser();
  await page.setContent('<input type="file">');
  await page.setInputFiles('input', file.path);
  await page.evaluate(async (workerSource) => {
    const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
    let id = 0;
    // A part that gets no answer in a minute fails the run instead of hanging it (see bench/README.md).
    const ask = (blob, way, pieceBytes) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker gave no answer in 60 s for a ${blob.size}-byte part read by ${way}:${pieceBytes / 1048576}`)), 60_000);
      worker.onmessage = (event) => {
        clearTimeout(timer);
        if (event.data.error) reject(new Error(event.data.error));
        else resolve(event.data);
      };
      worker.postMessage({ id: ++id, blob, way, pieceBytes });
    });
    // One pass: every part of the chosen file in turn, each answered before the next is sent (the page's queue).
    window.checksumParts = async (way, pieceBytes, partBytes) => {
      const file = document.querySelector('input').files[0];
      const started = performance.now();
      const crcs = [];
      let crc32;
      let reads = 0;
      for (let at = 0; at < file.size; at += partBytes) {
        const reply = await ask(file.slice(at, at + partBytes), way, pieceBytes);
        crcs.push(reply.crc);
        crc32 = reply.crc32;
        reads += reply.reads;
      }
      return { ms: performance.now() - started, crcs: crcs.join(','), crc32, reads };
    };
    await ask(new Blob(['warm']), 'arrayBuffer', 0); // the worker started and crc32.wat compiled
  }, source);

  const processes = await chromiumProcesses();
  const kindOf = new Map(processes.map((p) => [p.pid, p.kind]));
  const results = new Map(ways.map((w) => [w.label, { mbps: [], kibPerRead: [], byKind: [], byThread: [] }]));
  let expected;
  let implementation;
  // One pass of each way untimed first: the first reads of a file and the worker's first code run slower.
  for (const { way, pieceBytes } of ways) await page.evaluate(({ way, pieceBytes, partBytes }) => window.checksumParts(way, pieceBytes, partBytes), { way, pieceBytes, partBytes: opts['part-mib'] * MiB });
  for (let round = 0; round < opts.rounds; round++) {
    for (const { label, way, pieceBytes } of ways) {
      const before = await threadSnapshot(processes.map((p) => p.pid));
      const { ms, crcs, crc32, reads } = await page.evaluate(({ way, pieceBytes, partBytes }) => window.checksumParts(way, pieceBytes, partBytes), { way, pieceBytes, partBytes: opts['part-mib'] * MiB });
      const threads = threadsBetween(before, await threadSnapshot(processes.map((p) => p.pid)));
      if (expected !== undefined && crcs !== expected) throw new Error(`${label} computed other CRC-32s than ${ways[0].label} for the same parts`);
      expected = crcs;
      implementation = crc32;
      const perGiB = (seconds) => seconds / (size / GiB);
      const byKind = {};
      const byThread = {};
      for (const { pid, name, seconds } of threads) {
        const kind = kindOf.get(pid);
        byKind[kind] = (byKind[kind] ?? 0) + perGiB(seconds);
        byThread[`${kind} / ${name}`] = (byThread[`${kind} / ${name}`] ?? 0) + perGiB(seconds);
      }
      byKind.all = Object.values(byKind).reduce((a, b) => a + b, 0);
      const r = results.get(label);
      r.kibPerRead.push(size / reads / 1024);
      r.mbps.push(size / 1e6 / (ms / 1000));
      console.log(`round ${round + 1} ${label.padEnd(18)} ${fmt(size / 1e6 / (ms / 1000), 0).padStart(6)} MB/s, ${fmt(byKind.all)} CPU-s per GiB`);
      r.byKind.push(byKind);
      r.byThread.push(byThread);
    }
  }

  console.log(`file         ${opts['size-mib']} MiB from disk (file-backed Blob), ${opts['part-mib']} MiB parts, ${opts.rounds} rounds, CRC-32 ${implementation}; load average now ${fmt(load1())}`);
  console.log('CPU seconds per GiB checksummed, medians over the rounds (MB/s: each round\'s, then the median)\n');
  const kinds = ['browser', 'renderer', 'all'];
  const busiest = new Map();
  for (const r of results.values()) for (const t of r.byThread) for (const [k, v] of Object.entries(t)) busiest.set(k, Math.max(busiest.get(k) ?? 0, v));
  const threadKeys = [...busiest.entries()].filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]).map(([k]) => k).slice(0, 8);
  const pick = (rows, key) => median(rows.map((row) => row[key] ?? 0));
  console.log(`${'way:MiB'.padEnd(18)} ${'MB/s'.padStart(6)} ${kinds.map((k) => k.padStart(9)).join(' ')} ${'KiB/read'.padStart(9)}   rounds MB/s`);
  for (const [label, r] of results) {
    console.log(`${label.padEnd(18)} ${fmt(median(r.mbps), 0).padStart(6)} ${kinds.map((k) => fmt(pick(r.byKind, k)).padStart(9)).join(' ')} ${fmt(median(r.kibPerRead), 0).padStart(9)}   ${r.mbps.map((x) => fmt(x, 0)).join(' ')}`);
  }
  console.log('\nby thread (process kind / thread name), CPU-s per GiB, medians:');
  console.log(`${''.padEnd(44)} ${[...results.keys()].map((l) => l.padStart(16)).join(' ')}`);
  for (const key of threadKeys) console.log(`${key.slice(0, 44).padEnd(44)} ${[...results.values()].map((r) => fmt(pick(r.byThread, key)).padStart(16)).join(' ')}`);
  console.log(`\nsummary ${[...results].map(([label, r]) => `${label.replace(':', '_')}_mbps=${fmt(median(r.mbps), 0)} ${label.replace(':', '_')}_browser_cpu_s_per_gib=${fmt(pick(r.byKind, 'browser'))} ${label.replace(':', '_')}_all_cpu_s_per_gib=${fmt(pick(r.byKind, 'all'))}`).join(' ')} size_mib=${opts['size-mib']} part_mib=${opts['part-mib']}`);
});
