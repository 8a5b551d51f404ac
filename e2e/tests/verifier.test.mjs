// The upload ledger's event path in local mode (startLocal({ verifier: true })), as the templates wire it in AWS:
// the upload bucket's Object Created events go to EventBridge, the default-bus rule sends those under uploads/
// to the verifier's queue, and local mode's poller invokes the verifier's jar (the one cdk.out deploys) with SQS
// events. Grants come from the API through scripts/upload-credentials, as a script gets them; the objects are
// written with the vended credentials. The app's events are read as a consumer would: from a queue of the
// test's own, attached to the app's bus by a rule (README.md, "Events").
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { appEvents, cliEnv, localMode, ownerAws, ownerView, repoRoot, s3As, tempDir, waitUntil } from '../lib/harness.mjs';

const run = promisify(execFile);
const EVENTS_QUEUE = 'e2e-upload-events';

test('the verifier completes or rejects what was written with a grant, fed by EventBridge and SQS', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t, { verifier: true });
  const aws = ownerAws(stack);
  const owner = ownerView(stack);
  const env = await cliEnv(stack, await tempDir(t));
  const table = stack.world.credentialsFunction.environment.LEDGER_TABLE;
  const [consumer] = stack.world.queueConsumers;
  const events = await appEvents(stack, aws, EVENTS_QUEUE);

  /** POST /uploads as alice; the API's answer (bucket, key, credentials, ...). */
  const start = async (fileName, size) => JSON.parse((await run(join(repoRoot, 'scripts', 'upload-credentials'),
    ['start', '--file-name', fileName, '--size', String(size)], { env })).stdout);
  const waitForState = (key, state) => waitUntil(async () => {
    const item = await aws.grant(key);
    return item?.state === state ? item : undefined;
  }, `the grant of ${key} to be ${state}`);

  await t.test('an upload of the declared size ends completed, with an Upload Completed event', async () => {
    const grant = await start('report.bin', 5000);
    assert.equal((await aws.grant(grant.key)).state, 'granted', 'the API wrote the grant');
    assert.deepEqual(await s3As(stack, grant.credentials, 'put', grant.key, 5000), { ok: true });
    const item = await waitForState(grant.key, 'completed');
    assert.equal(item.actualSize, '5000');
    assert.equal(item.etag, (await aws.headObject(grant.key)).ETag.replaceAll('"', ''));
    const event = await events.waitFor(grant.key);
    assert.equal(event['detail-type'], 'Upload Completed');
    assert.equal(event.source, 'multipart-upload-sts');
    assert.equal(event.detail.state, 'completed');
    assert.equal(event.detail.size, 5000);
    assert.equal(event.detail.declaredSize, 5000);
    assert.equal(event.detail.fileName, 'report.bin');
    assert.equal(await owner.exists(grant.key), true, 'the object stays');
  });

  await t.test('more bytes than declared, written straight with the vended credentials, end rejected and deleted', async () => {
    const grant = await start('small.bin', 100);
    assert.deepEqual(await s3As(stack, grant.credentials, 'put', grant.key, 4096), { ok: true }, 'S3 cannot refuse the extra bytes');
    const item = await waitForState(grant.key, 'rejected');
    assert.equal(item.reason, 'size_mismatch');
    await waitUntil(async () => !(await owner.exists(grant.key)), `${grant.key} to be deleted`);
    const event = await events.waitFor(grant.key);
    assert.equal(event['detail-type'], 'Upload Rejected');
    assert.equal(event.detail.reason, 'size_mismatch');
  });

  await t.test('a message the verifier keeps failing on is received maxReceiveCount times, then dead-lettered', async () => {
    const grant = await start('unreadable.bin', 3);
    // A grant state no writer of this project produces: the verifier cannot judge the object and names the
    // message in batchItemFailures, so it stays on the queue.
    const [, ownerSegment, uploadId] = grant.key.split('/');
    await aws.putItem(table, { ...(await aws.grant(grant.key)), owner: ownerSegment, item: `upload#${uploadId}`, state: 'no-such-state' });
    // AWS's visibility timeout (the template's) would make five receives take half an hour; at 1 s the redrive
    // is the same. A receive keeps the timeout it started with (moto's, as SQS's), so the object is written
    // only once a receive has started after the change.
    const queue = stack.world.queues.find((q) => q.arn === consumer.queueArn);
    const deadLetters = stack.world.queues.find((q) => q.arn === queue.redrivePolicy.deadLetterTargetArn);
    const poller = stack.pollers.get(consumer.function.logicalId);
    await aws.setVisibilityTimeout(queue.name, 1);
    const receivesAtChange = poller.receivesStarted;
    await waitUntil(() => poller.receivesStarted > receivesAtChange, 'a receive that started after the visibility timeout changed');
    const before = poller.invocations.length;
    assert.deepEqual(await s3As(stack, grant.credentials, 'put', grant.key, 3), { ok: true });
    const moved = await waitUntil(() => aws.receiveOne(deadLetters.name), 'the message in the dead-letter queue')
      .catch((error) => { throw new Error(`${error.message}; invocations since: ${JSON.stringify(poller.invocations.slice(before))}`); });
    assert.equal(JSON.parse(moved.Body).detail.object.key, grant.key);
    const failed = poller.invocations.slice(before).filter((i) => i.failed.includes(moved.MessageId));
    assert.equal(failed.length, queue.redrivePolicy.maxReceiveCount, `reported failed ${queue.redrivePolicy.maxReceiveCount} times: ${JSON.stringify(poller.invocations.slice(before))}`);
    assert.equal((await aws.grant(grant.key)).state, 'no-such-state', 'the ledger is untouched');
    assert.equal(await owner.exists(grant.key), true, 'a message the verifier could not judge leaves the object alone');
  });
});
