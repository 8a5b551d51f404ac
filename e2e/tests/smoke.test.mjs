// The ops smoke test (scripts/smoke-test) against local mode, signed in as the demo user, with the
// bucket owner's keys in its environment so that it also reads the object back and deletes it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { localMode, ownerView, repoRoot, tempDir } from '../lib/harness.mjs';

const run = promisify(execFile);

test('the ops smoke test passes against local mode and leaves nothing behind', { timeout: 3 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const [alice] = stack.users;
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    OIDC_ISSUER: stack.issuer,
    OIDC_CLIENT_ID: stack.clientId,
    OIDC_REDIRECT_URI: stack.pageUrl,
    OIDC_USERNAME: alice.username,
    OIDC_PASSWORD: alice.password,
    AWS_ACCESS_KEY_ID: stack.admin.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.admin.SecretAccessKey,
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  };
  const { stdout } = await run(join(repoRoot, 'scripts', 'smoke-test'),
    ['--api', stack.apiUrl, '--bucket', stack.bucket, '--endpoint-url', stack.s3Endpoint, '--emulator'], { env });
  t.diagnostic(stdout);
  for (const expected of [/ok {3}signed in/, /ok {3}UploadPart x 3/, /ok {3}ListParts lists parts \[1, 2, 3\]/, /ok {3}CompleteMultipartUpload/,
    /ok {3}writing outside uploads\/ is denied \(AccessDenied\)/, /ok {3}the upload credentials cannot read the object back/,
    /ok {3}its SHA-256 matches/, /smoke test passed/]) {
    assert.match(stdout, expected);
  }
  const key = /deleted (\S+)/.exec(stdout)[1];
  assert.equal(await ownerView(stack).exists(key), false, 'the smoke object was deleted');
  assert.deepEqual(await ownerView(stack).openUploads(), []);

  const wrongPassword = await run(join(repoRoot, 'scripts', 'smoke-test'), ['--api', stack.apiUrl, '--bucket', stack.bucket, '--endpoint-url', stack.s3Endpoint, '--emulator'],
    { env: { ...env, OIDC_PASSWORD: 'wrong' } }).catch((error) => error);
  assert.equal(wrongPassword.code, 1);
  assert.match(wrongPassword.stderr, /FAIL the provider refused the password of alice/);
});
