"""Provisions a moto server from the synthesized templates in cdk.out/, the way CloudFormation would
create the upload path in AWS, and prints what the rest of local mode needs as one JSON document.

What it reads from the templates (never from a second hand-written copy):
- the credentials function: its handler, timeout, environment and execution role;
- the execution role and the upload role: trust policies, descriptions, session limits, and every
  AWS::IAM::Policy attached to them;
- the KMS key, when the app is synthesized with uploadBucketEncryption=KMS: key policy, rotation, tags;
- the upload bucket: CORS rules, lifecycle rules, default encryption, public access block, ownership
  controls and tags (its bucket policy is checked to hold only TLS-only denies, then left out: local
  mode is plain HTTP);
- the HTTP API: routes, JWT authorizer (issuer, audience, identity source) and CORS configuration;
- the sign-in client (redirect and sign-out URLs, scopes, token lifetimes) and the page's config.json.

Intrinsics are resolved against local values: account 123456789012 (moto's default), partition aws,
the page origin http://127.0.0.1:<port> in place of https://<CloudFront domain>, the local OpenID
Provider in place of the Cognito user pool, and the local API endpoint in place of the HTTP API's.

Two steps differ from AWS on purpose (local/README.md, "What differs from AWS", lists all differences):
1. Lambda's service assumes the execution role for the function. Locally that AssumeRole runs inside
   moto's unauthenticated start-up window (INITIAL_NO_AUTH_ACTION_COUNT), because moto cannot evaluate
   a trust policy whose principal is a service.
2. AWS matches a trust policy's role principal against every session of that role; moto compares the
   caller's session ARN literally. The upload role's trust therefore also lists the execution role's
   local session ARN, next to the role ARN the template names.

Usage: python3 provision.py no-auth-actions
       python3 provision.py provision --endpoint URL --cdk-out DIR --page-origin URL --issuer URL
                                      --client-id ID --api-url URL [--region R]
"""
import argparse
import json
import os
import re
import sys

ACCOUNT = '123456789012'
PARTITION = 'aws'
URL_SUFFIX = 'amazonaws.com'
HANDLER_CLASS = 'dev.multipartuploadsts.credentials.CredentialsHandler'
EXECUTION_SESSION_NAME = 'local-lambda-runtime'
ADMIN_USER = 'local-admin'
# Stands in for https://<the CloudFront distribution's domain name> until the page origin replaces it.
PAGE_HOST = 'page-origin.local.invalid'

# The calls made before moto starts authenticating requests; start moto with this count.
NO_AUTH_ACTIONS = 5


class TemplateError(Exception):
    """The templates hold something this resolver does not know how to create locally."""


class CloudAssembly:
    """The stacks of a cdk.out directory, by stack name."""

    def __init__(self, cdk_out):
        self.dir = cdk_out
        with open(os.path.join(cdk_out, 'manifest.json'), encoding='utf-8') as f:
            manifest = json.load(f)
        self.stacks = {}
        for artifact_id, artifact in manifest['artifacts'].items():
            if artifact.get('type') != 'aws:cloudformation:stack':
                continue
            props = artifact.get('properties', {})
            name = props.get('stackName', artifact_id)
            with open(os.path.join(cdk_out, props['templateFile']), encoding='utf-8') as f:
                self.stacks[name] = json.load(f)
        if not self.stacks:
            raise TemplateError(f'{cdk_out}/manifest.json lists no stacks: run ./bin/synth first')

    def resources(self, resource_type):
        """(stack, logical id, resource) for every resource of a type, in a stable order."""
        found = []
        for stack, template in sorted(self.stacks.items()):
            for logical_id, resource in sorted(template.get('Resources', {}).items()):
                if resource['Type'] == resource_type:
                    found.append((stack, logical_id, resource))
        return found

    def resource(self, stack, logical_id):
        try:
            return self.stacks[stack]['Resources'][logical_id]
        except KeyError:
            raise TemplateError(f'{stack} has no resource {logical_id}') from None


class Resolver:
    """Resolves CloudFormation intrinsics to the values the local resources have."""

    def __init__(self, assembly, region, page_origin, issuer, client_id, api_url):
        self.assembly = assembly
        self.region = region
        self.page_origin = page_origin
        self.issuer = issuer
        self.client_id = client_id
        self.api_url = api_url
        self.key_arns = {}  # (stack, logical id) -> ARN of the KMS key created for it

    def physical_id(self, stack, logical_id):
        """What Ref gives: the name CloudFormation would generate, without its random suffix."""
        resource = self.assembly.resource(stack, logical_id)
        kind = resource['Type']
        props = resource.get('Properties', {})
        if kind == 'AWS::S3::Bucket':
            if 'BucketName' in props:
                return self.resolve(stack, props['BucketName'])
            return f'{stack}-{logical_id}'.lower()[:63].rstrip('-.')
        if kind == 'AWS::IAM::Role':
            if 'RoleName' in props:
                return self.resolve(stack, props['RoleName'])
            return f'{stack}-{logical_id}'[:64]
        if kind == 'AWS::Logs::LogGroup':
            if 'LogGroupName' in props:
                return self.resolve(stack, props['LogGroupName'])
            return f'/local/{stack}/{logical_id}'
        if kind == 'AWS::Cognito::UserPoolClient':
            return self.client_id
        if kind == 'AWS::Cognito::UserPoolResourceServer':
            return self.resolve(stack, props['Identifier'])
        if kind == 'AWS::IAM::Policy':
            return self.resolve(stack, props['PolicyName'])
        return f'{stack}-{logical_id}'

    def attribute(self, stack, logical_id, name):
        kind = self.assembly.resource(stack, logical_id)['Type']
        ref = self.physical_id(stack, logical_id)
        known = {
            ('AWS::S3::Bucket', 'Arn'): lambda: f'arn:{PARTITION}:s3:::{ref}',
            ('AWS::IAM::Role', 'Arn'): lambda: f'arn:{PARTITION}:iam::{ACCOUNT}:role/{ref}',
            ('AWS::Logs::LogGroup', 'Arn'): lambda: f'arn:{PARTITION}:logs:{self.region}:{ACCOUNT}:log-group:{ref}:*',
            ('AWS::Cognito::UserPool', 'ProviderURL'): lambda: self.issuer,
            ('AWS::CloudFront::Distribution', 'DomainName'): lambda: PAGE_HOST,
            ('AWS::ApiGatewayV2::Api', 'ApiEndpoint'): lambda: self.api_url,
            ('AWS::KMS::Key', 'Arn'): lambda: self._key_arn(stack, logical_id),
            ('AWS::DynamoDB::Table', 'Arn'): lambda: f'arn:{PARTITION}:dynamodb:{self.region}:{ACCOUNT}:table/{ref}',
        }
        if (kind, name) not in known:
            raise TemplateError(f'{stack}/{logical_id}: Fn::GetAtt {name} of {kind} has no local value')
        return known[(kind, name)]()

    def _key_arn(self, stack, logical_id):
        if (stack, logical_id) not in self.key_arns:
            raise TemplateError(f'{stack}/{logical_id}: the KMS key is used before it is created')
        return self.key_arns[(stack, logical_id)]

    def pseudo(self, stack, name):
        values = {'AWS::Region': self.region, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': PARTITION,
                  'AWS::URLSuffix': URL_SUFFIX, 'AWS::StackName': stack}
        if name not in values:
            raise TemplateError(f'{stack}: pseudo parameter {name} has no local value')
        return values[name]

    def resolve(self, stack, value):
        """The value with every intrinsic resolved; the page origin stands for https://<distribution>."""
        return self._origins(self._resolve(stack, value))

    def _origins(self, value):
        if isinstance(value, str):
            value = value.replace(f'https://{PAGE_HOST}', self.page_origin)
            if PAGE_HOST in value:
                raise TemplateError(f'the distribution domain is used other than as https://<domain>: {value}')
            return value
        if isinstance(value, list):
            return [self._origins(v) for v in value]
        if isinstance(value, dict):
            return {k: self._origins(v) for k, v in value.items()}
        return value

    def _resolve(self, stack, value):
        if isinstance(value, list):
            return [self._resolve(stack, v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == 'Ref':
                if arg.startswith('AWS::'):
                    return self.pseudo(stack, arg)
                return self.physical_id(stack, arg)
            if key == 'Fn::GetAtt':
                logical_id, name = arg if isinstance(arg, list) else arg.split('.', 1)
                return self.attribute(stack, logical_id, name)
            if key == 'Fn::Join':
                separator, parts = arg
                return separator.join(str(self._resolve(stack, p)) for p in self._resolve(stack, parts))
            if key == 'Fn::GetStackOutput':
                producer = arg['StackName']
                outputs = self.assembly.stacks.get(producer, {}).get('Outputs', {})
                if arg['OutputName'] not in outputs:
                    raise TemplateError(f'{stack} reads output {arg["OutputName"]} that {producer} does not have')
                return self._resolve(producer, outputs[arg['OutputName']]['Value'])
            if key == 'Fn::Sub':
                text, variables = (arg, {}) if isinstance(arg, str) else arg
                variables = {k: self._resolve(stack, v) for k, v in variables.items()}
                return re.sub(r'\$\{([^}!][^}]*)\}', lambda m: str(self._sub_variable(stack, m.group(1), variables)), text)
            if key == 'Fn::Select':
                index, items = arg
                return self._resolve(stack, items)[int(self._resolve(stack, index))]
            if key.startswith('Fn::') or key == 'Condition':
                raise TemplateError(f'{stack}: {key} is not supported by the local resolver')
        return {k: self._resolve(stack, v) for k, v in value.items()}

    def _sub_variable(self, stack, name, variables):
        if name in variables:
            return variables[name]
        if name.startswith('AWS::'):
            return self.pseudo(stack, name)
        if '.' in name:
            logical_id, attribute = name.split('.', 1)
            return self.attribute(stack, logical_id, attribute)
        return self.physical_id(stack, name)


def cors_rules(cfn_rules):
    """AWS::S3::Bucket CorsConfiguration.CorsRules as the S3 API's PutBucketCors shape."""
    names = {'AllowedHeaders': 'AllowedHeaders', 'AllowedMethods': 'AllowedMethods', 'AllowedOrigins': 'AllowedOrigins',
             'ExposedHeaders': 'ExposeHeaders', 'Id': 'ID', 'MaxAge': 'MaxAgeSeconds'}
    return [{names[k]: v for k, v in rule.items() if _known(k, names, 'CorsRules')} for rule in cfn_rules]


def lifecycle_rules(cfn_rules):
    """AWS::S3::Bucket LifecycleConfiguration.Rules as the S3 API's PutBucketLifecycleConfiguration shape."""
    rules = []
    for rule in cfn_rules:
        out = {'Status': rule['Status'], 'Filter': {'Prefix': rule.get('Prefix', '')}}
        for key, value in rule.items():
            if key in ('Status', 'Prefix'):
                continue
            if key == 'Id':
                out['ID'] = value
            elif key == 'AbortIncompleteMultipartUpload':
                out['AbortIncompleteMultipartUpload'] = {'DaysAfterInitiation': value['DaysAfterInitiation']}
            elif key == 'ExpirationInDays':
                out['Expiration'] = {'Days': value}
            elif key == 'NoncurrentVersionExpiration':
                out['NoncurrentVersionExpiration'] = {'NoncurrentDays': value['NoncurrentDays']}
            else:
                raise TemplateError(f'lifecycle rule property {key} has no local translation')
        rules.append(out)
    return rules


def encryption_rules(cfn_config):
    rules = []
    for rule in cfn_config['ServerSideEncryptionConfiguration']:
        out = {}
        for key, value in rule.items():
            if key == 'ServerSideEncryptionByDefault':
                out['ApplyServerSideEncryptionByDefault'] = value
            elif key in ('BucketKeyEnabled', 'BlockedEncryptionTypes'):
                out[key] = value
            else:
                raise TemplateError(f'bucket encryption property {key} has no local translation')
        rules.append(out)
    return rules


def _known(key, names, where):
    if key not in names:
        raise TemplateError(f'{where} property {key} has no local translation')
    return True


# Bucket properties applied locally, and those left out with the reason (local/README.md lists them).
BUCKET_PROPERTIES_APPLIED = ('CorsConfiguration', 'LifecycleConfiguration', 'BucketEncryption',
                             'PublicAccessBlockConfiguration', 'OwnershipControls', 'NotificationConfiguration',
                             'Tags')
BUCKET_PROPERTIES_LEFT_OUT = {
    'MetricsConfigurations': 'S3 request metrics are published to CloudWatch, which local mode does not have',
    'LoggingConfiguration': 'server access logs need the log bucket and a delivery moto does not have',
    'BucketPolicy': 'its statements only deny requests without TLS, and local mode is plain HTTP on 127.0.0.1',
}


def provision(args):
    import boto3

    assembly = CloudAssembly(args.cdk_out)
    resolver = Resolver(assembly, args.region, args.page_origin, args.issuer, args.client_id, args.api_url)

    functions = [(s, i, r) for s, i, r in assembly.resources('AWS::Lambda::Function')
                 if r['Properties'].get('Handler', '').startswith(HANDLER_CLASS + '::')]
    if len(functions) != 1:
        raise TemplateError(f'expected one function with handler {HANDLER_CLASS}, found {len(functions)}')
    api_stack, function_id, function = functions[0]
    fprops = function['Properties']
    execution_role_id = _logical_id_of(fprops['Role'])

    def client(service, key):
        return boto3.client(service, endpoint_url=args.endpoint, region_name=args.region,
                            aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'],
                            aws_session_token=key.get('SessionToken'))

    bootstrap = {'AccessKeyId': 'AKIALOCALBOOTSTRAP', 'SecretAccessKey': 'bootstrap'}

    # Moto's unauthenticated window: exactly NO_AUTH_ACTIONS calls.
    iam = client('iam', bootstrap)
    iam.create_user(UserName=ADMIN_USER)                                                     # 1
    iam.put_user_policy(UserName=ADMIN_USER, PolicyName='everything', PolicyDocument=json.dumps(
        {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))  # 2
    key = iam.create_access_key(UserName=ADMIN_USER)['AccessKey']                            # 3
    admin = {'AccessKeyId': key['AccessKeyId'], 'SecretAccessKey': key['SecretAccessKey']}
    execution_role = _create_role(iam, resolver, api_stack, execution_role_id)               # 4
    # What Lambda's service does for the function: assume its execution role (difference 1 above).
    session = client('sts', bootstrap).assume_role(                                          # 5
        RoleArn=execution_role['Arn'], RoleSessionName=EXECUTION_SESSION_NAME, DurationSeconds=43200)
    execution = session['Credentials']
    execution_session_arn = session['AssumedRoleUser']['Arn']

    # From here on every request is authenticated: the admin user stands for the deploying account.
    iam = client('iam', admin)
    # KMS keys first: their ARNs (moto chooses the key ids) appear in the environment, the bucket and policies.
    _create_keys(client('kms', admin), assembly, resolver)
    env = resolver.resolve(api_stack, fprops.get('Environment', {}).get('Variables', {}))
    upload_role_arn = env['UPLOAD_ROLE_ARN']
    upload_role_id = _role_by_arn(assembly, resolver, api_stack, upload_role_arn)
    bucket_name = env['UPLOAD_BUCKET_NAME']
    bucket_stack, bucket_id = _bucket_by_name(assembly, resolver, bucket_name)
    upload_role = _create_role(iam, resolver, api_stack, upload_role_id,
                               extra_principal=(execution_role['Arn'], execution_session_arn))
    attached = _put_role_policies(iam, assembly, resolver, api_stack,
                                  {execution_role_id: execution_role['RoleName'], upload_role_id: upload_role['RoleName']})

    s3 = client('s3', admin)
    applied = _create_bucket(s3, assembly, resolver, bucket_stack, bucket_id, bucket_name, args.region)

    return {
        'region': args.region,
        'account': ACCOUNT,
        'endpoint': args.endpoint,
        'bucket': bucket_name,
        'admin': admin,
        'lambda': {
            'stack': api_stack,
            'logicalId': function_id,
            'handler': fprops['Handler'],
            'timeoutSeconds': fprops.get('Timeout', 3),
            'memorySize': fprops.get('MemorySize', 128),
            'environment': env,
            'executionRoleArn': execution_role['Arn'],
            'executionSession': {k: execution[k] for k in ('AccessKeyId', 'SecretAccessKey', 'SessionToken')},
            'executionSessionArn': execution_session_arn,
        },
        'uploadRoleArn': upload_role['Arn'],
        'rolePolicies': attached,
        'bucketProperties': {'applied': applied, 'leftOut': BUCKET_PROPERTIES_LEFT_OUT},
        'api': _api(assembly, resolver, api_stack),
        'signIn': _sign_in_client(assembly, resolver),
        'pageConfig': _page_config(assembly, resolver),
        'pageHeaders': _page_headers(assembly, resolver),
    }


def _logical_id_of(value):
    if isinstance(value, dict) and 'Fn::GetAtt' in value:
        return value['Fn::GetAtt'][0]
    if isinstance(value, dict) and 'Ref' in value:
        return value['Ref']
    raise TemplateError(f'expected a reference to a resource, found {json.dumps(value)}')


def _role_by_arn(assembly, resolver, stack, arn):
    for s, logical_id, _ in assembly.resources('AWS::IAM::Role'):
        if s == stack and resolver.attribute(s, logical_id, 'Arn') == arn:
            return logical_id
    raise TemplateError(f'no role in {stack} has the ARN {arn}')


def _bucket_by_name(assembly, resolver, name):
    for stack, logical_id, _ in assembly.resources('AWS::S3::Bucket'):
        if resolver.physical_id(stack, logical_id) == name:
            return stack, logical_id
    raise TemplateError(f'no bucket is named {name}')


def _create_role(iam, resolver, stack, logical_id, extra_principal=None):
    props = resolver.assembly.resource(stack, logical_id)['Properties']
    for key in props:
        if key not in ('AssumeRolePolicyDocument', 'Description', 'MaxSessionDuration', 'Tags', 'RoleName', 'Path'):
            raise TemplateError(f'{stack}/{logical_id}: role property {key} has no local translation')
    trust = resolver.resolve(stack, props['AssumeRolePolicyDocument'])
    if extra_principal:
        trust = with_session_principal(trust, *extra_principal)
    created = iam.create_role(
        RoleName=resolver.physical_id(stack, logical_id),
        Path=props.get('Path', '/'),
        AssumeRolePolicyDocument=json.dumps(trust),
        Description=props.get('Description', ''),
        MaxSessionDuration=props.get('MaxSessionDuration', 3600),
        Tags=resolver.resolve(stack, props.get('Tags', [])),
    )
    return created['Role']


def with_session_principal(trust, role_arn, session_arn):
    """The trust policy with `session_arn` added wherever `role_arn` is an AWS principal (difference 2)."""
    statements = trust['Statement'] if isinstance(trust['Statement'], list) else [trust['Statement']]
    for statement in statements:
        principal = statement.get('Principal', {})
        aws = principal.get('AWS') if isinstance(principal, dict) else None
        listed = [aws] if isinstance(aws, str) else (aws or [])
        if role_arn in listed:
            principal['AWS'] = listed + [session_arn]
    return trust


def _put_role_policies(iam, assembly, resolver, stack, roles):
    """Every AWS::IAM::Policy of `stack` attached to one of `roles` (logical id -> name), as inline policies."""
    attached = {}
    for s, logical_id, resource in assembly.resources('AWS::IAM::Policy'):
        if s != stack:
            continue
        props = resource['Properties']
        targets = [_logical_id_of(r) for r in props.get('Roles', [])]
        if not targets or any(t not in roles for t in targets) or props.get('Users') or props.get('Groups'):
            raise TemplateError(f'{stack}/{logical_id} is attached to something local mode does not create')
        name = resolver.resolve(stack, props['PolicyName'])
        document = resolver.resolve(stack, props['PolicyDocument'])
        for target in targets:
            iam.put_role_policy(RoleName=roles[target], PolicyName=name, PolicyDocument=json.dumps(document))
            attached.setdefault(roles[target], []).append(name)
    return attached


KEY_PROPERTIES_APPLIED = ('Description', 'KeyPolicy', 'EnableKeyRotation', 'Tags')


def _create_keys(kms, assembly, resolver):
    """Every AWS::KMS::Key (uploadBucketEncryption=KMS) with its policy, rotation and tags; moto picks the id."""
    for stack, logical_id, resource in assembly.resources('AWS::KMS::Key'):
        props = resolver.resolve(stack, resource['Properties'])
        for key in props:
            _known(key, KEY_PROPERTIES_APPLIED, f'{stack}/{logical_id}: KMS key')
        metadata = kms.create_key(Description=props.get('Description', ''), Policy=json.dumps(props['KeyPolicy']),
                                  Tags=[{'TagKey': t['Key'], 'TagValue': t['Value']} for t in props.get('Tags', [])])
        if props.get('EnableKeyRotation'):
            kms.enable_key_rotation(KeyId=metadata['KeyMetadata']['KeyId'])
        resolver.key_arns[(stack, logical_id)] = metadata['KeyMetadata']['Arn']


def _create_bucket(s3, assembly, resolver, stack, logical_id, name, region):
    props = resolver.resolve(stack, assembly.resource(stack, logical_id)['Properties'])
    for key in props:
        if key not in BUCKET_PROPERTIES_APPLIED and key not in BUCKET_PROPERTIES_LEFT_OUT and key != 'BucketName':
            raise TemplateError(f'{stack}/{logical_id}: bucket property {key} has no local translation')
    if region == 'us-east-1':
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={'LocationConstraint': region})
    applied = []
    if 'CorsConfiguration' in props:
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={'CORSRules': cors_rules(props['CorsConfiguration']['CorsRules'])})
        applied.append('CorsConfiguration')
    if 'LifecycleConfiguration' in props:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name, LifecycleConfiguration={'Rules': lifecycle_rules(props['LifecycleConfiguration']['Rules'])})
        applied.append('LifecycleConfiguration')
    if 'BucketEncryption' in props:
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            'Rules': encryption_rules(props['BucketEncryption'])})
        applied.append('BucketEncryption')
    if 'PublicAccessBlockConfiguration' in props:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props['PublicAccessBlockConfiguration'])
        applied.append('PublicAccessBlockConfiguration')
    if 'OwnershipControls' in props:
        s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=props['OwnershipControls'])
        applied.append('OwnershipControls')
    if 'NotificationConfiguration' in props:
        notifications = props['NotificationConfiguration']
        for key in notifications:
            _known(key, ('EventBridgeConfiguration',), f'{stack}/{logical_id}: bucket notification')
        if notifications.get('EventBridgeConfiguration', {}).get('EventBridgeEnabled'):
            s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={'EventBridgeConfiguration': {}})
        applied.append('NotificationConfiguration')
    if props.get('Tags'):
        s3.put_bucket_tagging(Bucket=name, Tagging={'TagSet': props['Tags']})
        applied.append('Tags')
    for s, policy_id, resource in assembly.resources('AWS::S3::BucketPolicy'):
        if s == stack and _logical_id_of(resource['Properties']['Bucket']) == logical_id:
            document = resolver.resolve(s, resource['Properties']['PolicyDocument'])
            untranslatable = [st for st in document['Statement'] if not is_transport_deny(st)]
            if untranslatable:
                raise TemplateError(f'{s}/{policy_id} has statements local mode cannot apply: {json.dumps(untranslatable)}')
    return applied


def is_transport_deny(statement):
    """Whether a bucket policy statement only denies requests without TLS (1.2 or later).

    Local mode serves S3 over plain HTTP on 127.0.0.1, so such statements would deny every request (moto
    evaluates bucket policies without their conditions, which here gives the same answer). They are left
    out, and any other kind of statement stops provisioning instead of being dropped silently.
    """
    condition = statement.get('Condition', {})
    transport = condition == {'Bool': {'aws:SecureTransport': 'false'}} or (
        list(condition) == ['NumericLessThan'] and list(condition['NumericLessThan']) == ['s3:TlsVersion'])
    return statement.get('Effect') == 'Deny' and transport


def _api(assembly, resolver, stack):
    apis = [(s, i, r) for s, i, r in assembly.resources('AWS::ApiGatewayV2::Api') if s == stack]
    if len(apis) != 1:
        raise TemplateError(f'expected one HTTP API in {stack}, found {len(apis)}')
    _, api_id, api = apis[0]
    routes = []
    for s, _, route in assembly.resources('AWS::ApiGatewayV2::Route'):
        if s != stack or _logical_id_of(route['Properties']['ApiId']) != api_id:
            continue
        props = route['Properties']
        entry = {'routeKey': props['RouteKey'], 'authorizationType': props.get('AuthorizationType', 'NONE')}
        if entry['authorizationType'] == 'JWT':
            authorizer = assembly.resource(stack, _logical_id_of(props['AuthorizerId']))['Properties']
            jwt = resolver.resolve(stack, authorizer['JwtConfiguration'])
            entry['authorizer'] = {'issuer': jwt['Issuer'], 'audience': jwt['Audience'],
                                   'identitySource': authorizer.get('IdentitySource', ['$request.header.Authorization'])}
            entry['authorizationScopes'] = props.get('AuthorizationScopes', [])
        elif entry['authorizationType'] != 'NONE':
            raise TemplateError(f'route {props["RouteKey"]}: authorization {entry["authorizationType"]} has no local equivalent')
        routes.append(entry)
    cors = resolver.resolve(stack, api['Properties'].get('CorsConfiguration', {}))
    return {'routes': sorted(routes, key=lambda r: r['routeKey']), 'cors': cors}


def _sign_in_client(assembly, resolver):
    clients = assembly.resources('AWS::Cognito::UserPoolClient')
    if len(clients) != 1:
        return None
    stack, _, resource = clients[0]
    props = resolver.resolve(stack, resource['Properties'])
    units = props.get('TokenValidityUnits', {})
    seconds = {'seconds': 1, 'minutes': 60, 'hours': 3600, 'days': 86400}
    return {
        'redirectUris': props.get('CallbackURLs', []),
        'postLogoutRedirectUris': props.get('LogoutURLs', []),
        'scopes': props.get('AllowedOAuthScopes', []),
        'flows': props.get('AllowedOAuthFlows', []),
        'accessTokenSeconds': props.get('AccessTokenValidity', 60) * seconds[units.get('AccessToken', 'hours')],
        'idTokenSeconds': props.get('IdTokenValidity', 60) * seconds[units.get('IdToken', 'hours')],
        'refreshTokenSeconds': props.get('RefreshTokenValidity', 30) * seconds[units.get('RefreshToken', 'days')],
    }


def _page_headers(assembly, resolver):
    """The response headers CloudFront adds to the page, by header name (HSTS left out: local mode is plain HTTP)."""
    policies = assembly.resources('AWS::CloudFront::ResponseHeadersPolicy')
    if len(policies) != 1:
        return {}
    stack, _, resource = policies[0]
    config = resolver.resolve(stack, resource['Properties']['ResponseHeadersPolicyConfig'])
    security = config.get('SecurityHeadersConfig', {})
    headers = {}
    if 'ContentSecurityPolicy' in security:
        headers['content-security-policy'] = security['ContentSecurityPolicy']['ContentSecurityPolicy']
    if 'ContentTypeOptions' in security:
        headers['x-content-type-options'] = 'nosniff'
    if 'FrameOptions' in security:
        headers['x-frame-options'] = security['FrameOptions']['FrameOption']
    if 'ReferrerPolicy' in security:
        headers['referrer-policy'] = security['ReferrerPolicy']['ReferrerPolicy']
    for item in config.get('CustomHeadersConfig', {}).get('Items', []):
        headers[item['Header'].lower()] = item['Value']
    return headers


def _page_config(assembly, resolver):
    """config.json as the Web stack deploys it: the asset with its deploy-time markers resolved."""
    for stack, _, resource in assembly.resources('Custom::CDKBucketDeployment'):
        props = resource['Properties']
        for index, object_key in enumerate(props.get('SourceObjectKeys', [])):
            path = os.path.join(assembly.dir, 'asset.' + object_key.removesuffix('.zip'), 'config.json')
            if not os.path.exists(path):
                continue
            with open(path, encoding='utf-8') as f:
                text = f.read()
            markers = resolver.resolve(stack, (props.get('SourceMarkers') or [{}] * (index + 1))[index])
            for marker, value in markers.items():
                text = text.replace(marker, str(value))
            return json.loads(text)
    raise TemplateError('no bucket deployment in the templates ships a config.json')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('no-auth-actions', help='print how many unauthenticated calls provisioning makes')
    p = sub.add_parser('provision', help='create the resources and print the local state as JSON')
    p.add_argument('--endpoint', required=True)
    p.add_argument('--cdk-out', required=True)
    p.add_argument('--page-origin', required=True)
    p.add_argument('--issuer', required=True)
    p.add_argument('--client-id', required=True)
    p.add_argument('--api-url', required=True)
    p.add_argument('--region', default='us-east-1')
    args = parser.parse_args()
    if args.command == 'no-auth-actions':
        print(NO_AUTH_ACTIONS)
        return
    try:
        state = provision(args)
    except TemplateError as e:
        print(f'provision: {e}', file=sys.stderr)
        sys.exit(2)
    json.dump(state, sys.stdout, default=str)
    print()


if __name__ == '__main__':
    main()
