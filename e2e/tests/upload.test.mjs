// Sign in as the demo user through the page and the local OpenID Provider, upload a 64 MiB and a 1 GiB
// generated file, and read both back from the emulator as the bucket owner: same size, same SHA-256.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiB, browser, localMode, ownerView, randomFile, signIn, tempDir, waitForState, watchKeys } from '../lib/harness.mjs';

test('the demo user signs in with code + PKCE and uploads 64 MiB and 1 GiB intact', { timeout: 15 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { page, problems } = await browser(t);
  const keys = watchKeys(page, stack);

  const authorize = await signIn(page, stack);
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorize.searchParams.get('code_challenge'), 'the authorize request carries a PKCE challenge');

  const small = await randomFile(dir, 'clip-64.bin', 64 * MiB);
  const large = await randomFile(dir, 'take-1g.bin', 1024 * MiB);
  const started = Date.now();
  await page.locator('#file-input').setInputFiles([small.path, large.path]);
  await waitForState(page, small.name, 'done', 5 * 60_000);
  await waitForState(page, large.name, 'done', 12 * 60_000);
  t.diagnostic(`64 MiB + 1 GiB uploaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const owner = ownerView(stack);
  for (const file of [small, large]) {
    const key = keys.get(file.name);
    assert.match(key, new RegExp(`^uploads/[a-z0-9]+/[0-9a-f-]{36}/${file.name.replace('.', '\\.')}$`), 'the API chose the key under the user\'s prefix');
    const stored = await owner.object(key);
    assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 }, `${file.name} is stored byte for byte`);
  }
  assert.deepEqual(await owner.openUploads(), [], 'no multipart upload is left open');
  assert.deepEqual(problems, []);
});
