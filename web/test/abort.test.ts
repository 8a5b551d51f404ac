// The abort step (src/uploader/abort.ts): cancel and discard remove the multipart upload from S3.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/uploader/errors';
import { MiB } from '../src/uploader/part-plan';
import { FakeFile } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('cancel and discard', () => {
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
    // Then the ledger lets the grant go, freeing its quota slot.
    expect(h.api.aborts).toEqual(['uploads/owner-1/1/c.mp4']);
    expect(h.api.ledger.get('uploads/owner-1/1/c.mp4')).toMatchObject({ state: 'aborted', reason: 'user_aborted' });
  });

  it('tries the ledger abort with the clean-up retries, and a failing one does not stop the cancel', async () => {
    const h = harness({ concurrency: 2 });
    h.api.failWhen('abort', () => new ApiError(503, 'unavailable', 'busy'), 99);
    let cancelled: Promise<void> | undefined;
    h.s3.beforeUploadPart = (input) => {
      if (input.partNumber === 2 && !cancelled) cancelled = h.uploader.cancel(id!);
    };
    const [id] = h.uploader.add([new FakeFile('d.mp4', 4 * PART)]).added;
    await h.uploader.idle();
    await cancelled;

    expect(h.job(id!).state).toBe('cancelled');
    expect(h.s3.uploads.size).toBe(0);
    expect(h.api.aborts).toHaveLength(3); // the clean-up settings' attempts, then it gives up
    expect(h.job(id!).notice).toBeUndefined();
    expect(h.store.list()).toEqual([]);
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
    expect(h.api.aborts).toEqual([key]);
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
    expect(h.api.aborts).toEqual([key]);
  });
});
