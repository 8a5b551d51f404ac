// Reads the synthesized CloudFormation templates in cdk.out and resolves the intrinsics inside their policies
// into concrete strings, as CloudFormation would in one fixed, fictitious account.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The fictitious environment every token resolves in. */
export const ENVIRONMENT = Object.freeze({
  accountId: '111122223333',
  region: 'eu-central-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com'
})

/** Loads every `*.template.json` in `cdkOutDir`; stack names come from the file names. */
export function loadTemplates(cdkOutDir) {
  const files = readdirSync(cdkOutDir).filter((f) => f.endsWith('.template.json')).sort()
  if (files.length === 0) {
    throw new Error(`no *.template.json in ${cdkOutDir}: run ./bin/synth (or npx cdk synth) first`)
  }
  return new Templates(
    new Map(files.map((f) => [f.slice(0, -'.template.json'.length), JSON.parse(readFileSync(join(cdkOutDir, f), 'utf8'))])),
    ENVIRONMENT
  )
}

/** Every resource of every stack, and a resolver from CloudFormation values to concrete ones. */
export class Templates {
  constructor(stacks, env) {
    this.stacks = stacks
    this.env = env
  }

  /** `[{ stack, logicalId, type, properties }]` over all stacks, optionally of one resource type. */
  resources(type) {
    const out = []
    for (const [stack, template] of this.stacks) {
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        if (type === undefined || resource.Type === type) {
          out.push({ stack, logicalId, type: resource.Type, properties: resource.Properties ?? {} })
        }
      }
    }
    return out
  }

  resource(stack, logicalId) {
    const resource = this.stacks.get(stack)?.Resources?.[logicalId]
    if (!resource) {
      throw new Error(`stack ${stack} has no resource ${logicalId}`)
    }
    return { stack, logicalId, type: resource.Type, properties: resource.Properties ?? {} }
  }

  /** Resolves every intrinsic in `value`, evaluated in `stack`. Throws on anything it cannot resolve. */
  resolve(stack, value) {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(stack, item)).filter((item) => item !== NO_VALUE)
    }
    if (value === null || typeof value !== 'object') {
      return value
    }
    const keys = Object.keys(value)
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(stack, keys[0], value[keys[0]])
    }
    const out = {}
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolve(stack, v)
      if (resolved !== NO_VALUE) {
        out[k] = resolved
      }
    }
    return out
  }

  intrinsic(stack, name, arg) {
    switch (name) {
      case 'Ref':
        return this.ref(stack, arg)
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : splitOnce(arg, '.')
        return this.getAtt(stack, logicalId, attribute)
      }
      case 'Fn::Join': {
        const [separator, parts] = arg
        return this.resolve(stack, parts).map((part) => expectString(part, 'Fn::Join part')).join(separator)
      }
      case 'Fn::Sub': {
        const [template, variables] = Array.isArray(arg) ? arg : [arg, {}]
        const locals = this.resolve(stack, variables)
        return template.replace(/\$\{([^}!]+)\}/g, (_, expression) => {
          if (expression in locals) {
            return locals[expression]
          }
          if (expression.includes('.') && !expression.startsWith('AWS::')) {
            const [logicalId, attribute] = splitOnce(expression, '.')
            return this.getAtt(stack, logicalId, attribute)
          }
          return this.ref(stack, expression)
        })
      }
      case 'Fn::GetStackOutput': {
        const producer = this.resolve(stack, arg.StackName)
        const outputs = this.stacks.get(producer)?.Outputs ?? {}
        const output = outputs[arg.OutputName]
        if (!output) {
          throw new Error(`Fn::GetStackOutput: stack ${producer} has no output ${arg.OutputName}`)
        }
        return this.resolve(producer, output.Value)
      }
      case 'Fn::ImportValue': {
        const exportName = this.resolve(stack, arg)
        for (const [producer, template] of this.stacks) {
          for (const output of Object.values(template.Outputs ?? {})) {
            if (output.Export && this.resolve(producer, output.Export.Name) === exportName) {
              return this.resolve(producer, output.Value)
            }
          }
        }
        throw new Error(`Fn::ImportValue: no stack exports ${exportName}`)
      }
      case 'Fn::Select': {
        const [index, list] = arg
        return this.resolve(stack, list)[Number(this.resolve(stack, index))]
      }
      case 'Fn::Split': {
        const [separator, source] = arg
        return expectString(this.resolve(stack, source), 'Fn::Split source').split(separator)
      }
      default:
        // Fn::If and friends would need the template's Conditions; no policy here uses them yet.
        throw new Error(`cannot resolve ${name} in stack ${stack}: ${JSON.stringify(arg)}`)
    }
  }

  ref(stack, name) {
    switch (name) {
      case 'AWS::AccountId':
        return this.env.accountId
      case 'AWS::Region':
        return this.env.region
      case 'AWS::Partition':
        return this.env.partition
      case 'AWS::URLSuffix':
        return this.env.urlSuffix
      case 'AWS::StackName':
        return stack
      case 'AWS::NoValue':
        return NO_VALUE
      default: {
        if (name.startsWith('AWS::')) {
          throw new Error(`unsupported pseudo parameter ${name}`)
        }
        const parameter = this.stacks.get(stack)?.Parameters?.[name]
        if (parameter) {
          throw new Error(`stack ${stack}: policies must not depend on parameter ${name}`)
        }
        return this.physicalId(this.resource(stack, name))
      }
    }
  }

  /** What `Ref` returns for a resource: its name or id, made up deterministically when CloudFormation would. */
  physicalId(resource) {
    const { stack, logicalId, type, properties } = resource
    const p = (name) => (properties[name] === undefined ? undefined : this.resolve(stack, properties[name]))
    switch (type) {
      case 'AWS::S3::Bucket':
        return p('BucketName') ?? bucketName(stack, logicalId)
      case 'AWS::IAM::Role':
        return p('RoleName') ?? generatedName(stack, logicalId, 64)
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${this.env.partition}:iam::${this.env.accountId}:policy${p('Path') ?? '/'}${
          p('ManagedPolicyName') ?? generatedName(stack, logicalId, 128)}`
      case 'AWS::Lambda::Function':
        return p('FunctionName') ?? generatedName(stack, logicalId, 64)
      case 'AWS::Logs::LogGroup':
        return p('LogGroupName') ?? generatedName(stack, logicalId, 512)
      case 'AWS::KMS::Key':
        return fakeUuid(`${stack}/${logicalId}`)
      case 'AWS::CloudFront::Distribution':
        return 'E' + digest(`${stack}/${logicalId}`).slice(0, 13).toUpperCase()
      default:
        return generatedName(stack, logicalId, 128)
    }
  }

  getAtt(stack, logicalId, attribute) {
    const resource = this.resource(stack, logicalId)
    const { accountId, region, partition, urlSuffix } = this.env
    const id = this.physicalId(resource)
    const path = resource.properties.Path === undefined ? '/' : this.resolve(stack, resource.properties.Path)
    const attributes = {
      'AWS::S3::Bucket': {
        Arn: `arn:${partition}:s3:::${id}`,
        DomainName: `${id}.s3.${urlSuffix}`,
        RegionalDomainName: `${id}.s3.${region}.${urlSuffix}`
      },
      'AWS::IAM::Role': {
        Arn: `arn:${partition}:iam::${accountId}:role${path}${id}`,
        RoleId: 'AROA' + digest(id).slice(0, 17).toUpperCase()
      },
      'AWS::Lambda::Function': { Arn: `arn:${partition}:lambda:${region}:${accountId}:function:${id}` },
      'AWS::Logs::LogGroup': { Arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${id}:*` },
      'AWS::KMS::Key': { Arn: `arn:${partition}:kms:${region}:${accountId}:key/${id}`, KeyId: id },
      'AWS::CloudFront::Distribution': { Id: id, DomainName: `${id.toLowerCase()}.cloudfront.net` },
      'AWS::DynamoDB::Table': { Arn: `arn:${partition}:dynamodb:${region}:${accountId}:table/${id}` },
      'AWS::SQS::Queue': { Arn: `arn:${partition}:sqs:${region}:${accountId}:${id}`, QueueName: id },
      'AWS::Events::EventBus': { Arn: `arn:${partition}:events:${region}:${accountId}:event-bus/${id}`, Name: id },
      'AWS::Events::Rule': { Arn: `arn:${partition}:events:${region}:${accountId}:rule/${id}` }
    }[resource.type]
    const value = attributes?.[attribute]
    if (value === undefined) {
      throw new Error(`cannot resolve Fn::GetAtt ${attribute} of ${resource.type} ${stack}/${logicalId}`)
    }
    return value
  }
}

const NO_VALUE = Symbol('AWS::NoValue')

function splitOnce(text, separator) {
  const at = text.indexOf(separator)
  return [text.slice(0, at), text.slice(at + 1)]
}

function expectString(value, what) {
  if (typeof value !== 'string') {
    throw new Error(`${what} must resolve to a string, but got ${JSON.stringify(value)}`)
  }
  return value
}

function digest(text) {
  return createHash('sha256').update(text).digest('hex')
}

/** CloudFormation's shape for generated names: stack name, logical id, a random suffix (here a hash). */
function generatedName(stack, logicalId, maxLength) {
  const suffix = digest(`${stack}/${logicalId}`).slice(0, 12).toUpperCase()
  return `${stack}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + '-' + suffix
}

/** A valid, lowercase bucket name of at most 63 characters. */
function bucketName(stack, logicalId) {
  return generatedName(stack, logicalId, 63).toLowerCase()
}

function fakeUuid(text) {
  const h = digest(text)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}
