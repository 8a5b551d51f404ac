// Upload throughput: the page (its engine, in Debian's Chromium, headless) and the AWS CLI upload the same
// file to the same local S3 endpoint (local mode's moto), alternating page and CLI, --rounds each.
// Page time: choosing the file until its row reads "done" (includes POST /uploads and CRC32 of every part).
// CLI time: the whole `aws s3 cp` process (includes the CLI's start-up), with the credentials the API gave
// for that key (scripts/upload-credentials start, untimed), in the environment; default s3 settings
// (8 MiB parts, 10 concurrent requests). Every object is checked for size and then deleted.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  MiB, alias, args, fmt, localMode, machine, mbps, median, randomFile, repoRoot, runBenchmark, signedInPage,
  setConcurrency, tempDir, uploadThroughPage, verifyAndDrop, motoCpuSeconds,
} from '../lib/bench.mjs';

const run = promisify(execFile);
const opts = args({ rounds: 3, 'size-mib': 1024, concurrency: 4 });

runBenchmark(async () => {
  const size = opts['size-mib'] * MiB;
  console.log(`machine      ${machine()}`);
  const stack = await localMode();
  console.log(`backend      local mode's moto at ${stack.s3Endpoint} (objects in memory, deleted after each round)`);
  const dir = await tempDir();
  const file = await randomFile(dir, 'source.bin', size);
  setConcurrency(stack, opts.concurrency);
  const session = await signedInPage(stack);
  console.log(`page         concurrency ${opts.concurrency} (config.json upload.concurrency; the page's default is 4), part size from the API (8 MiB)`);
  console.log(`cli          ${(await run('aws', ['--version'])).stdout.trim() || (await run('aws', ['--version'])).stderr.trim()}, default multipart settings`);
  console.log(`file         ${opts['size-mib']} MiB from /dev/urandom, ${opts.rounds} rounds each, alternating\n`);

  const [alice] = stack.users;
  const script = join(repoRoot, 'scripts', 'upload-credentials');
  const cliEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    UPLOAD_API_URL: stack.apiUrl,
    OIDC_ISSUER: stack.issuer,
    OIDC_CLIENT_ID: stack.clientId,
    OIDC_REDIRECT_URI: stack.pageUrl,
    OIDC_USERNAME: alice.username,
    OIDC_PASSWORD: alice.password,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_DEFAULT_REGION: stack.region,
  };
  await writeFile(cliEnv.AWS_CONFIG_FILE, '');
  await writeFile(cliEnv.AWS_SHARED_CREDENTIALS_FILE, '');

  /** One upload of `source` by the page or the CLI; checks the object's size, deletes it, returns seconds. */
  async function uploadOnce(who, source) {
    let seconds;
    let key;
    if (who === 'page') {
      ({ seconds, key } = await uploadThroughPage(session, source));
    } else {
      const started = JSON.parse((await run(script, ['start', '--file-name', source.name, '--size', String(source.size)], { env: cliEnv })).stdout);
      key = started.key;
      const env = {
        ...cliEnv,
        AWS_ACCESS_KEY_ID: started.credentials.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: started.credentials.SecretAccessKey,
        AWS_SESSION_TOKEN: started.credentials.SessionToken,
      };
      const t0 = Date.now();
      await run('aws', ['s3', 'cp', source.path, `s3://${started.bucket}/${key}`, '--endpoint-url', stack.s3Endpoint, '--no-progress'], { env, maxBuffer: 16 * MiB });
      seconds = (Date.now() - t0) / 1000;
    }
    await verifyAndDrop(stack, key, source.size);
    return seconds;
  }

  // One untimed 16 MiB upload each first: the local API's JVM, the page's code and the CLI's files warm up.
  const warm = await randomFile(dir, 'warm-up.bin', 16 * MiB);
  for (const who of ['page', 'cli']) await uploadOnce(who, await alias(warm, `warm-up-${who}.bin`));

  const page = [];
  const cli = [];
  console.log(`${'round'.padEnd(6)} ${'who'.padEnd(5)} ${'seconds'.padStart(8)} ${'MB/s'.padStart(8)} ${'moto_cpu'.padStart(9)}`);
  for (let round = 1; round <= opts.rounds; round++) {
    // Alternate which goes first so that a drift in machine load hits both alike.
    const order = round % 2 ? ['page', 'cli'] : ['cli', 'page'];
    for (const who of order) {
      const name = `round-${round}-${who}.bin`;
      const source = await alias(file, name);
      const cpu0 = await motoCpuSeconds(stack);
      const seconds = await uploadOnce(who, source);
      // moto's CPU time over the round (the upload plus the size check and delete) per wall second:
      // near 1.0 means moto's single Python process was busy the whole time.
      const motoBusy = (await motoCpuSeconds(stack) - cpu0) / seconds;
      (who === 'page' ? page : cli).push(seconds);
      console.log(`${String(round).padEnd(6)} ${who.padEnd(5)} ${fmt(seconds).padStart(8)} ${fmt(mbps(size, seconds), 1).padStart(8)} ${fmt(motoBusy).padStart(9)}`);
    }
  }
  const pageMBps = mbps(size, median(page));
  const cliMBps = mbps(size, median(cli));
  console.log(`\nmedian page ${fmt(median(page))} s = ${fmt(pageMBps, 1)} MB/s; cli ${fmt(median(cli))} s = ${fmt(cliMBps, 1)} MB/s (MB = 10^6 bytes)`);
  if (session.problems.length) console.log(`page problems: ${session.problems.join('; ')}`);
  console.log(`upload_page_mbps=${fmt(pageMBps, 1)} upload_cli_mbps=${fmt(cliMBps, 1)} upload_ratio=${fmt(pageMBps / cliMBps)} target_ratio=1.0 rounds=${opts.rounds} page_concurrency=${opts.concurrency} size_mib=${opts['size-mib']} backend=moto`);
});
