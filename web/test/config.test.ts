import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../src/config';

const valid = {
  region: 'eu-west-1',
  apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
  bucket: 'the-upload-bucket-name',
  auth: {
    authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf',
    clientId: 'xxxxxxxx',
    scope: 'openid email profile',
    signOutUrl: 'https://prefix.auth.eu-west-1.amazoncognito.com/logout?client_id=xxxxxxxx&logout_uri=https%3A%2F%2Fd123.cloudfront.net%2F',
  },
  s3: { endpoint: 'http://127.0.0.1:5000', forcePathStyle: true },
  upload: { concurrency: 4 },
};

describe('runtime config', () => {
  it('accepts the documented shape', () => {
    expect(parseConfig(valid)).toEqual({
      ...valid,
      auth: { ...valid.auth },
      s3: { ...valid.s3, transferAcceleration: false },
      upload: { concurrency: 4 },
    });
  });

  it('fills in the optional parts: real S3, concurrency 4, no sign-out URL', () => {
    const { s3: _s3, upload: _upload, ...rest } = valid;
    const config = parseConfig({ ...rest, auth: { ...valid.auth, signOutUrl: undefined } });
    expect(config.s3).toEqual({ endpoint: undefined, forcePathStyle: false, transferAcceleration: false });
    expect(config.upload).toEqual({ concurrency: 4 });
    expect(config.auth.signOutUrl).toBeUndefined();
  });

  it.each([
    [{ ...valid, region: undefined }, '"region" must be a non-empty string, but it is missing'],
    [{ ...valid, region: 'Europe' }, '"region" must be an AWS region such as eu-west-1, but "Europe" was given'],
    [{ ...valid, apiUrl: 'abc123.execute-api' }, '"apiUrl" must be an absolute http(s) URL'],
    [{ ...valid, bucket: 'Bad_Bucket' }, '"bucket" must be an S3 bucket name'],
    [{ ...valid, auth: 'cognito' }, '"auth" must be a JSON object, but "cognito" was given'],
    [{ ...valid, auth: { ...valid.auth, clientId: '' } }, '"auth.clientId" must be a non-empty string'],
    [{ ...valid, auth: { ...valid.auth, scope: 'email profile' } }, '"auth.scope" must be a list of scopes that includes openid'],
    [{ ...valid, auth: { ...valid.auth, authority: 'ftp://idp' } }, '"auth.authority" must be an absolute http(s) URL'],
    [{ ...valid, s3: { endpoint: 5000 } }, '"s3.endpoint" must be a non-empty string, but 5000 was given'],
    [{ ...valid, s3: { forcePathStyle: 'yes' } }, '"s3.forcePathStyle" must be true or false'],
    [{ ...valid, s3: { transferAcceleration: 'on' } }, '"s3.transferAcceleration" must be true or false, but "on" was given'],
    [
      { ...valid, s3: { endpoint: 'http://127.0.0.1:5000', transferAcceleration: true } },
      '"s3.endpoint" must be absent when s3.transferAcceleration is true (AWS\'s accelerate endpoint is used), but "http://127.0.0.1:5000" was given',
    ],
    [
      { ...valid, s3: { forcePathStyle: true, transferAcceleration: true } },
      '"s3.forcePathStyle" must be false when s3.transferAcceleration is true (the accelerate endpoint takes virtual-hosted requests only), but true was given',
    ],
    [
      { ...valid, bucket: 'uploads.example.com', s3: { transferAcceleration: true } },
      '"bucket" must be a name without dots when s3.transferAcceleration is true (S3 does not accelerate such buckets), but "uploads.example.com" was given',
    ],
    [{ ...valid, upload: { concurrency: 64 } }, '"upload.concurrency" must be a whole number from 1 to 16, but 64 was given'],
    [[], '"(the whole file)" must be a JSON object'],
  ])('names the field that is wrong (%#)', (config, text) => {
    expect(() => parseConfig(config)).toThrowError(ConfigError);
    expect(() => parseConfig(config)).toThrowError(text);
  });

  it('reads the deployment\'s Transfer Acceleration switch, off when absent', () => {
    const { s3: _s3, ...aws } = valid;
    expect(parseConfig({ ...aws, s3: { transferAcceleration: true } }).s3).toEqual({
      endpoint: undefined,
      forcePathStyle: false,
      transferAcceleration: true,
    });
    expect(parseConfig(aws).s3.transferAcceleration).toBe(false);
  });

  it('loads config.json beside the page, bypassing the cache', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify(valid));
    }) as unknown as typeof globalThis.fetch;
    await loadConfig(fetch, 'https://d123.cloudfront.net/app/index.html');
    expect(calls).toEqual([['https://d123.cloudfront.net/app/config.json', { cache: 'no-store' }]]);
  });

  it('says clearly when config.json is missing or not JSON', async () => {
    const missing = (async () => new Response('Not Found', { status: 404 })) as unknown as typeof fetch;
    await expect(loadConfig(missing, 'http://127.0.0.1:8080/')).rejects.toThrowError('(/config.json) is missing: the server answered HTTP 404');
    const garbled = (async () => new Response('{"region":')) as unknown as typeof fetch;
    await expect(loadConfig(garbled, 'http://127.0.0.1:8080/')).rejects.toThrowError('(/config.json) is not valid JSON');
  });
});
