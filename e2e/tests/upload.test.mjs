// Sign in as the demo user through the page and the local OpenID Provider, upload a 200 kB file (one PutObject),
// a 64 MiB and a 1 GiB generated file (multipart), and read them back from the emulator as the bucket owner:
// same size, same SHA-256. The page claims a verified checksum only where S3's answer reported one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, ownerView, randomFile, row, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('the demo user signs in with code + PKCE and uploads 200 kB, 64 MiB and 1 GiB intact', { timeout: 15 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, problems } = await browser(t);
  const keys = watchKeys(page, stack);

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
