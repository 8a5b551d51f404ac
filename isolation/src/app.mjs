// Finds, in the resolved templates, the pieces of the upload app that tenant isolation depends on: the
// credentials Lambda, the upload role and execution role with all their policies, the verifier's role, the ledger
// table and the app's event bus, and every bucket policy.

/**
 * @param {import('./templates.mjs').Templates} templates
 * @returns the upload app's roles, bucket and policies as plain, concrete JSON (no CloudFormation tokens)
 */
export function readUploadApp(templates) {
  const fn = credentialsFunction(templates)
  const variables = templates.resolve(fn.stack, fn.properties.Environment.Variables)
  const roles = templates.resources('AWS::IAM::Role').map((role) => ({
    resource: role,
    name: templates.physicalId(role),
    arn: templates.getAtt(role.stack, role.logicalId, 'Arn')
  }))
  const roleByArn = (arn, what) => {
    const found = roles.filter((role) => role.arn === arn)
    if (found.length !== 1) {
      throw new Error(`${what}: expected exactly one role with ARN ${arn} in the templates, found ${found.length}`)
    }
    return describeRole(templates, found[0])
  }

  const uploadRole = roleByArn(variables.UPLOAD_ROLE_ARN, 'UPLOAD_ROLE_ARN of the credentials function')
  const executionRole = roleByArn(templates.resolve(fn.stack, fn.properties.Role), 'the credentials function Role')
  const verifier = verifierFunction(templates)
  const verifierRole = roleByArn(templates.resolve(verifier.stack, verifier.properties.Role), 'the verifier function Role')
  const buckets = templates.resources('AWS::S3::Bucket').map((bucket) => ({
    name: templates.physicalId(bucket),
    arn: templates.getAtt(bucket.stack, bucket.logicalId, 'Arn'),
    path: `${bucket.stack}/${bucket.logicalId}`,
    policy: bucketPolicy(templates, bucket)
  }))
  const uploadBucket = buckets.find((bucket) => bucket.name === variables.UPLOAD_BUCKET_NAME)
  if (!uploadBucket) {
    throw new Error(`UPLOAD_BUCKET_NAME ${variables.UPLOAD_BUCKET_NAME} is no bucket in the templates`)
  }
  if (!uploadBucket.policy) {
    throw new Error(`the upload bucket ${uploadBucket.path} has no bucket policy`)
  }
  const logGroupName = fn.properties.LoggingConfig?.LogGroup
    ? templates.resolve(fn.stack, fn.properties.LoggingConfig.LogGroup)
    : undefined
  const logGroup = templates.resources('AWS::Logs::LogGroup').find((group) => templates.physicalId(group) === logGroupName)

  return {
    environment: templates.env,
    functionName: templates.physicalId(fn),
    // Set by the stack only with uploadBucketEncryption=KMS; the Lambda then adds kms statements to each session policy.
    kmsKeyArn: variables.UPLOAD_KMS_KEY_ARN,
    uploadRole,
    executionRole,
    verifierRole,
    ledgerTableArn: onlyArn(templates, 'AWS::DynamoDB::Table', 'the ledger table'),
    appBusArn: onlyArn(templates, 'AWS::Events::EventBus', "the app's event bus"),
    uploadBucket,
    buckets,
    logGroupArn: logGroup ? templates.getAtt(logGroup.stack, logGroup.logicalId, 'Arn') : undefined
  }
}

function credentialsFunction(templates) {
  const functions = templates
    .resources('AWS::Lambda::Function')
    .filter((fn) => fn.properties.Environment?.Variables?.UPLOAD_ROLE_ARN !== undefined)
  if (functions.length !== 1) {
    throw new Error(`expected exactly one Lambda function with UPLOAD_ROLE_ARN in its environment, found ${functions.length}`)
  }
  return functions[0]
}

function verifierFunction(templates) {
  const functions = templates
    .resources('AWS::Lambda::Function')
    .filter((fn) => (fn.properties.Handler ?? '').startsWith('dev.multipartuploadsts.verifier.VerifierHandler::'))
  if (functions.length !== 1) {
    throw new Error(`expected exactly one Lambda function with the verifier's handler, found ${functions.length}`)
  }
  return functions[0]
}

/** The ARN of the one resource of `type` in the app. */
function onlyArn(templates, type, what) {
  const found = templates.resources(type)
  if (found.length !== 1) {
    throw new Error(`${what}: expected exactly one ${type} in the templates, found ${found.length}`)
  }
  return templates.getAtt(found[0].stack, found[0].logicalId, 'Arn')
}

/** A role's trust policy, and every permission policy attached to it anywhere in the app, resolved. */
function describeRole(templates, role) {
  const { stack, properties } = role.resource
  const path = `${stack}/${role.resource.logicalId}`
  const identityPolicies = []
  for (const inline of properties.Policies ?? []) {
    identityPolicies.push({ name: `${path} inline ${inline.PolicyName}`, policy: templates.resolve(stack, inline.PolicyDocument) })
  }
  const attachedTo = (resource, listProperty) =>
    [templates.resolve(resource.stack, resource.properties[listProperty] ?? [])].flat().includes(role.name)
  for (const policy of templates.resources('AWS::IAM::Policy').filter((p) => attachedTo(p, 'Roles'))) {
    identityPolicies.push({
      name: `${policy.stack}/${policy.logicalId}`,
      policy: templates.resolve(policy.stack, policy.properties.PolicyDocument)
    })
  }
  for (const policy of templates.resources('AWS::IAM::RolePolicy').filter((p) => attachedTo(p, 'RoleName'))) {
    identityPolicies.push({
      name: `${policy.stack}/${policy.logicalId}`,
      policy: templates.resolve(policy.stack, policy.properties.PolicyDocument)
    })
  }
  const managed = templates.resources('AWS::IAM::ManagedPolicy')
  for (const policy of managed.filter((p) => attachedTo(p, 'Roles'))) {
    identityPolicies.push({
      name: `${policy.stack}/${policy.logicalId}`,
      policy: templates.resolve(policy.stack, policy.properties.PolicyDocument)
    })
  }
  const managedDocument = (arn, how) => {
    const policy = managed.find((p) => templates.physicalId(p) === arn)
    if (!policy) {
      // An AWS managed policy's document is not in the templates; evaluating without it would be a guess.
      throw new Error(`${path} has ${how} ${arn}, whose document is not in the templates: teach the isolation suite about it`)
    }
    return { name: `${policy.stack}/${policy.logicalId}`, policy: templates.resolve(policy.stack, policy.properties.PolicyDocument) }
  }
  for (const arn of templates.resolve(stack, properties.ManagedPolicyArns ?? [])) {
    identityPolicies.push(managedDocument(arn, 'the managed policy'))
  }
  const permissionBoundary = properties.PermissionsBoundary
    ? [managedDocument(templates.resolve(stack, properties.PermissionsBoundary), 'the permissions boundary')]
    : undefined
  return {
    path,
    name: role.name,
    arn: role.arn,
    trustPolicy: templates.resolve(stack, properties.AssumeRolePolicyDocument),
    identityPolicies,
    permissionBoundary
  }
}

function bucketPolicy(templates, bucket) {
  const name = templates.physicalId(bucket)
  const policies = templates
    .resources('AWS::S3::BucketPolicy')
    .filter((policy) => templates.resolve(policy.stack, policy.properties.Bucket) === name)
  if (policies.length > 1) {
    throw new Error(`bucket ${bucket.stack}/${bucket.logicalId} has ${policies.length} bucket policies`)
  }
  return policies.length === 0 ? undefined : templates.resolve(policies[0].stack, policies[0].properties.PolicyDocument)
}
