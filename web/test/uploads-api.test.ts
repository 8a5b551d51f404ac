import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, UploadError } from '../src/uploader/errors';
import { expectTarget, HttpUploadsApi, parseGrant, parseLedgerPage, parseRetryAfter } from '../src/uploader/uploads-api';

const signal = new AbortController().signal;
const okBody = {
  bucket: 'upload-bucket',
  region: 'eu-west-1',
  key: 'uploads/owner/1/video.mp4',
  partSize: 8388608,
  credentials: {
    Version: 1,
    AccessKeyId: 'ASIA1',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: '2026-05-02T10:15:00Z',
  },
};

function fakeFetch(answers: (() => Response)[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    requests.push({ url: String(input), init: init ?? {} });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return answer();
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('upload API client', () => {
  it('posts the file details with the bearer token and reads the grant', async () => {
    const { fetch, requests } = fakeFetch([json(200, okBody)]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example/', accessToken: async () => 'tok-1', fetch });
    const grant = await api.start({ fileName: 'video.mp4', size: 10, contentType: 'video/mp4' }, signal);

    expect(requests[0]!.url).toBe('https://api.example/uploads');
    expect(requests[0]!.init.method).toBe('POST');
    expect(requests[0]!.init.headers).toEqual({ authorization: 'Bearer tok-1', 'content-type': 'application/json' });
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ fileName: 'video.mp4', size: 10, contentType: 'video/mp4' });
    expect(grant).toEqual({
      bucket: 'upload-bucket',
      region: 'eu-west-1',
      key: 'uploads/owner/1/video.mp4',
      partSize: 8388608,
      credentials: { accessKeyId: 'ASIA1', secretAccessKey: 'secret', sessionToken: 'token', expiration: Date.UTC(2026, 4, 2, 10, 15) },
    });
  });

  it('asks for new credentials for the same key on refresh', async () => {
    const { fetch, requests } = fakeFetch([json(200, { ...okBody, partSize: undefined })]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    const grant = await api.refresh('uploads/owner/1/video.mp4', signal);
    expect(requests[0]!.url).toBe('https://api.example/uploads/refresh');
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ key: 'uploads/owner/1/video.mp4' });
    expect(grant.partSize).toBeUndefined();
  });

  it('renews the access token once when the API says 401', async () => {
    const { fetch, requests } = fakeFetch([json(401, { error: 'unauthorized', message: 'expired' }), json(200, okBody)]);
    const tokens: boolean[] = [];
    const api = new HttpUploadsApi({
      apiUrl: 'https://api.example',
      accessToken: async ({ renew }) => {
        tokens.push(renew);
        return renew ? 'fresh' : 'stale';
      },
      fetch,
    });
    await api.start({ fileName: 'a', size: 1 }, signal);
    expect(tokens).toEqual([false, true]);
    expect((requests[1]!.init.headers as Record<string, string>).authorization).toBe('Bearer fresh');
  });

  it('turns an error answer into an ApiError with code, message and Retry-After', async () => {
    const { fetch } = fakeFetch([json(503, { error: 'unavailable', message: 'STS is busy' }, { 'retry-after': '3' })]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    const error = await api.start({ fileName: 'a', size: 1 }, signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', message: 'STS is busy', retryAfterMs: 3000 });
  });

  it('keeps the status when the error answer is not JSON', async () => {
    const { fetch } = fakeFetch([() => new Response('<html>Bad gateway</html>', { status: 502 })]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    await expect(api.start({ fileName: 'a', size: 1 }, signal)).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });

  it('reports a request that got no answer as a network error', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    await expect(api.start({ fileName: 'a', size: 1 }, signal)).rejects.toBeInstanceOf(NetworkError);
  });

  it('names the missing field of a malformed answer', () => {
    expect(() => parseGrant(JSON.stringify({ ...okBody, credentials: { ...okBody.credentials, Expiration: 'soon' } }), '/uploads')).toThrowError(
      new UploadError('server', 'The upload API\'s answer to POST /uploads has no valid "credentials.Expiration".'),
    );
    expect(() => parseGrant('[]', '/uploads')).toThrowError(/"JSON object"/);
    expect(() => parseGrant(JSON.stringify({ ...okBody, key: '' }), '/uploads')).toThrowError(/"key"/);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('upload ledger calls', () => {
  it('asks the ledger to abort a key with POST /uploads/abort', async () => {
    const { fetch, requests } = fakeFetch([json(200, { key: 'uploads/owner/1/video.mp4', state: 'aborted' })]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    await api.abort('uploads/owner/1/video.mp4', signal);
    expect(requests[0]!.url).toBe('https://api.example/uploads/abort');
    expect(requests[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ key: 'uploads/owner/1/video.mp4' });
  });

  it('reports a refused abort as an ApiError with the code', async () => {
    const { fetch } = fakeFetch([json(409, { error: 'grant_not_open', message: 'the upload is completed' })]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    await expect(api.abort('uploads/owner/1/v.mp4', signal)).rejects.toMatchObject({ status: 409, code: 'grant_not_open' });
  });

  it('lists the uploads with GET /uploads, passing limit and cursor, and reads entries and the next cursor', async () => {
    const entry = {
      key: 'uploads/owner/2/clip.mp4',
      fileName: 'clip.mp4',
      contentType: 'video/mp4',
      state: 'rejected',
      createdAt: '2026-11-22T07:00:02.000Z',
      updatedAt: '2026-11-22T07:09:41.213Z',
      declaredSize: 1048576,
      actualSize: 2097152,
      reason: 'size_mismatch',
    };
    const { fetch, requests } = fakeFetch([json(200, { uploads: [entry], cursor: 'abc=' }), json(200, { uploads: [] })]);
    const api = new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch });
    const first = await api.list({ limit: 5 }, signal);
    expect(requests[0]!.url).toBe('https://api.example/uploads?limit=5');
    expect(requests[0]!.init.method).toBe('GET');
    expect(requests[0]!.init.body).toBeUndefined();
    expect(first).toEqual({
      uploads: [{ key: entry.key, fileName: 'clip.mp4', state: 'rejected', createdAt: entry.createdAt, updatedAt: entry.updatedAt, declaredSize: 1048576, actualSize: 2097152, reason: 'size_mismatch' }],
      cursor: 'abc=',
    });
    const last = await api.list({ cursor: first.cursor! }, signal);
    expect(requests[1]!.url).toBe('https://api.example/uploads?cursor=abc%3D');
    expect(last).toEqual({ uploads: [] });
  });

  it('names the field of a malformed list answer', () => {
    expect(() => parseLedgerPage('{}')).toThrowError(new UploadError('server', 'The upload API\'s answer to GET /uploads has no valid "uploads".'));
    expect(() => parseLedgerPage(JSON.stringify({ uploads: [{ key: 'k', fileName: 'f', state: 'lost' }] }))).toThrowError(/"uploads\[0\]\.state"/);
    expect(() => parseLedgerPage(JSON.stringify({ uploads: [], cursor: 7 }))).toThrowError(/"cursor"/);
  });
});

describe('expected upload target', () => {
  it('refuses a grant for another bucket than the configured one, naming both', async () => {
    const { fetch } = fakeFetch([json(200, { ...okBody, bucket: 'someone-elses-bucket' })]);
    const api = expectTarget(new HttpUploadsApi({ apiUrl: 'https://api.example', accessToken: async () => 't', fetch }), {
      bucket: 'upload-bucket',
      region: 'eu-west-1',
    });
    await expect(api.start({ fileName: 'a', size: 1 }, signal)).rejects.toThrowError(
      'The upload API granted bucket someone-elses-bucket in eu-west-1, but this page is configured for upload-bucket in eu-west-1 (config.json).',
    );
  });
});
