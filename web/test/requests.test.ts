// Retries and credential renewal of every request (src/uploader/requests.ts, retry.ts, credential-keeper.ts), through the Uploader.
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, S3Error, SignInRequiredError } from '../src/uploader/errors';
import { MiB } from '../src/uploader/part-plan';
import { FakeFile, networkError } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('retrying', () => {
  const retryable: [string, () => Error][] = [
    ['a network error', networkError],
    ['HTTP 500 InternalError', () => new S3Error(500, 'InternalError', 'We encountered an internal error.')],
    ['HTTP 503 SlowDown', () => new S3Error(503, 'SlowDown', 'Please reduce your request rate.')],
    ['HTTP 503 ServiceUnavailable', () => new S3Error(503, 'ServiceUnavailable', 'Service is unable to handle request.')],
    ['HTTP 429', () => new S3Error(429, 'Http429', 'Too Many Requests')],
    ['RequestTimeout', () => new S3Error(400, 'RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period.')],
  ];

  it.each(retryable)('retries a part after %s, backing off with jitter, and finishes', async (_name, error) => {
    const h = harness({ concurrency: 1, random: () => 0.25 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber === 2, error, 3);
    const [id] = h.uploader.add([new FakeFile('v.mp4', 3 * PART)]).added;
    await h.uploader.idle();

    expect(h.job(id!).state).toBe('done');
    expect(h.s3.count('uploadPart', 2)).toBe(4);
    // Equal jitter: half of 1 s, 2 s, 4 s fixed, plus random() x the other half.
    expect(h.clock.sleeps).toEqual([625, 1250, 2500]);
    expect(h.statesOf(id!)).toEqual(['uploading', 'retrying', 'uploading', 'done']);
    const retries = h.events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => (e.type === 'retry' ? e.attempt : 0))).toEqual([1, 2, 3]);
  });

  it('says how long until the next try while retrying', async () => {
    const h = harness({ concurrency: 1, random: () => 0.25 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber === 2, networkError, 2);
    const [id] = h.uploader.add([new FakeFile('v.mp4', 3 * PART)]).added;
    await h.uploader.idle();
    const waits = h.events.filter((e) => e.type === 'retry' && e.job.id === id).map((e) => e.job.secondsToRetry);
    expect(waits).toEqual([0.625, 1.25]);
    expect(h.job(id!).secondsToRetry).toBeUndefined();
  });

  it('caps the backoff and gives up after the last attempt, with the reason', async () => {
    const h = harness({ concurrency: 1, random: () => 1, retry: { maxAttempts: 8, maxDelayMs: 5000 } });
    h.s3.failWhen((op) => op === 'uploadPart', () => new S3Error(500, 'InternalError', 'boom'), 100);
    const [id] = h.uploader.add([new FakeFile('v.mp4', 2 * PART)]).added;
    await h.uploader.idle();

    expect(h.s3.count('uploadPart', 1)).toBe(8);
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000, 5000, 5000, 5000, 5000]);
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'server', message: 'S3 kept failing: InternalError (HTTP 500).' } });
  });

  it.each([
    ['HTTP 400 InvalidArgument', () => new S3Error(400, 'InvalidArgument', 'bad'), 'unknown'],
    ['HTTP 403 AccessDenied', () => new S3Error(403, 'AccessDenied', 'Access Denied'), 'forbidden'],
    ['HTTP 400 BadDigest', () => new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match'), 'integrity'],
  ])('does not retry %s and fails with a reason', async (_name, error, kind) => {
    const h = harness({ concurrency: 1 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber === 1, error);
    const [id] = h.uploader.add([new FakeFile('v.mp4', 2 * PART)]).added;
    await h.uploader.idle();
    expect(h.s3.count('uploadPart', 1)).toBe(1);
    expect(h.clock.sleeps).toEqual([]);
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind } });
  });

  it('retries the API after a 503 exactly when its Retry-After says', async () => {
    const h = harness();
    h.api.failWhen('start', () => new ApiError(503, 'unavailable', 'busy', 7000));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 1 * MiB)]).added;
    await h.uploader.idle();
    expect(h.clock.sleeps).toEqual([7000]);
    expect(h.job(id!).state).toBe('done');
  });

  it('shows the API\'s message for a 400 (file too large) without retrying', async () => {
    const h = harness();
    h.api.failWhen('start', () => new ApiError(400, 'file_too_large', 'Files may be at most 100 GiB.'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 1 * MiB)]).added;
    await h.uploader.idle();
    expect(h.api.starts).toHaveLength(1);
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'too-large', message: 'Files may be at most 100 GiB.' } });
  });

  it('asks to sign in again when the API says 401', async () => {
    const h = harness();
    h.api.failWhen('start', () => new ApiError(401, 'unauthorized', 'token expired'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 1 * MiB)]).added;
    await h.uploader.idle();
    expect(h.job(id!).error?.kind).toBe('signed-out');
    expect(h.job(id!).error?.message).toMatch(/Sign in again/);
  });

  it('asks to sign in again when the sign-in session cannot be renewed', async () => {
    const h = harness();
    h.api.failWhen('start', () => new SignInRequiredError('no refresh token'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 1 * MiB)]).added;
    await h.uploader.idle();
    expect(h.job(id!).error?.kind).toBe('signed-out');
  });

  it('waits while the browser is offline without using attempts, and continues when it is back', async () => {
    const h = harness({ concurrency: 1 });
    h.network.online = false;
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber === 2, () => new NetworkError('S3', 'offline'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 3 * PART)]).added;
    await vi_waitFor(() => h.network.waits === 1);
    expect(h.job(id!)).toMatchObject({ state: 'retrying', error: { kind: 'offline' } });

    h.network.goOnline();
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.clock.sleeps).toEqual([]);
  });

  it('follows S3\'s clock when S3 says the device clock is skewed', async () => {
    const h = harness();
    const serverTime = h.clock.now() + 3_600_000;
    h.s3.failWhen((op) => op === 'putObject', () => new S3Error(403, 'RequestTimeTooSkewed', 'skewed', { serverTime }));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 1 * MiB)]).added;
    await h.uploader.idle();
    expect(h.clock.corrections).toEqual([serverTime]);
    expect(h.job(id!).state).toBe('done');
  });
});

describe('credentials', () => {
  it('renews expired credentials on ExpiredToken and retries, without sending finished parts again', async () => {
    const h = harness({ concurrency: 1 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber === 3, () => new S3Error(400, 'ExpiredToken', 'The provided token has expired.'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 4 * PART)]).added;
    await h.uploader.idle();

    expect(h.job(id!).state).toBe('done');
    expect(h.api.refreshes).toEqual([h.job(id!).key]);
    expect(h.s3.sentParts()).toEqual([1, 2, 3, 3, 4]);
    const keys = h.s3.calls.filter((c) => c.op === 'uploadPart').map((c) => c.accessKeyId);
    expect(keys).toEqual(['ASIA1', 'ASIA1', 'ASIA1', 'ASIA2', 'ASIA2']);
  });

  it.each(['InvalidAccessKeyId', 'TokenRefreshRequired'])('renews credentials on %s', async (code) => {
    const h = harness({ concurrency: 1 });
    h.s3.failWhen((op) => op === 'completeMultipartUpload', () => new S3Error(403, code, 'refused'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 2 * PART)]).added;
    await h.uploader.idle();
    expect(h.api.refreshes).toHaveLength(1);
    expect(h.job(id!).state).toBe('done');
  });

  it('renews once when several parts in flight meet ExpiredToken together', async () => {
    const h = harness({ concurrency: 4 });
    // The first credentials stop working from part 5 on, while parts 5 to 8 are in flight together.
    h.s3.failWhen(
      (op, input) => op === 'uploadPart' && input.partNumber! >= 5 && input.credentials.accessKeyId === 'ASIA1',
      () => new S3Error(400, 'ExpiredToken', 'The provided token has expired.'),
      100,
    );
    const [id] = h.uploader.add([new FakeFile('v.mp4', 12 * PART)]).added;
    await h.uploader.idle();

    const expiredAnswers = h.s3.calls.filter((c) => c.op === 'uploadPart' && c.partNumber! >= 5 && c.accessKeyId === 'ASIA1');
    expect(expiredAnswers.length).toBeGreaterThanOrEqual(3);
    expect(h.api.refreshes).toHaveLength(1);
    expect(h.job(id!).state).toBe('done');
    expect(new Set(h.s3.sentParts()).size).toBe(12);
    expect(h.s3.sentParts().filter((n) => n <= 4)).toEqual([1, 2, 3, 4]);
  });

  it('renews ahead of time when fewer than 5 minutes are left', async () => {
    const h = harness({ concurrency: 1 });
    h.s3.beforeUploadPart = (input) => {
      if (input.partNumber === 2) h.clock.advance(11 * 60_000); // 4 minutes left of 15
    };
    const [id] = h.uploader.add([new FakeFile('v.mp4', 4 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.api.refreshes).toHaveLength(1);
    expect(h.s3.calls.filter((c) => c.op === 'uploadPart').map((c) => c.accessKeyId)).toEqual(['ASIA1', 'ASIA1', 'ASIA2', 'ASIA2']);
    expect(h.s3.sentParts()).toEqual([1, 2, 3, 4]);
  });

  it('fails with a sign-in reason when renewal is refused, and keeps the finished parts for a retry', async () => {
    const h = harness({ concurrency: 1 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber === 2, () => new S3Error(400, 'ExpiredToken', 'expired'));
    h.api.failWhen('refresh', () => new ApiError(401, 'unauthorized', 'token expired'));
    const [id] = h.uploader.add([new FakeFile('v.mp4', 3 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'signed-out' } });

    h.uploader.resume(id!);
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.s3.sentParts()).toEqual([1, 2, 2, 3]);
    expect(h.s3.count('createMultipartUpload')).toBe(1);
  });
});

/** Lets the engine run until `condition` holds; fails instead of hanging. */
async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await Promise.resolve();
  expect(condition()).toBe(true);
}
