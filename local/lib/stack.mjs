// Starts and stops local mode: moto (S3, STS, IAM, DynamoDB, SQS, EventBridge with request authentication),
// provisioned (provision.mjs) from the description world.mjs reads from cdk.out; the local OpenID Provider; the
// credentials handler from the Lambda's jar behind the local HTTP API (local/src, Java); on request the verifier
// from its jar, fed from its queue (queue-poller.mjs); and the built page with its config.json.
// Everything binds 127.0.0.1. Used by bin/local (local/start.mjs) and by every end-to-end test.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_USERS, listenOidc } from './oidc.mjs';
import { motoClients, noAuthActions, provision, sdkCredentials } from './provision.mjs';
import { pollQueue } from './queue-poller.mjs';
import { listenWeb } from './web.mjs';
import { loadTemplates } from './templates.mjs';
import { describeWorld, LOCAL_ACCOUNT } from './world.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The local stand-in for the Cognito app client's id (the JWT authorizer's audience). */
export const CLIENT_ID = 'local-web';

/**
 * @param {object} [options]
 * @param {string} [options.host] address every server binds (default 127.0.0.1)
 * @param {{moto?: number, api?: number, oidc?: number, web?: number}} [options.ports] 0 or absent: a free port
 * @param {string} [options.region] default us-east-1
 * @param {string} [options.cdkOut] default <repo>/cdk.out
 * @param {(line: string) => void} [options.onLog] receives every line the child processes print
 * @param {boolean} [options.awsOnly] only moto, provisioned (no page, sign-in or API): for the page's moto tests
 * @param {boolean} [options.verifier] also run the functions fed by queues (the verifier), each in its own JVM
 *   with a poller standing for Lambda's event source mapping; off unless asked (bin/local asks)
 * @returns {Promise<LocalStack>}
 */
export async function startLocal(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? {};
  const region = options.region ?? 'us-east-1';
  const cdkOut = options.cdkOut ?? join(repoRoot, 'cdk.out');
  const onLog = options.onLog ?? (() => {});
  const awsOnly = options.awsOnly ?? false;
  // Opt-in: the verifier deletes every object under uploads/ that has no grant, which tests that put objects
  // as the bucket owner do on purpose, and its JVM is one more on a small CI machine (see local/README.md).
  const runVerifier = options.verifier ?? false;
  // LOCAL_LAMBDA_JAR runs another build of the handler (the default is the one the Api stack deploys).
  const lambdaJar = process.env.LOCAL_LAMBDA_JAR || join(repoRoot, 'lambda', 'target', 'credentials-lambda.jar');
  const jars = [join(repoRoot, 'local', 'target', 'local-api.jar'), lambdaJar];
  for (const needed of [...(awsOnly ? [] : jars), join(cdkOut, 'manifest.json')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run bin/local once (it builds what is missing)`);
  }

  const stack = new LocalStack(onLog);
  try {
    stack.dir = await mkdtemp(join(tmpdir(), 'upload-local-'));

    const web = awsOnly ? undefined : await listenWeb({ host, port: ports.web ?? 0, distDir: join(repoRoot, 'web', 'dist') });
    if (web) stack.closers.push(web.close);
    const oidc = awsOnly ? undefined : await listenOidc({ host, port: ports.oidc ?? 0 });
    if (oidc) stack.closers.push(oidc.close);
    const apiUrl = awsOnly ? `http://${host}` : `http://${host}:${ports.api || (await freePort(host))}`;

    // Without a page, sign-in or API (awsOnly), their stand-ins are origins nothing listens on.
    const templates = loadTemplates(cdkOut, {
      ...LOCAL_ACCOUNT,
      region,
      local: { pageOrigin: web?.origin ?? `http://${host}`, issuer: oidc?.issuer ?? `http://${host}`, apiUrl, clientId: CLIENT_ID },
    });
    const describe = (kmsKeyArns) => describeWorld(templates.withLocal({ kmsKeyArns }));

    const motoPort = ports.moto || (await freePort(host));
    const endpoint = `http://${host}:${motoPort}`;
    stack.spawn('moto', 'python3', [join(repoRoot, 'local', 'moto_server.py'), '-H', host, '-p', String(motoPort)], {
      ...process.env,
      // moto's server-wide CORS (flask-cors) stays on: its S3 code puts CORS headers on GET and PUT answers only,
      // and the page must read CreateMultipartUpload's, CompleteMultipartUpload's and AbortMultipartUpload's
      // (local/README.md, "What differs from AWS").
      INITIAL_NO_AUTH_ACTION_COUNT: String(noAuthActions(describe({}))),
    });
    await waitFor(`${endpoint}/moto-api/`, 'moto', () => stack.failure('moto'));
    const { world, admin, executionSession, executionSessionArn, consumerSessions } = await provision(describe, endpoint);
    const fn = world.credentialsFunction;
    Object.assign(stack, { s3Endpoint: endpoint, region, bucket: world.uploadBucket.name, admin, world, executionSession, executionSessionArn });
    if (awsOnly) return stack;

    oidc.configure({ clientId: CLIENT_ID, ...world.signIn });

    const settingsFile = join(stack.dir, 'api-settings.json');
    await writeFile(settingsFile, JSON.stringify({
      host,
      port: Number(new URL(apiUrl).port),
      handler: fn.handler,
      functionName: fn.logicalId,
      timeoutSeconds: fn.timeoutSeconds,
      memorySize: fn.memorySize,
      routes: world.api.routes,
      cors: world.api.cors,
    }));
    const api = stack.spawn('api', 'java', ['-XX:TieredStopAtLevel=1', '-cp', jars.join(':'), 'dev.multipartuploadsts.local.LocalApi', settingsFile],
      functionEnvironment(fn.environment, executionSession, region, endpoint));
    await waitForLine(api, /local-api listening on/, 'the local API', () => stack.failure('api'));

    // The functions Lambda invokes for a queue (the verifier), each in its own JVM, fed by a poller.
    for (const consumer of world.queueConsumers.filter((c) => c.enabled && runVerifier)) {
      const name = `function:${consumer.function.logicalId}`;
      stack.logs[name] = [];
      const port = await freePort(host);
      const child = stack.spawn(name, 'java', ['-XX:TieredStopAtLevel=1', '-cp', `${jars[0]}:${consumer.function.jar}`, 'dev.multipartuploadsts.local.LocalFunction',
        host, String(port), consumer.function.handler, consumer.function.logicalId, String(consumer.function.timeoutSeconds), String(consumer.function.memorySize)],
      functionEnvironment(consumer.function.environment, consumerSessions[consumer.function.path], region, endpoint));
      await waitForLine(child, /local-function listening on/, consumer.function.path, () => stack.failure(name));
      const poller = pollQueue({
        sqs: motoClients(endpoint, region, sdkCredentials(consumerSessions[consumer.function.path])).sqs,
        consumer,
        region,
        endpoint,
        invokeUrl: `http://${host}:${port}/invoke`,
        onLog: (line) => onLog(`[${name}] ${line}`),
      });
      stack.pollers.set(consumer.function.logicalId, poller);
      stack.closers.push(() => poller.stop());
    }

    const config = structuredClone(world.pageConfig);
    // Cognito's /logout URL has no local counterpart; the page then uses the provider's end_session_endpoint.
    delete config.auth.signOutUrl;
    // The page talks to moto; this replaces the whole s3 object, so a synthesis with transferAcceleration=true
    // (whose config.json says s3.transferAcceleration) still uploads locally: moto has no accelerate endpoint.
    config.s3 = { endpoint, forcePathStyle: true };
    web.configure(config, world.siteHeaders, [apiUrl, endpoint, oidc.issuer]);
    /** Points the page at another S3 endpoint (the benchmarks' S3Proxy): config.json and the CSP's connect-src. */
    const setPageS3Endpoint = (s3Endpoint) => {
      config.s3 = { endpoint: s3Endpoint, forcePathStyle: true };
      web.configure(config, world.siteHeaders, [apiUrl, s3Endpoint, oidc.issuer]);
    };

    Object.assign(stack, {
      pageUrl: `${web.origin}/`,
      pageOrigin: web.origin,
      apiUrl,
      issuer: oidc.issuer,
      clientId: CLIENT_ID,
      users: DEMO_USERS,
      config,
      setPageS3Endpoint,
    });
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/**
 * A Lambda function's environment as Lambda sets it: the template's variables, the region, and the execution
 * role's session keys; the AWS SDK pointed at moto for every service the functions use. Nothing of this
 * shell's AWS settings leaks in.
 */
function functionEnvironment(variables, session, region, endpoint) {
  return {
    PATH: process.env.PATH,
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...variables,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: session.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: session.SecretAccessKey,
    AWS_SESSION_TOKEN: session.SessionToken,
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
  };
}

/** A running local mode. `stop()` ends every process and server it started; it is safe to call twice. */
export class LocalStack {
  constructor(onLog) {
    this.onLog = onLog;
    this.children = new Map();
    this.closers = [];
    this.pollers = new Map();
    this.logs = { moto: [], api: [] };
    this.exitHook = () => {
      for (const child of this.children.values()) killGroup(child, 'SIGKILL');
    };
    process.on('exit', this.exitHook);
  }

  /** Starts a child in its own process group, so that stopping it also stops anything it started. */
  spawn(name, command, args, env) {
    const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(name, child);
    child.exitInfo = null;
    child.on('exit', (code, signal) => {
      child.exitInfo = { code, signal };
    });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop();
        for (const line of lines) {
          if (this.logs[name].length < 100_000) this.logs[name].push(line);
          this.onLog(`[${name}] ${line}`);
        }
      });
    }
    return child;
  }

  failure(name) {
    const child = this.children.get(name);
    if (!child?.exitInfo) return undefined;
    return `${name} exited (${JSON.stringify(child.exitInfo)}):\n${this.logs[name].slice(-30).join('\n')}`;
  }

  /** The credentials handler's own log lines (one JSON object per request it handled). */
  handlerLines() {
    return this.logs.api.filter((line) => line.startsWith('{') && line.includes('"outcome"')).map((line) => JSON.parse(line));
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    for (const close of this.closers.reverse()) await close().catch(() => {});
    await Promise.all([...this.children.values()].map((child) => stopChild(child)));
    process.off('exit', this.exitHook);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

function killGroup(child, signal) {
  if (child.exitInfo) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopChild(child) {
  if (child.exitInfo) return;
  const exited = new Promise((done) => child.once('exit', done));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port that was free a moment ago (for servers that cannot report the port they bound). */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, what, failed, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure) throw new Error(`${what} did not start: ${failure}`);
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function waitForLine(child, pattern, what, failed, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let rest = '';
    const timer = setTimeout(() => finish(new Error(`${what} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk) => {
      rest += chunk.toString('utf8');
      if (pattern.test(rest)) finish();
    };
    const onExit = () => setImmediate(() => finish(new Error(`${what} did not start: ${failed() ?? 'it exited'}`)));
    function finish(error) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}
