// Faults while uploading: aborted connections, 500 and 503 answers from S3, an offline window (CDP),
// credentials that expire mid-upload while the first refresh fails, a permanent denial, cancel, and a CRC-32
// worker that may not compile its WebAssembly.
// Every upload ends intact in the bucket, or in a clear failure state with nothing half-written left.
//
// Each subtest has a page of its own with its own fault (local mode is shared). The faults are Playwright
// routes: a routed request never reaches moto, so a retried request is the first that S3 sees. (With routes
// on, Playwright answers CORS preflights itself; resume.test.mjs and upload.test.mjs cover the bucket's real
// CORS rule.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, isS3, localMode, ownerView, randomFile, row, s3CorsHeaders, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

function s3Error(code, message) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>e2e-fault</RequestId></Error>`;
}

function kind(request) {
  const url = new URL(request.url());
  const method = request.method();
  if (method === 'PUT' && url.searchParams.has('partNumber')) return `part${url.searchParams.get('partNumber')}`;
  if (method === 'POST' && url.searchParams.has('uploads')) return 'create';
  if (method === 'POST' && url.searchParams.has('uploadId')) return 'complete';
  if (method === 'DELETE') return 'abort';
  if (method === 'GET' && url.searchParams.has('uploadId')) return 'listParts';
  return method;
}

/** An access key id from a SigV4 Authorization header. */
function accessKeyOf(request) {
  return /Credential=([^/]+)\//.exec(request.headers().authorization ?? '')?.[1];
}

/**
 * A page of its own for one subtest, signed in, whose S3 requests meet `fault`: (file name, request kind,
 * attempt number) -> what to do ({type: 'abort'} or {type: 'fulfill', status, code}), or undefined to pass.
 * Closed when the subtest ends, so no subtest sees another's page, routes or fault.
 */
async function faultyPage(t, stack, fault) {
  const { page, context, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  page.on('dialog', (dialog) => dialog.accept());
  await signIn(page, stack);
  const attempts = new Map();
  const injected = [];
  const cors = s3CorsHeaders(stack);
  await page.route(`${stack.s3Endpoint}/**`, async (route) => {
    const request = route.request();
    const name = decodeURIComponent(new URL(request.url()).pathname).split('/').pop();
    const what = kind(request);
    const attempt = (attempts.get(`${name} ${what}`) ?? 0) + 1;
    attempts.set(`${name} ${what}`, attempt);
    const action = fault(name, what, attempt);
    if (!action) return route.continue();
    injected.push(`${name} ${what} #${attempt}: ${action.type}`);
    if (action.type === 'abort') return route.abort('connectionreset');
    return route.fulfill({ status: action.status, headers: { ...cors, 'content-type': 'application/xml' }, body: s3Error(action.code, action.code) });
  });
  return { page, context, problems, keys, attempts, injected };
}

/** Throttles (bytes per second, -1 for none) or cuts the page's network through the DevTools protocol. */
async function networkOf(context, page) {
  const cdp = await context.newCDPSession(page);
  return (offline, uploadThroughput = -1) => cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput });
}

const firstPartAccepted = (page, file) => page.waitForResponse((r) => r.ok() && r.url().includes(file.name) && new URL(r.url()).searchParams.has('partNumber'));
// The row reads Cancelled before its AbortMultipartUpload is answered (upload-job.ts), so a check of what S3
// holds waits for that answer.
const abortAnswered = (page, file) => page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes(file.name));

test('faults while uploading', { timeout: 15 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const owner = ownerView(stack);

  const expectStored = async (keys, file) => {
    const stored = await owner.object(keys.get(file.name));
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 }, `${file.name} is stored byte for byte`);
  };

  await t.test('aborted connections and 500 and 503 answers: the upload completes intact', async (st) => {
    const file = await randomFile(dir, 'flaky.bin', 40 * MiB);
    const plan = {
      'create 1': { type: 'fulfill', status: 503, code: 'SlowDown' },
      'part2 1': { type: 'abort' },
      'part3 1': { type: 'fulfill', status: 500, code: 'InternalError' },
      'part4 1': { type: 'fulfill', status: 503, code: 'ServiceUnavailable' },
      'part4 2': { type: 'abort' },
      'complete 1': { type: 'fulfill', status: 500, code: 'InternalError' },
    };
    const { page, keys, injected, problems } = await faultyPage(st, stack, (name, what, attempt) => (name === file.name ? plan[`${what} ${attempt}`] : undefined));
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'done', 4 * 60_000);
    assert.equal(injected.length, Object.keys(plan).length, `every planned fault happened: ${injected}`);
    await expectStored(keys, file);
    assert.deepEqual(problems, []);
  });

  await t.test('an offline window: the page shows it is offline and retrying, then completes intact', async (st) => {
    const file = await randomFile(dir, 'offline.bin', 40 * MiB);
    const { page, context, keys, problems } = await faultyPage(st, stack, () => undefined);
    const network = await networkOf(context, page);
    await network(false, 8 * MiB);
    const first = firstPartAccepted(page, file);
    await page.locator('#file-input').setInputFiles([file.path]);
    await first;
    await network(true);
    // The state the page must reach: the row retrying, with the reason that the browser is offline.
    await waitForState(page, file.name, 'retrying', 60_000);
    await row(page, file.name).getByText('The browser is offline', { exact: false }).waitFor({ timeout: 60_000 });
    await network(false);
    await waitForState(page, file.name, 'done', 4 * 60_000);
    await expectStored(keys, file);
    assert.deepEqual(problems, []);
  });

  await t.test('credentials expire mid-upload and the first refresh fails: the page refreshes and finishes', async (st) => {
    const file = await randomFile(dir, 'expiring.bin', 40 * MiB);
    const { page, keys, problems } = await faultyPage(st, stack, (name, what, attempt) =>
      (name === file.name && what === 'part3' && attempt === 1 ? { type: 'fulfill', status: 400, code: 'ExpiredToken' } : undefined));
    let refreshes = 0;
    await page.route(`${stack.apiUrl}/uploads/refresh`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      refreshes += 1;
      if (refreshes > 1) return route.continue();
      return route.fulfill({
        status: 503,
        headers: { 'access-control-allow-origin': stack.pageOrigin, 'access-control-expose-headers': 'retry-after', 'retry-after': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'sts_unavailable', message: 'injected by the test' }),
      });
    });
    const keysUsed = [];
    page.on('request', (request) => {
      if (isS3(stack, request, file.name) && request.method() !== 'OPTIONS') keysUsed.push(accessKeyOf(request));
    });
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'done', 4 * 60_000);
    assert.ok(refreshes >= 2, `the page asked for fresh credentials again after a failed refresh (${refreshes} refresh calls)`);
    const distinct = [...new Set(keysUsed)];
    assert.ok(distinct.length >= 2, `requests after the refresh are signed with new credentials (${distinct.join(', ')})`);
    await expectStored(keys, file);
    assert.deepEqual(problems, []);
  });

  await t.test('a permanent denial ends in a clear failure; cancel then leaves nothing behind', async (st) => {
    const file = await randomFile(dir, 'denied.bin', 24 * MiB);
    let denying = true;
    const { page, keys, problems } = await faultyPage(st, stack, (name, what) =>
      (denying && name === file.name && what.startsWith('part') ? { type: 'fulfill', status: 403, code: 'AccessDenied' } : undefined));
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'failed', 2 * 60_000);
    assert.match(await row(page, file.name).textContent(), /S3 denied access: AccessDenied \(HTTP 403\)/);
    const key = keys.get(file.name);
    assert.ok((await owner.openUploads()).some((u) => u.Key === key), 'the failed upload is still open (Retry may continue it)');
    denying = false;
    const aborted = abortAnswered(page, file);
    await page.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await waitForState(page, file.name, 'cancelled');
    await aborted;
    assert.deepEqual((await owner.openUploads()).filter((u) => u.Key === key), [], 'AbortMultipartUpload removed it');
    assert.equal(await owner.exists(key), false, 'no object was written');
    assert.deepEqual(problems, []);
  });

  await t.test('cancel mid-upload: AbortMultipartUpload leaves no upload in ListMultipartUploads', async (st) => {
    const file = await randomFile(dir, 'cancelled.bin', 48 * MiB);
    const { page, context, keys, attempts, problems } = await faultyPage(st, stack, () => undefined);
    const network = await networkOf(context, page);
    await network(false, 8 * MiB);
    const first = firstPartAccepted(page, file);
    await page.locator('#file-input').setInputFiles([file.path]);
    await first;
    const key = keys.get(file.name);
    assert.ok((await owner.parts(key)).length >= 1, 'parts were stored before the cancel');
    const aborted = abortAnswered(page, file);
    await page.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await waitForState(page, file.name, 'cancelled');
    await aborted;
    assert.ok(attempts.get(`${file.name} abort`) >= 1, 'the page sent AbortMultipartUpload');
    assert.deepEqual((await owner.openUploads()).filter((u) => u.Key === key), [], 'ListMultipartUploads has no upload of the key');
    assert.equal(await owner.exists(key), false, 'no object was written');
    assert.deepEqual(problems, []);
  });

  await t.test("the CRC-32 worker served without 'wasm-unsafe-eval': it computes with JavaScript and the upload completes intact", async (st) => {
    const file = await randomFile(dir, 'no-wasm.bin', 20 * MiB);
    const { page, problems } = await browser(st);
    const keys = watchKeys(page, stack);
    await page.addInitScript(() => sessionStorage.setItem('upload:trace', '1'));
    // The worker's script with the page's own CSP, as a host without the worker behavior would serve it.
    const pageCsp = (await fetch(stack.pageUrl)).headers.get('content-security-policy');
    assert.doesNotMatch(pageCsp, /wasm-unsafe-eval/);
    await page.route(/\/assets\/crc32-worker-[^/]*\.js$/, async (route) => {
      const response = await route.fetch();
      assert.match(response.headers()['content-security-policy'], /'wasm-unsafe-eval'/, 'local mode serves the worker with its own CSP');
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': pageCsp } });
    });
    await signIn(page, stack);
    await page.locator('#file-input').setInputFiles([file.path]);
    await waitForState(page, file.name, 'done');
    const implementations = await page.evaluate(() => performance.getEntriesByName('checksum in the worker (queue included)', 'measure').map((entry) => entry.detail?.crc32));
    assert.ok(implementations.length >= 3, `the parts were checksummed in the worker (${implementations.length} measures)`);
    assert.deepEqual(new Set(implementations), new Set(['js']), 'the worker fell back to its JavaScript CRC32');
    await expectStored(keys, file);
    // Chromium reports the refused compilation; nothing else may go wrong.
    assert.deepEqual(problems.filter((problem) => !/WebAssembly/.test(problem)), []);
  });

  assert.deepEqual(await owner.openUploads(), [], 'no multipart upload is left open');
});
