// The upload ledger's limits through local mode, as a script meets them: the credentials API on the Lambda's own
// jar with moto's DynamoDB, the verifier on its queue. Grants come from scripts/upload-credentials; objects are
// written with the vended credentials; the lists are read with each user's own access token.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { cliEnv, localMode, ownerAws, repoRoot, s3As, tempDir, waitUntil } from '../lib/harness.mjs';

const run = promisify(execFile);
const uploadCredentials = join(repoRoot, 'scripts', 'upload-credentials');

test('the ledger bounds what a user may hold open, refreshes only open grants and lists only the caller\'s own', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t, { verifier: true });
  const aws = ownerAws(stack);
  const maxOpen = Number(stack.world.credentialsFunction.environment.MAX_OPEN_UPLOADS_PER_USER);
  const [alice, bob] = stack.users;
  const envOf = { [alice.username]: await cliEnv(stack, await tempDir(t), alice), [bob.username]: await cliEnv(stack, await tempDir(t), bob) };

  /** POST /uploads as `user`: the API's answer, or the script's failure (its stderr names status and error). */
  const start = async (user, fileName, size) => JSON.parse((await run(uploadCredentials,
    ['start', '--file-name', fileName, '--size', String(size)], { env: envOf[user.username] })).stdout);
  /** GET /uploads as `user`, with an access token from the same sign-in the script uses. */
  const list = async (user) => {
    const token = (await run('python3', ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); from api_token import access_token; print(access_token())',
      join(repoRoot, 'scripts')], { env: envOf[user.username] })).stdout.trim();
    const response = await fetch(`${stack.apiUrl}/uploads?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, `GET /uploads as ${user.username}`);
    return (await response.json()).uploads;
  };
  const ownerOf = (key) => key.split('/')[1];

  await t.test('a refresh after the upload completed is refused with 409, naming the state', async () => {
    const grant = await start(alice, 'done.bin', 10);
    assert.deepEqual(await s3As(stack, grant.credentials, 'put', grant.key, 10), { ok: true });
    await waitUntil(async () => (await aws.grant(grant.key))?.state === 'completed',
      `the grant of ${grant.key} to be completed`);
    await assert.rejects(
      run(uploadCredentials, ['process', '--key', grant.key], { env: envOf[alice.username] }),
      (error) => /HTTP 409: grant_not_open/.test(error.stderr) && /completed/.test(error.stderr),
      'the refresh names 409 grant_not_open and the state');
  });

  await t.test('GET /uploads shows each user only their own uploads', async () => {
    const bobs = await start(bob, 'bob.bin', 5);
    const alices = await start(alice, 'alice.bin', 5);
    const aliceList = await list(alice);
    const bobList = await list(bob);
    assert.ok(aliceList.some((upload) => upload.key === alices.key), 'alice sees her upload');
    assert.ok(bobList.some((upload) => upload.key === bobs.key), 'bob sees his upload');
    assert.deepEqual([...new Set(aliceList.map((upload) => ownerOf(upload.key)))], [ownerOf(alices.key)], 'alice sees no one else\'s');
    assert.deepEqual([...new Set(bobList.map((upload) => ownerOf(upload.key)))], [ownerOf(bobs.key)], 'bob sees no one else\'s');
  });

  await t.test(`one more open upload than maxOpenUploadsPerUser (${maxOpen}) is refused with 429 quota_exceeded`, async () => {
    let open = (await list(alice)).filter((upload) => upload.state === 'granted').length;
    assert.ok(open < maxOpen, `alice starts below the limit (${open} open)`);
    for (; open < maxOpen; open += 1) await start(alice, `open-${open}.bin`, 1);
    await assert.rejects(
      start(alice, 'one-too-many.bin', 1),
      (error) => /HTTP 429: quota_exceeded/.test(error.stderr) && error.stderr.includes(`at most ${maxOpen} uploads may be open at once`),
      'the start over the limit names 429 quota_exceeded and the limit');
    assert.equal((await list(alice)).filter((upload) => upload.state === 'granted').length, maxOpen,
      'the refused start wrote no grant');
  });
});
