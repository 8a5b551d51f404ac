// What Lambda's SQS event source mapping does, for local mode: receive up to the mapping's batch size from the
// queue, invoke the function once with an SQS event of those messages, and delete the ones that succeeded. A
// failed invocation deletes nothing; with ReportBatchItemFailures only the messages the function names stay.
// Messages not deleted become visible again after the queue's visibility timeout and are received again, and
// moto moves one to the dead-letter queue when its receive count passes the redrive policy's maxReceiveCount,
// as SQS does. The function runs in its own JVM (LocalFunction), invoked over HTTP.
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';

/**
 * Starts polling; returns { stop(), invocations, receivesStarted } (each invocation: { messageIds, failed, error };
 * receivesStarted counts the ReceiveMessage calls sent, so a test that changes the queue's visibility timeout
 * can wait for a receive that started after the change: SQS applies the timeout a receive began with).
 * @param {object} options
 * @param {import('@aws-sdk/client-sqs').SQSClient} options.sqs signed as the function's execution role, as Lambda polls
 * @param {{queueArn: string, batchSize: number, maximumBatchingWindowSeconds: number, reportBatchItemFailures: boolean, function: {timeoutSeconds: number}}} options.consumer
 * @param {string} options.region
 * @param {string} options.endpoint moto's endpoint (queue URLs are <endpoint>/<account>/<name> there)
 * @param {string} options.invokeUrl LocalFunction's POST /invoke
 * @param {(line: string) => void} options.onLog
 */
export function pollQueue({ sqs, consumer, region, endpoint, invokeUrl, onLog }) {
  const invocations = [];
  const state = { receivesStarted: 0 };
  // arn:aws:sqs:<region>:<account>:<name>. The URL is built rather than asked for: Lambda's execution role needs
  // no sqs:GetQueueUrl, so the one the poller signs with may not have it.
  const [account, queueName] = consumer.queueArn.split(':').slice(4);
  const QueueUrl = `${endpoint}/${account}/${queueName}`;
  let stopped = false;
  const controller = new AbortController();

  const loop = (async () => {
    while (!stopped) {
      let messages;
      state.receivesStarted += 1;
      try {
        ({ Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: Math.min(10, consumer.batchSize),
          WaitTimeSeconds: Math.max(1, Math.min(20, consumer.maximumBatchingWindowSeconds)),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }), { abortSignal: controller.signal }));
      } catch (error) {
        if (stopped) return;
        onLog(`receive from ${queueName} failed: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      const failed = await invoke(messages);
      const done = messages.filter((m) => !failed.has(m.MessageId));
      // One DeleteMessage each: IAM authorizes a DeleteMessageBatch as sqs:DeleteMessage, moto by its own name.
      for (const message of done) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }))
          .catch((error) => onLog(`deleting message ${message.MessageId} from ${queueName} failed: ${error.message}`));
      }
    }
  })();

  /** Invokes the function with one SQS event; resolves to the ids of the messages that must stay on the queue. */
  async function invoke(messages) {
    const ids = messages.map((m) => m.MessageId);
    const event = {
      Records: messages.map((m) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        attributes: m.Attributes ?? {},
        messageAttributes: m.MessageAttributes ?? {},
        md5OfBody: m.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: consumer.queueArn,
        awsRegion: region,
      })),
    };
    const record = { messageIds: ids, failed: [], error: undefined };
    invocations.push(record);
    let answer;
    try {
      const response = await fetch(invokeUrl, {
        method: 'POST',
        body: JSON.stringify(event),
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout((consumer.function.timeoutSeconds + 5) * 1000)]),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`the function failed (HTTP ${response.status}): ${text}`);
      answer = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      // A function error or timeout fails the whole batch: nothing is deleted.
      record.error = error.message;
      record.failed = ids;
      onLog(`invocation for ${ids.length} message(s) of ${queueName} failed: ${error.message}`);
      return new Set(ids);
    }
    if (!consumer.reportBatchItemFailures) return new Set();
    // Lambda treats an answer it cannot read, or a failure naming no message of the batch, as a failed batch.
    const failures = answer?.batchItemFailures ?? [];
    const named = Array.isArray(failures) ? failures.map((f) => f?.itemIdentifier) : [undefined];
    if (named.some((id) => typeof id !== 'string' || !ids.includes(id))) {
      record.error = `unreadable batchItemFailures: ${JSON.stringify(failures)}`;
      record.failed = ids;
      return new Set(ids);
    }
    record.failed = named;
    return new Set(named);
  }

  return {
    invocations,
    get receivesStarted() { return state.receivesStarted; },
    async stop() {
      stopped = true;
      controller.abort();
      await loop.catch(() => {});
    },
  };
}
