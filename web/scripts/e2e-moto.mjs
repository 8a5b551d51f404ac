// The built page in Debian's Chromium against moto: SigV4 signed by the browser, the bucket's own CORS
// rule (moto with DISABLE_GLOBAL_CORS=true) listing exactly the headers web/README.md gives, request
// authentication on, and a role allowed only PutObject, AbortMultipartUpload and ListMultipartUploadParts
// under uploads/. config.json, the OIDC provider and the credentials API are Playwright routes; the API
// hands out the role session that test-moto/moto_setup.py created.
//
// Checks: two files upload byte for byte (multipart and single PUT); a paused upload continues after a
// page reload by choosing the file again (ListParts, only missing parts sent); an offline spell is
// waited out. Usage: npm run e2e:moto (builds first; needs python3 with moto).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHORITY, CLIENT_ID, launchChromium, partSizeFor, routeConfig, routeOidc, serveDist, watchPage, webDir } from './fake-site.mjs';

const API = 'https://api.example.test';
const BUCKET = 'upload-bucket';
const REGION = 'eu-west-1';
const MiB = 1024 * 1024;
const problems = [];

function check(condition, message) {
  if (!condition) problems.push(message);
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`);
}

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startMoto() {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3', DISABLE_GLOBAL_CORS: 'true' },
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, moto };
    } catch {
      if (i > 100) throw new Error('moto did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function python(script, args) {
  return JSON.parse(execFileSync('python3', [join(webDir, 'test-moto', script), ...args], { encoding: 'utf8' }));
}

async function writeRandomFile(dir, name, size) {
  const bytes = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 65536) randomFillSync(bytes, offset, Math.min(65536, size - offset));
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, name, size, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function main() {
  const { endpoint, moto } = await startMoto();
  const server = await serveDist([AUTHORITY, API, endpoint]);
  const dir = await mkdtemp(join(tmpdir(), 'upload-e2e-'));
  let browser;
  try {
    const { admin, session } = python('moto_setup.py', [endpoint, BUCKET, server.origin]);
    const files = {
      clip: await writeRandomFile(dir, 'clip one.mp4', 20 * MiB + 1),
      poster: await writeRandomFile(dir, 'poster.jpg', 200_000),
      take: await writeRandomFile(dir, 'long-take.mov', 40 * MiB),
    };
    const keys = new Map();
    const calls = { start: 0, refresh: 0 };

    browser = await launchChromium();
    const { page, context } = browser;
    watchPage(page, problems);
    await routeConfig(page, server.origin, {
      region: REGION,
      apiUrl: API,
      bucket: BUCKET,
      auth: { authority: AUTHORITY, clientId: CLIENT_ID, scope: 'openid email profile' },
      s3: { endpoint, forcePathStyle: true },
      upload: { concurrency: 4 },
    });
    await routeOidc(page, server.origin, problems);
    await page.route(`${API}/**`, async (route) => {
      const request = route.request();
      const cors = { 'access-control-allow-origin': server.origin, 'access-control-allow-headers': 'authorization, content-type', 'access-control-allow-methods': 'POST' };
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      const body = request.postDataJSON();
      const isStart = new URL(request.url()).pathname === '/uploads';
      calls[isStart ? 'start' : 'refresh'] += 1;
      const key = isStart ? `uploads/user-0001/${calls.start}/${body.fileName}` : body.key;
      if (isStart) keys.set(body.fileName, key);
      return route.fulfill({
        headers: cors,
        json: { bucket: BUCKET, region: REGION, key, ...(isStart ? { partSize: partSizeFor(body.size) } : {}), credentials: { Version: 1, ...session } },
      });
    });

    const row = (name) => page.locator('#file-list > li').filter({ hasText: name });
    const waitState = (name, state, timeout = 60_000) => row(name).locator('.file-state', { hasText: state }).waitFor({ timeout });
    const stored = (name) => python('moto_inspect.py', [endpoint, BUCKET, admin.AccessKeyId, admin.SecretAccessKey, keys.get(name)]);

    await page.goto(`${server.origin}/`);
    await page.getByRole('button', { name: 'Sign in' }).first().click();
    await page.getByText('Maria Silva').waitFor();

    // 1. A multipart file and a single-request file.
    await page.locator('#file-input').setInputFiles([files.clip.path, files.poster.path]);
    await waitState(files.clip.name, 'Done');
    await waitState(files.poster.name, 'Done');
    for (const file of [files.clip, files.poster]) {
      const object = stored(file.name);
      check(object.size === file.size && object.sha256 === file.sha256, `${file.name} is stored byte for byte (${object.size} bytes)`);
    }
    check((await row(files.clip.name).textContent()).includes('CRC32 checksum verified') === false, 'moto reports no checksum on completion, and the page does not claim it verified one');

    // 2. Pause mid-upload, reload, choose the same file again: only the missing parts are sent.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 6 * MiB });
    const firstPartAccepted = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return response.request().method() === 'PUT' && url.searchParams.has('partNumber') && url.pathname.includes('long-take') && response.ok();
    });
    await page.locator('#file-input').setInputFiles([files.take.path]);
    await firstPartAccepted;
    await page.getByRole('button', { name: `Pause ${files.take.name}` }).click();
    await waitState(files.take.name, 'Paused');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await page.reload();
    await page.getByText('Maria Silva').waitFor();
    await page.locator('#saved').getByText(files.take.name).waitFor();
    check(true, 'after the reload the page lists the unfinished upload');
    const partsSent = [];
    page.on('request', (request) => {
      const part = new URL(request.url()).searchParams.get('partNumber');
      if (part && request.method() === 'PUT') partsSent.push(Number(part));
    });
    const startsBefore = calls.start;

    // 3. An offline spell while it continues.
    await page.locator('#file-input').setInputFiles([files.take.path]);
    await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.waitForTimeout(1500);
    const whileOffline = await row(files.take.name).locator('.file-state').textContent();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await waitState(files.take.name, 'Done');
    check(whileOffline !== 'Failed', `while offline the upload waits (state: ${whileOffline})`);
    check(calls.start === startsBefore, 'the resumed upload asked for no new key (it refreshed credentials for the saved one)');
    check(partsSent.length > 0 && partsSent.length < 5, `after the reload only ${partsSent.length} of 5 parts were sent (${partsSent.join(', ')})`);
    const object = stored(files.take.name);
    check(object.size === files.take.size && object.sha256 === files.take.sha256, `${files.take.name} is stored byte for byte after pause, reload and offline`);
    check(object.uploads.length === 0, 'no multipart upload is left open');
  } finally {
    await browser?.close();
    await server.close();
    moto.kill();
    await rm(dir, { recursive: true, force: true });
  }
  // Chromium logs the requests that the offline spell breaks as console errors; the page waits them out.
  const real = problems.filter((problem) => !/ERR_INTERNET_DISCONNECTED/.test(problem));
  if (real.length > 0) {
    console.error(`\nProblems:\n- ${real.join('\n- ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
