// Link efficiency: CDP Network.emulateNetworkConditions (uploadThroughput = --mbit in bytes/s, latency
// --latency-ms, download unthrottled) on the page, then one upload per concurrency (config.json
// upload.concurrency, served by local mode) of the same file to local mode's moto (or --backend s3proxy). Effective throughput
// = file bytes x 8 / time, over the link rate. Two times are reported: wall (choosing the file to "done",
// includes POST /uploads, CRC32 and CompleteMultipartUpload), s3 (first to last S3 request the browser saw,
// CreateMultipartUpload to CompleteMultipartUpload) and parts (first UploadPart sent to last UploadPart done).
// Where the rest goes: to_1st_part (choosing the file to the first UploadPart sent: POST /uploads,
// CreateMultipartUpload, preflights), complete (last UploadPart done to the last S3 answer:
// CompleteMultipartUpload) and to_done (that answer to the row reading "done").
import {
  MiB, alias, args, backend, fmt, load1, localMode, machine, randomFile, runBenchmark, setConcurrency, signedInPage,
  tempDir, uploadThroughPage,
} from '../lib/bench.mjs';

const opts = args({ 'size-mib': 256, concurrency: '1,4,8', mbit: 100, 'latency-ms': 40, rounds: 1, backend: 'moto' });

runBenchmark(async () => {
  const size = opts['size-mib'] * MiB;
  const levels = opts.concurrency.split(',').map(Number);
  const linkBps = opts.mbit * 1e6;
  console.log(`machine      ${machine()}, load average ${fmt(load1())}`);
  const stack = await localMode();
  const dir = await tempDir();
  const s3 = await backend(stack, opts.backend, dir);
  console.log(`backend      ${s3.about}`);
  const file = await randomFile(dir, 'source.bin', size);
  const session = await signedInPage(stack);
  const { cdp } = session;
  console.log(`link         ${opts.mbit} Mbit/s up (${linkBps / 8} bytes/s), ${opts['latency-ms']} ms latency, download unthrottled (CDP Network.emulateNetworkConditions)`);
  console.log(`file         ${opts['size-mib']} MiB; ideal time at the link rate ${fmt(size * 8 / linkBps, 1)} s\n`);

  // One untimed 16 MiB upload first, as bench/upload-throughput does: the local API's and S3's JVMs and
  // the page's code warm up, so that the first round does not measure their start-up.
  const warm = await randomFile(dir, 'warm-up.bin', 16 * MiB);
  const warmed = await uploadThroughPage(session, warm);
  await s3.verifyAndDrop(warmed.key, warm.size);

  const best = new Map();
  const gap = (from, to) => (from === null || to === null ? null : to - from);
  console.log(`${'conc'.padStart(4)} ${'round'.padStart(5)} ${'wall_s'.padStart(7)} ${'s3_s'.padStart(7)} ${'wall_Mbit'.padStart(9)} ${'s3_Mbit'.padStart(8)} ${'wall_eff'.padStart(8)} ${'s3_eff'.padStart(7)} ${'parts_s'.padStart(7)} ${'parts_eff'.padStart(9)} ${'to_1st_part'.padStart(11)} ${'complete'.padStart(8)} ${'to_done'.padStart(7)}`);
  for (let round = 1; round <= opts.rounds; round++) {
    for (const concurrency of round % 2 ? levels : [...levels].reverse()) {
      setConcurrency(stack, concurrency);
      const source = await alias(file, `link-c${concurrency}-r${round}.bin`);
      const { seconds, s3Seconds, partsSeconds, key, timeline } = await uploadThroughPage(session, source, {
        beforeUpload: async () => {
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false, latency: opts['latency-ms'], downloadThroughput: -1, uploadThroughput: linkBps / 8,
          });
        },
      });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await s3.verifyAndDrop(key, size);
      const wallBits = (size * 8) / seconds;
      const s3Bits = s3Seconds ? (size * 8) / s3Seconds : null;
      const partBits = partsSeconds ? (size * 8) / partsSeconds : null;
      const prev = best.get(concurrency) ?? { wall: [], s3: [], parts: [] };
      best.set(concurrency, { wall: [...prev.wall, wallBits / linkBps], s3: [...prev.s3, (s3Bits ?? 0) / linkBps], parts: [...(prev.parts ?? []), (partBits ?? 0) / linkBps] });
      console.log(`${String(concurrency).padStart(4)} ${String(round).padStart(5)} ${fmt(seconds, 1).padStart(7)} ${fmt(s3Seconds, 1).padStart(7)} ${fmt(wallBits / 1e6, 1).padStart(9)} ${fmt(s3Bits && s3Bits / 1e6, 1).padStart(8)} ${fmt(wallBits / linkBps).padStart(8)} ${fmt(s3Bits && s3Bits / linkBps).padStart(7)} ${fmt(partsSeconds, 1).padStart(7)} ${fmt(partBits && partBits / linkBps).padStart(9)} ${fmt(timeline.firstPart).padStart(11)} ${fmt(gap(timeline.lastPart, timeline.lastS3)).padStart(8)} ${fmt(gap(timeline.lastS3, seconds)).padStart(7)}`);
    }
  }
  if (session.problems.length) console.log(`page problems: ${session.problems.join('; ')}`);
  // Median of the rounds (the lower middle one for an even count), wall and s3 windows separately.
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.log(`\n${levels.map((c) => `link_eff_c${c}=${fmt(med(best.get(c).wall))}`).join(' ')} ${levels.map((c) => `link_s3_eff_c${c}=${fmt(med(best.get(c).s3))}`).join(' ')} ${levels.map((c) => `link_parts_eff_c${c}=${fmt(med(best.get(c).parts))}`).join(' ')} link_mbit=${opts.mbit} latency_ms=${opts['latency-ms']} size_mib=${opts['size-mib']} target_eff_c4=0.95 backend=${opts.backend}`);
  console.log(`load average ${fmt(load1())} at the end`);
});
