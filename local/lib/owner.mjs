// The upload bucket as its owner sees it (the admin user local mode creates), for the tests and benchmarks
// that check what the page or the CLI left there.
import { createHash } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand, GetBucketAccelerateConfigurationCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { motoClients, sdkCredentials } from './provision.mjs';

/** @param {{s3Endpoint: string, region: string, bucket: string, admin: object}} stack a running local mode */
export function ownerView(stack) {
  const { s3 } = motoClients(stack.s3Endpoint, stack.region, sdkCredentials(stack.admin));
  const Bucket = stack.bucket;
  const head = async (Key) => {
    try {
      return await s3.send(new HeadObjectCommand({ Bucket, Key }));
    } catch (error) {
      if (error.$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  };
  const openUploads = async () => {
    const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    return Uploads.map(({ Key, UploadId }) => ({ Key, UploadId }));
  };
  return {
    /** Size, SHA-256 (read through), content type, ETag, the CRC32 checksum S3 reports and user metadata of an object. */
    async object(Key) {
      const object = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of object.Body) {
        hash.update(chunk);
        size += chunk.length;
      }
      return {
        size, sha256: hash.digest('hex'), contentType: object.ContentType, etag: object.ETag, checksumCRC32: object.ChecksumCRC32,
        metadata: object.Metadata ?? {},
      };
    },
    /** The multipart uploads still open: [{Key, UploadId}]. */
    openUploads,
    /** The bucket's Transfer Acceleration state as S3 reports it: 'Enabled', 'Suspended' or undefined (never set). */
    accelerateStatus: async () => (await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status,
    exists: async (Key) => (await head(Key)) !== undefined,
    /** The part numbers S3 holds for the open multipart upload(s) of `Key`. */
    async parts(Key) {
      const numbers = [];
      for (const upload of (await openUploads()).filter((u) => u.Key === Key)) {
        let marker;
        do {
          const page = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId: upload.UploadId, PartNumberMarker: marker }));
          numbers.push(...(page.Parts ?? []).map((p) => p.PartNumber));
          marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
        } while (marker !== undefined);
      }
      return numbers.sort((a, b) => a - b);
    },
    /** {size} of an object without reading it, or {size: null} when there is none. */
    size: async (Key) => ({ size: (await head(Key))?.ContentLength ?? null }),
    /** Deletes the object (moto keeps objects in memory, so benchmarks drop theirs). */
    delete: (Key) => s3.send(new DeleteObjectCommand({ Bucket, Key })),
  };
}

/**
 * The ledger table, the queues and the bucket as the deploying account reaches them, for the tests of the
 * verifier's path: items as plain { name: string } objects (numbers as strings), one message at a time.
 */
export function ownerAws(stack) {
  const { s3, dynamodb, sqs, events } = motoClients(stack.s3Endpoint, stack.region, sdkCredentials(stack.admin));
  const queueUrl = (name) => `${stack.s3Endpoint}/${stack.world.environment.accountId}/${name}`;
  const plain = (item) => item && Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? v.N ?? v.BOOL ?? v]));
  const getItem = async (TableName, owner, item) => plain((await dynamodb.send(new GetItemCommand({
    TableName, Key: { owner: { S: owner }, item: { S: item } }, ConsistentRead: true,
  }))).Item);
  return {
    putObject: (Key, Body) => s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key, Body })),
    headObject: (Key) => s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key })),
    putItem: (TableName, item) => dynamodb.send(new PutItemCommand({
      TableName,
      Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, /^\d+$/.test(v) && k !== 'owner' && k !== 'item' ? { N: v } : { S: v }])),
    })),
    getItem,
    /** The ledger's grant item for an object key `uploads/<owner>/<uploadId>/<file>`, read consistently; undefined if none. */
    grant(key) {
      const [, owner, uploadId] = key.split('/');
      return getItem(stack.world.credentialsFunction.environment.LEDGER_TABLE, owner, `upload#${uploadId}`);
    },
    /**
     * A new queue `name` that receives what a new rule on `busName` matches with `pattern`, as a consumer of the
     * app's events sets it up (README.md, "Events"): the queue policy lets events.amazonaws.com send from that rule.
     */
    async subscribe(busName, name, pattern) {
      const ruleArn = `arn:aws:events:${stack.region}:${stack.world.environment.accountId}:rule/${busName}/${name}`;
      const queueArn = `arn:aws:sqs:${stack.region}:${stack.world.environment.accountId}:${name}`;
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } }],
      };
      await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy: JSON.stringify(policy) } }));
      await events.send(new PutRuleCommand({ Name: name, EventBusName: busName, EventPattern: JSON.stringify(pattern) }));
      await events.send(new PutTargetsCommand({ Rule: name, EventBusName: busName, Targets: [{ Id: name, Arn: queueArn }] }));
    },
    setVisibilityTimeout: (name, seconds) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl(name), Attributes: { VisibilityTimeout: String(seconds) } })),
    /** One message from the queue (then deleted), or undefined after a one-second wait. */
    async receiveOne(name) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(name), MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) return undefined;
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl(name), ReceiptHandle: Messages[0].ReceiptHandle }));
      return Messages[0];
    },
  };
}
