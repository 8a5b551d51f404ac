// The session step (src/uploader/session.ts): opening, resuming after a reload, ListParts paging.
import { describe, expect, it } from 'vitest';
import { MiB, partRange, planUpload } from '../src/uploader/part-plan';
import { FakeFile, rangeChecksum } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('opening and resuming a session', () => {
  it('refuses a file above 5 TiB before asking the API anything', async () => {
    const h = harness();
    const [id] = h.uploader.add([new FakeFile('too-big.raw', 5 * 1024 ** 4 + 1)]).added;
    await h.uploader.idle();
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'too-large' } });
    expect(h.api.starts).toHaveLength(0);
  });

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

  it('refuses a file whose bytes differ from a part S3 holds, though name, size and time are the same', async () => {
    const h = harness();
    const size = 4 * PART;
    const file = new FakeFile('edited.mov', size);
    const plan = planUpload(size);
    const key = 'uploads/owner-1/9/edited.mov';
    const uploadId = h.s3.seedUpload({ bucket: h.api.bucket, region: h.api.region, key }, [1, 2].map((n) => ({ partNumber: n, ...partRange(plan, n) })));
    // Part 2 was sent from another version of the file: S3 holds other bytes under the same fingerprint.
    const held = h.s3.uploads.get(uploadId)!.parts;
    held.set(2, { ...held.get(2)!, checksumCRC32: 'AAAAAA==' });
    h.api.knowKey(key);
    h.store.save({ version: 1, key, bucket: h.api.bucket, region: h.api.region, uploadId, partSize: plan.partSize, fingerprint: { name: file.name, size, lastModified: file.lastModified }, createdAt: 0 });

    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();
    expect(h.job(id!)).toMatchObject({ state: 'failed', error: { kind: 'file-changed' } });
    expect(h.job(id!).error?.message).toBe(
      `This is not the file this upload started with: its part 2 (bytes ${PART} to ${2 * PART - 1}) has CRC32 ` +
        `${rangeChecksum(PART, 2 * PART)}, but the part S3 holds has AAAAAA==. Remove this upload (the parts sent from ` +
        'the earlier version are deleted), then add the file again to upload it as it is now.',
    );
    expect(h.s3.sentParts()).toEqual([]);
    expect(h.s3.count('completeMultipartUpload')).toBe(0);
    expect(h.store.list()).toHaveLength(1);
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
});
