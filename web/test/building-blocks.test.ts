import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compositeCrc32, crc32Base64, crc32OfBlob, crc32ToBase64, crc32Update } from '../src/uploader/checksum';
import { CredentialKeeper } from '../src/uploader/credential-keeper';
import { ApiError, CredentialRefreshError, describe as phrase, NetworkError, retryCanHelp, S3Error } from '../src/uploader/errors';
import { runPool } from '../src/uploader/pool';
import { MemoryStorage, ResumeStore, type ResumeRecord } from '../src/uploader/resume-store';
import { backoffDelay, classify, DEFAULT_RETRY_POLICY, withRetry } from '../src/uploader/retry';
import { secondsLeft, SpeedMeter } from '../src/uploader/speed';
import type { UploadGrant } from '../src/uploader/types';
import { FakeClock, FakeNetwork, ticks } from './support/fakes';

const signal = new AbortController().signal;

describe('CRC32 checksums', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32Update(0, new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32ToBase64(0xcbf43926)).toBe('y/Q5Jg==');
  });

  it('agrees with zlib on odd lengths and when fed in pieces', () => {
    const data = new Uint8Array(1_000_003);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    expect(crc32Update(0, data)).toBe(zlibCrc32(data));
    const split = crc32Update(crc32Update(0, data.subarray(0, 12345)), data.subarray(12345));
    expect(split).toBe(zlibCrc32(data));
  });

  it('agrees with zlib at every alignment and short length (word loads start at a 4-byte boundary)', () => {
    const data = new Uint8Array(200).map((_, i) => (i * 131 + 7) & 0xff);
    for (let offset = 0; offset < 8; offset++) {
      for (let length = 0; length <= 70; length++) {
        const view = data.subarray(offset, offset + length);
        expect(crc32Update(0, view), `offset ${offset}, length ${length}`).toBe(zlibCrc32(view));
      }
    }
  });

  it('checksums a Blob in 1 MiB reads, matching the whole', async () => {
    const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const blob = new Blob([data]);
    expect(await crc32OfBlob(blob, signal)).toBe(zlibCrc32(data));
    expect(await crc32Base64(new Blob([]), signal)).toBe('AAAAAA==');
  });

  it('computes the COMPOSITE checksum as S3 does: CRC32 of the binary part checksums, then -N', () => {
    const parts = ['AQIDBA==', 'BQYHCA=='];
    const expected = crc32ToBase64(zlibCrc32(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])));
    expect(compositeCrc32(parts)).toBe(`${expected}-2`);
  });
});

describe('retry classification', () => {
  it.each([
    ['network error', new NetworkError('S3', 'reset'), 'retry'],
    ['S3 500', new S3Error(500, 'InternalError', ''), 'retry'],
    ['S3 503 SlowDown', new S3Error(503, 'SlowDown', ''), 'retry'],
    ['S3 429', new S3Error(429, 'Http429', ''), 'retry'],
    ['S3 RequestTimeout', new S3Error(400, 'RequestTimeout', ''), 'retry'],
    ['S3 ExpiredToken', new S3Error(400, 'ExpiredToken', ''), 'refresh-credentials'],
    ['S3 InvalidAccessKeyId', new S3Error(403, 'InvalidAccessKeyId', ''), 'refresh-credentials'],
    ['S3 TokenRefreshRequired', new S3Error(400, 'TokenRefreshRequired', ''), 'refresh-credentials'],
    ['S3 AccessDenied', new S3Error(403, 'AccessDenied', ''), 'fail'],
    ['S3 400 InvalidRequest', new S3Error(400, 'InvalidRequest', ''), 'fail'],
    ['S3 NoSuchUpload', new S3Error(404, 'NoSuchUpload', ''), 'fail'],
    ['API 500', new ApiError(500, 'internal', ''), 'retry'],
    ['API 503', new ApiError(503, 'unavailable', '', 2000), 'retry'],
    ['API 400', new ApiError(400, 'bad_request', ''), 'fail'],
    ['API 401', new ApiError(401, 'unauthorized', ''), 'fail'],
    ['API 403', new ApiError(403, 'forbidden', ''), 'fail'],
    ['a failed credential renewal', new CredentialRefreshError(new NetworkError('API', 'x')), 'fail'],
    ['a programming error', new TypeError('x is undefined'), 'fail'],
  ])('%s → %s', (_name, error, action) => {
    expect(classify(error).action).toBe(action);
  });

  it('takes the delay from Retry-After when the API gives one', () => {
    expect(classify(new ApiError(503, 'unavailable', '', 2000))).toEqual({ action: 'retry', delayMs: 2000 });
  });

  it('backs off exponentially with equal jitter, capped', () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000]);
  });

  it('stops at the first abort, without another attempt', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const clock = new FakeClock();
    const result = withRetry(
      async () => {
        attempts += 1;
        controller.abort();
        throw new NetworkError('S3', 'reset');
      },
      { signal: controller.signal, clock, network: new FakeNetwork(), random: () => 0, policy: DEFAULT_RETRY_POLICY },
    );
    await expect(result).rejects.toMatchObject({ name: 'NetworkError' });
    expect(attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up renewing credentials after the policy limit', async () => {
    let renewals = 0;
    const result = withRetry(
      async () => {
        throw new S3Error(403, 'InvalidAccessKeyId', 'no such key');
      },
      {
        signal,
        clock: new FakeClock(),
        network: new FakeNetwork(),
        random: () => 0,
        policy: DEFAULT_RETRY_POLICY,
        refreshCredentials: async () => {
          renewals += 1;
        },
      },
    );
    await expect(result).rejects.toMatchObject({ code: 'InvalidAccessKeyId' });
    expect(renewals).toBe(DEFAULT_RETRY_POLICY.maxCredentialRefreshes);
  });
});

describe('error phrasing', () => {
  it('suspects CORS only when S3 never answered this page while the browser is online', () => {
    const never = phrase(new NetworkError('S3', 'x', { answeredBefore: false }));
    const before = phrase(new NetworkError('S3', 'x', { answeredBefore: true }));
    expect(never.message).toMatch(/no request of this page has reached it yet.*CORS rule/);
    expect(before.message).toBe('Lost the connection to S3, which answered this page before: the network or S3 is out of reach for now.');
    expect(before.message).not.toMatch(/CORS/);
    expect(phrase(new NetworkError('S3', 'x', { answeredBefore: false }), false)).toMatchObject({ kind: 'offline' });
    expect(phrase(new NetworkError('API', 'x')).message).toBe('Could not reach the upload API.');
  });

  it('offers Retry only where the same request could succeed', () => {
    expect(['too-large', 'bad-request', 'file-unreadable', 'file-changed'].filter((kind) => retryCanHelp(kind as never))).toEqual([]);
    expect(['network', 'offline', 'server', 'signed-out', 'upload-gone', 'cors', 'integrity'].every((kind) => retryCanHelp(kind as never))).toBe(true);
  });
});

describe('credential keeper', () => {
  const grant = (clock: FakeClock, n: number, lifetime = 15 * 60_000): UploadGrant => ({
    bucket: 'b',
    region: 'r',
    key: 'uploads/o/1/f',
    partSize: 8 * 1024 * 1024,
    credentials: { accessKeyId: `K${n}`, secretAccessKey: 's', sessionToken: 't', expiration: clock.now() + lifetime },
  });

  it('hands out the same credentials until fewer than 5 minutes are left', async () => {
    const clock = new FakeClock();
    let n = 1;
    const keeper = new CredentialKeeper(grant(clock, n), async () => grant(clock, ++n), clock);
    expect((await keeper.credentials(signal)).accessKeyId).toBe('K1');
    clock.advance(9 * 60_000);
    expect((await keeper.credentials(signal)).accessKeyId).toBe('K1');
    clock.advance(2 * 60_000);
    expect((await keeper.credentials(signal)).accessKeyId).toBe('K2');
  });

  it('shares one renewal between concurrent callers', async () => {
    const clock = new FakeClock();
    let renewals = 0;
    const keeper = new CredentialKeeper(
      grant(clock, 1),
      async () => {
        renewals += 1;
        await ticks(5);
        return grant(clock, 2);
      },
      clock,
    );
    clock.advance(14 * 60_000);
    const all = await Promise.all([keeper.credentials(signal), keeper.credentials(signal), keeper.credentials(signal)]);
    expect(all.map((c) => c.accessKeyId)).toEqual(['K2', 'K2', 'K2']);
    expect(renewals).toBe(1);
  });

  it('does not renew again for an expiry reported with credentials already replaced', async () => {
    const clock = new FakeClock();
    let renewals = 0;
    const first = grant(clock, 1);
    const keeper = new CredentialKeeper(first, async () => grant(clock, 1 + ++renewals), clock);
    await keeper.expired(first.credentials, signal);
    await keeper.expired(first.credentials, signal);
    expect(renewals).toBe(1);
  });

  it('does not renew before every request when even fresh credentials look stale (device clock far ahead)', async () => {
    const clock = new FakeClock();
    let renewals = 0;
    const keeper = new CredentialKeeper(grant(clock, 1, 60_000), async () => grant(clock, 1 + ++renewals, 60_000), clock);
    await keeper.credentials(signal);
    await keeper.credentials(signal);
    await keeper.credentials(signal);
    expect(renewals).toBe(1);
  });

  it('refuses credentials for another key', async () => {
    const clock = new FakeClock();
    const keeper = new CredentialKeeper(grant(clock, 1), async () => ({ ...grant(clock, 2), key: 'uploads/o/2/other' }), clock);
    clock.advance(14 * 60_000);
    await expect(keeper.credentials(signal)).rejects.toBeInstanceOf(CredentialRefreshError);
  });
});

describe('resume store', () => {
  const record = (name: string, createdAt = 1): ResumeRecord => ({
    version: 1,
    key: `uploads/o/1/${name}`,
    bucket: 'b',
    region: 'eu-west-1',
    uploadId: 'u',
    partSize: 8 * 1024 * 1024,
    fingerprint: { name, size: 123, lastModified: 456 },
    createdAt,
  });

  it('finds a saved upload by file fingerprint and forgets it', () => {
    const store = new ResumeStore(new MemoryStorage(), 'user-a');
    store.save(record('a.mp4'));
    expect(store.find({ name: 'a.mp4', size: 123, lastModified: 456 })).toEqual(record('a.mp4'));
    expect(store.find({ name: 'a.mp4', size: 124, lastModified: 456 })).toBeUndefined();
    store.forget(record('a.mp4').fingerprint);
    expect(store.list()).toEqual([]);
  });

  it('keeps each user\'s uploads apart in a shared browser', () => {
    const storage = new MemoryStorage();
    new ResumeStore(storage, 'user-a').save(record('a.mp4'));
    expect(new ResumeStore(storage, 'user-b').list()).toEqual([]);
    expect(new ResumeStore(storage, 'user-b').find(record('a.mp4').fingerprint)).toBeUndefined();
  });

  it('drops a damaged entry instead of failing', () => {
    const storage = new MemoryStorage();
    const store = new ResumeStore(storage, 'user-a');
    store.save(record('a.mp4'));
    storage.setItem(storage.key(0)!, '{"version":1,"key":');
    expect(store.find(record('a.mp4').fingerprint)).toBeUndefined();
    expect(storage.length).toBe(0);
  });

  it('says so when the browser refuses to store', () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    expect(new ResumeStore(storage, 'user-a').save(record('a.mp4'))).toBe(false);
  });

  it('lists saved uploads oldest first', () => {
    const store = new ResumeStore(new MemoryStorage(), 'user-a');
    store.save(record('new.mp4', 20));
    store.save(record('old.mp4', 10));
    expect(store.list().map((r) => r.fingerprint.name)).toEqual(['old.mp4', 'new.mp4']);
  });
});

describe('worker pool', () => {
  it('runs at most N at once and every item once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7][Symbol.iterator](), 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await ticks(n % 3 + 1);
      running -= 1;
      done.push(n);
    }, signal);
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stops taking items after the first failure and throws it', async () => {
    const started: number[] = [];
    const result = runPool([1, 2, 3, 4, 5, 6][Symbol.iterator](), 2, async (n, workerSignal) => {
      started.push(n);
      await ticks(2);
      if (workerSignal.aborted) throw new DOMException('stopped', 'AbortError');
      if (n === 2) throw new Error('part 2 failed');
    }, signal);
    await expect(result).rejects.toThrow('part 2 failed');
    expect(started).toEqual([1, 2, 3]);
  });

  it('throws the AbortError when the caller aborts', async () => {
    const controller = new AbortController();
    const result = runPool([1, 2, 3][Symbol.iterator](), 2, async (_n, workerSignal) => {
      controller.abort();
      await ticks(1);
      if (workerSignal.aborted) throw new DOMException('stopped', 'AbortError');
    }, controller.signal);
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a concurrency that is not a whole number of 1 or more', async () => {
    await expect(runPool([][Symbol.iterator](), 0, async () => {}, signal)).rejects.toThrow(
      'concurrency must be a whole number of 1 or more, but 0 was given',
    );
  });
});

describe('speed meter', () => {
  it('measures throughput over the recent window and counts a stall', () => {
    const meter = new SpeedMeter(10_000, 1_000);
    meter.record(0, 0);
    expect(meter.bytesPerSecond(500)).toBeUndefined();
    meter.record(2_000, 4_000_000);
    expect(meter.bytesPerSecond(2_000)).toBe(2_000_000);
    expect(meter.bytesPerSecond(4_000)).toBe(1_000_000);
  });

  it('restarts when progress goes backwards', () => {
    const meter = new SpeedMeter(10_000, 1_000);
    meter.record(0, 0);
    meter.record(2_000, 4_000_000);
    meter.record(3_000, 1_000_000);
    expect(meter.bytesPerSecond(3_500)).toBeUndefined();
  });

  it('estimates time left only with a known, positive rate', () => {
    expect(secondsLeft(10_000_000, 2_000_000)).toBe(5);
    expect(secondsLeft(10, undefined)).toBeUndefined();
    expect(secondsLeft(10, 0)).toBeUndefined();
  });
});
