// A synthesis with transferAcceleration=true in local mode: moto's bucket is accelerated as the template says,
// while the page keeps local mode's own S3 endpoint (moto has no accelerate host) and uploads through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, ownerView, randomFile, signIn, synthesizedWith, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('with transferAcceleration=true local mode accelerates the bucket and the page still uploads through moto', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t, { cdkOut: await synthesizedWith(t, { transferAcceleration: true }) });
  const owner = ownerView(stack);

  assert.deepEqual(stack.world.pageConfig.s3, { transferAcceleration: true }, 'the Web stack\'s config.json asks for the accelerate endpoint');
  assert.equal(await owner.accelerateStatus(), 'Enabled', 'moto\'s bucket is accelerated as the template says');

  const served = await fetch(`${stack.pageUrl}config.json`);
  assert.deepEqual((await served.json()).s3, { endpoint: stack.s3Endpoint, forcePathStyle: true }, 'local mode keeps its own endpoint');
  const connect = served.headers.get('content-security-policy').split('; ').find((d) => d.startsWith('connect-src '));
  assert.ok(connect.includes(stack.s3Endpoint), connect);
  assert.ok(!connect.includes('s3-accelerate'), connect);

  const dir = await tempDir(t);
  const file = await randomFile(dir, 'accelerated.bin', 12 * MiB);
  const { page, problems } = await browser(t);
  const keys = watchKeys(page, stack);
  await signIn(page, stack);
  await page.locator('#file-input').setInputFiles([file.path]);
  await waitForState(page, file.name, 'done', 3 * 60_000);
  const stored = await owner.object(keys.get(file.name));
  assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
  assert.deepEqual(problems, []);
});
