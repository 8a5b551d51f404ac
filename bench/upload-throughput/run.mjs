// Upload throughput, the benchmark of record: the page (through its UI), Uppy's S3 plugin and the AWS
// SDK v3's Upload (both evaluated in the same signed-in page: same Chromium, origin and CSP), and
// `aws s3 cp` upload the same file to the same local S3 (S3Proxy or moto) with credentials from the same
// credentials API, the same part size and concurrency, in alternating rounds. See bench/README.md.
// Browser times: choosing the file until done, POST /uploads included. CLI time: the whole `aws s3 cp`
// process (its start-up included); its credentials come from scripts/upload-credentials (untimed).
// Every object is checked for its size and then deleted.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliEnv as e2eCliEnv } from '../../e2e/lib/harness.mjs';
import { cpuMeter, reapedChildrenSnapshot } from '../lib/cpu.mjs';
import {
  MiB, alias, args, backend, chromiumCpuSnapshot, fmt, load1, localMode, machine, mbps, median, randomFile, repoRoot, runBenchmark,
  signedInPage, setConcurrency, tempDir, uploadThroughPage,
} from '../lib/bench.mjs';
import { bundlePeers, uploadThroughPeer } from './peers-harness.mjs';

const run = promisify(execFile);
const UPLOADERS = ['page', 'uppy', 'sdk', 'cli'];
/** The summary line's keys for the median CPU seconds per GiB: client + server, client, server. */
const CPU_KEY = { total: 'cpu_s_per_gib', client: 'client_cpu_s_per_gib', server: 's3_cpu_s_per_gib' };
const opts = args({ rounds: 3, 'size-mib': 1024, concurrency: 4, backend: 's3proxy', uploaders: UPLOADERS.join(','), 'part-mib': 0 });

/**
 * For --part-mib: every uploader alike gets that part size instead of the API's. The page takes its part
 * size from POST /uploads' answer, so an init script rewrites `partSize` in that answer (the one call it
 * affects; the page checks the value as it checks the API's); the peers are passed it, the CLI configured.
 */
function overridePagePartSize(partSize) {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (method !== 'POST' || !url.pathname.endsWith('/uploads') || !response.ok) return response;
    const grant = await response.json();
    return new Response(JSON.stringify({ ...grant, partSize }), { status: response.status, headers: response.headers });
  };
}

runBenchmark(async () => {
  const uploaders = opts.uploaders.split(',');
  for (const who of uploaders) {
    if (!UPLOADERS.includes(who)) throw new Error(`--uploaders takes a comma-separated list of ${UPLOADERS.join(', ')}, but ${who} was given`);
  }
  if (!Number.isInteger(opts['size-mib']) || opts['size-mib'] < 16) throw new Error(`--size-mib must be a whole number >= 16, but ${opts['size-mib']} was given`);
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 16) throw new Error(`--concurrency must be 1 to 16, but ${opts.concurrency} was given`);
  const partMib = opts['part-mib'];
  if (!Number.isInteger(partMib) || (partMib !== 0 && (partMib < 5 || partMib > 5120))) throw new Error(`--part-mib must be 5 to 5120 (or 0 for the API's part size), but ${partMib} was given`);
  if (partMib && Math.ceil(opts['size-mib'] / partMib) > 10_000) throw new Error(`--part-mib ${partMib} cuts ${opts['size-mib']} MiB into more than S3's 10,000 parts`);
  const size = opts['size-mib'] * MiB;
  console.log(`machine      ${machine()}, load average ${fmt(load1())} at the start`);
  const stack = await localMode();
  const dir = await tempDir();
  const s3 = await backend(stack, opts.backend, dir);
  console.log(`backend      ${s3.about}`);
  const file = await randomFile(dir, 'source.bin', size);
  setConcurrency(stack, opts.concurrency);
  const session = await signedInPage(stack);
  if (partMib) await session.page.addInitScript(overridePagePartSize, partMib * MiB);
  const partAbout = partMib ? `${partMib} MiB parts for every uploader (--part-mib; the API's answer rewritten for the page)` : 'part size from the API (8 MiB up to 80 GiB files)';
  const cliChunk = `${partMib || 8}MB`;
  const peers = uploaders.some((who) => who === 'uppy' || who === 'sdk') ? await bundlePeers() : undefined;
  console.log(`page         concurrency ${opts.concurrency} (config.json upload.concurrency), ${partAbout}, CRC32 per part`);
  if (peers) console.log(`peers        ${peers.about}; same API, credentials, part size; queue/limit ${opts.concurrency}`);
  const cliVersion = await run('aws', ['--version']);
  console.log(`cli          ${(cliVersion.stdout || cliVersion.stderr).trim()}, max_concurrent_requests ${opts.concurrency}, multipart_chunksize ${cliChunk}`);
  console.log(`file         ${opts['size-mib']} MiB from /dev/urandom, ${opts.rounds} rounds, the order rotating each round\n`);

  const [alice] = stack.users;
  const cliEnv = await e2eCliEnv(stack, dir, alice);
  // The CLI at the same concurrency and part size as the others (its defaults are 10 and 8 MiB; its MB are MiB).
  await writeFile(cliEnv.AWS_CONFIG_FILE, `[default]\ns3 =\n  max_concurrent_requests = ${opts.concurrency}\n  multipart_chunksize = ${cliChunk}\n  multipart_threshold = ${cliChunk}\n`);

  async function cliUpload(source, beforeUpload) {
    const script = join(repoRoot, 'scripts', 'upload-credentials');
    const started = JSON.parse((await run(script, ['start', '--file-name', source.name, '--size', String(source.size)], { env: cliEnv })).stdout);
    const env = {
      ...cliEnv,
      AWS_ACCESS_KEY_ID: started.credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: started.credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: started.credentials.SessionToken,
    };
    await beforeUpload();
    const t0 = Date.now();
    await run('aws', ['s3', 'cp', source.path, `s3://${started.bucket}/${started.key}`, '--endpoint-url', s3.endpoint, '--no-progress'], { env, maxBuffer: 16 * MiB });
    return { seconds: (Date.now() - t0) / 1000, key: started.key };
  }

  /**
   * One upload of `source`; checks the object's size, deletes it, returns its seconds (and, in a browser,
   * where they went) and `cpu`: the CPU seconds of the uploader's processes (the whole Chromium process tree
   * for a browser uploader; the `aws` process for the CLI, measured as this process's exited children) and
   * of the S3 server from the start of its clock to its end, and the share of the machine's cores busy.
   */
  async function uploadOnce(who, source) {
    const meter = cpuMeter({ client: who === 'cli' ? reapedChildrenSnapshot : chromiumCpuSnapshot, server: s3.cpuSeconds });
    let result;
    if (who === 'page') result = await uploadThroughPage(session, source, { beforeUpload: meter.start });
    else if (who === 'cli') result = await cliUpload(source, meter.start);
    else result = await uploadThroughPeer(session, peers, who, source, { apiUrl: stack.apiUrl, s3Endpoint: s3.endpoint, concurrency: opts.concurrency, ...(partMib ? { partSize: partMib * MiB } : {}) }, { beforeUpload: meter.start });
    const cpu = await meter.stop();
    if (!result.key) throw new Error(`${who}: no key for ${source.name}`);
    await s3.verifyAndDrop(result.key, source.size);
    return { ...result, cpu };
  }

  // One untimed 64 MiB upload each first: the JVMs, the page's code, the peers and the CLI warm up. (With
  // 16 MiB, the first round's first upload still ran about a quarter slower than the same uploader's later
  // rounds: S3's JVM was still warming up, and the page always goes first in round 1.)
  const warm = await randomFile(dir, 'warm-up.bin', 64 * MiB);
  for (const who of uploaders) await uploadOnce(who, await alias(warm, `warm-up-${who}.bin`));

  const times = Object.fromEntries(uploaders.map((who) => [who, []]));
  // CPU seconds per GiB uploaded, per round: the uploader's own (client), the S3 server's, and both.
  const gib = size / (1024 * MiB);
  const cpuPerGib = Object.fromEntries(uploaders.map((who) => [who, { client: [], server: [], total: [] }]));
  // In the browser, where the seconds went: to the first S3 request (after POST /uploads), to the first UploadPart sent, the parts (first sent to last
  // done), the last part to the last S3 answer (CompleteMultipartUpload), and that answer to the end (the
  // row reading "done", or the peer's promise resolving).
  const gap = (from, to) => (from == null || to == null ? null : to - from);
  console.log(`${'round'.padEnd(6)} ${'who'.padEnd(5)} ${'seconds'.padStart(8)} ${'MB/s'.padStart(8)} ${'s3_cpu'.padStart(7)} ${'load1'.padStart(6)} ${'to_s3'.padStart(5)} ${'to_1st_part'.padStart(11)} ${'parts_s'.padStart(7)} ${'complete'.padStart(8)} ${'to_end'.padStart(6)} ${'client_cpu_s'.padStart(12)} ${'s3_cpu_s'.padStart(8)} ${'cpu_s/GiB'.padStart(9)} ${'box_busy'.padStart(8)} ${'parts'.padStart(5)}`);
  for (let round = 1; round <= opts.rounds; round++) {
    // Rotate who goes first so that a drift in machine load hits every uploader alike.
    const shift = (round - 1) % uploaders.length;
    const order = [...uploaders.slice(shift), ...uploaders.slice(0, shift)];
    for (const who of order) {
      const source = await alias(file, `round-${round}-${who}.bin`);
      const cpu0 = await s3.cpuSeconds();
      const { seconds, partsSeconds = null, partRequests, timeline, cpu } = await uploadOnce(who, source);
      // The S3 server's CPU seconds over the round (the upload plus the size check and delete) per wall
      // second: moto is one Python process, so near 1.0 means moto was the bottleneck.
      const serverBusy = (await s3.cpuSeconds() - cpu0) / seconds;
      times[who].push(seconds);
      cpuPerGib[who].client.push(cpu.clientSeconds / gib);
      cpuPerGib[who].server.push(cpu.serverSeconds / gib);
      cpuPerGib[who].total.push((cpu.clientSeconds + cpu.serverSeconds) / gib);
      console.log(`${String(round).padEnd(6)} ${who.padEnd(5)} ${fmt(seconds).padStart(8)} ${fmt(mbps(size, seconds), 1).padStart(8)} ${fmt(serverBusy).padStart(7)} ${fmt(load1()).padStart(6)} ${fmt(timeline?.firstS3).padStart(5)} ${fmt(timeline?.firstPart).padStart(11)} ${fmt(partsSeconds).padStart(7)} ${fmt(gap(timeline?.lastPart, timeline?.lastS3)).padStart(8)} ${fmt(gap(timeline?.lastS3, timeline && seconds)).padStart(6)} ${fmt(cpu.clientSeconds).padStart(12)} ${fmt(cpu.serverSeconds).padStart(8)} ${fmt((cpu.clientSeconds + cpu.serverSeconds) / gib).padStart(9)} ${fmt(cpu.machineBusy).padStart(8)} ${String(partRequests ?? '-').padStart(5)}`);
    }
  }
  const rate = (who) => (times[who]?.length ? mbps(size, median(times[who])) : undefined);
  const perGib = (who, part) => (cpuPerGib[who]?.[part].length ? median(cpuPerGib[who][part]) : undefined);
  console.log(`\n${'uploader'.padEnd(10)} ${'median s'.padStart(9)} ${'MB/s'.padStart(8)} ${'client_cpu_s/GiB'.padStart(16)} ${'s3_cpu_s/GiB'.padStart(12)} ${'cpu_s/GiB'.padStart(9)}   (MB = 10^6 bytes; medians of ${opts.rounds})`);
  for (const who of uploaders) {
    console.log(`${who.padEnd(10)} ${fmt(median(times[who])).padStart(9)} ${fmt(rate(who), 1).padStart(8)} ${fmt(perGib(who, 'client')).padStart(16)} ${fmt(perGib(who, 'server')).padStart(12)} ${fmt(perGib(who, 'total')).padStart(9)}`);
  }
  if (session.problems.length) console.log(`page problems: ${session.problems.join('; ')}`);
  const page = rate('page');
  const bestPeer = Math.max(...['uppy', 'sdk'].map(rate).filter((x) => x !== undefined));
  const ratio = (a, b) => (a === undefined || b === undefined || !Number.isFinite(b) ? '-' : fmt(a / b));
  console.log(`load average ${fmt(load1())} at the end`);
  console.log(
    `upload_page_mbps=${fmt(page, 1)} upload_uppy_mbps=${fmt(rate('uppy'), 1)} upload_sdk_mbps=${fmt(rate('sdk'), 1)} ` +
      `upload_cli_mbps=${fmt(rate('cli'), 1)} ratio_vs_best_browser_peer=${ratio(page, bestPeer)} ratio_vs_cli=${ratio(page, rate('cli'))} ` +
      `size_mib=${opts['size-mib']} concurrency=${opts.concurrency} backend=${opts.backend} ` +
      ['total', 'client', 'server'].map((part) => UPLOADERS.map((who) => `${CPU_KEY[part]}_${who}=${fmt(perGib(who, part))}`).join(' ')).join(' ') +
      ` part_mib=${partMib || 'api'}`,
  );
});
