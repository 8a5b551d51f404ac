// Turns the case data (cases/cases.json and the adversarial subjects) into concrete cases:
// `{ group, principal, action, resource, transport, expect }`, every placeholder replaced by a real ARN or key.
import { OUTCOMES } from './outcomes.mjs'
import { TRANSPORTS } from './context.mjs'

/** The three actions a multipart upload needs (CreateMultipartUpload, UploadPart and Complete are s3:PutObject). */
export const MULTIPART_ACTIONS = Object.freeze(['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'])

const DEFAULT_TRANSPORT = 'https-tls1.3'

/**
 * Expands the fixed cases of cases.json.
 *
 * @param spec the parsed cases.json
 * @param app what readUploadApp found
 * @param named `{ <name>: { id, issued } }` for the subjects cases.json names
 */
export function fixedCases(spec, app, named) {
  const out = []
  for (const entry of spec.cases) {
    if (!OUTCOMES.includes(entry.expect)) {
      throw new Error(`case "${entry.group}": expect must be one of ${OUTCOMES.join(', ')}, but ${entry.expect} was given`)
    }
    const transport = entry.transport ?? DEFAULT_TRANSPORT
    if (!(transport in TRANSPORTS)) {
      throw new Error(`case "${entry.group}": transport must be one of ${Object.keys(TRANSPORTS).join(', ')}, but ${transport} was given`)
    }
    for (const principalName of entry.principals) {
      const principal = named[principalName]?.id ?? principalName
      for (const action of entry.actions) {
        for (const resource of entry.resources) {
          out.push({
            group: entry.group,
            principal,
            action,
            resource: fill(resource, { app, named, self: named[principalName] ? principalName : undefined }),
            transport,
            expect: entry.expect
          })
        }
      }
    }
  }
  return out
}

function fill(template, { app, named, self }) {
  const subject = (name) => {
    const resolvedName = name === 'self' ? self : name
    const s = named[resolvedName]
    if (!s) {
      throw new Error(`placeholder names subject ${name}, which cases.json does not define (or the principal is not a subject)`)
    }
    if (s.issued.rejected) {
      throw new Error(`subject ${name} was rejected by the Lambda: ${s.issued.rejected}`)
    }
    return s.issued
  }
  const upload = (name, index) => {
    const u = subject(name).uploads[index]
    if (!u?.key) {
      throw new Error(`subject ${name} has no issued upload #${index + 1}`)
    }
    return u
  }
  const logGroup = app.logGroupArn?.replace(/\*$/, '')
  return template.replace(/\{([a-z0-9-]+)(?::([^}]+))?\}/gi, (whole, name, arg) => {
    switch (name) {
      case 'account':
        return app.environment.accountId
      case 'bucket':
        return arg === undefined ? app.uploadBucket.name : bucketByPath(app, arg)
      case 'key':
        return upload(arg, 0).key
      case 'key2':
        return upload(arg, 1).key
      case 'prefix':
        return subject(arg).ownerPrefix
      case 'owner':
        return subject(arg).owner
      case 'id':
        return upload(arg, 0).key.split('/')[2]
      case 'upload-role-arn':
        return app.uploadRole.arn
      case 'execution-role-arn':
        return app.executionRole.arn
      case 'verifier-role-arn':
        return app.verifierRole.arn
      case 'ledger-table-arn':
        return app.ledgerTableArn
      case 'app-bus-arn':
        return app.appBusArn
      case 'default-bus-arn':
        return `arn:${app.environment.partition}:events:${app.environment.region}:${app.environment.accountId}:event-bus/default`
      case 'log-stream':
        return `${requireValue(logGroup, 'the credentials function log group')}log-stream:2026/01/15/stream-1`
      case 'other-log-stream':
        return `arn:${app.environment.partition}:logs:${app.environment.region}:${app.environment.accountId}:log-group:/aws/lambda/other-function:log-stream:stream-1`
      default:
        throw new Error(`unknown placeholder ${whole}`)
    }
  })
}

function bucketByPath(app, stackAndLogicalIdPrefix) {
  const [stack, logicalIdPrefix] = stackAndLogicalIdPrefix.split('/')
  const found = app.buckets.filter((b) => {
    const [bucketStack, logicalId] = b.path.split('/')
    return bucketStack.endsWith(`-${stack}`) && logicalId.startsWith(logicalIdPrefix)
  })
  if (found.length !== 1) {
    throw new Error(`{bucket:${stackAndLogicalIdPrefix}} matches ${found.length} buckets, expected exactly one`)
  }
  return found[0].name
}

function requireValue(value, what) {
  if (value === undefined) {
    throw new Error(`${what} is not in the templates`)
  }
  return value
}

/**
 * The adversarial-subject cases: for every accepted subject its own key (allowed), its second key and its
 * owner prefix (denied); for every ordered pair of different subjects, the first one's credentials on the
 * second one's key (denied). Subjects the Lambda refuses get no credentials, which is also checked.
 */
export function subjectCases(app, generated, rejected, pairActions) {
  // A subject whose uploads were not all issued fails its Lambda check below and gets no IAM cases.
  const accepted = generated.filter((s) => lambdaOutcome(s.issued) === 'Issued')
  const out = []
  const object = (key) => `${app.uploadBucket.arn}/${key}`
  for (const s of [...generated, ...rejected]) {
    out.push({
      group: rejected.includes(s) ? 'the Lambda refuses the subject: no credentials' : 'the Lambda accepts the subject and issues a key under its own owner prefix',
      principal: s.id,
      action: 'lambda:IssueCredentials',
      resource: s.issued.rejected ? '-' : object(s.issued.uploads[0].key),
      shown: s.issued.rejected ? '-' : `key of ${s.label}`,
      lambdaCheck: true,
      expect: rejected.includes(s) ? 'Rejected' : 'Issued',
      actual: lambdaOutcome(s.issued)
    })
  }
  for (const s of accepted) {
    for (const action of MULTIPART_ACTIONS) {
      out.push({ group: 'adversarial subjects: own key allowed', principal: s.id, action, resource: object(s.issued.uploads[0].key), shown: `key of ${s.label}`, transport: DEFAULT_TRANSPORT, expect: 'Allowed' })
    }
    for (const action of MULTIPART_ACTIONS) {
      out.push({ group: 'adversarial subjects: the same user\'s other key denied', principal: s.id, action, resource: object(s.issued.uploads[1].key), shown: `key2 of ${s.label}`, transport: DEFAULT_TRANSPORT, expect: 'Denied' })
    }
    out.push({ group: 'adversarial subjects: the owner prefix itself denied', principal: s.id, action: 's3:PutObject', resource: object(s.issued.ownerPrefix), shown: `owner prefix of ${s.label}`, transport: DEFAULT_TRANSPORT, expect: 'Denied' })
  }
  for (const a of accepted) {
    for (const b of accepted) {
      if (a === b) continue
      for (const action of pairActions) {
        out.push({ group: 'adversarial subjects: every ordered pair, first one\'s credentials on the second one\'s key', principal: a.id, action, resource: object(b.issued.uploads[0].key), shown: `key of ${b.label}`, transport: DEFAULT_TRANSPORT, expect: 'Denied' })
      }
    }
  }
  return out
}

function lambdaOutcome(issued) {
  if (issued.rejected) {
    return 'Rejected'
  }
  const bad = issued.uploads.find((u) => !(u.key && u.issuedToOwner && u.key.startsWith(issued.ownerPrefix)))
  return issued.uploads.length > 0 && bad === undefined ? 'Issued' : `Error: ${JSON.stringify(bad ?? issued)}`
}
