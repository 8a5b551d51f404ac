// Shared by the end-to-end tests, the benchmarks and the page's screenshots: local mode per test file, the
// one Chromium launcher (Debian's, a fresh profile), the page's sign-in through the local OpenID Provider,
// generated files, the CLI's environment, and the bucket read back as its owner. Every server and browser a
// test starts is stopped by that test, also when it fails.
import { execFile } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { ownerAws, ownerView } from '../../local/lib/owner.mjs';
import { repoRoot, startLocal } from '../../local/lib/stack.mjs';

export { ownerAws, ownerView, repoRoot };

/**
 * Resolves to the first truthy value `check()` gives, asking again every 200 ms; rejects, naming `what`, when
 * none came within `timeoutMs`. For states a test waits for that no event announces (a ledger item, a queue).
 */
export async function waitUntil(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
export const MiB = 1024 * 1024;

/**
 * One S3 call signed with `credentials` (an API answer's or an IAM key) against local mode's bucket, through
 * e2e/lib/s3_as.py; `args` as that script's (command, key or prefix, and for put the size). Resolves to its JSON.
 */
export async function s3As(stack, credentials, ...args) {
  const env = {
    ...process.env,
    LOCAL_S3_ENDPOINT: stack.s3Endpoint, LOCAL_BUCKET: stack.bucket, LOCAL_REGION: stack.region,
    AWS_ACCESS_KEY_ID: credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: credentials.SessionToken ?? '',
  };
  if (!credentials.SessionToken) delete env.AWS_SESSION_TOKEN;
  const { stdout } = await promisify(execFile)('python3', [join(repoRoot, 'e2e', 'lib', 's3_as.py'), ...args.map(String)], { env });
  return JSON.parse(stdout);
}

/**
 * The app's events as a consumer reads them (README.md, "Events"): a queue `queueName` of the test's own, attached
 * by a rule to the app's bus (the verifier's EVENT_BUS_NAME) for the verifier's source. `waitFor(key)` resolves to
 * the event about that object key; events arrive in any order, and each one read is kept for a later wait.
 */
export async function appEvents(stack, aws, queueName) {
  const [consumer] = stack.world.queueConsumers;
  await aws.subscribe(consumer.function.environment.EVENT_BUS_NAME, queueName, { source: ['multipart-upload-sts'] });
  const events = [];
  return {
    waitFor: (key) => waitUntil(async () => {
      const message = await aws.receiveOne(queueName);
      if (message) events.push(JSON.parse(message.Body));
      return events.find((event) => event.detail.key === key);
    }, `the app's event for ${key}`),
  };
}

/** Local mode on free ports for the test `t` (a node:test context); stopped when the test ends. Options as startLocal's. */
export async function localMode(t, options = {}) {
  const stack = await startLocal(options);
  t.after(() => stack.stop());
  return stack;
}

/**
 * The app synthesized with `context` (`{ key: value }`, as `cdk -c key=value`) into a temporary cdk.out for the
 * test `t`, for `localMode(t, { cdkOut })`. The Maven build and the CDK CLI are in place wherever e2e runs:
 * after ./bin/synth or in ./bin/test.
 */
export async function synthesizedWith(t, context) {
  const cdkOut = await tempDir(t);
  const args = Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  await promisify(execFile)('npx', ['cdk', 'synth', '--quiet', ...args, '-o', cdkOut], {
    cwd: repoRoot,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20,22' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return cdkOut;
}

/** A temporary directory removed when the test ends. */
export async function tempDir(t) {
  const dir = await mkdtemp(join(tmpdir(), 'upload-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `size` random bytes to dir/name, 8 MiB at a time; resolves to { path, name, size, sha256 }. */
export async function randomFile(dir, name, size) {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(8 * MiB);
  for (let written = 0; written < size; written += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, size - written));
    randomFillSync(piece);
    hash.update(piece);
    if (!out.write(piece)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return { path, name, size, sha256: hash.digest('hex') };
}

/**
 * The environment for scripts/upload-credentials and the AWS CLI as `user` (default alice): local mode's API and
 * sign-in, and a CLI configuration of its own under `dir`. Nothing of this shell's AWS settings leaks in.
 */
export async function cliEnv(stack, dir, user = stack.users[0]) {
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    UPLOAD_API_URL: stack.apiUrl,
    OIDC_ISSUER: stack.issuer,
    OIDC_CLIENT_ID: stack.clientId,
    OIDC_REDIRECT_URI: stack.pageUrl,
    OIDC_USERNAME: user.username,
    OIDC_PASSWORD: user.password,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_DEFAULT_REGION: stack.region,
  };
  await writeFile(env.AWS_CONFIG_FILE, '');
  await writeFile(env.AWS_SHARED_CREDENTIALS_FILE, '');
  return env;
}

/**
 * Debian's Chromium with a fresh profile; closed (and the profile removed) when the test ends.
 * `contextOptions` go to Playwright's context (for a phone: `{ viewport, hasTouch: true, isMobile: true }`);
 * `incognito: true` opens an off-the-record context instead, as an incognito window does (no profile on disk).
 */
export async function browser(t, { incognito = false, ...contextOptions } = {}) {
  const launch = {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  };
  const options = { viewport: { width: 1200, height: 900 }, ...contextOptions };
  let context;
  if (incognito) {
    const instance = await chromium.launch(launch);
    t.after(() => instance.close().catch(() => {}));
    context = await instance.newContext(options);
  } else {
    const userDataDir = await mkdtemp(join(tmpdir(), 'upload-e2e-profile-'));
    context = await chromium.launchPersistentContext(userDataDir, { ...launch, ...options });
    t.after(async () => {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to connect/i.test(text)) problems.push(`CSP: ${text}`);
    // Requests that fail on purpose (injected faults, offline windows, cut connections) log as errors too;
    // anything else the page or the browser reports as an error is a problem.
    else if (message.type() === 'error' && !/^Failed to load resource|net::ERR_/.test(text)) problems.push(`console error: ${text}`);
  });
  return { context, page, problems };
}

/**
 * Signs in through the page's own "Sign in" button: oidc-client-ts redirects to the local provider's
 * authorize endpoint (code + PKCE), the test fills in the provider's form, and the page finishes the
 * code exchange. Resolves to the authorize request's URL.
 */
export async function signIn(page, stack, user = stack.users[0]) {
  await page.goto(stack.pageUrl);
  const authorize = page.waitForRequest((request) => request.url().startsWith(`${stack.issuer}/auth`));
  await page.locator('#sign-in-large').click();
  const authorizeUrl = new URL((await authorize).url());
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#user-name', { hasText: user.name }).waitFor({ timeout: 30_000 });
  return authorizeUrl;
}

/**
 * The CORS headers the upload bucket's rule (as the templates give it) puts on an answer to the page, for
 * answers a test fakes with a Playwright route: the page then sees exactly the headers real answers expose.
 */
export function s3CorsHeaders(stack) {
  const rule = stack.world.uploadBucket.settings.cors.find((r) => r.AllowedOrigins.includes(stack.pageOrigin));
  return { 'access-control-allow-origin': stack.pageOrigin, 'access-control-expose-headers': (rule.ExposeHeaders ?? []).join(', ') };
}

/** Remembers the key the API gave each file name (from the page's POST /uploads answers). */
export function watchKeys(page, stack) {
  const keys = new Map();
  page.on('response', async (response) => {
    if (response.url() !== `${stack.apiUrl}/uploads` || response.request().method() !== 'POST' || !response.ok()) return;
    const { fileName } = JSON.parse(response.request().postData());
    keys.set(fileName, (await response.json()).key);
  });
  return keys;
}

/** The list row of a file. */
export function row(page, name) {
  return page.locator('#file-list > li').filter({ hasText: name });
}

/** Waits until the file's row is in `state` (uploading, retrying, paused, failed, done, cancelled). */
export async function waitForState(page, name, state, timeout = 120_000) {
  await page.locator(`#file-list > li[data-state="${state}"]`).filter({ hasText: name }).waitFor({ timeout });
}

/** UploadPart requests the page sends, as part numbers, for keys containing `fragment`. */
export function watchParts(page, fragment) {
  const parts = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    const part = url.searchParams.get('partNumber');
    if (part && request.method() === 'PUT' && decodeURIComponent(url.pathname).includes(fragment)) parts.push(Number(part));
  });
  return parts;
}

/** Whether a request is one of the page's S3 calls for a key containing `fragment`. */
export function isS3(stack, request, fragment) {
  return request.url().startsWith(stack.s3Endpoint) && decodeURIComponent(new URL(request.url()).pathname).includes(fragment);
}
