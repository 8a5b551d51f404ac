// Screenshots of the built page mid-upload, at desktop width and at 360 px, in Debian's Chromium.
//
// Serves web/dist on 127.0.0.1 (ephemeral port) with the production Content-Security-Policy, and answers
// config.json, the OIDC provider, the credentials API and S3 through Playwright request interception:
// a realistic, slow fake that speaks S3's multipart protocol and CORS. It signs in through the real
// authorization code + PKCE redirect, uploads three files (one finishes, one is caught at ~40%, one
// waits in the queue) and fails if the page breaks the CSP or sends a header outside the CORS list.
//
// Usage: npm run screenshot (builds first; CHROMIUM=/path/to/chromium to use another browser)
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { AUTHORITY, CLIENT_ID, launchChromium, partSizeFor, routeConfig, routeOidc, serveDist, watchPage, webDir } from './fake-site.mjs';

const outDir = join(webDir, 'docs');
const API = 'https://api.example.test';
const BUCKET = 'upload-bucket';
const REGION = 'eu-west-1';
const S3_ORIGIN = `https://${BUCKET}.s3.${REGION}.amazonaws.com`;

// What the bucket's CORS rule allows and exposes: the lists the report gives to the infra.
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-amz-checksum-algorithm', 'x-amz-checksum-crc32', 'x-amz-checksum-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-meta-original-name', 'x-amz-security-token'];
const EXPOSE_HEADERS = ['ETag', 'x-amz-checksum-crc32'];
// Headers the browser itself adds to requests; CORS never needs them listed.
const BROWSER_HEADERS = new Set(['accept', 'accept-language', 'origin', 'referer', 'user-agent', 'content-length', 'host', 'connection', 'accept-encoding']);

const FILES = [
  { name: 'product-launch-trailer.mp4', size: 86 * 1000 * 1000 },
  { name: 'keynote-2025-4k.mov', size: 1_260_000_000 },
  { name: 'drone-footage-raw.mp4', size: 3_900_000_000 },
];
/** Seconds per part per connection: with 4 connections, about 24 MB/s. */
const PART_SECONDS = 1.4;

const problems = [];
const note = (text) => problems.push(text);

async function main() {
  const fileDir = await mkdtemp(join(tmpdir(), 'upload-shots-'));
  const server = await serveDist([AUTHORITY, API, S3_ORIGIN]);
  let browser;
  try {
    const paths = [];
    for (const file of FILES) {
      const path = join(fileDir, file.name);
      const handle = await open(path, 'w');
      await handle.truncate(file.size); // sparse: no disk space, reads as zeros
      await handle.close();
      paths.push(path);
    }

    browser = await launchChromium();
    const { page } = browser;
    watchPage(page, problems);
    const s3 = new FakeS3();
    await routeConfig(page, server.origin, {
      region: REGION,
      apiUrl: API,
      bucket: BUCKET,
      auth: { authority: AUTHORITY, clientId: CLIENT_ID, scope: 'openid email profile', signOutUrl: `${AUTHORITY}/logout?client_id=${CLIENT_ID}` },
      upload: { concurrency: 4 },
    });
    await routeOidc(page, server.origin, problems);
    await routeApi(page);
    await page.route(`${S3_ORIGIN}/**`, (route) => s3.handle(route));

    await page.goto(`${server.origin}/`);
    await page.getByRole('button', { name: 'Sign in' }).first().click();
    await page.getByText('Maria Silva').waitFor();
    await page.locator('#file-input').setInputFiles(paths);

    const rows = page.locator('#file-list > li');
    await rows.nth(0).locator('.file-state', { hasText: 'Done' }).waitFor({ timeout: 60_000 });
    await waitForPercent(page, 1, 40);
    s3.hold = true; // answer no more parts: the page stays at ~40% for both pictures
    await page.waitForTimeout(300);

    await page.screenshot({ path: join(outDir, 'screenshot-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'screenshot-360.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) note(`the page is ${overflow}px wider than a 360px screen`);

    const sentHeaders = [...s3.requestHeaders].sort();
    const unlisted = sentHeaders.filter((h) => !ALLOWED_HEADERS.includes(h));
    if (unlisted.length > 0) note(`S3 requests carried headers outside AllowedHeaders: ${unlisted.join(', ')}`);
    console.log(`S3 request headers seen: ${sentHeaders.join(', ')}`);
    console.log(`S3 operations seen: ${[...s3.operations].sort().join(', ')}; at most ${s3.maxPartsInFlight} parts in flight`);
    s3.release();
  } finally {
    await browser?.close();
    await server.close();
    await rm(fileDir, { recursive: true, force: true });
  }
  for (const file of ['screenshot-desktop.png', 'screenshot-360.png']) {
    console.log(`wrote web/docs/${file} (${Math.round((await stat(join(outDir, file))).size / 1024)} KB)`);
  }
  if (problems.length > 0) {
    console.error(`\nProblems:\n- ${problems.join('\n- ')}`);
    process.exitCode = 1;
  }
}

/** The credentials API: a key per file and 15-minute credentials. */
async function routeApi(page) {
  let uploads = 0;
  await page.route(`${API}/**`, async (route) => {
    const request = route.request();
    const cors = {
      'access-control-allow-origin': request.headers().origin ?? '*',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-allow-methods': 'POST',
    };
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    if (request.headers().authorization !== 'Bearer demo-access-token') return route.fulfill({ status: 401, headers: cors, json: { error: 'unauthorized', message: 'no token' } });
    const body = request.postDataJSON();
    const path = new URL(request.url()).pathname;
    const key = path === '/uploads' ? `uploads/user-0001/${String(++uploads).padStart(4, '0')}/${body.fileName}` : body.key;
    const partSize = partSizeFor(body.size ?? 0);
    return route.fulfill({
      headers: cors,
      json: {
        bucket: BUCKET,
        region: REGION,
        key,
        ...(path === '/uploads' ? { partSize } : {}),
        credentials: {
          Version: 1,
          AccessKeyId: 'ASIADEMO',
          SecretAccessKey: 'demo-secret',
          SessionToken: 'demo-session-token',
          Expiration: new Date(Date.now() + 15 * 60_000).toISOString(),
        },
      },
    });
  });
}

/** S3's multipart calls, with CORS and per-part latency. Never reads part bodies: Chromium keeps big ones. */
class FakeS3 {
  uploads = new Map();
  requestHeaders = new Set();
  operations = new Set();
  hold = false;
  partsInFlight = 0;
  maxPartsInFlight = 0;
  #waiting = [];

  release() {
    this.hold = false;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  async handle(route) {
    const request = route.request();
    const origin = request.headers().origin ?? '*';
    const cors = { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS.join(', '), vary: 'Origin' };
    if (request.method() === 'OPTIONS') {
      const asked = (request.headers()['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
      for (const header of asked) this.requestHeaders.add(header);
      return route.fulfill({
        status: 200,
        headers: { ...cors, 'access-control-allow-methods': 'GET, PUT, POST, DELETE', 'access-control-allow-headers': ALLOWED_HEADERS.join(', '), 'access-control-max-age': '3600' },
      });
    }
    for (const header of Object.keys(request.headers())) {
      if (!BROWSER_HEADERS.has(header) && !header.startsWith('sec-')) this.requestHeaders.add(header);
    }
    const url = new URL(request.url());
    const key = decodeURIComponent(url.pathname.slice(1));
    const q = url.searchParams;
    const xml = (body) => route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });

    if (request.method() === 'POST' && q.has('uploads')) {
      this.operations.add('CreateMultipartUpload');
      const uploadId = `demo-upload-${this.uploads.size + 1}`;
      this.uploads.set(uploadId, new Map());
      return xml(`<InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (request.method() === 'PUT' && q.has('partNumber')) {
      this.operations.add('UploadPart');
      const checksum = request.headers()['x-amz-checksum-crc32'];
      this.maxPartsInFlight = Math.max(this.maxPartsInFlight, ++this.partsInFlight);
      await new Promise((done) => setTimeout(done, PART_SECONDS * 1000));
      if (this.hold) await new Promise((resume) => this.#waiting.push(resume));
      this.partsInFlight -= 1;
      this.uploads.get(q.get('uploadId'))?.set(Number(q.get('partNumber')), checksum);
      return route.fulfill({ status: 200, headers: { ...cors, etag: `"etag-${q.get('partNumber')}"`, 'x-amz-checksum-crc32': checksum } });
    }
    if (request.method() === 'PUT') {
      this.operations.add('PutObject');
      return route.fulfill({ status: 200, headers: { ...cors, etag: '"etag-put"' } });
    }
    if (request.method() === 'POST' && q.has('uploadId')) {
      this.operations.add('CompleteMultipartUpload');
      const parts = this.uploads.get(q.get('uploadId')) ?? new Map();
      const binary = Buffer.concat([...parts.keys()].sort((a, b) => a - b).map((n) => Buffer.from(parts.get(n), 'base64')));
      const composite = Buffer.alloc(4);
      composite.writeUInt32BE(crc32(binary));
      return xml(`<CompleteMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><ETag>"demo-${parts.size}"</ETag><ChecksumCRC32>${composite.toString('base64')}-${parts.size}</ChecksumCRC32><ChecksumType>COMPOSITE</ChecksumType></CompleteMultipartUploadResult>`);
    }
    note(`unexpected S3 request ${request.method()} ${url.pathname}${url.search}`);
    return route.fulfill({ status: 400, headers: cors, body: '<Error><Code>NotImplemented</Code></Error>' });
  }
}

async function waitForPercent(page, row, percent) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const text = await page.locator('#file-list > li').nth(row).locator('.file-percent').textContent();
    if (Number.parseInt(text ?? '0', 10) >= percent) return;
    if (Date.now() > deadline) throw new Error(`row ${row} stayed at ${text}`);
    await page.waitForTimeout(100);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
