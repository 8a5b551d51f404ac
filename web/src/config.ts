/** The runtime configuration the deployment (or local mode) writes next to the page as config.json. */
export interface AppConfig {
  /** AWS region of the bucket and API, e.g. eu-west-1. */
  readonly region: string;
  /** Base URL of the credentials API. */
  readonly apiUrl: string;
  /** The upload bucket; the API's grants must name it. */
  readonly bucket: string;
  readonly auth: AuthConfig;
  /** Where S3 requests go; absent means the bucket's regional AWS endpoint, virtual-hosted style. */
  readonly s3: S3Config;
  readonly upload: UploadConfig;
}

export interface AuthConfig {
  /** OIDC issuer: its /.well-known/openid-configuration describes the endpoints. */
  readonly authority: string;
  readonly clientId: string;
  /**
   * Space-separated scopes; must include openid. The deployment adds the API's scope, which only access tokens
   * carry: the API refuses (403) a token without it.
   */
  readonly scope: string;
  /** Where to send the browser to end the provider's session (Cognito has no end_session_endpoint). */
  readonly signOutUrl: string | undefined;
}

export interface S3Config {
  /** An S3-compatible endpoint (local mode's emulator); absent means AWS. */
  readonly endpoint: string | undefined;
  /** Default false. */
  readonly forcePathStyle: boolean;
  /**
   * Send every S3 request to `<bucket>.s3-accelerate.amazonaws.com` (S3 Transfer Acceleration, which the
   * deployment turns on for the bucket). Default false. AWS only: not with `endpoint` or path style.
   */
  readonly transferAcceleration: boolean;
}

export interface UploadConfig {
  /** Parts in flight per file, 1 to 16. Default 4. */
  readonly concurrency: number;
}

/** config.json is missing, unreadable or malformed; the message names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Loads and validates config.json from beside the page, never from a cache. */
export async function loadConfig(fetchFn: typeof fetch, pageUrl: string): Promise<AppConfig> {
  const url = new URL('config.json', pageUrl);
  let response: Response;
  try {
    response = await fetchFn(url.href, { cache: 'no-store' });
  } catch (error) {
    throw new ConfigError(`The page's configuration (${url.pathname}) could not be loaded: ${message(error)}.`);
  }
  if (!response.ok) {
    throw new ConfigError(`The page's configuration (${url.pathname}) is missing: the server answered HTTP ${response.status}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(await response.text());
  } catch (error) {
    throw new ConfigError(`The page's configuration (${url.pathname}) is not valid JSON: ${message(error)}.`);
  }
  return parseConfig(value);
}

/** Validates the parsed config.json; the first problem found is thrown, naming its field. */
export function parseConfig(value: unknown): AppConfig {
  const root = object(value, '(the whole file)');
  const auth = object(root.auth, 'auth');
  const s3 = root.s3 === undefined ? {} : object(root.s3, 's3');
  const upload = root.upload === undefined ? {} : object(root.upload, 'upload');

  const region = string(root.region, 'region');
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) fail('region', 'an AWS region such as eu-west-1', root.region);
  const bucket = string(root.bucket, 'bucket');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) fail('bucket', 'an S3 bucket name', root.bucket);
  const scope = string(auth.scope, 'auth.scope');
  if (!scope.split(/\s+/).includes('openid')) fail('auth.scope', 'a list of scopes that includes openid', auth.scope);

  const concurrency = upload.concurrency ?? 4;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    fail('upload.concurrency', 'a whole number from 1 to 16', upload.concurrency);
  }
  const forcePathStyle = s3.forcePathStyle ?? false;
  if (typeof forcePathStyle !== 'boolean') fail('s3.forcePathStyle', 'true or false', s3.forcePathStyle);
  const transferAcceleration = s3.transferAcceleration ?? false;
  if (typeof transferAcceleration !== 'boolean') fail('s3.transferAcceleration', 'true or false', s3.transferAcceleration);
  if (transferAcceleration) {
    // The accelerate endpoint exists only on AWS, only in virtual-hosted style, and only for names without dots.
    if (s3.endpoint !== undefined) fail('s3.endpoint', 'absent when s3.transferAcceleration is true (AWS\'s accelerate endpoint is used)', s3.endpoint);
    if (forcePathStyle) fail('s3.forcePathStyle', 'false when s3.transferAcceleration is true (the accelerate endpoint takes virtual-hosted requests only)', forcePathStyle);
    if (bucket.includes('.')) fail('bucket', 'a name without dots when s3.transferAcceleration is true (S3 does not accelerate such buckets)', bucket);
  }

  return {
    region,
    apiUrl: httpUrl(root.apiUrl, 'apiUrl'),
    bucket,
    auth: {
      authority: httpUrl(auth.authority, 'auth.authority'),
      clientId: string(auth.clientId, 'auth.clientId'),
      scope,
      signOutUrl: auth.signOutUrl === undefined ? undefined : httpUrl(auth.signOutUrl, 'auth.signOutUrl'),
    },
    s3: {
      endpoint: s3.endpoint === undefined ? undefined : httpUrl(s3.endpoint, 's3.endpoint'),
      forcePathStyle,
      transferAcceleration,
    },
    upload: { concurrency },
  };
}

function fail(field: string, expected: string, given: unknown): never {
  const shown = given === undefined ? 'it is missing' : `${JSON.stringify(given)} was given`;
  throw new ConfigError(`The page's configuration is invalid: "${field}" must be ${expected}, but ${shown}.`);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'a JSON object', value);
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'a non-empty string', value);
  return value;
}

function httpUrl(value: unknown, field: string): string {
  const text = string(value, field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(field, 'an absolute http(s) URL', value);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(field, 'an absolute http(s) URL', value);
  return text;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
