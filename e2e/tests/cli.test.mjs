// The AWS CLI path: a profile whose credential_process is scripts/upload-credentials, and `aws s3 cp`
// of a 100 MiB file (multipart, above the CLI's 8 MiB threshold) into exactly the key the API gave.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { MiB, cliEnv, localMode, ownerView, randomFile, repoRoot, tempDir } from '../lib/harness.mjs';

const run = promisify(execFile);
const script = join(repoRoot, 'scripts', 'upload-credentials');

test('aws s3 cp uploads 100 MiB with credentials from credential_process into the key the API gave', { timeout: 5 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const dir = await tempDir(t);
  const [alice] = stack.users;
  const file = await randomFile(dir, 'cli upload.bin', 100 * MiB);

  const env = await cliEnv(stack, dir, alice);
  const started = JSON.parse((await run(script, ['start', '--file-name', file.name, '--size', String(file.size)], { env })).stdout);
  assert.match(started.key, /^uploads\/[a-z0-9]+\/[0-9a-f-]{36}\/cli_upload\.bin$/);

  const processOut = await run(script, ['process', '--key', started.key], { env });
  const credentials = JSON.parse(processOut.stdout);
  assert.deepEqual(Object.keys(credentials).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version']);
  assert.equal(credentials.Version, 1);
  assert.equal(processOut.stdout.trim().split('\n').length, 1, 'credential_process prints only the JSON');

  await writeFile(env.AWS_CONFIG_FILE, `[profile upload]\nregion = ${stack.region}\ncredential_process = ${script} process --key ${started.key}\n`);
  const cp = await run('aws', ['s3', 'cp', file.path, `s3://${started.bucket}/${started.key}`, '--profile', 'upload', '--endpoint-url', stack.s3Endpoint, '--no-progress'], { env, maxBuffer: 16 * MiB });
  assert.match(cp.stdout, /upload:/);

  const stored = await ownerView(stack).object(started.key);
  assert.deepEqual({ size: stored.size, sha256: stored.sha256 }, { size: file.size, sha256: file.sha256 });
  assert.match(stored.etag, /-\d+"$/, `a multipart upload's ETag (${stored.etag})`);

  const outside = await run('aws', ['s3', 'cp', file.path, `s3://${started.bucket}/elsewhere/${file.name}`, '--profile', 'upload', '--endpoint-url', stack.s3Endpoint, '--no-progress'], { env }).catch((error) => error);
  assert.notEqual(outside.code, 0, 'the same credentials cannot write outside uploads/');
  assert.match(outside.stderr, /AccessDenied/);
});
