// The request context (condition keys) each simulated request carries, and the list of keys this suite knows.
// A policy that starts using a key not listed here stops the suite, so a new condition is never evaluated as
// "key missing" by accident.

/** A fixed clock, so that every run evaluates the same requests. */
const NOW = new Date('2026-01-15T12:00:00Z')

/**
 * Every condition key the suite understands, lowercase, with how a request gets its value: `supplied` keys are
 * set whenever they apply; `absent` keys are deliberately missing, with the reason.
 */
export const CONTEXT_KEYS = Object.freeze({
  'aws:securetransport': 'supplied: true over HTTPS, false over plain HTTP',
  's3:tlsversion': 'supplied: the TLS version of HTTPS requests; absent over plain HTTP',
  'aws:principalarn': 'supplied: the role ARN for role sessions, the user or root ARN otherwise',
  'aws:principalaccount': 'supplied',
  'aws:principaltype': 'supplied: AssumedRole, User or Account',
  'aws:userid': 'supplied',
  'aws:username': 'supplied for IAM users only',
  'aws:sourceidentity': 'supplied for sessions the credentials Lambda vends (it always sets SourceIdentity)',
  'aws:tokenissuetime': 'supplied for role sessions',
  'aws:requestedregion': 'supplied',
  'aws:currenttime': 'supplied (fixed)',
  'aws:epochtime': 'supplied (fixed)',
  'aws:resourceaccount': 'supplied',
  'aws:viaawsservice': 'supplied: false, the caller signs its own requests',
  's3:authtype': 'supplied: REST-HEADER (SigV4 Authorization header)',
  's3:signatureversion': 'supplied: AWS4-HMAC-SHA256',
  'sts:rolesessionname': 'supplied on sts:AssumeRole',
  'sts:sourceidentity': 'supplied on sts:AssumeRole and sts:SetSourceIdentity',
  'kms:viaservice': 'supplied on KMS requests S3 makes for the caller: s3.<region>.amazonaws.com',
  's3:x-amz-acl': 'absent: no request here sends a canned ACL (ACLs are off); only CloudTrail log delivery does',
  'aws:sourcearn': 'absent: only set when an AWS service acts for a resource (CloudFront, S3 logging)',
  'aws:sourceaccount': 'absent: only set when an AWS service acts for a resource',
  'aws:principalservicename': 'absent: requests are signed by IAM principals, not services',
  'aws:principalorgid': 'absent: the fictitious account is in no organization',
  'aws:multifactorauthpresent': 'absent: AssumeRole sessions without MFA'
})

/** Transports a case can name; the default is HTTPS with TLS 1.3. */
export const TRANSPORTS = Object.freeze({
  'https-tls1.3': { secure: true, tls: '1.3' },
  'https-tls1.2': { secure: true, tls: '1.2' },
  'https-tls1.1': { secure: true, tls: '1.1' },
  'https-tls1.0': { secure: true, tls: '1.0' },
  http: { secure: false }
})

/** The context keys that describe who is calling: the same for every request of that principal. */
export function principalContext(env, principal) {
  const context = {
    'aws:PrincipalArn': principal.principalArn,
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': principal.type,
    'aws:userid': principal.userId,
    'aws:RequestedRegion': env.region,
    'aws:CurrentTime': NOW.toISOString(),
    'aws:EpochTime': String(NOW.getTime() / 1000),
    'aws:ViaAWSService': 'false'
  }
  if (principal.type === 'AssumedRole') {
    context['aws:TokenIssueTime'] = new Date(NOW.getTime() - 60_000).toISOString()
  }
  if (principal.type === 'User') {
    context['aws:username'] = principal.userName
  }
  if (principal.sourceIdentity !== undefined) {
    context['aws:SourceIdentity'] = principal.sourceIdentity
  }
  return context
}

/** Adds what the request itself contributes: transport, target account, service-specific keys. */
export function requestContext(env, principalKeys, { action, transport, resourceAccount, sts }) {
  const t = TRANSPORTS[transport]
  if (!t) {
    throw new Error(`transport must be one of ${Object.keys(TRANSPORTS).join(', ')}, but ${transport} was given`)
  }
  const context = { ...principalKeys, 'aws:SecureTransport': String(t.secure), 'aws:ResourceAccount': resourceAccount }
  const service = action.split(':')[0].toLowerCase()
  if (service === 's3') {
    context['s3:authType'] = 'REST-HEADER'
    context['s3:signatureversion'] = 'AWS4-HMAC-SHA256'
    if (t.secure) {
      context['s3:TlsVersion'] = t.tls
    }
  }
  if (service === 'kms') {
    context['kms:ViaService'] = `s3.${env.region}.amazonaws.com`
  }
  if (service === 'sts' && sts) {
    context['sts:RoleSessionName'] = sts.roleSessionName
    context['sts:SourceIdentity'] = sts.sourceIdentity
  }
  return context
}

/** Every condition key a policy document uses, lowercase. */
export function conditionKeys(policy) {
  const keys = new Set()
  for (const statement of [policy?.Statement ?? []].flat()) {
    for (const operator of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(operator)) {
        keys.add(key.toLowerCase())
      }
    }
  }
  return keys
}

/** Throws, naming the policy and key, if a policy uses a condition key this suite has not been taught. */
export function requireKnownConditionKeys(name, policy) {
  for (const key of conditionKeys(policy)) {
    const known = CONTEXT_KEYS[key] ?? (key.startsWith('aws:principaltag/') ? 'absent' : undefined)
    if (!known) {
      throw new Error(`${name} uses condition key ${key}, which the isolation suite does not supply: add it to CONTEXT_KEYS in isolation/src/context.mjs with the value real requests carry`)
    }
  }
}
