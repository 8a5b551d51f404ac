// S3Proxy as the browser benchmarks' S3 backend: one JVM with its filesystem backend in a temporary
// folder, SigV4 authentication on with every key local mode's STS vends (StsS3Proxy.java), the upload
// bucket created under the same name, and the bucket's own CORS rule (read from moto, where local mode
// applied the synthesized template's rule) as S3Proxy's CORS settings. The page is pointed at it through
// local mode's config.json and CSP. See bench/README.md ("Backends").
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** The S3Proxy release the benchmarks use (Maven Central, org.gaul:s3proxy, its jar-with-dependencies). */
export const S3PROXY_VERSION = '4.1.0';

/** The jar from the local Maven repository, fetched through Maven (`dependency:get`) when missing. */
export async function s3proxyJar() {
  const jar = join(homedir(), '.m2', 'repository', 'org', 'gaul', 's3proxy', S3PROXY_VERSION,
    `s3proxy-${S3PROXY_VERSION}-jar-with-dependencies.jar`);
  if (!existsSync(jar)) {
    await run('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=org.gaul:s3proxy:${S3PROXY_VERSION}:jar:jar-with-dependencies`],
      { cwd: here, maxBuffer: 16 * 1024 * 1024 });
  }
  return jar;
}

/**
 * Starts S3Proxy beside a running local mode `stack`, in `dir`; `track(child)` registers the process for
 * clean-up. Resolves to { endpoint, owner: {AccessKeyId, SecretAccessKey}, cors, child }.
 */
export async function startS3Proxy(stack, dir, track) {
  const jar = await s3proxyJar();
  const cors = withPeerHeaders(await bucketCors(stack));
  const basedir = join(dir, 's3proxy-data');
  await mkdir(basedir, { recursive: true });
  const owner = { AccessKeyId: `AKIABENCHOWNER${randomBytes(3).toString('hex').toUpperCase()}`, SecretAccessKey: randomBytes(30).toString('base64') };
  const props = {
    's3proxy.endpoint': 'http://127.0.0.1:0',
    's3proxy.authorization': 'aws-v2-or-v4',
    's3proxy.identity': owner.AccessKeyId,
    's3proxy.credential': owner.SecretAccessKey,
    // S3Proxy 4.1.0 knows no session tokens: it refuses x-amz-security-token as an unknown header
    // (501 NotImplemented). With this it lets the header through; the token is still signed (it is in
    // SignedHeaders), so S3Proxy's signature check covers it, but S3Proxy does not judge it.
    's3proxy.ignore-unknown-headers': 'true',
    's3proxy.cors-allow-origins': cors.AllowedOrigins.join(' '),
    's3proxy.cors-allow-methods': cors.AllowedMethods.join(' '),
    's3proxy.cors-allow-headers': cors.AllowedHeaders.join(' '),
    's3proxy.cors-exposed-headers': (cors.ExposeHeaders ?? []).join(' '),
    'bench.basedir': basedir,
    'bench.sts-state-url': `${stack.s3Endpoint}/moto-api/data.json`,
  };
  const propsFile = join(dir, 's3proxy.properties');
  await writeFile(propsFile, Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n'));
  const child = spawn('java', ['-cp', jar, join(here, 's3proxy', 'StsS3Proxy.java'), propsFile], {
    env: { PATH: process.env.PATH, ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}), LOG_LEVEL: 'warn', JETTY_LOG_LEVEL: 'warn' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const log = [];
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`S3Proxy did not start within 120 s:\n${log.slice(-30).join('\n')}`)), 120_000);
    const onLine = (chunk) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (log.length < 10_000) log.push(line);
        const m = /^s3proxy listening on (\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`S3Proxy exited (${code}):\n${log.slice(-30).join('\n')}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await run('aws', ['s3api', 'create-bucket', '--bucket', stack.bucket, '--endpoint-url', endpoint], { env: ownerEnv(owner, stack.region) });
  return { endpoint, owner, cors, child, log };
}

/** The environment for the AWS CLI as the bucket's owner on S3Proxy. */
export function ownerEnv(owner, region) {
  return {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: owner.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: owner.SecretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/**
 * Request headers the page's peers send that the page does not (the AWS SDK v3's invocation, retry and
 * checksum headers): the benchmarks add them to the bucket's CORS rule so that the peers can run at all.
 * The page's own requests need none of them.
 */
export const PEER_CORS_HEADERS = [
  'amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent', 'x-amz-sdk-checksum-algorithm', 'content-md5',
];

/** The bucket's CORS rule with the peers' headers added (see PEER_CORS_HEADERS). */
export function withPeerHeaders(rule) {
  const lower = new Set(rule.AllowedHeaders.map((h) => h.toLowerCase()));
  return { ...rule, AllowedHeaders: [...rule.AllowedHeaders, ...PEER_CORS_HEADERS.filter((h) => !lower.has(h))] };
}

/** The upload bucket's CORS rule as local mode applied it to moto from the synthesized template. */
export async function bucketCors(stack) {
  const { stdout } = await run('aws', ['s3api', 'get-bucket-cors', '--bucket', stack.bucket, '--endpoint-url', stack.s3Endpoint],
    { env: ownerEnv(stack.admin, stack.region) });
  const rules = JSON.parse(stdout).CORSRules;
  if (rules.length !== 1) throw new Error(`expected one CORS rule on the upload bucket, found ${rules.length}`);
  return rules[0];
}
