// The ledger's event path in local mode, as the templates wire it in AWS: the upload bucket's Object Created
// events go to EventBridge, the rule sends those under uploads/ to the verifier's queue, and local mode's poller
// invokes the verifier's jar (the one cdk.out deploys) with SQS events. The grants are written straight into the
// ledger table here, as the credentials function writes them. Checked: a granted upload is completed; an object
// without a grant is rejected and deleted; a message the verifier keeps failing on is received again after the
// visibility timeout and ends in the dead-letter queue after maxReceiveCount receives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localMode, ownerAws, ownerView, waitUntil } from '../lib/harness.mjs';

const OWNER = 'e2eowner';

test('the verifier, fed by the bucket events through EventBridge and SQS', { timeout: 10 * 60_000 }, async (t) => {
  const stack = await localMode(t, { consumers: true });
  const aws = ownerAws(stack);
  const owner = ownerView(stack);
  const [consumer] = stack.world.queueConsumers;
  const poller = stack.pollers.get(consumer.function.logicalId);
  const table = stack.world.tables[0].name;
  const grant = (uploadId, key, declaredSize, state = 'granted') => aws.putItem(table, {
    owner: OWNER, item: `upload#${uploadId}`, key, declaredSize: String(declaredSize), state,
    fileName: 'clip.bin', contentType: 'application/octet-stream', createdAt: new Date().toISOString(),
  });

  await t.test('an upload with its grant is completed in the ledger and stays', async () => {
    const uploadId = '0190a0b0-0000-7000-8000-000000000001';
    const key = `uploads/${OWNER}/${uploadId}/clip.bin`;
    await grant(uploadId, key, 11);
    await aws.putObject(key, 'eleven byte');
    const item = await waitUntil(async () => {
      const stored = await aws.getItem(table, OWNER, `upload#${uploadId}`);
      return stored?.state === 'completed' ? stored : undefined;
    }, 'the grant to be completed');
    assert.equal(item.etag, (await aws.headObject(key)).ETag.replaceAll('"', ''));
    assert.equal(await owner.exists(key), true, 'the object stays');
  });

  await t.test('an object without a grant is rejected and deleted', async () => {
    const key = `uploads/${OWNER}/0190a0b0-0000-7000-8000-000000000002/stray.bin`;
    await aws.putObject(key, 'no grant for this');
    await waitUntil(async () => !(await owner.exists(key)), 'the object to be deleted');
    assert.ok(poller.invocations.some((i) => i.failed.length === 0), 'the verifier answered without failures');
  });

  await t.test('a message the verifier keeps failing on is received again, then moved to the dead-letter queue', async () => {
    // A grant no writer of this project produces: the verifier cannot read it and asks for the message again.
    const uploadId = '0190a0b0-0000-7000-8000-000000000003';
    const key = `uploads/${OWNER}/${uploadId}/bad.bin`;
    await grant(uploadId, key, 3, 'no-such-state');
    // AWS's 360 s visibility timeout would make five receives take half an hour; the redrive is the same at 1 s.
    const queue = stack.world.queues.find((q) => q.arn === consumer.queueArn);
    await aws.setVisibilityTimeout(queue.name, 1);
    const before = poller.invocations.length;
    await aws.putObject(key, 'bad');
    const deadLetters = stack.world.queues.find((q) => q.arn === queue.redrivePolicy.deadLetterTargetArn);
    const moved = await waitUntil(() => aws.receiveOne(deadLetters.name), 'the message in the dead-letter queue', 60_000)
      .catch((error) => { throw new Error(`${error.message}; invocations since: ${JSON.stringify(poller.invocations.slice(before))}; log: ${stack.logs[`function:${consumer.function.logicalId}`].slice(-3).join(' | ')}`); });
    assert.equal(JSON.parse(moved.Body).detail.object.key, key);
    const failures = poller.invocations.slice(before).filter((i) => i.failed.length > 0);
    assert.equal(failures.length, queue.redrivePolicy.maxReceiveCount, `received ${queue.redrivePolicy.maxReceiveCount} times, each reported as a batch item failure`);
    assert.equal(await owner.exists(key), true, 'a message the verifier could not handle leaves the object alone');
  });
});
