// Creates in moto what world.mjs described from the templates, the way CloudFormation would create it in AWS:
// the upload bucket with its settings, the execution role and the upload role with their policies. It knows
// nothing of CloudFormation; each resource kind is created by one function here from its description.
//
// Two steps differ from AWS on purpose (local/README.md, "What differs from AWS", lists all differences):
// 1. Lambda's service assumes the execution role for the function. Locally that AssumeRole runs inside moto's
//    unauthenticated start-up window (INITIAL_NO_AUTH_ACTION_COUNT), because moto cannot evaluate a trust
//    policy whose principal is a service.
// 2. AWS matches a trust policy's role principal against every session of that role; moto compares the
//    caller's session ARN literally. The upload role's trust therefore also lists the execution role's local
//    session ARN, next to the role ARN the template names.
// 3. moto authorizes DynamoDB and EventBridge requests against Resource "*" only, and a transaction by its own
//    operation name, so a statement naming a table would never match. Each role also gets those statements
//    with Resource "*" and moto's operation names (unscopedStatements).
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand, PutBucketCorsCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand,
  PutBucketAccelerateConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketOwnershipControlsCommand, PutBucketTaggingCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';

/**
 * The calls made before moto starts authenticating requests: start moto with this INITIAL_NO_AUTH_ACTION_COUNT.
 * Three for the admin user, then two per function local mode runs (create its execution role, assume it).
 */
export function noAuthActions(world) {
  return 3 + 2 * (1 + world.queueConsumers.length);
}
const ADMIN_USER = 'local-admin';
const EXECUTION_SESSION_NAME = 'local-lambda-runtime';

/** AWS SDK clients for moto at `endpoint`, signing with `credentials` ({accessKeyId, secretAccessKey, sessionToken?}). */
export function motoClients(endpoint, region, credentials) {
  const common = { endpoint, region, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient(common),
    sts: new STSClient(common),
    kms: new KMSClient(common),
    dynamodb: new DynamoDBClient(common),
    sqs: new SQSClient(common),
    events: new EventBridgeClient(common),
    // Checksums only where S3 requires them: the calls here are small and moto need not learn newer algorithms.
    s3: new S3Client({ ...common, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
  };
}

/** The SDK's camel-case credentials from STS's or IAM's answer. */
export function sdkCredentials(key) {
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, ...(key.SessionToken ? { sessionToken: key.SessionToken } : {}) };
}

/**
 * Provisions moto (started moments ago with INITIAL_NO_AUTH_ACTION_COUNT = noAuthActions(world)) from the description
 * `describe(kmsKeyArns)` gives: first with no key ARNs, then, when the app has KMS keys, again with the ARNs of
 * the keys created here (moto picks their ids), so that every reference to a key names the one that exists.
 * Returns { world, admin, executionSession, executionSessionArn, consumerSessions }: the description provisioned,
 * the bucket owner's key (an IAM user allowed everything, standing for the deploying account), the credentials
 * function's execution role session, and each queue consumer function's (by its path).
 */
export async function provision(describe, endpoint) {
  let world = describe({});
  const { region } = world.environment;
  // Any key passes in moto's unauthenticated window (the SDK marks the object it is given, so a fresh one).
  const bootstrap = motoClients(endpoint, region, { accessKeyId: 'AKIALOCALBOOTSTRAP', secretAccessKey: 'bootstrap' });

  // moto's unauthenticated window: exactly noAuthActions(world) calls.
  await bootstrap.iam.send(new CreateUserCommand({ UserName: ADMIN_USER })); // 1
  await bootstrap.iam.send(new PutUserPolicyCommand({ // 2
    UserName: ADMIN_USER,
    PolicyName: 'everything',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  }));
  const { AccessKey } = await bootstrap.iam.send(new CreateAccessKeyCommand({ UserName: ADMIN_USER })); // 3
  const admin = { AccessKeyId: AccessKey.AccessKeyId, SecretAccessKey: AccessKey.SecretAccessKey };
  await createRole(bootstrap.iam, world.executionRole); // 4
  // What Lambda's service does for the function: assume its execution role (difference 1 above).
  const session = await bootstrap.sts.send(new AssumeRoleCommand({ // 5
    RoleArn: world.executionRole.arn, RoleSessionName: EXECUTION_SESSION_NAME, DurationSeconds: 43200,
  }));
  const executionSession = { AccessKeyId: session.Credentials.AccessKeyId, SecretAccessKey: session.Credentials.SecretAccessKey, SessionToken: session.Credentials.SessionToken };
  const executionSessionArn = session.AssumedRoleUser.Arn;
  const consumerSessions = {};
  for (const { function: fn } of world.queueConsumers) {
    await createRole(bootstrap.iam, fn.executionRole); // 6, 8, ...
    const assumed = await bootstrap.sts.send(new AssumeRoleCommand({ // 7, 9, ...
      RoleArn: fn.executionRole.arn, RoleSessionName: EXECUTION_SESSION_NAME, DurationSeconds: 43200,
    }));
    consumerSessions[fn.path] = { AccessKeyId: assumed.Credentials.AccessKeyId, SecretAccessKey: assumed.Credentials.SecretAccessKey, SessionToken: assumed.Credentials.SessionToken };
  }

  // From here on every request is authenticated: the admin user stands for the deploying account.
  const owner = motoClients(endpoint, region, sdkCredentials(admin));
  if (world.kmsKeys.length > 0) world = describe(await createKeys(owner.kms, world.kmsKeys));
  await createRole(owner.iam, world.uploadRole, withSessionPrincipal(world.uploadRole.trustPolicy, world.executionRole.arn, executionSessionArn));
  await putRolePolicies(owner.iam, world.executionRole);
  await putRolePolicies(owner.iam, world.uploadRole);
  await createBucket(owner.s3, world.uploadBucket, region);
  for (const table of world.tables) await createTable(owner.dynamodb, table);
  for (const { function: fn } of world.queueConsumers) await putRolePolicies(owner.iam, fn.executionRole);
  for (const bus of world.eventBuses) {
    await owner.events.send(new CreateEventBusCommand({ Name: bus.name, Description: bus.description, Tags: bus.tags }));
  }
  await createQueues(owner.sqs, world.queues);
  for (const rule of world.rules) await createRule(owner.events, rule);
  return { world, admin, executionSession, executionSessionArn, consumerSessions };
}

/** Every KMS key with its policy, rotation and tags; returns the ARN moto gave each, by `<stack>/<logical id>`. */
async function createKeys(kms, keys) {
  const arns = {};
  for (const key of keys) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({
      Description: key.description,
      Policy: JSON.stringify(key.policy),
      Tags: key.tags.map((tag) => ({ TagKey: tag.Key, TagValue: tag.Value })),
    }));
    if (key.enableKeyRotation) await kms.send(new EnableKeyRotationCommand({ KeyId: KeyMetadata.KeyId }));
    arns[key.path] = KeyMetadata.Arn;
  }
  return arns;
}

async function createRole(iam, role, trustPolicy = role.trustPolicy) {
  if (role.permissionBoundary) throw new Error(`${role.path}: permissions boundaries have no local translation in local/lib/provision.mjs`);
  await iam.send(new CreateRoleCommand({
    RoleName: role.name,
    Path: role.rolePath,
    AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
    Description: role.description ?? '',
    MaxSessionDuration: role.maxSessionDuration,
    Tags: role.tags,
  }));
}

/**
 * Every policy attached to the role, as an inline role policy (moto evaluates those like any identity policy),
 * and, where moto cannot match a resource (difference 3 above), the copy unscopedStatements makes.
 */
async function putRolePolicies(iam, role) {
  for (const { name, policyName, source, policy } of role.identityPolicies) {
    if (source === 'AWS::IAM::ManagedPolicy') throw new Error(`${role.path}: managed policy ${name} has no local translation in local/lib/provision.mjs`);
    await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: policyName, PolicyDocument: JSON.stringify(policy) }));
  }
  const unscoped = unscopedStatements(role.identityPolicies.map((p) => p.policy));
  if (unscoped.length > 0) {
    await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: UNSCOPED_POLICY_NAME, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: unscoped }) }));
  }
}

/** Services whose requests moto authorizes against Resource "*" only (it determines a resource for S3, SQS, IAM and STS). */
const SERVICES_MOTO_CANNOT_SCOPE = ['dynamodb', 'events'];
export const UNSCOPED_POLICY_NAME = 'local-moto-unscoped';

/**
 * IAM authorizes a DynamoDB transaction by the actions on its items; moto authorizes it by the operation's own
 * name. What those item actions allow, moto also needs under that name.
 */
const MOTO_OPERATION_NAMES = {
  'dynamodb:GetItem': ['dynamodb:TransactGetItems'],
  'dynamodb:PutItem': ['dynamodb:TransactWriteItems'],
  'dynamodb:UpdateItem': ['dynamodb:TransactWriteItems'],
  'dynamodb:DeleteItem': ['dynamodb:TransactWriteItems'],
  'dynamodb:ConditionCheckItem': ['dynamodb:TransactWriteItems'],
};

/**
 * The Allow statements whose actions are all in services moto cannot scope, with Resource "*" and the operation
 * names moto checks: the same permissions, on any resource. Without them moto would refuse every such call,
 * because it compares the statement's resource with "*"; local mode therefore enforces which actions a role may
 * take there, not on what (local/README.md, "What differs from AWS").
 */
export function unscopedStatements(policies) {
  return policies.flatMap((policy) => [policy.Statement].flat())
    .filter((s) => s.Effect === 'Allow' && s.Resource !== undefined && JSON.stringify(s.Resource) !== '"*"'
      && [s.Action].flat().every((action) => SERVICES_MOTO_CANNOT_SCOPE.includes(action.split(':')[0])))
    .map(({ Resource, Action, ...statement }) => {
      const actions = [Action].flat();
      return { ...statement, Action: [...new Set([...actions, ...actions.flatMap((a) => MOTO_OPERATION_NAMES[a] ?? [])])], Resource: '*' };
    });
}

/** The trust policy with `sessionArn` added wherever `roleArn` is an AWS principal (difference 2 above). */
export function withSessionPrincipal(trust, roleArn, sessionArn) {
  const copy = structuredClone(trust);
  for (const statement of [copy.Statement].flat()) {
    const aws = statement.Principal?.AWS;
    const listed = [aws ?? []].flat();
    if (listed.includes(roleArn)) statement.Principal.AWS = [...listed, sessionArn];
  }
  return copy;
}

/** Every queue, then their redrive policies (a dead-letter queue must exist before a queue names it). */
async function createQueues(sqs, queues) {
  for (const queue of queues) {
    await sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: queue.attributes, tags: queue.tags }));
  }
  for (const queue of queues.filter((q) => q.redrivePolicy)) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify(queue.redrivePolicy) } }));
  }
}

async function createRule(events, rule) {
  await events.send(new PutRuleCommand({
    Name: rule.name, EventBusName: rule.eventBusName, EventPattern: JSON.stringify(rule.eventPattern), State: rule.state,
    Description: rule.description, Tags: rule.tags,
  }));
  if (rule.targets.length > 0) {
    await events.send(new PutTargetsCommand({ Rule: rule.name, EventBusName: rule.eventBusName, Targets: rule.targets }));
  }
}

async function createTable(dynamodb, table) {
  await dynamodb.send(new CreateTableCommand(table.create));
  if (table.timeToLive) {
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLive } }));
  }
}

async function createBucket(s3, bucket, region) {
  const Bucket = bucket.name;
  const { cors, lifecycle, encryption, publicAccessBlock, ownershipControls, eventBridge, accelerate, tags } = bucket.settings;
  await s3.send(new CreateBucketCommand({ Bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }) }));
  if (cors) await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: cors } }));
  if (lifecycle) await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: lifecycle } }));
  if (encryption) await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: encryption } }));
  if (publicAccessBlock) await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: publicAccessBlock }));
  if (ownershipControls) await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: ownershipControls }));
  if (eventBridge) await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
  if (accelerate) await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: accelerate } }));
  if (tags?.length) await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tags } }));
}

/** Assumes `roleArn` as `credentials` (STS's shape) and returns the session's keys in STS's shape, with Expiration. */
export async function assumeRole(endpoint, region, credentials, roleArn, sessionName, durationSeconds = 900) {
  const { sts } = motoClients(endpoint, region, sdkCredentials(credentials));
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: durationSeconds }));
  return { AccessKeyId: Credentials.AccessKeyId, SecretAccessKey: Credentials.SecretAccessKey, SessionToken: Credentials.SessionToken, Expiration: Credentials.Expiration.toISOString() };
}
