// Sign in as the demo user through the page and the local OpenID Provider, upload a 200 kB file (one PutObject),
// a 64 MiB and a 1 GiB generated file (multipart), and read them back from the emulator as the bucket owner:
// same size, same SHA-256. The page claims a verified checksum only where S3's answer reported one. The CRC-32
// worker runs its WebAssembly CRC32 under the CSP local mode serves it with (the template's worker behavior),
// and every part's x-amz-checksum-crc32 is the CRC32 of that part's bytes (moto does not check them; S3 does).
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { MiB, browser, localMode, ownerView, randomFile, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('the demo user signs in with code + PKCE and uploads 200 kB, 64 MiB and 1 GiB intact', { timeout: 15 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  // The page's step measures (web/src/uploader/trace.ts): the worker's checksum measures say which CRC-32 code ran.
  await page.addInitScript(() => sessionStorage.setItem('upload:trace', '1'));
  // Each file's part size (from its POST /uploads answer) and the CRC32 the page sent with each of its parts.
  const partSizes = new Map();
  const sentPartChecksums = new Map();
  page.on('response', async (response) => {
    if (response.url() !== `${stack.apiUrl}/uploads` || response.request().method() !== 'POST' || !response.ok()) return;
    partSizes.set(JSON.parse(response.request().postData()).fileName, (await response.json()).partSize);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.href.startsWith(stack.s3Endpoint) || request.method() !== 'PUT' || !url.searchParams.has('partNumber')) return;
    const name = decodeURIComponent(url.pathname).split('/').pop();
    if (!sentPartChecksums.has(name)) sentPartChecksums.set(name, new Map());
    sentPartChecksums.get(name).set(Number(url.searchParams.get('partNumber')), request.headers()['x-amz-checksum-crc32']);
  });

  const authorize = await signIn(page, stack);
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorize.searchParams.get('code_challenge'), 'the authorize request carries a PKCE challenge');

  const tiny = await randomFile(dir, 'poster.jpg', 200_000);
  const small = await randomFile(dir, 'clip-64.bin', 64 * MiB);
  const large = await randomFile(dir, 'take-1g.bin', 1024 * MiB);
  // What S3 answered to each file's last request (PutObject or CompleteMultipartUpload): did it report a CRC32?
  const s3Methods = new Map();
  const reportedChecksum = new Map();
  page.on('response', (response) => {
    const request = response.request();
    const url = new URL(response.url());
    if (!url.href.startsWith(stack.s3Endpoint) || request.method() === 'OPTIONS' || !response.ok()) return;
    const name = decodeURIComponent(url.pathname).split('/').pop();
    const call = request.method() === 'PUT' && !url.searchParams.has('partNumber') ? 'PutObject'
      : request.method() === 'POST' && url.searchParams.has('uploadId') ? 'CompleteMultipartUpload' : undefined;
    if (!call) return;
    s3Methods.set(name, call);
    const body = call === 'CompleteMultipartUpload' ? response.text() : Promise.resolve('');
    reportedChecksum.set(name, body.then((text) => Boolean(response.headers()['x-amz-checksum-crc32']) || /<ChecksumCRC32>/.test(text)));
  });
  const started = Date.now();
  await page.locator('#file-input').setInputFiles([tiny.path, small.path, large.path]);
  await waitForState(page, tiny.name, 'done', 5 * 60_000);
  await waitForState(page, small.name, 'done', 5 * 60_000);
  await waitForState(page, large.name, 'done', 12 * 60_000);
  t.diagnostic(`200 kB + 64 MiB + 1 GiB uploaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(Object.fromEntries(s3Methods), { [tiny.name]: 'PutObject', [small.name]: 'CompleteMultipartUpload', [large.name]: 'CompleteMultipartUpload' });
  for (const file of [tiny, small, large]) {
    const claimsVerified = /CRC32 checksum verified/.test(await row(page, file.name).textContent());
    assert.ok(!claimsVerified || (await reportedChecksum.get(file.name)), `${file.name}: the page claims a verified checksum only when S3 reported one`);
  }

  const workerChecksums = await page.evaluate(() => performance.getEntriesByName('checksum in the worker (queue included)', 'measure').map((entry) => entry.detail));
  const crc32Implementations = workerChecksums.map((detail) => detail?.crc32);
  const partsSent = [...sentPartChecksums.values()].reduce((sum, parts) => sum + parts.size, 0);
  assert.ok(crc32Implementations.length > partsSent, `every part and the small file were checksummed in the worker (${crc32Implementations.length} measures, ${partsSent} parts)`);
  assert.deepEqual(new Set(crc32Implementations), new Set(['wasm']), 'the worker computed every CRC32 with WebAssembly, which its CSP allows');
  assert.deepEqual(new Set(workerChecksums.map((detail) => detail?.read)), new Set(['byob']), 'the worker read every part with its BYOB reader (no read stalled)');
  for (const file of [small, large]) {
    const sent = sentPartChecksums.get(file.name);
    const partSize = partSizes.get(file.name);
    assert.equal(sent.size, Math.ceil(file.size / partSize), `${file.name}: every part was sent`);
    for (const [partNumber, checksum] of sent) {
      const expected = await crc32OfRange(file.path, (partNumber - 1) * partSize, Math.min(file.size, partNumber * partSize));
      assert.equal(checksum, expected, `${file.name} part ${partNumber}: the CRC32 the page sent is that of the part's bytes`);
    }
  }

  const owner = ownerView(stack);
  for (const file of [tiny, small, large]) {
    const key = keys.get(file.name);
    assert.match(key, new RegExp(`^uploads/[a-z0-9]+/[0-9a-f-]{36}/${file.name.replace('.', '\\.')}$`), 'the API chose the key under the user\'s prefix');
    const stored = await owner.object(key);
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 }, `${file.name} is stored byte for byte`);
  }
  assert.deepEqual(await owner.openUploads(), [], 'no multipart upload is left open');
  assert.deepEqual(problems, []);
});

/** The CRC32 of the bytes from `start` to `end` (exclusive) of a file, as S3 writes it (4 big-endian bytes, base64). */
async function crc32OfRange(path, start, end) {
  let value = 0;
  for await (const chunk of createReadStream(path, { start, end: end - 1 })) value = crc32(chunk, value);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes.toString('base64');
}
