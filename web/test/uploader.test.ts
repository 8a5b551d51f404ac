import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, S3Error, SignInRequiredError } from '../src/uploader/errors';
import { MiB, partRange, planUpload } from '../src/uploader/part-plan';
import { compositeCrc32 } from '../src/uploader/checksum';
import { FakeFile, networkError, rangeChecksum } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('uploading a file', () => {
  it('sends a small file in one PutObject carrying its CRC32, with no multipart upload', async () => {
    const h = harness();
    const file = new FakeFile('clip.mp4', 3 * MiB);
    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();

    expect(h.job(id!).state).toBe('done');
    expect(h.s3.calls.map((c) => c.op)).toEqual(['putObject']);
    expect(h.s3.objects.get(h.job(id!).key!)?.checksumCRC32).toBe(rangeChecksum(0, 3 * MiB));
    expect(h.job(id!).result).toMatchObject({ checksumVerified: true, checksumCRC32: rangeChecksum(0, 3 * MiB) });
    expect(h.api.starts).toEqual([{ fileName: 'clip.mp4', size: 3 * MiB, contentType: 'video/mp4' }]);
  });

  it('sends an empty file in one PutObject', async () => {
    const h = harness();
    const [id] = h.uploader.add([new FakeFile('empty.txt', 0)]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.s3.count('putObject')).toBe(1);
    expect(h.job(id!).loaded).toBe(0);
  });

  it('creates a multipart upload, sends every part with its checksum, and completes with every ETag and checksum in order', async () => {
    const h = harness();
    const size = 5 * PART + 123;
    const [id] = h.uploader.add([new FakeFile('movie.mp4', size)]).added;
    await h.uploader.idle();

    const snapshot = h.job(id!);
    expect(snapshot.state).toBe('done');
    expect(snapshot.loaded).toBe(size);
    expect(h.s3.count('createMultipartUpload')).toBe(1);
    expect(h.s3.sentParts().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const plan = planUpload(size);
    const body = h.s3.completeBodies[0]!;
    expect(body.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.map((p) => p.checksumCRC32)).toEqual(
      body.map((p) => {
        const { start, end } = partRange(plan, p.partNumber);
        return rangeChecksum(start, end);
      }),
    );
    expect(snapshot.result).toEqual({
      key: snapshot.key,
      etag: '"complete-6"',
      checksumCRC32: compositeCrc32(body.map((p) => p.checksumCRC32)),
      checksumVerified: true,
    });
    expect(h.s3.objects.get(snapshot.key!)?.size).toBe(size);
  });

  it('forgets the resume state once the upload is complete', async () => {
    const h = harness();
    h.uploader.add([new FakeFile('movie.mp4', 3 * PART)]);
    await h.uploader.idle();
    expect(h.store.list()).toEqual([]);
  });

  it('never has more than N parts in flight, and does use N', async () => {
    const h = harness({ concurrency: 3 });
    h.uploader.add([new FakeFile('big.mov', 40 * PART)]);
    await h.uploader.idle();
    expect(h.s3.count('uploadPart')).toBe(40);
    expect(h.s3.maxInFlight).toBe(3);
  });

  it('slices only the parts in flight, never the whole file', async () => {
    const h = harness({ concurrency: 4 });
    const file = new FakeFile('huge.mov', 80 * 1024 * MiB); // 80 GiB: 9,103 parts of 9 MiB
    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(file.slices).toBe(9103);
    expect(file.maxOpenSlices).toBeLessThanOrEqual(4);
    expect(file.openSlices).toBe(0);
  });

  it('uploads queued files one after another', async () => {
    const h = harness();
    const { added } = h.uploader.add([new FakeFile('a.mp4', 2 * PART), new FakeFile('b.mp4', 2 * PART)]);
    expect(h.job(added[1]!).state).toBe('queued');
    await h.uploader.idle();
    const keys = h.s3.calls.map((c) => c.key);
    const lastOfFirst = keys.lastIndexOf(h.job(added[0]!).key!);
    const firstOfSecond = keys.indexOf(h.job(added[1]!).key!);
    expect(lastOfFirst).toBeLessThan(firstOfSecond);
    expect(added.map((id) => h.job(id).state)).toEqual(['done', 'done']);
  });

  it('skips a file already in the list and unfinished', () => {
    const h = harness();
    const result = h.uploader.add([new FakeFile('a.mp4', 2 * PART), new FakeFile('a.mp4', 2 * PART)]);
    expect(result.added).toHaveLength(1);
    expect(result.duplicates).toEqual(['a.mp4']);
  });

  it('reports progress as typed events that end at the file size', async () => {
    const h = harness();
    const [id] = h.uploader.add([new FakeFile('m.mp4', 4 * PART)]).added;
    await h.uploader.idle();
    const progress = h.events.filter((e) => e.type === 'progress' && e.job.id === id).map((e) => e.job.loaded);
    expect(progress.length).toBeGreaterThan(4);
    expect(progress[progress.length - 1]).toBe(4 * PART);
    expect(h.statesOf(id!)).toEqual(['uploading', 'done']);
  });

  it('refuses a file above 5 TiB before asking the API anything', async () => {
    const h = harness();
    const [id] = h.uploader.add([new FakeFile('too-big.raw', 5 * 1024 ** 4 + 1)]).added;
    await h.uploader.idle();
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'too-large' } });
    expect(h.api.starts).toHaveLength(0);
  });
});

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

describe('resume, pause and cancel', () => {
  it('re-sends only missing parts after a reload', async () => {
    const first = harness({ concurrency: 2 });
    const size = 10 * PART;
    first.s3.beforeUploadPart = (input) => {
      if (input.partNumber === 5) void first.uploader.pause(first.uploader.snapshots()[0]!.id);
    };
    first.uploader.add([new FakeFile('talk.mp4', size)]);
    await first.uploader.idle();
    const held = new Set([...first.s3.uploads.values()][0]!.parts.keys());
    expect(held.size).toBeGreaterThan(0);
    expect(held.size).toBeLessThan(10);
    expect(first.store.list()).toHaveLength(1);

    // A new page: new engine, same browser storage, same S3 and API, the same file chosen again.
    const second = harness({ concurrency: 2 }, { storage: first.storage, clock: first.clock, s3: first.s3, api: first.api });
    first.s3.beforeUploadPart = undefined;
    const callsBefore = first.s3.calls.length;
    const [id] = second.uploader.add([new FakeFile('talk.mp4', size)]).added;
    await second.uploader.idle();

    const resent = first.s3.calls.slice(callsBefore).filter((c) => c.op === 'uploadPart').map((c) => c.partNumber!);
    const missing = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((n) => !held.has(n));
    expect(resent.sort((a, b) => a - b)).toEqual(missing);
    expect(second.job(id!).state).toBe('done');
    expect(first.s3.count('createMultipartUpload')).toBe(1);
    expect(first.api.starts).toHaveLength(1);
    expect(first.api.refreshes).toHaveLength(1);
    const resumed = second.events.find((e) => e.type === 'resumed');
    expect(resumed).toMatchObject({ partsAlreadyUploaded: held.size });
  });

  it('reads every ListParts page (marker to marker) and sends only the parts on none of them', async () => {
    const h = harness();
    const size = 2600 * PART; // 2,600 parts of 8 MiB: three pages of ListParts
    const file = new FakeFile('day.mov', size);
    const plan = planUpload(size);
    const key = 'uploads/owner-1/9/day.mov';
    const absent = new Set([7, 1000, 1001, 2600]);
    const held = [];
    for (let n = 1; n <= plan.partCount; n++) if (!absent.has(n)) held.push({ partNumber: n, ...partRange(plan, n) });
    const uploadId = h.s3.seedUpload({ bucket: h.api.bucket, region: h.api.region, key }, held);
    h.api.knowKey(key);
    h.store.save({ version: 1, key, bucket: h.api.bucket, region: h.api.region, uploadId, partSize: plan.partSize, fingerprint: { name: file.name, size, lastModified: file.lastModified }, createdAt: 0 });

    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();

    expect(h.s3.count('listParts')).toBe(3);
    expect(h.s3.sentParts().sort((a, b) => a - b)).toEqual([7, 1000, 1001, 2600]);
    expect(h.job(id!).state).toBe('done');
    expect(h.s3.completeBodies[0]).toHaveLength(2600);
  });

  it('computes part checksums locally when ListParts does not report them (S3 emulators)', async () => {
    const h = harness();
    h.s3.listChecksums = false;
    const size = 3 * PART;
    const file = new FakeFile('e.mov', size);
    const plan = planUpload(size);
    const key = 'uploads/owner-1/9/e.mov';
    const uploadId = h.s3.seedUpload({ bucket: h.api.bucket, region: h.api.region, key }, [{ partNumber: 1, ...partRange(plan, 1) }]);
    h.api.knowKey(key);
    h.store.save({ version: 1, key, bucket: h.api.bucket, region: h.api.region, uploadId, partSize: plan.partSize, fingerprint: { name: file.name, size, lastModified: file.lastModified }, createdAt: 0 });

    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();
    expect(h.s3.sentParts().sort()).toEqual([2, 3]);
    expect(h.job(id!).state).toBe('done');
  });

  it('starts over when the saved multipart upload no longer exists on S3', async () => {
    const h = harness();
    const file = new FakeFile('old.mov', 3 * PART);
    const key = 'uploads/owner-1/9/old.mov';
    h.api.knowKey(key);
    h.store.save({ version: 1, key, bucket: h.api.bucket, region: h.api.region, uploadId: 'gone', partSize: PART, fingerprint: { name: file.name, size: file.size, lastModified: file.lastModified }, createdAt: 0 });

    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.job(id!).notice).toMatch(/starts again/);
    expect(h.api.starts).toHaveLength(1);
    expect(h.s3.sentParts()).toHaveLength(3);
  });

  it('pauses without losing finished parts, and resumes without sending them again', async () => {
    const h = harness({ concurrency: 2 });
    const size = 8 * PART;
    let paused = false;
    h.s3.beforeUploadPart = async (input) => {
      if (input.partNumber === 4 && !paused) {
        paused = true;
        void h.uploader.pause(id!);
      }
    };
    const [id] = h.uploader.add([new FakeFile('p.mp4', size)]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('paused');
    const acceptedBeforePause = [...[...h.s3.uploads.values()][0]!.parts.keys()];
    const pausedEvent = h.events.find((e) => e.type === 'state' && e.job.state === 'paused');
    expect(pausedEvent?.job.loaded).toBe(acceptedBeforePause.length * PART);
    const sentBeforePause = h.s3.sentParts().length;

    h.uploader.resume(id!);
    await h.uploader.idle();
    const sentAfter = h.s3.sentParts().slice(sentBeforePause);
    expect(sentAfter.filter((n) => acceptedBeforePause.includes(n))).toEqual([]);
    expect(h.job(id!).state).toBe('done');
    expect(h.statesOf(id!)).toEqual(['uploading', 'paused', 'queued', 'uploading', 'done']);
    expect(h.s3.count('listParts')).toBe(0);
  });

  it('keeps the multipart upload that was being created when the pause came', async () => {
    const h = harness();
    h.s3.failWhen(
      (op) => {
        if (op === 'createMultipartUpload') void h.uploader.pause(id!);
        return false;
      },
      () => new Error('never'),
    );
    const [id] = h.uploader.add([new FakeFile('p.mp4', 3 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('paused');
    expect(h.store.list()).toHaveLength(1);

    h.uploader.resume(id!);
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.s3.count('createMultipartUpload')).toBe(1);
    expect(h.api.starts).toHaveLength(1);
  });

  it('pauses a queued file without starting it', async () => {
    const h = harness();
    const { added } = h.uploader.add([new FakeFile('a.mp4', 2 * PART), new FakeFile('b.mp4', 2 * PART)]);
    await h.uploader.pause(added[1]!);
    await h.uploader.idle();
    expect(h.job(added[1]!).state).toBe('paused');
    expect(h.api.starts).toHaveLength(1);
  });

  it('cancels: stops sending, aborts the multipart upload on S3 and forgets the saved state', async () => {
    const h = harness({ concurrency: 2 });
    let cancelled: Promise<void> | undefined;
    h.s3.beforeUploadPart = (input) => {
      if (input.partNumber === 3 && !cancelled) cancelled = h.uploader.cancel(id!);
    };
    const [id] = h.uploader.add([new FakeFile('c.mp4', 10 * PART)]).added;
    await h.uploader.idle();
    await cancelled;

    expect(h.job(id!).state).toBe('cancelled');
    expect(h.s3.count('abortMultipartUpload')).toBe(1);
    expect(h.s3.uploads.size).toBe(0);
    expect(h.store.list()).toEqual([]);
    expect(h.s3.count('completeMultipartUpload')).toBe(0);
    expect(h.s3.sentParts().length).toBeLessThan(10);
  });

  it('cancels a saved upload of an earlier visit when its file is cancelled before starting', async () => {
    const h = harness();
    const { added } = h.uploader.add([new FakeFile('a.mp4', 2 * PART), new FakeFile('b.mp4', 3 * PART)]);
    const b = new FakeFile('b.mp4', 3 * PART);
    const key = 'uploads/owner-1/9/b.mp4';
    h.api.knowKey(key);
    const uploadId = h.s3.seedUpload({ bucket: h.api.bucket, region: h.api.region, key }, []);
    h.store.save({ version: 1, key, bucket: h.api.bucket, region: h.api.region, uploadId, partSize: PART, fingerprint: { name: b.name, size: b.size, lastModified: b.lastModified }, createdAt: 0 });

    await h.uploader.cancel(added[1]!);
    await h.uploader.idle();
    expect(h.s3.uploads.has(uploadId)).toBe(false);
    expect(h.store.list()).toEqual([]);
  });

  it('discards a saved upload the user no longer wants, without choosing its file', async () => {
    const h = harness();
    const key = 'uploads/owner-1/9/x.mp4';
    h.api.knowKey(key);
    const uploadId = h.s3.seedUpload({ bucket: h.api.bucket, region: h.api.region, key }, []);
    h.store.save({ version: 1, key, bucket: h.api.bucket, region: h.api.region, uploadId, partSize: PART, fingerprint: { name: 'x.mp4', size: 3 * PART, lastModified: 1 }, createdAt: 0 });
    expect(h.uploader.savedUploads()).toHaveLength(1);

    await h.uploader.discardSaved(h.uploader.savedUploads()[0]!);
    expect(h.s3.uploads.size).toBe(0);
    expect(h.uploader.savedUploads()).toEqual([]);
  });
});

describe('answers that need a person', () => {
  it('names the bucket CORS ExposeHeaders when a part answer has no readable ETag', async () => {
    const h = harness();
    h.s3.exposeETag = false;
    const [id] = h.uploader.add([new FakeFile('v.mp4', 2 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('failed');
    expect(h.job(id!).error?.kind).toBe('cors');
    expect(h.job(id!).error?.message).toMatch(/could not read the ETag header/);
    expect(h.job(id!).error?.message).toMatch(/CORS rule must list ETag in ExposeHeaders/);
  });

  it('fails loudly when S3 reports a different checksum for the completed object', async () => {
    const h = harness();
    const original = h.s3.completeMultipartUpload.bind(h.s3);
    h.s3.completeMultipartUpload = async (input) => ({ ...(await original(input)), checksumCRC32: 'AAAAAA==-2' });
    const [id] = h.uploader.add([new FakeFile('v.mp4', 2 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'integrity' } });
  });

  it('accepts a completion without a checksum but says it was not verified', async () => {
    const h = harness();
    h.s3.completeChecksum = false;
    const [id] = h.uploader.add([new FakeFile('v.mp4', 2 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).result?.checksumVerified).toBe(false);
  });

  it('reports every part that failed on its own, not just the first', async () => {
    const h = harness({ concurrency: 2 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber! <= 2, () => new S3Error(403, 'AccessDenied', 'no'), 2);
    const [id] = h.uploader.add([new FakeFile('v.mp4', 4 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).error?.message).toMatch(/S3 denied access.*\(1 more part\(s\) failed too\.\)/);
  });

  it('starts from scratch on retry after S3 lost the multipart upload', async () => {
    const h = harness({ concurrency: 1 });
    h.s3.beforeUploadPart = (input) => {
      if (input.partNumber === 2 && h.s3.count('createMultipartUpload') === 1) h.s3.uploads.clear();
    };
    const [id] = h.uploader.add([new FakeFile('v.mp4', 3 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'upload-gone' } });
    expect(h.store.list()).toEqual([]);

    h.uploader.resume(id!);
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(h.s3.count('createMultipartUpload')).toBe(2);
  });
});

/** Lets the engine run until `condition` holds; fails instead of hanging. */
async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await Promise.resolve();
  expect(condition()).toBe(true);
}

describe('the list', () => {
  it('takes only finished files off the list', async () => {
    const h = harness();
    const { added } = h.uploader.add([new FakeFile('a.mp4', 1 * MiB), new FakeFile('b.mp4', 1 * MiB)]);
    await h.uploader.pause(added[1]!);
    await h.uploader.idle();
    h.uploader.remove(added[0]!);
    h.uploader.remove(added[1]!);
    expect(h.uploader.snapshots().map((j) => j.id)).toEqual([added[1]]);
    expect(h.events.filter((e) => e.type === 'removed').map((e) => e.job.id)).toEqual([added[0]]);
  });
});
