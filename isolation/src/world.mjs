// Everything a simulated request needs, as plain data that can be copied into worker threads: the principals
// (with their identity, session and boundary policies), and the resource policies by resource.
import { principalContext, requireKnownConditionKeys } from './context.mjs'

/** An IAM principal with every permission: what "even an administrator" cases give the other principals. */
const ADMINISTRATOR = Object.freeze([
  { name: 'AdministratorAccess (stand-in)', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }
])

const OTHER_ACCOUNT = '444455556666'

/**
 * @param app the app as local/lib/world.mjs describes it from the templates
 * @param subjects `[{ id, label, subject, issued }]`: every subject with what the Lambda's code issued for it
 */
export function buildWorld(app, subjects) {
  const { accountId, partition } = app.environment
  const identitySets = {
    'upload-role': app.uploadRole.identityPolicies,
    'execution-role': app.executionRole.identityPolicies,
    'verifier-role': app.verifierRole.identityPolicies,
    administrator: ADMINISTRATOR,
    none: []
  }
  const boundaries = {
    'upload-role': app.uploadRole.permissionBoundary,
    'execution-role': app.executionRole.permissionBoundary,
    'verifier-role': app.verifierRole.permissionBoundary
  }
  const roleSession = (role, sessionName, extra) => ({
    arn: `arn:${partition}:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    principalArn: role.arn,
    accountId,
    type: 'AssumedRole',
    userId: `${fakeRoleId(role.name)}:${sessionName}`,
    ...extra
  })

  const principals = {
    'upload-role-without-session-policy': {
      label: 'upload role, no session policy',
      identity: 'upload-role',
      ...roleSession(app.uploadRole, 'operator-session', {})
    },
    'execution-role': {
      label: 'execution role (the Lambda)',
      identity: 'execution-role',
      ...roleSession(app.executionRole, app.functionName, {})
    },
    'verifier-role': {
      label: 'verifier role (the verifier Lambda)',
      identity: 'verifier-role',
      ...roleSession(app.verifierRole, 'verifier', {})
    },
    'other-role': {
      label: 'another role (admin)',
      identity: 'administrator',
      ...roleSession({ name: 'SomeAdminRole', arn: `arn:${partition}:iam::${accountId}:role/SomeAdminRole` }, 'admin-session', {})
    },
    'iam-user': {
      label: 'IAM user (admin)',
      identity: 'administrator',
      arn: `arn:${partition}:iam::${accountId}:user/operator`,
      principalArn: `arn:${partition}:iam::${accountId}:user/operator`,
      accountId,
      type: 'User',
      userId: 'AIDAEXAMPLEOPERATOR01',
      userName: 'operator'
    },
    'account-root': {
      label: 'account root',
      identity: 'administrator',
      arn: `arn:${partition}:iam::${accountId}:root`,
      principalArn: `arn:${partition}:iam::${accountId}:root`,
      accountId,
      type: 'Account',
      userId: accountId
    },
    'other-account-role': {
      label: 'another account (admin)',
      identity: 'administrator',
      ...roleSession({ name: 'AdminRole', arn: `arn:${partition}:iam::${OTHER_ACCOUNT}:role/AdminRole` }, 'attacker', {}),
      arn: `arn:${partition}:sts::${OTHER_ACCOUNT}:assumed-role/AdminRole/attacker`,
      accountId: OTHER_ACCOUNT
    },
    'lambda-service': {
      label: 'lambda.amazonaws.com',
      identity: 'none',
      arn: 'lambda.amazonaws.com',
      service: true
    }
  }

  for (const s of subjects) {
    if (s.issued.rejected) {
      continue
    }
    const first = s.issued.uploads[0]
    principals[s.id] = {
      label: `creds of ${s.label}`,
      identity: 'upload-role',
      session: JSON.parse(first.sessionPolicy),
      ...roleSession(app.uploadRole, s.issued.sessionName, { sourceIdentity: s.issued.sessionName })
    }
  }
  for (const p of Object.values(principals)) {
    p.boundary = boundaries[p.identity]
    p.context = p.service ? {} : principalContext(app.environment, p)
  }

  const resourcePolicies = {}
  for (const bucket of app.buckets) {
    if (bucket.policy) {
      resourcePolicies[bucket.arn] = { name: `${bucket.path} bucket policy`, policy: bucket.policy }
    }
  }
  for (const role of [app.uploadRole, app.executionRole, app.verifierRole]) {
    resourcePolicies[role.arn] = { name: `${role.path} trust policy`, policy: role.trustPolicy }
  }

  for (const [name, list] of Object.entries(identitySets)) {
    for (const p of list) requireKnownConditionKeys(`${name}: ${p.name}`, p.policy)
  }
  for (const { name, policy } of Object.values(resourcePolicies)) requireKnownConditionKeys(name, policy)
  for (const p of Object.values(principals)) if (p.session) requireKnownConditionKeys(`${p.label} session policy`, p.session)

  return { environment: app.environment, identitySets, principals, resourcePolicies }
}

/** The resource policy that governs `resourceArn`, if the app defines one: bucket policy or role trust. */
export function resourcePolicyFor(world, resourceArn) {
  const s3 = /^arn:[^:]+:s3:::([^/]+)/.exec(resourceArn)
  if (s3) {
    return world.resourcePolicies[s3[0]]
  }
  return world.resourcePolicies[resourceArn]
}

function fakeRoleId(roleName) {
  let h = 0
  for (const c of roleName) h = (Math.imul(h, 31) + c.codePointAt(0)) >>> 0
  return 'AROA' + h.toString(16).toUpperCase().padStart(8, '0') + 'EXAMPLE'
}
