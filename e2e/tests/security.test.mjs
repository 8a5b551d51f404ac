// The fences, end to end against local mode (no browser): the API's JWT checks, the emulator's checks
// of session tokens and of the role policy, a second user, and that local mode is the synthesized
// templates (with exactly the differences local/README.md names).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { localMode, repoRoot, s3As } from '../lib/harness.mjs';

const run = promisify(execFile);
const scripts = join(repoRoot, 'scripts');

function signInEnv(stack, user) {
  return { ...process.env, UPLOAD_API_URL: stack.apiUrl, OIDC_ISSUER: stack.issuer, OIDC_CLIENT_ID: stack.clientId, OIDC_REDIRECT_URI: stack.pageUrl, OIDC_USERNAME: user.username, OIDC_PASSWORD: user.password };
}

/** The provider's token response for `user`, signed in with the page's scopes (scripts/api_token.py). */
async function signInTokens(stack, user) {
  const code = 'import sys, json; sys.path.insert(0, sys.argv[1]); from api_token import sign_in_with_password as s; print(json.dumps(s(*sys.argv[2:])))';
  const { stdout } = await run('python3', ['-c', code, scripts, stack.issuer, stack.clientId, stack.pageUrl, user.username, user.password]);
  return JSON.parse(stdout);
}

async function accessToken(stack, user) {
  return (await signInTokens(stack, user)).access_token;
}

const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

async function api(stack, path, body, token, headers = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A raw HTTP OPTIONS request (fetch may not set Origin). */
function preflight(url, origin, method, headers) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function template(stack) {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'cdk.out', 'manifest.json'), 'utf8'));
  const stacks = {};
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack') stacks[artifact.properties?.stackName ?? id] = JSON.parse(readFileSync(join(repoRoot, 'cdk.out', artifact.properties.templateFile), 'utf8'));
  }
  const find = (type, predicate = () => true) => Object.values(stacks).flatMap((t) => Object.entries(t.Resources)).filter(([, r]) => r.Type === type && predicate(r));
  return { stacks, find };
}

test('the fences, end to end', { timeout: 5 * 60_000 }, async (t) => {
  const stack = await localMode(t);
  const [alice, bob] = stack.users;
  const aliceToken = await accessToken(stack, alice);

  await t.test('the API admits only bearer JWTs that pass the authorizer checks, and never calls the handler otherwise', async () => {
    const handled = () => stack.handlerLines().length;
    const before = handled();
    const start = { fileName: 'a.bin', size: 10 };

    const none = await api(stack, '/uploads', start);
    assert.deepEqual([none.status, none.body], [401, { message: 'Unauthorized' }]);
    assert.equal((await api(stack, '/uploads', start, 'not-a-jwt')).status, 401);

    const [header, payload, signature] = aliceToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const other = { ...claims, sub: bob.sub };
    const tampered = `${header}.${Buffer.from(JSON.stringify(other)).toString('base64url')}.${signature}`;
    assert.equal((await api(stack, '/uploads', start, tampered)).status, 401, 'a token whose claims were changed after signing');

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgedInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const forged = `${forgedInput}.${createSign('RSA-SHA256').update(forgedInput).sign(privateKey).toString('base64url')}`;
    const forgedAnswer = await api(stack, '/uploads', start, forged);
    assert.equal(forgedAnswer.status, 401, 'a token signed by a key that is not in the issuer\'s JWKS');
    assert.match(forgedAnswer.headers.get('www-authenticate'), /invalid_token/);

    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    assert.equal((await api(stack, '/uploads', start, unsigned)).status, 401, 'an unsigned token (alg none)');

    assert.equal(handled(), before, 'the handler was never invoked for a rejected request');
    const ok = await api(stack, '/uploads', start, aliceToken);
    assert.equal(ok.status, 200);
    assert.equal(handled(), before + 1);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    assert.equal(claims.iss, stack.issuer);
  });

  // Issue 11, defect 4: an ID token has the same issuer, audience and signing key as an access token; only the
  // scope every route requires tells them apart, as API Gateway's JWT authorizer does.
  await t.test('the API refuses an ID token with 403 and admits an access token carrying its scope', async () => {
    const tokens = await signInTokens(stack, alice);
    const idClaims = claimsOf(tokens.id_token);
    assert.equal(idClaims.iss, stack.issuer, 'control: the ID token is from the same issuer');
    assert.deepEqual([idClaims.aud].flat(), [stack.clientId], 'control: and for the audience the authorizer admits');
    assert.equal(idClaims.scope, undefined, 'an ID token carries no scope');
    const route = template(stack).find('AWS::ApiGatewayV2::Route', (r) => r.Properties.RouteKey === 'POST /uploads');
    const required = route[0][1].Properties.AuthorizationScopes;
    assert.deepEqual(required, ['multipart-upload-sts/upload'], 'the template requires the API scope on the route');
    assert.ok(claimsOf(tokens.access_token).scope.split(' ').includes(required[0]), 'the access token carries it');

    const handled = stack.handlerLines().length;
    const start = { fileName: 'scope.bin', size: 10 };
    const withIdToken = await api(stack, '/uploads', start, tokens.id_token);
    assert.deepEqual([withIdToken.status, withIdToken.body], [403, { message: 'Forbidden' }]);
    const refresh = await api(stack, '/uploads/refresh', { key: 'uploads/x/y/z.bin' }, tokens.id_token);
    assert.equal(refresh.status, 403, 'the refresh route requires the scope too');
    assert.equal(stack.handlerLines().length, handled, 'the handler was never invoked for the ID token');
    const withAccessToken = await api(stack, '/uploads', start, tokens.access_token);
    assert.equal(withAccessToken.status, 200);
  });

  await t.test('a tampered session token and a key outside uploads/ are rejected by the emulator', async () => {
    const { body } = await api(stack, '/uploads', { fileName: 'fence.bin', size: 100 }, aliceToken);
    const credentials = body.credentials;
    assert.deepEqual(await s3As(stack, credentials, 'create', body.key), { ok: true }, 'control: the vended key works');

    const token = credentials.SessionToken;
    const flipped = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41);
    assert.deepEqual(await s3As(stack, { ...credentials, SessionToken: flipped }, 'create', body.key), { ok: false, code: 'InvalidToken', status: 400 });
    const withoutToken = await s3As(stack, { AccessKeyId: credentials.AccessKeyId, SecretAccessKey: credentials.SecretAccessKey }, 'create', body.key);
    assert.equal(withoutToken.ok, false, 'without its session token');
    assert.match(withoutToken.code, /^(InvalidToken|InvalidAccessKeyId)$/);
    assert.equal((await s3As(stack, { ...credentials, SecretAccessKey: `x${credentials.SecretAccessKey.slice(1)}` }, 'put', body.key)).code, 'SignatureDoesNotMatch');

    for (const key of ['outside/fence.bin', 'fence.bin', 'uploadsX/fence.bin']) {
      assert.deepEqual(await s3As(stack, credentials, 'put', key), { ok: false, code: 'AccessDenied', status: 403 }, `PutObject ${key}`);
      assert.deepEqual(await s3As(stack, credentials, 'create', key), { ok: false, code: 'AccessDenied', status: 403 }, `CreateMultipartUpload ${key}`);
    }
  });

  await t.test('a second user can neither refresh the first user\'s key through the API nor see the first user\'s files', async () => {
    const bobToken = await accessToken(stack, bob);
    const aliceStart = await api(stack, '/uploads', { fileName: 'private.bin', size: 3 }, aliceToken);
    assert.deepEqual(await s3As(stack, aliceStart.body.credentials, 'put', aliceStart.body.key), { ok: true });

    const refresh = await api(stack, '/uploads/refresh', { key: aliceStart.body.key }, bobToken);
    assert.equal(refresh.status, 403);
    assert.match(refresh.body.message, /one of your own uploads/);
    assert.equal(refresh.body.credentials, undefined);
    const viaScript = await run(join(scripts, 'upload-credentials'), ['process', '--key', aliceStart.body.key], { env: signInEnv(stack, bob) }).catch((error) => error);
    assert.equal(viaScript.code, 1);
    assert.equal(viaScript.stdout, '', 'credential_process output stays empty');
    assert.match(viaScript.stderr, /HTTP 403/);
    assert.equal((await api(stack, '/uploads/refresh', { key: aliceStart.body.key }, aliceToken)).status, 200, 'control: the owner may refresh');

    const bobCredentials = (await api(stack, '/uploads', { fileName: 'mine.bin', size: 3 }, bobToken)).body.credentials;
    assert.deepEqual(await s3As(stack, bobCredentials, 'get', aliceStart.body.key), { ok: false, code: 'AccessDenied', status: 403 });
    assert.deepEqual(await s3As(stack, bobCredentials, 'head', aliceStart.body.key), { ok: false, code: '403', status: 403 });
    // Prefixes without '/': moto miscalculates the signature of a ListObjectsV2 whose prefix has one.
    for (const prefix of ['', 'uploads']) {
      assert.deepEqual(await s3As(stack, bobCredentials, 'list', prefix), { ok: false, code: 'AccessDenied', status: 403 }, `ListObjectsV2 prefix "${prefix}"`);
    }
  });

  await t.test('CORS: the bucket and the API admit the page\'s origin and no other', async () => {
    const objectUrl = `${stack.s3Endpoint}/${stack.bucket}/uploads/x/y/z.bin?uploads`;
    const s3Ok = await preflight(objectUrl, stack.pageOrigin, 'POST', 'authorization,content-type,x-amz-date');
    assert.equal(s3Ok.status, 200);
    assert.equal(s3Ok.headers['access-control-allow-origin'], stack.pageOrigin);
    assert.equal((await preflight(objectUrl, 'http://127.0.0.1:1', 'POST', 'authorization')).status, 403);

    const apiOk = await preflight(`${stack.apiUrl}/uploads`, stack.pageOrigin, 'POST', 'authorization,content-type');
    assert.equal(apiOk.status, 204);
    assert.equal(apiOk.headers['access-control-allow-origin'], stack.pageOrigin);
    const apiOther = await preflight(`${stack.apiUrl}/uploads`, 'http://127.0.0.1:1', 'POST', 'authorization,content-type');
    assert.equal(apiOther.headers['access-control-allow-origin'], undefined);
  });

  await t.test('local mode is the synthesized templates, with only the named differences', async () => {
    const { find } = template(stack);
    const env = {
      ...process.env, LOCAL_S3_ENDPOINT: stack.s3Endpoint, LOCAL_BUCKET: stack.bucket, LOCAL_REGION: stack.region,
      AWS_ACCESS_KEY_ID: stack.admin.AccessKeyId, AWS_SECRET_ACCESS_KEY: stack.admin.SecretAccessKey,
    };
    delete env.AWS_SESSION_TOKEN;
    const lambda = stack.world.credentialsFunction;
    const uploadRoleArn = stack.world.uploadRole.arn;
    const seen = JSON.parse((await run('python3', [join(repoRoot, 'e2e', 'lib', 'provisioned.py'), uploadRoleArn, lambda.executionRoleArn], { env })).stdout);

    const [[, bucket]] = find('AWS::S3::Bucket', (r) => r.Properties.CorsConfiguration);
    const [rule] = bucket.Properties.CorsConfiguration.CorsRules;
    assert.deepEqual(seen.cors, [{
      ID: rule.Id, AllowedHeaders: rule.AllowedHeaders, AllowedMethods: rule.AllowedMethods,
      // The one difference: the page's origin is http://127.0.0.1:<port>, not https://<CloudFront domain>.
      AllowedOrigins: [stack.pageOrigin],
      ExposeHeaders: rule.ExposedHeaders, MaxAgeSeconds: rule.MaxAge,
    }]);
    const [lifecycle] = bucket.Properties.LifecycleConfiguration.Rules;
    assert.equal(seen.lifecycle.length, 1);
    assert.equal(seen.lifecycle[0].ID, lifecycle.Id);
    assert.equal(seen.lifecycle[0].Status, lifecycle.Status);
    assert.deepEqual(seen.lifecycle[0].AbortIncompleteMultipartUpload, lifecycle.AbortIncompleteMultipartUpload);

    const upload = seen.roles[uploadRoleArn];
    const [[uploadRoleId, uploadRole]] = find('AWS::IAM::Role', (r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('sts:SetSourceIdentity'));
    const [trust] = uploadRole.Properties.AssumeRolePolicyDocument.Statement;
    assert.equal(upload.trust.Statement.length, 1);
    assert.deepEqual(upload.trust.Statement[0].Action, trust.Action);
    // The other difference: moto matches the caller's session ARN literally, AWS matches the role ARN.
    assert.deepEqual(upload.trust.Statement[0].Principal, { AWS: [lambda.executionRoleArn, stack.executionSessionArn] });
    assert.equal(seen.ownerAssumesUploadRole, 'AccessDenied', 'moto enforces the trust policy: the bucket owner is not trusted');
    const [[, uploadPolicy]] = find('AWS::IAM::Policy', (r) => r.Properties.Roles.some((ref) => ref.Ref === uploadRoleId));
    const [uploadStatement] = Object.values(upload.policies)[0].Statement;
    assert.deepEqual(uploadStatement.Action, uploadPolicy.Properties.PolicyDocument.Statement[0].Action);
    assert.equal(uploadStatement.Resource, `arn:aws:s3:::${stack.bucket}/uploads/*`);
    assert.equal(upload.maxSessionDuration, uploadRole.Properties.MaxSessionDuration);

    const execution = seen.roles[lambda.executionRoleArn];
    assert.deepEqual(execution.trust.Statement[0].Principal, { Service: 'lambda.amazonaws.com' });
    const assume = Object.values(execution.policies).flatMap((p) => p.Statement).find((s) => [].concat(s.Action).includes('sts:AssumeRole'));
    assert.equal(assume.Resource, uploadRoleArn, 'the execution role may assume only the upload role');
    assert.ok(Object.values(execution.policies).flatMap((p) => p.Statement).every((s) => ![].concat(s.Action).some((a) => a.startsWith('s3:'))), 'the execution role has no S3 permission');

    assert.deepEqual(Object.keys(stack.world.uploadBucket.settings.leftOut).sort(), ['BucketPolicy', 'LoggingConfiguration', 'MetricsConfigurations']);
    const [[, functionResource]] = find('AWS::Lambda::Function', (r) => r.Properties.Handler?.startsWith('dev.multipartuploadsts.credentials.'));
    assert.equal(lambda.handler, functionResource.Properties.Handler);
    assert.equal(lambda.environment.CREDENTIAL_DURATION_SECONDS, functionResource.Properties.Environment.Variables.CREDENTIAL_DURATION_SECONDS);
  });
});
