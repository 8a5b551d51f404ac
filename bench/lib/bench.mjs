// Shared by the browser benchmarks: local mode (reused from local/lib), Debian's Chromium with a fresh
// profile and the page's sign-in (reused from e2e/lib/harness.mjs), generated files, one upload through
// the page timed from choosing the file to its row reading "done", and the bucket as its owner.
// Everything started here is stopped by `cleanup()`, which the scripts call on exit and on signals.
import { execFile, spawn } from 'node:child_process';
import { link, mkdtemp, readFile, rm, statfs } from 'node:fs/promises';
import { tmpdir, cpus, loadavg, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { browser as e2eBrowser, ownerView, signIn, watchKeys } from '../../e2e/lib/harness.mjs';
import { repoRoot, startLocal } from '../../local/lib/stack.mjs';
import { allProcesses, cpuSeconds, descendants, withReapedChildren } from './cpu.mjs';
import { bucketCors, ownerEnv, S3PROXY_VERSION, startS3Proxy, withPeerHeaders } from './s3proxy.mjs';

export { repoRoot, cpuSeconds };
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
const run = promisify(execFile);

/**
 * esbuild's bundle of `entry` (a path) as one classic browser script, from bench/node_modules: what the
 * benchmarks evaluate in a page or start as a worker (the peers, the reading variants).
 */
export async function bundleForBrowser(entry, { minify = false } = {}) {
  let esbuild;
  try {
    esbuild = createRequire(join(repoRoot, 'bench', 'package.json'))('esbuild');
  } catch {
    throw new Error('bench/node_modules is missing: run (cd bench && npm ci) first');
  }
  const built = await esbuild.build({
    entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', minify, write: false, logLevel: 'silent',
  });
  return built.outputFiles[0].text;
}

const cleanups = [];
/** Stands in for node:test's context so the e2e helpers register their clean-up here. */
const ctx = { after: (fn) => cleanups.push(fn), diagnostic: () => {} };

export async function cleanup() {
  while (cleanups.length) await cleanups.pop()().catch(() => {});
}

/** Runs `close` at cleanup(), with what the benchmark started. */
export function onCleanup(close) {
  cleanups.push(close);
}

/** Debian's Chromium with a fresh profile (e2e's launcher), closed at cleanup(); returns { context, page, problems }. */
export function freshBrowser() {
  return e2eBrowser(ctx);
}

/** Runs `main`, always cleaning up (also on Ctrl-C / SIGTERM); exits non-zero on failure. */
export function runBenchmark(main) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      console.error(`\n${signal}: stopping`);
      await cleanup();
      process.exit(130);
    });
  }
  main().then(
    async () => { await cleanup(); process.exit(0); },
    async (error) => { console.error(error?.stack ?? error); await cleanup(); process.exit(1); },
  );
}

export function machine() {
  return `${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, node ${process.version}`;
}

/** Parses --name value pairs against defaults (numbers stay numbers). */
export function args(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in defaults) || argv[i + 1] === undefined) {
      console.error(`usage: ${Object.entries(defaults).map(([k, v]) => `[--${k} ${v}]`).join(' ')}`);
      process.exit(2);
    }
    out[name] = typeof defaults[name] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return out;
}

/** Local mode on free ports (moto, OIDC provider, local API, page). */
export async function localMode() {
  const stack = await startLocal();
  cleanups.push(() => stack.stop());
  return stack;
}

/** Sets the page's config.json `upload.concurrency` (local mode serves the object it was given). */
export function setConcurrency(stack, concurrency) {
  stack.config.upload = { ...(stack.config.upload ?? {}), concurrency };
}

export async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'upload-bench-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** `size` bytes from /dev/urandom into dir/name with head -c, after checking the disk has room. */
export async function randomFile(dir, name, size) {
  const fs = await statfs(dir);
  if (fs.bavail * fs.bsize < size + 2 * 1024 * MiB) throw new Error(`not enough free disk in ${dir} for ${size} bytes`);
  const path = join(dir, name);
  await new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `head -c ${size} /dev/urandom > "$0"`, path], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`head -c exited ${code}`))));
  });
  return { path, name, size };
}

/** The same bytes under another name (a hard link), so each round is a new file to the page. */
export async function alias(file, name) {
  const path = join(dirname(file.path), name);
  await link(file.path, path);
  return { path, name, size: file.size };
}

/** Chromium with a fresh profile, signed in as alice on the page; returns { page, cdp, keys, problems }. */
export async function signedInPage(stack) {
  const { context, page, problems } = await e2eBrowser(ctx);
  const keys = watchKeys(page, stack);
  await signIn(page, stack);
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp, keys, problems };
}

/**
 * Watches the S3 requests for a key containing `fileName` from `started` (ms): `stop()` returns the
 * seconds from the first S3 request to the end of the last one as the browser saw it (`s3Seconds`), from
 * the first UploadPart sent to the end of the last (`partsSeconds`, null for one PutObject), how many
 * UploadPart requests finished (`partRequests`, retries included), and those moments as seconds since
 * `started` (`timeline`).
 */
export function watchS3Requests(page, fileName, started) {
  let firstS3 = null;
  let lastS3 = null;
  let firstPart = null;
  let lastPart = null;
  let partRequests = 0;
  const ours = (request) => request.url().includes(encodeURIComponent(fileName)) || request.url().includes(fileName);
  const isPart = (request) => request.method() === 'PUT' && new URL(request.url()).searchParams.has('partNumber');
  const onRequest = (request) => {
    if (!ours(request)) return;
    firstS3 ??= Date.now();
    if (isPart(request)) firstPart ??= Date.now();
  };
  const onFinished = (request) => {
    if (!ours(request)) return;
    lastS3 = Date.now();
    if (!isPart(request)) return;
    lastPart = Date.now();
    partRequests++;
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  return {
    stop() {
      page.off('request', onRequest);
      page.off('requestfinished', onFinished);
      const since = (at) => (at ? (at - started) / 1000 : null);
      return {
        s3Seconds: firstS3 && lastS3 ? (lastS3 - firstS3) / 1000 : null,
        partsSeconds: firstPart && lastPart ? (lastPart - firstPart) / 1000 : null,
        partRequests,
        // Seconds from choosing the file: the first S3 request, the first part sent, the last part done, the last S3 answer.
        timeline: { firstS3: since(firstS3), firstPart: since(firstPart), lastPart: since(lastPart), lastS3: since(lastS3) },
      };
    },
  };
}

/**
 * Resolves as soon as the page's row for `name` reads `state`, seen by a MutationObserver in the page. Not
 * a locator's waitFor: that polls every 500 ms after its first tries, which added 0-0.5 s (0.25 s on
 * average) to every timed page upload, while the peers' times end when their promise resolves.
 */
async function rowReaches(page, name, state, timeoutMs) {
  await page.evaluate(
    ({ name, state, timeoutMs }) =>
      new Promise((resolve, reject) => {
        const list = document.getElementById('file-list');
        const reached = () => [...list.children].some((row) => row.dataset.state === state && row.textContent.includes(name));
        if (reached()) return resolve();
        const observer = new MutationObserver(() => {
          if (!reached()) return;
          clearTimeout(timer);
          observer.disconnect();
          resolve();
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${name} did not reach ${state} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        observer.observe(list, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      }),
    { name, state, timeoutMs },
  );
}

/**
 * Uploads `file` through the page's file input and waits for its row to read "done". The page is
 * reloaded first (it fetches config.json afresh and starts with an empty list; the session survives).
 * Returns { seconds, key } (the wall time from choosing the file to "done") and watchS3Requests' figures.
 * `beforeUpload` runs after the reload, just before the file is chosen (to set up CDP emulation or sampling).
 */
export async function uploadThroughPage(session, file, { timeoutMs = 30 * 60_000, beforeUpload } = {}) {
  const { page } = session;
  await page.reload();
  await page.locator('#file-input').waitFor({ state: 'attached' });
  await page.locator('#user-name').waitFor({ timeout: 30_000 });
  // The page settled: what it loads after sign-in (Recent uploads from GET /uploads) is not in the clock.
  await page.waitForLoadState('networkidle');
  if (beforeUpload) await beforeUpload();
  const started = Date.now();
  const watch = watchS3Requests(page, file.name, started);
  try {
    await page.locator('#file-input').setInputFiles([file.path]);
    await rowReaches(page, file.name, 'done', timeoutMs);
  } catch (error) {
    watch.stop();
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  return { seconds, key: session.keys.get(file.name), ...watch.stop() };
}

/** Checks the object has the file's size, then deletes it (moto keeps every object in memory). */
export async function verifyAndDrop(stack, key, size) {
  const o = ownerView(stack);
  const { size: stored } = await o.size(key);
  if (stored !== size) throw new Error(`${key}: stored ${stored} bytes, expected ${size}`);
  await o.delete(key);
}

export const mbps = (bytes, seconds) => bytes / 1e6 / seconds;
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const fmt = (x, digits = 2) => (x == null ? '-' : x.toFixed(digits));

/** CPU seconds moto's process has used so far: moto is one Python process. */
export function motoCpuSeconds(stack) {
  return cpuSeconds(stack.children.get('moto').pid);
}

/** Registers a child process started with `detached: true` to be stopped (its whole group) at clean-up. */
export function trackChild(child) {
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(timer);
  });
  process.on('exit', () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
}

/**
 * Chromium's processes started by this benchmark (descendants of this Node process) as { pid, kind,
 * cpuWithChildren }: the CPU seconds each has used so far with its reaped children (for cpuBetween).
 */
export async function chromiumProcesses() {
  const processes = await allProcesses();
  const out = [];
  for (const pid of descendants(processes, process.pid)) {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    if (pid === process.pid || !/chrom/i.test(cmd.split(' ')[0])) continue;
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
    const service = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
    out.push({ pid, kind: service ? `${type}:${service.split('.').pop()}` : type, cpuWithChildren: withReapedChildren(processes.get(pid)) });
  }
  return out;
}

/** Snapshot of the CPU seconds of every Chromium process (pid -> seconds, reaped children included). */
export async function chromiumCpuSnapshot() {
  return new Map((await chromiumProcesses()).map(({ pid, cpuWithChildren }) => [pid, cpuWithChildren]));
}

/** Resident memory (VmRSS) of the given processes together, in bytes; 0 for any that has gone. */
export async function residentBytes(processes) {
  let total = 0;
  for (const { pid } of processes) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }
  return total;
}

/** The 1-minute load average, for the benchmarks' reports. */
export const load1 = () => loadavg()[0];

/**
 * The S3 the benchmark uploads to: `moto` (local mode's own, one Python process) or `s3proxy` (S3Proxy
 * beside local mode, with the page pointed at it). Returns { name, endpoint, about, cpuSeconds(),
 * verifyAndDrop(key, size) }.
 */
export async function backend(stack, name, dir) {
  if (name === 'moto') {
    const rule = withPeerHeaders(await bucketCors(stack));
    await run('aws', ['s3api', 'put-bucket-cors', '--bucket', stack.bucket, '--endpoint-url', stack.s3Endpoint,
      '--cors-configuration', JSON.stringify({ CORSRules: [rule] })], { env: ownerEnv(stack.admin, stack.region) });
    return {
      name,
      endpoint: stack.s3Endpoint,
      about: `local mode's moto at ${stack.s3Endpoint} (one Python process; objects in memory, deleted after each round)`,
      cpuSeconds: () => motoCpuSeconds(stack),
      verifyAndDrop: (key, size) => verifyAndDrop(stack, key, size),
    };
  }
  if (name === 's3proxy') {
    const proxy = await startS3Proxy(stack, dir, trackChild);
    stack.setPageS3Endpoint(proxy.endpoint);
    const env = ownerEnv(proxy.owner, stack.region);
    const s3api = async (...a) => JSON.parse((await run('aws', ['s3api', ...a, '--bucket', stack.bucket, '--endpoint-url', proxy.endpoint], { env })).stdout || '{}');
    return {
      name,
      endpoint: proxy.endpoint,
      about: `S3Proxy ${S3PROXY_VERSION} at ${proxy.endpoint} (filesystem backend in ${dir}; SigV4 on, STS keys from local mode; CORS: the bucket's rule)`,
      cpuSeconds: () => cpuSeconds(proxy.child.pid),
      log: proxy.log,
      async verifyAndDrop(key, size) {
        const { ContentLength: stored } = await s3api('head-object', '--key', key);
        if (stored !== size) throw new Error(`${key}: stored ${stored} bytes, expected ${size}`);
        await s3api('delete-object', '--key', key);
      },
    };
  }
  throw new Error(`--backend must be moto or s3proxy, but ${name} was given`);
}
