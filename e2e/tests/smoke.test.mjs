// The ops smoke test (scripts/smoke-test) against local mode, signed in as the demo user, with the
// bucket owner's keys in its environment so that it also reads the object back and deletes it; once with
// the default settings and once synthesized with uploadBucketEncryption=KMS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { localMode, ownerView, repoRoot, synthesizedWith, tempDir } from '../lib/harness.mjs';

const run = promisify(execFile);
const smokeTest = join(repoRoot, 'scripts', 'smoke-test');

/** Runs scripts/smoke-test against `stack` as its demo user Alice; resolves to { stdout } or rejects. */
async function runSmokeTest(stack, dir, envChanges = {}) {
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
    ...envChanges,
  };
  return run(smokeTest, ['--api', stack.apiUrl, '--bucket', stack.bucket, '--endpoint-url', stack.s3Endpoint, '--emulator'], { env });
}

/** The checks every passing run prints, under any bucket encryption. */
const PASSING_RUN = [/ok {3}signed in/, /ok {3}UploadPart 1: S3 took it with its SHA-256/, /ok {3}UploadPart x 3/,
  /ok {3}ListParts lists parts \[1, 2, 3\]/, /ok {3}CompleteMultipartUpload .*ETag "[^"]+-3" \(3 parts\)/,
  /ok {3}writing outside uploads\/ is denied \(AccessDenied\)/, /ok {3}the upload credentials cannot read the object back/,
  /ok {3}the stored object keeps the SHA-256 checksum S3 verified/, /ok {3}its SHA-256 matches/, /smoke test passed/];

async function assertPassedAndCleanedUp(stack, stdout) {
  for (const expected of PASSING_RUN) assert.match(stdout, expected);
  const key = /deleted (\S+)/.exec(stdout)[1];
  assert.equal(await ownerView(stack).exists(key), false, 'the smoke object was deleted');
  assert.deepEqual(await ownerView(stack).openUploads(), []);
}

test('the ops smoke test passes against local mode and leaves nothing behind', { timeout: 3 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const { stdout } = await runSmokeTest(stack, dir);
  t.diagnostic(stdout);
  await assertPassedAndCleanedUp(stack, stdout);
  assert.match(stdout, /ok {3}it is encrypted as the bucket's default says: AES256\n/);

  const wrongPassword = await runSmokeTest(stack, dir, { OIDC_PASSWORD: 'wrong' }).catch((error) => error);
  assert.equal(wrongPassword.code, 1);
  assert.match(wrongPassword.stderr, /FAIL the provider refused the password of alice/);
});

test('with uploadBucketEncryption=KMS the smoke test passes and the object is encrypted with the stack\'s key', { timeout: 8 * 60_000 }, async (t) => {
  const cdkOut = await synthesizedWith(t, { uploadBucketEncryption: 'KMS' });
  const stack = await localMode(t, { cdkOut });
  const keyArn = stack.world.credentialsFunction.environment.UPLOAD_KMS_KEY_ARN;
  assert.match(keyArn, /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/, 'the handler is given the key moto created');

  const { stdout } = await runSmokeTest(stack, await tempDir(t));
  t.diagnostic(stdout);
  await assertPassedAndCleanedUp(stack, stdout);
  assert.ok(stdout.includes(`ok   it is encrypted as the bucket's default says: aws:kms with key ${keyArn}\n`), stdout);
});
