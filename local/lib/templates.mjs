// The synthesized CloudFormation templates of cdk.out, and the one resolver of their intrinsics. Every value
// resolves as CloudFormation would in one environment: an account, a region and a partition, with names made
// up deterministically where CloudFormation would generate them. Local mode resolves in its own environment,
// where a few attributes point at local stand-ins (the page origin, the OpenID Provider, the local API);
// the isolation proof resolves in a fictitious AWS account. Anything it cannot resolve stops it, naming it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The templates hold something the resolver does not know how to treat. */
export class TemplateError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * @typedef {object} Environment
 * @property {string} accountId
 * @property {string} region
 * @property {string} partition
 * @property {string} urlSuffix
 * @property {{pageOrigin: string, issuer: string, apiUrl: string, clientId: string, kmsKeyArns?: object}} [local]
 *   local stand-ins for https://<CloudFront domain>, the user pool's issuer, the HTTP API's endpoint and the app
 *   client's id, and the ARNs of the KMS keys created locally by `<stack>/<logical id>`
 */

/** Reads the stacks that cdk.out/manifest.json lists (by stack name) and returns their resolver. */
export function loadTemplates(cdkOut, environment) {
  const manifestFile = join(cdkOut, 'manifest.json');
  if (!existsSync(manifestFile)) throw new TemplateError(`${manifestFile} is missing: run ./bin/synth (or npx cdk synth) first`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const stacks = new Map();
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const name = artifact.properties?.stackName ?? artifactId;
    stacks.set(name, JSON.parse(readFileSync(join(cdkOut, artifact.properties.templateFile), 'utf8')));
  }
  if (stacks.size === 0) throw new TemplateError(`${manifestFile} lists no stacks: run ./bin/synth first`);
  return new Templates(stacks, environment, cdkOut);
}

/**
 * Stands in for https://<the CloudFront distribution's domain> until `local.pageOrigin` replaces it, so that
 * a use of the domain other than as that origin is noticed rather than resolved to something wrong.
 */
const PAGE_HOST = 'page-origin.local.invalid';
const NO_VALUE = Symbol('AWS::NoValue');

/** Every resource of every stack, and the resolver from CloudFormation values to concrete ones. */
export class Templates {
  /** @param {Map<string, object>} stacks @param {Environment} env @param {string} [dir] the cdk.out folder */
  constructor(stacks, env, dir) {
    this.stacks = stacks;
    this.env = env;
    this.dir = dir;
  }

  /** The same templates resolved with more local stand-ins (see Environment.local). */
  withLocal(more) {
    return new Templates(this.stacks, { ...this.env, local: { ...this.env.local, ...more } }, this.dir);
  }

  /** `[{ stack, logicalId, type, properties }]` over all stacks in template order, optionally of one type. */
  resources(type) {
    const out = [];
    for (const [stack, template] of this.stacks) {
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        if (type === undefined || resource.Type === type) {
          out.push({ stack, logicalId, type: resource.Type, properties: resource.Properties ?? {} });
        }
      }
    }
    return out;
  }

  resource(stack, logicalId) {
    const resource = this.stacks.get(stack)?.Resources?.[logicalId];
    if (!resource) throw new TemplateError(`stack ${stack} has no resource ${logicalId}`);
    return { stack, logicalId, type: resource.Type, properties: resource.Properties ?? {} };
  }

  /** The resource a `Ref` or `Fn::GetAtt` value points at, in `stack`. */
  referenced(stack, value) {
    if (value?.Ref !== undefined) return this.resource(stack, value.Ref);
    const getAtt = value?.['Fn::GetAtt'];
    if (getAtt !== undefined) return this.resource(stack, Array.isArray(getAtt) ? getAtt[0] : splitOnce(getAtt, '.')[0]);
    throw new TemplateError(`${stack}: expected a reference to a resource, found ${JSON.stringify(value)}`);
  }

  /** `value` with every intrinsic resolved, evaluated in `stack`. Throws on anything it cannot resolve. */
  resolve(stack, value) {
    const resolved = this.#resolve(stack, value);
    return this.env.local ? this.#pageOrigin(resolved) : resolved;
  }

  #pageOrigin(value) {
    if (typeof value === 'string') {
      const replaced = value.replaceAll(`https://${PAGE_HOST}`, this.env.local.pageOrigin);
      if (replaced.includes(PAGE_HOST)) throw new TemplateError(`the distribution's domain is used other than as https://<domain>: ${value}`);
      return replaced;
    }
    if (Array.isArray(value)) return value.map((v) => this.#pageOrigin(v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#pageOrigin(v)]));
    return value;
  }

  #resolve(stack, value) {
    if (Array.isArray(value)) return value.map((item) => this.#resolve(stack, item)).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.#intrinsic(stack, keys[0], value[keys[0]]);
    }
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.#resolve(stack, v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  #intrinsic(stack, name, arg) {
    switch (name) {
      case 'Ref':
        return this.ref(stack, arg);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : splitOnce(arg, '.');
        return this.getAtt(stack, logicalId, attribute);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg;
        return this.#resolve(stack, parts).map((part) => String(part)).join(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
        const locals = this.#resolve(stack, variables);
        return text.replace(/\$\{([^}!][^}]*)\}/g, (_, expression) => {
          if (expression in locals) return locals[expression];
          if (expression.includes('.') && !expression.startsWith('AWS::')) {
            const [logicalId, attribute] = splitOnce(expression, '.');
            return this.getAtt(stack, logicalId, attribute);
          }
          return this.ref(stack, expression);
        });
      }
      case 'Fn::GetStackOutput': {
        const producer = this.#resolve(stack, arg.StackName);
        const output = this.stacks.get(producer)?.Outputs?.[arg.OutputName];
        if (!output) throw new TemplateError(`${stack} reads output ${arg.OutputName} that ${producer} does not have`);
        return this.#resolve(producer, output.Value);
      }
      case 'Fn::ImportValue': {
        const exportName = this.#resolve(stack, arg);
        for (const [producer, template] of this.stacks) {
          for (const output of Object.values(template.Outputs ?? {})) {
            if (output.Export && this.#resolve(producer, output.Export.Name) === exportName) return this.#resolve(producer, output.Value);
          }
        }
        throw new TemplateError(`Fn::ImportValue: no stack exports ${exportName}`);
      }
      case 'Fn::Select': {
        const [index, list] = arg;
        return this.#resolve(stack, list)[Number(this.#resolve(stack, index))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg;
        const text = this.#resolve(stack, source);
        if (typeof text !== 'string') throw new TemplateError(`Fn::Split in ${stack} needs a string, but got ${JSON.stringify(text)}`);
        return text.split(separator);
      }
      default:
        // Fn::If and friends would need the template's Conditions; no template here uses them yet.
        throw new TemplateError(`${stack}: ${name} is not supported by the resolver (${JSON.stringify(arg)})`);
    }
  }

  ref(stack, name) {
    const { accountId, region, partition, urlSuffix } = this.env;
    const pseudo = { 'AWS::AccountId': accountId, 'AWS::Region': region, 'AWS::Partition': partition, 'AWS::URLSuffix': urlSuffix, 'AWS::StackName': stack };
    if (name in pseudo) return pseudo[name];
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name.startsWith('AWS::')) throw new TemplateError(`${stack}: pseudo parameter ${name} has no value here`);
    if (this.stacks.get(stack)?.Parameters?.[name]) throw new TemplateError(`${stack}: nothing may depend on the parameter ${name}`);
    return this.physicalId(this.resource(stack, name));
  }

  /** What `Ref` gives for a resource: its name or id, made up deterministically where CloudFormation would. */
  physicalId(resource) {
    const { stack, logicalId, type, properties } = resource;
    const p = (name) => (properties[name] === undefined ? undefined : this.resolve(stack, properties[name]));
    switch (type) {
      case 'AWS::S3::Bucket':
        return p('BucketName') ?? generatedName(stack, logicalId, 63).toLowerCase();
      case 'AWS::IAM::Role':
        return p('RoleName') ?? generatedName(stack, logicalId, 64);
      case 'AWS::IAM::Policy':
        return p('PolicyName') ?? generatedName(stack, logicalId, 128);
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${this.env.partition}:iam::${this.env.accountId}:policy${p('Path') ?? '/'}${p('ManagedPolicyName') ?? generatedName(stack, logicalId, 128)}`;
      case 'AWS::Lambda::Function':
        return p('FunctionName') ?? generatedName(stack, logicalId, 64);
      case 'AWS::Logs::LogGroup':
        return p('LogGroupName') ?? generatedName(stack, logicalId, 512);
      case 'AWS::KMS::Key': {
        // An emulator picks key ids itself; local mode passes them in (local.kmsKeyArns) once it has created them.
        const created = this.env.local?.kmsKeyArns?.[`${stack}/${logicalId}`];
        return created ? created.slice(created.lastIndexOf('/') + 1) : fakeUuid(`${stack}/${logicalId}`);
      }
      case 'AWS::CloudFront::Distribution':
        return 'E' + digest(`${stack}/${logicalId}`).slice(0, 13).toUpperCase();
      case 'AWS::Cognito::UserPoolClient':
        return this.env.local?.clientId ?? digest(`${stack}/${logicalId}`).slice(0, 26);
      case 'AWS::Cognito::UserPoolResourceServer':
        return p('Identifier');
      case 'AWS::Cognito::UserPool':
        return `${this.env.region}_${digest(`${stack}/${logicalId}`).slice(0, 9)}`;
      case 'AWS::ApiGatewayV2::Api':
        return digest(`${stack}/${logicalId}`).slice(0, 10);
      case 'AWS::DynamoDB::Table':
        return p('TableName') ?? generatedName(stack, logicalId, 255);
      // A queue's Ref is its URL in AWS; here it is its name, which is what every use in these templates compares.
      case 'AWS::SQS::Queue':
        return p('QueueName') ?? generatedName(stack, logicalId, 80);
      case 'AWS::Events::EventBus':
        return p('Name') ?? generatedName(stack, logicalId, 256);
      case 'AWS::Events::Rule':
        return p('Name') ?? generatedName(stack, logicalId, 64);
      default:
        return generatedName(stack, logicalId, 128);
    }
  }

  getAtt(stack, logicalId, attribute) {
    const resource = this.resource(stack, logicalId);
    const { accountId, region, partition, urlSuffix, local } = this.env;
    const id = this.physicalId(resource);
    const path = resource.properties.Path === undefined ? '/' : this.resolve(stack, resource.properties.Path);
    const attributes = {
      'AWS::S3::Bucket': {
        Arn: `arn:${partition}:s3:::${id}`,
        DomainName: `${id}.s3.${urlSuffix}`,
        RegionalDomainName: `${id}.s3.${region}.${urlSuffix}`,
      },
      'AWS::IAM::Role': {
        Arn: `arn:${partition}:iam::${accountId}:role${path}${id}`,
        RoleId: 'AROA' + digest(id).slice(0, 17).toUpperCase(),
      },
      'AWS::Lambda::Function': { Arn: `arn:${partition}:lambda:${region}:${accountId}:function:${id}` },
      'AWS::Logs::LogGroup': { Arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${id}:*` },
      'AWS::KMS::Key': { Arn: `arn:${partition}:kms:${region}:${accountId}:key/${id}`, KeyId: id },
      'AWS::CloudFront::Distribution': { Id: id, DomainName: local ? PAGE_HOST : `${id.toLowerCase()}.cloudfront.net` },
      'AWS::Cognito::UserPool': {
        Arn: `arn:${partition}:cognito-idp:${region}:${accountId}:userpool/${id}`,
        ProviderURL: local?.issuer ?? `https://cognito-idp.${region}.${urlSuffix}/${id}`,
      },
      'AWS::ApiGatewayV2::Api': { ApiId: id, ApiEndpoint: local?.apiUrl ?? `https://${id}.execute-api.${region}.${urlSuffix}` },
      'AWS::DynamoDB::Table': { Arn: `arn:${partition}:dynamodb:${region}:${accountId}:table/${id}` },
      'AWS::SQS::Queue': { Arn: `arn:${partition}:sqs:${region}:${accountId}:${id}`, QueueName: id },
      'AWS::Events::EventBus': { Arn: `arn:${partition}:events:${region}:${accountId}:event-bus/${id}`, Name: id },
      'AWS::Events::Rule': { Arn: `arn:${partition}:events:${region}:${accountId}:rule/${id}` },
    }[resource.type];
    const value = attributes?.[attribute];
    if (value === undefined) throw new TemplateError(`${stack}/${logicalId}: Fn::GetAtt ${attribute} of ${resource.type} has no value here`);
    return value;
  }
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

function digest(text) {
  return createHash('sha256').update(text).digest('hex');
}

/** CloudFormation's shape for generated names: stack name, logical id, a random suffix (here a hash). */
function generatedName(stack, logicalId, maxLength) {
  const suffix = digest(`${stack}/${logicalId}`).slice(0, 12).toUpperCase();
  return `${stack}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + '-' + suffix;
}

function fakeUuid(text) {
  const h = digest(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
