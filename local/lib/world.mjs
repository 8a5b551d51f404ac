// The one resolved description of the app that cdk.out describes: the credentials function (handler, limits,
// environment, execution role), the upload role and execution role with every policy attached to them, the
// buckets with their policies (and the upload bucket's settings in the S3 API's shapes), the HTTP API's
// routes, JWT authorizer and CORS, the sign-in client, the page's config.json and response headers.
// Local mode provisions moto from it (provision.mjs), the page's moto tests and the benchmarks run against
// that, and the isolation proof evaluates its policies. A template property it does not know stops it
// with a message naming the property, so a change to the stacks cannot silently go missing anywhere.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplates, TemplateError } from './templates.mjs';

export { TemplateError };

/** The account and partition local mode resolves in (moto's default account). */
export const LOCAL_ACCOUNT = Object.freeze({ accountId: '123456789012', partition: 'aws', urlSuffix: 'amazonaws.com' });

/** Reads cdk.out and describes it, resolved in `environment` (see templates.mjs). */
export function readWorld(cdkOut, environment) {
  return describeWorld(loadTemplates(cdkOut, environment));
}

/** @param {import('./templates.mjs').Templates} templates */
export function describeWorld(templates) {
  const fn = credentialsFunction(templates);
  const environment = templates.resolve(fn.stack, fn.properties.Environment.Variables);
  const roles = templates.resources('AWS::IAM::Role').map((role) => ({
    resource: role,
    name: templates.physicalId(role),
    arn: templates.getAtt(role.stack, role.logicalId, 'Arn'),
  }));
  const roleByArn = (arn, what) => {
    const found = roles.filter((role) => role.arn === arn);
    if (found.length !== 1) throw new TemplateError(`${what}: expected exactly one role with ARN ${arn} in the templates, found ${found.length}`);
    return describeRole(templates, found[0]);
  };
  const uploadRole = roleByArn(environment.UPLOAD_ROLE_ARN, 'UPLOAD_ROLE_ARN of the credentials function');
  const executionRole = roleByArn(templates.resolve(fn.stack, fn.properties.Role), 'the credentials function Role');
  const verifier = verifierFunction(templates);
  const verifierRole = roleByArn(templates.resolve(verifier.stack, verifier.properties.Role), 'the verifier function Role');

  const buckets = templates.resources('AWS::S3::Bucket').map((bucket) => ({
    stack: bucket.stack,
    logicalId: bucket.logicalId,
    name: templates.physicalId(bucket),
    arn: templates.getAtt(bucket.stack, bucket.logicalId, 'Arn'),
    path: `${bucket.stack}/${bucket.logicalId}`,
    policy: bucketPolicy(templates, bucket),
  }));
  const uploadBucket = buckets.find((bucket) => bucket.name === environment.UPLOAD_BUCKET_NAME);
  if (!uploadBucket) throw new TemplateError(`UPLOAD_BUCKET_NAME ${environment.UPLOAD_BUCKET_NAME} is no bucket in the templates`);
  if (!uploadBucket.policy) throw new TemplateError(`the upload bucket ${uploadBucket.path} has no bucket policy`);
  uploadBucket.settings = bucketSettings(templates, templates.resource(uploadBucket.stack, uploadBucket.logicalId), uploadBucket.policy);

  const logGroupName = fn.properties.LoggingConfig?.LogGroup ? templates.resolve(fn.stack, fn.properties.LoggingConfig.LogGroup) : undefined;
  const logGroup = templates.resources('AWS::Logs::LogGroup').find((group) => templates.physicalId(group) === logGroupName);

  return {
    environment: templates.env,
    functionName: templates.physicalId(fn),
    credentialsFunction: {
      stack: fn.stack,
      logicalId: fn.logicalId,
      handler: fn.properties.Handler,
      timeoutSeconds: fn.properties.Timeout ?? 3,
      memorySize: fn.properties.MemorySize ?? 128,
      environment,
      executionRoleArn: executionRole.arn,
    },
    // Set by the stack only with uploadBucketEncryption=KMS; the Lambda then adds kms statements to each session policy.
    kmsKeyArn: environment.UPLOAD_KMS_KEY_ARN,
    uploadRole,
    executionRole,
    verifierRole,
    ledgerTableArn: onlyArn(templates, 'AWS::DynamoDB::Table', 'the ledger table'),
    appBusArn: onlyArn(templates, 'AWS::Events::EventBus', "the app's event bus"),
    uploadBucket,
    buckets,
    logGroupArn: logGroup ? templates.getAtt(logGroup.stack, logGroup.logicalId, 'Arn') : undefined,
    kmsKeys: templates.resources('AWS::KMS::Key').map((key) => kmsKey(templates, key)),
    tables: templates.resources('AWS::DynamoDB::Table').map((table) => dynamoTable(templates, table)),
    eventBuses: templates.resources('AWS::Events::EventBus').map((bus) => eventBus(templates, bus)),
    queues: templates.resources('AWS::SQS::Queue').map((queue) => sqsQueue(templates, queue)),
    rules: templates.resources('AWS::Events::Rule').map((rule) => eventRule(templates, rule)),
    queueConsumers: templates.resources('AWS::Lambda::EventSourceMapping').map((mapping) => queueConsumer(templates, mapping, roleByArn)),
    api: httpApi(templates, fn.stack),
    signIn: signInClient(templates),
    pageConfig: pageConfig(templates),
    siteHeaders: siteHeaders(templates),
  };
}

/** Throws, naming the property, when `resource` has one outside `known`. */
function knownProperties(resource, known, what) {
  for (const name of Object.keys(resource.properties)) {
    if (!known.has(name)) throw new TemplateError(`${resource.stack}/${resource.logicalId}: ${what} property ${name} is not known to local/lib/world.mjs`);
  }
}

const FUNCTION_PROPERTIES = new Set(['Architectures', 'Code', 'Description', 'Environment', 'FunctionName', 'Handler', 'LoggingConfig',
  'MemorySize', 'Role', 'Runtime', 'SnapStart', 'Tags', 'Timeout']);

/** A Lambda function as local mode runs it: its handler, limits and environment, and its execution role. */
function lambdaFunction(templates, fn, roleByArn) {
  knownProperties(fn, FUNCTION_PROPERTIES, 'Lambda function');
  const executionRole = roleByArn(templates.resolve(fn.stack, fn.properties.Role), `${fn.stack}/${fn.logicalId} Role`);
  return {
    path: `${fn.stack}/${fn.logicalId}`,
    logicalId: fn.logicalId,
    name: templates.physicalId(fn),
    handler: fn.properties.Handler,
    timeoutSeconds: fn.properties.Timeout ?? 3,
    memorySize: fn.properties.MemorySize ?? 128,
    environment: templates.resolve(fn.stack, fn.properties.Environment?.Variables ?? {}),
    executionRole,
    // The jar the template deploys, as cdk.out holds it (asset.<S3 key>).
    jar: templates.dir && fn.properties.Code?.S3Key ? join(templates.dir, `asset.${fn.properties.Code.S3Key}`) : undefined,
  };
}

const BUS_PROPERTIES = new Set(['Name', 'Description', 'Tags']);

function eventBus(templates, bus) {
  knownProperties(bus, BUS_PROPERTIES, 'event bus');
  const props = templates.resolve(bus.stack, bus.properties);
  return { path: `${bus.stack}/${bus.logicalId}`, name: props.Name, description: props.Description, tags: props.Tags ?? [] };
}

const QUEUE_PROPERTIES = new Set(['QueueName', 'VisibilityTimeout', 'MessageRetentionPeriod', 'RedrivePolicy', 'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize', 'SqsManagedSseEnabled', 'Tags']);

/** An SQS queue in CreateQueue's shape (attributes as strings); its dead-letter queue by ARN. */
function sqsQueue(templates, queue) {
  knownProperties(queue, QUEUE_PROPERTIES, 'SQS queue');
  const props = templates.resolve(queue.stack, queue.properties);
  const attributes = {};
  for (const name of ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize', 'SqsManagedSseEnabled']) {
    if (props[name] !== undefined) attributes[name] = String(props[name]);
  }
  return {
    path: `${queue.stack}/${queue.logicalId}`,
    name: templates.physicalId(queue),
    arn: templates.getAtt(queue.stack, queue.logicalId, 'Arn'),
    attributes,
    redrivePolicy: props.RedrivePolicy,
    tags: Object.fromEntries((props.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
    policy: queuePolicy(templates, queue),
  };
}

/**
 * The queue's policy, checked: locally it is left out, so it may only deny requests without TLS (local mode is
 * plain HTTP) and let EventBridge rules send to it (moto delivers a rule's events without consulting it).
 */
function queuePolicy(templates, queue) {
  const url = templates.physicalId(queue);
  const policies = templates.resources('AWS::SQS::QueuePolicy').filter((p) => [templates.resolve(p.stack, p.properties.Queues)].flat().includes(url));
  const statements = policies.flatMap((p) => [templates.resolve(p.stack, p.properties.PolicyDocument).Statement].flat());
  const other = statements.filter((s) => !isTransportDeny(s) && !(s.Effect === 'Allow' && s.Principal?.Service === 'events.amazonaws.com'));
  if (other.length > 0) throw new TemplateError(`${queue.stack}/${queue.logicalId}'s queue policy has statements local mode cannot leave out: ${JSON.stringify(other)}`);
  return statements.length > 0 ? { statements } : undefined;
}

const RULE_PROPERTIES = new Set(['Name', 'Description', 'EventBusName', 'EventPattern', 'State', 'Targets', 'Tags']);

/** An EventBridge rule with its pattern and its targets (queues, by ARN). */
function eventRule(templates, rule) {
  knownProperties(rule, RULE_PROPERTIES, 'event rule');
  const props = templates.resolve(rule.stack, rule.properties);
  for (const target of props.Targets ?? []) {
    for (const name of Object.keys(target)) if (name !== 'Id' && name !== 'Arn') throw new TemplateError(`${rule.stack}/${rule.logicalId}: rule target property ${name} is not known to local/lib/world.mjs`);
  }
  return {
    path: `${rule.stack}/${rule.logicalId}`,
    name: props.Name ?? templates.physicalId(rule),
    description: props.Description,
    eventBusName: props.EventBusName ?? 'default',
    eventPattern: props.EventPattern,
    state: props.State ?? 'ENABLED',
    targets: props.Targets ?? [],
    tags: props.Tags ?? [],
  };
}

const MAPPING_PROPERTIES = new Set(['BatchSize', 'EventSourceArn', 'FunctionName', 'FunctionResponseTypes', 'MaximumBatchingWindowInSeconds', 'Enabled', 'Tags']);

/** An SQS event source mapping: the queue, the batch settings and the function it invokes. */
function queueConsumer(templates, mapping, roleByArn) {
  knownProperties(mapping, MAPPING_PROPERTIES, 'event source mapping');
  const props = templates.resolve(mapping.stack, mapping.properties);
  const fn = templates.resources('AWS::Lambda::Function').find((f) => templates.physicalId(f) === props.FunctionName);
  if (!fn) throw new TemplateError(`${mapping.stack}/${mapping.logicalId}: no function is named ${props.FunctionName}`);
  if (!props.EventSourceArn.startsWith(`arn:${templates.env.partition}:sqs:`)) {
    throw new TemplateError(`${mapping.stack}/${mapping.logicalId}: event source ${props.EventSourceArn} is not an SQS queue; local mode polls only queues`);
  }
  return {
    path: `${mapping.stack}/${mapping.logicalId}`,
    queueArn: props.EventSourceArn,
    batchSize: props.BatchSize ?? 10,
    maximumBatchingWindowSeconds: props.MaximumBatchingWindowInSeconds ?? 0,
    reportBatchItemFailures: (props.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    enabled: props.Enabled ?? true,
    function: lambdaFunction(templates, fn, roleByArn),
  };
}

function credentialsFunction(templates) {
  const functions = templates.resources('AWS::Lambda::Function').filter((fn) => fn.properties.Environment?.Variables?.UPLOAD_ROLE_ARN !== undefined);
  if (functions.length !== 1) {
    throw new TemplateError(`expected exactly one Lambda function with UPLOAD_ROLE_ARN in its environment, found ${functions.length}`);
  }
  return functions[0];
}

function verifierFunction(templates) {
  const functions = templates.resources('AWS::Lambda::Function')
    .filter((fn) => (fn.properties.Handler ?? '').startsWith('dev.multipartuploadsts.verifier.VerifierHandler::'));
  if (functions.length !== 1) throw new TemplateError(`expected exactly one Lambda function with the verifier's handler, found ${functions.length}`);
  return functions[0];
}

/** The ARN of the one resource of `type` in the app. */
function onlyArn(templates, type, what) {
  const found = templates.resources(type);
  if (found.length !== 1) throw new TemplateError(`${what}: expected exactly one ${type} in the templates, found ${found.length}`);
  return templates.getAtt(found[0].stack, found[0].logicalId, 'Arn');
}

const ROLE_PROPERTIES = new Set(['AssumeRolePolicyDocument', 'Description', 'MaxSessionDuration', 'Tags', 'RoleName', 'Path', 'Policies', 'ManagedPolicyArns', 'PermissionsBoundary']);

/** A role's trust policy, settings and every permission policy attached to it anywhere in the app, resolved. */
function describeRole(templates, role) {
  const { stack, logicalId, properties } = role.resource;
  const path = `${stack}/${logicalId}`;
  for (const key of Object.keys(properties)) {
    if (!ROLE_PROPERTIES.has(key)) throw new TemplateError(`${path}: role property ${key} is not known to local/lib/world.mjs`);
  }
  const identityPolicies = [];
  for (const inline of properties.Policies ?? []) {
    identityPolicies.push({ name: `${path} inline ${inline.PolicyName}`, policyName: inline.PolicyName, source: 'inline', policy: templates.resolve(stack, inline.PolicyDocument) });
  }
  const attachedTo = (resource, listProperty) => [templates.resolve(resource.stack, resource.properties[listProperty] ?? [])].flat().includes(role.name);
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::RolePolicy']) {
    for (const policy of templates.resources(type).filter((p) => attachedTo(p, type === 'AWS::IAM::Policy' ? 'Roles' : 'RoleName'))) {
      identityPolicies.push({
        name: `${policy.stack}/${policy.logicalId}`,
        policyName: templates.resolve(policy.stack, policy.properties.PolicyName),
        source: type,
        policy: templates.resolve(policy.stack, policy.properties.PolicyDocument),
      });
    }
  }
  const managed = templates.resources('AWS::IAM::ManagedPolicy');
  for (const policy of managed.filter((p) => attachedTo(p, 'Roles'))) {
    identityPolicies.push({ name: `${policy.stack}/${policy.logicalId}`, source: 'AWS::IAM::ManagedPolicy', policy: templates.resolve(policy.stack, policy.properties.PolicyDocument) });
  }
  const managedDocument = (arn, how) => {
    const policy = managed.find((p) => templates.physicalId(p) === arn);
    if (!policy) {
      // An AWS managed policy's document is not in the templates; evaluating without it would be a guess.
      throw new TemplateError(`${path} has ${how} ${arn}, whose document is not in the templates: teach local/lib/world.mjs about it`);
    }
    return { name: `${policy.stack}/${policy.logicalId}`, source: 'AWS::IAM::ManagedPolicy', policy: templates.resolve(policy.stack, policy.properties.PolicyDocument) };
  };
  for (const arn of templates.resolve(stack, properties.ManagedPolicyArns ?? [])) identityPolicies.push(managedDocument(arn, 'the managed policy'));
  const permissionBoundary = properties.PermissionsBoundary
    ? [managedDocument(templates.resolve(stack, properties.PermissionsBoundary), 'the permissions boundary')]
    : undefined;
  return {
    path,
    name: role.name,
    arn: role.arn,
    rolePath: properties.Path === undefined ? '/' : templates.resolve(stack, properties.Path),
    description: properties.Description === undefined ? undefined : templates.resolve(stack, properties.Description),
    maxSessionDuration: properties.MaxSessionDuration ?? 3600,
    tags: templates.resolve(stack, properties.Tags ?? []),
    trustPolicy: templates.resolve(stack, properties.AssumeRolePolicyDocument),
    identityPolicies,
    permissionBoundary,
  };
}

const KMS_KEY_PROPERTIES = new Set(['Description', 'KeyPolicy', 'EnableKeyRotation', 'Tags']);

/** A KMS key (uploadBucketEncryption=KMS): its policy, rotation and tags. */
function kmsKey(templates, key) {
  const path = `${key.stack}/${key.logicalId}`;
  for (const name of Object.keys(key.properties)) {
    if (!KMS_KEY_PROPERTIES.has(name)) throw new TemplateError(`${path}: KMS key property ${name} is not known to local/lib/world.mjs`);
  }
  const props = templates.resolve(key.stack, key.properties);
  return {
    path,
    arn: templates.getAtt(key.stack, key.logicalId, 'Arn'),
    description: props.Description ?? '',
    policy: props.KeyPolicy,
    enableKeyRotation: props.EnableKeyRotation === true,
    tags: props.Tags ?? [],
  };
}

const TABLE_PROPERTIES = new Set(['TableName', 'KeySchema', 'AttributeDefinitions', 'BillingMode', 'ProvisionedThroughput',
  'PointInTimeRecoverySpecification', 'SSESpecification', 'TimeToLiveSpecification', 'DeletionProtectionEnabled', 'Tags']);

/** A DynamoDB table (the upload ledger) in CreateTable's shape, with its TTL attribute. */
function dynamoTable(templates, table) {
  const path = `${table.stack}/${table.logicalId}`;
  for (const name of Object.keys(table.properties)) {
    if (!TABLE_PROPERTIES.has(name)) throw new TemplateError(`${path}: DynamoDB table property ${name} is not known to local/lib/world.mjs`);
  }
  const props = templates.resolve(table.stack, table.properties);
  const ttl = props.TimeToLiveSpecification;
  return {
    path,
    name: templates.physicalId(table),
    arn: templates.getAtt(table.stack, table.logicalId, 'Arn'),
    create: {
      TableName: templates.physicalId(table),
      KeySchema: props.KeySchema,
      AttributeDefinitions: props.AttributeDefinitions,
      BillingMode: props.BillingMode ?? 'PROVISIONED',
      ...(props.ProvisionedThroughput ? { ProvisionedThroughput: props.ProvisionedThroughput } : {}),
      ...(props.SSESpecification ? { SSESpecification: { Enabled: props.SSESpecification.SSEEnabled, ...(props.SSESpecification.SSEType ? { SSEType: props.SSESpecification.SSEType } : {}), ...(props.SSESpecification.KMSMasterKeyId ? { KMSMasterKeyId: props.SSESpecification.KMSMasterKeyId } : {}) } } : {}),
      ...(props.Tags?.length ? { Tags: props.Tags } : {}),
    },
    timeToLive: ttl?.Enabled ? ttl.AttributeName : undefined,
    // Point-in-time recovery and deletion protection guard data in AWS; an in-memory emulator has none to guard.
    leftOut: Object.keys(props).filter((name) => name === 'PointInTimeRecoverySpecification' || name === 'DeletionProtectionEnabled'),
  };
}

function bucketPolicy(templates, bucket) {
  const name = templates.physicalId(bucket);
  const policies = templates.resources('AWS::S3::BucketPolicy').filter((policy) => templates.resolve(policy.stack, policy.properties.Bucket) === name);
  if (policies.length > 1) throw new TemplateError(`bucket ${bucket.stack}/${bucket.logicalId} has ${policies.length} bucket policies`);
  return policies.length === 0 ? undefined : templates.resolve(policies[0].stack, policies[0].properties.PolicyDocument);
}

/** Bucket properties left out locally, with the reason (local/README.md lists them). */
export const BUCKET_PROPERTIES_LEFT_OUT = Object.freeze({
  MetricsConfigurations: 'S3 request metrics are published to CloudWatch, which local mode does not have',
  LoggingConfiguration: 'server access logs need the log bucket and a delivery moto does not have',
  BucketPolicy: 'its statements only deny requests without TLS, and local mode is plain HTTP on 127.0.0.1',
});

/**
 * The upload bucket's properties in the S3 API's shapes (what PutBucketCors and friends take). Any property,
 * or property of a rule, without a translation here stops it; so does a bucket policy statement other than
 * a TLS-only deny, since local mode leaves the bucket policy out.
 */
function bucketSettings(templates, bucket, policy) {
  const path = `${bucket.stack}/${bucket.logicalId}`;
  const props = templates.resolve(bucket.stack, bucket.properties);
  const unknown = (what, key) => new TemplateError(`${path}: ${what} property ${key} is not known to local/lib/world.mjs`);
  const settings = { leftOut: BUCKET_PROPERTIES_LEFT_OUT };
  for (const [key, value] of Object.entries(props)) {
    switch (key) {
      case 'BucketName':
      case 'LoggingConfiguration':
      case 'MetricsConfigurations':
        break;
      case 'CorsConfiguration': {
        const names = { AllowedHeaders: 'AllowedHeaders', AllowedMethods: 'AllowedMethods', AllowedOrigins: 'AllowedOrigins', ExposedHeaders: 'ExposeHeaders', Id: 'ID', MaxAge: 'MaxAgeSeconds' };
        settings.cors = value.CorsRules.map((rule) => Object.fromEntries(Object.entries(rule).map(([k, v]) => {
          if (!(k in names)) throw unknown('CorsRules', k);
          return [names[k], v];
        })));
        break;
      }
      case 'LifecycleConfiguration':
        settings.lifecycle = value.Rules.map((rule) => {
          const out = { Status: rule.Status, Filter: { Prefix: rule.Prefix ?? '' } };
          for (const [k, v] of Object.entries(rule)) {
            if (k === 'Status' || k === 'Prefix') continue;
            else if (k === 'Id') out.ID = v;
            else if (k === 'AbortIncompleteMultipartUpload') out.AbortIncompleteMultipartUpload = { DaysAfterInitiation: v.DaysAfterInitiation };
            else if (k === 'ExpirationInDays') out.Expiration = { Days: v };
            else if (k === 'NoncurrentVersionExpiration') out.NoncurrentVersionExpiration = { NoncurrentDays: v.NoncurrentDays };
            else throw unknown('lifecycle rule', k);
          }
          return out;
        });
        break;
      case 'BucketEncryption':
        settings.encryption = value.ServerSideEncryptionConfiguration.map((rule) => Object.fromEntries(Object.entries(rule).map(([k, v]) => {
          if (k === 'ServerSideEncryptionByDefault') return ['ApplyServerSideEncryptionByDefault', v];
          if (k === 'BucketKeyEnabled' || k === 'BlockedEncryptionTypes') return [k, v];
          throw unknown('bucket encryption', k);
        })));
        break;
      case 'AccelerateConfiguration':
        // Applied to moto's bucket as on AWS; the page still talks to moto's own endpoint (lib/stack.mjs).
        for (const k of Object.keys(value)) if (k !== 'AccelerationStatus') throw unknown('accelerate configuration', k);
        settings.accelerate = value.AccelerationStatus;
        break;
      case 'PublicAccessBlockConfiguration':
        settings.publicAccessBlock = value;
        break;
      case 'OwnershipControls':
        settings.ownershipControls = value;
        break;
      case 'Tags':
        settings.tags = value;
        break;
      case 'NotificationConfiguration':
        for (const k of Object.keys(value)) if (k !== 'EventBridgeConfiguration') throw unknown('bucket notification', k);
        // S3 sends every event of the bucket to the account's default event bus (moto forwards them too).
        settings.eventBridge = value.EventBridgeConfiguration?.EventBridgeEnabled === true;
        break;
      default:
        throw unknown('bucket', key);
    }
  }
  const untranslatable = [policy.Statement].flat().filter((statement) => !isTransportDeny(statement));
  if (untranslatable.length > 0) throw new TemplateError(`${path}'s bucket policy has statements local mode cannot apply: ${JSON.stringify(untranslatable)}`);
  return settings;
}

/**
 * Whether a bucket policy statement only denies requests without TLS (1.2 or later). Local mode serves S3 over
 * plain HTTP on 127.0.0.1, so such statements would deny every request; they are left out, and any other
 * kind of statement stops it instead of being dropped silently.
 */
export function isTransportDeny(statement) {
  const condition = statement.Condition ?? {};
  const keys = Object.keys(condition);
  const transport = (keys.length === 1 && keys[0] === 'Bool' && JSON.stringify(condition.Bool) === '{"aws:SecureTransport":"false"}')
    || (keys.length === 1 && keys[0] === 'NumericLessThan' && JSON.stringify(Object.keys(condition.NumericLessThan)) === '["s3:TlsVersion"]');
  return statement.Effect === 'Deny' && transport;
}

/** The HTTP API in `stack`: each route with its JWT authorizer, and the CORS configuration. */
function httpApi(templates, stack) {
  const apis = templates.resources('AWS::ApiGatewayV2::Api').filter((api) => api.stack === stack);
  if (apis.length !== 1) throw new TemplateError(`expected one HTTP API in ${stack}, found ${apis.length}`);
  const [api] = apis;
  const routes = [];
  for (const route of templates.resources('AWS::ApiGatewayV2::Route')) {
    if (route.stack !== stack || templates.referenced(stack, route.properties.ApiId).logicalId !== api.logicalId) continue;
    const props = route.properties;
    const entry = { routeKey: props.RouteKey, authorizationType: props.AuthorizationType ?? 'NONE' };
    if (entry.authorizationType === 'JWT') {
      const authorizer = templates.referenced(stack, props.AuthorizerId).properties;
      const jwt = templates.resolve(stack, authorizer.JwtConfiguration);
      entry.authorizer = { issuer: jwt.Issuer, audience: jwt.Audience, identitySource: authorizer.IdentitySource ?? ['$request.header.Authorization'] };
      entry.authorizationScopes = templates.resolve(stack, props.AuthorizationScopes ?? []);
    } else if (entry.authorizationType !== 'NONE') {
      throw new TemplateError(`route ${props.RouteKey}: authorization ${entry.authorizationType} has no local equivalent`);
    }
    routes.push(entry);
  }
  routes.sort((a, b) => a.routeKey.localeCompare(b.routeKey));
  return { routes, cors: templates.resolve(stack, api.properties.CorsConfiguration ?? {}) };
}

/** The Cognito app client's sign-in settings; undefined when the app signs in with an external provider. */
function signInClient(templates) {
  const clients = templates.resources('AWS::Cognito::UserPoolClient');
  if (clients.length !== 1) return undefined;
  const [client] = clients;
  const props = templates.resolve(client.stack, client.properties);
  const units = props.TokenValidityUnits ?? {};
  const seconds = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
  return {
    redirectUris: props.CallbackURLs ?? [],
    postLogoutRedirectUris: props.LogoutURLs ?? [],
    scopes: props.AllowedOAuthScopes ?? [],
    flows: props.AllowedOAuthFlows ?? [],
    accessTokenSeconds: (props.AccessTokenValidity ?? 60) * seconds[units.AccessToken ?? 'hours'],
    idTokenSeconds: (props.IdTokenValidity ?? 60) * seconds[units.IdToken ?? 'hours'],
    refreshTokenSeconds: (props.RefreshTokenValidity ?? 30) * seconds[units.RefreshToken ?? 'days'],
  };
}

/**
 * The response headers CloudFront adds to the site's files, as its distribution's behaviors give them:
 * `{ page, byPath: [{ pathPattern, headers }] }`, `page` for the default behavior (the page itself) and `byPath`
 * for the other behaviors in template order (the CRC-32 worker's). Headers by lower-case name; HSTS left out:
 * local mode is plain HTTP.
 */
function siteHeaders(templates) {
  const distributions = templates.resources('AWS::CloudFront::Distribution');
  if (distributions.length !== 1) return { page: {}, byPath: [] };
  const [distribution] = distributions;
  const config = distribution.properties.DistributionConfig;
  const headersOf = (behavior) => (behavior.ResponseHeadersPolicyId ? responseHeaders(templates, templates.referenced(distribution.stack, behavior.ResponseHeadersPolicyId)) : {});
  return {
    page: headersOf(config.DefaultCacheBehavior ?? {}),
    byPath: (config.CacheBehaviors ?? []).map((behavior) => ({ pathPattern: behavior.PathPattern, headers: headersOf(behavior) })),
  };
}

/** The headers one CloudFront response headers policy sets, by lower-case name (HSTS left out). */
function responseHeaders(templates, policy) {
  const config = templates.resolve(policy.stack, policy.properties.ResponseHeadersPolicyConfig);
  const security = config.SecurityHeadersConfig ?? {};
  const headers = {};
  if (security.ContentSecurityPolicy) headers['content-security-policy'] = security.ContentSecurityPolicy.ContentSecurityPolicy;
  if (security.ContentTypeOptions) headers['x-content-type-options'] = 'nosniff';
  if (security.FrameOptions) headers['x-frame-options'] = security.FrameOptions.FrameOption;
  if (security.ReferrerPolicy) headers['referrer-policy'] = security.ReferrerPolicy.ReferrerPolicy;
  for (const item of config.CustomHeadersConfig?.Items ?? []) headers[item.Header.toLowerCase()] = item.Value;
  return headers;
}

/** config.json as the Web stack deploys it: the asset with its deploy-time markers resolved. */
function pageConfig(templates) {
  for (const deployment of templates.resources('Custom::CDKBucketDeployment')) {
    const props = deployment.properties;
    for (const [index, objectKey] of (props.SourceObjectKeys ?? []).entries()) {
      const file = join(templates.dir, `asset.${objectKey.replace(/\.zip$/, '')}`, 'config.json');
      if (!existsSync(file)) continue;
      let text = readFileSync(file, 'utf8');
      const markers = templates.resolve(deployment.stack, props.SourceMarkers?.[index] ?? {});
      for (const [marker, value] of Object.entries(markers)) text = text.replaceAll(marker, String(value));
      return JSON.parse(text);
    }
  }
  throw new TemplateError('no bucket deployment in the templates ships a config.json');
}
