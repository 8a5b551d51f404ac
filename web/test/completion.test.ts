// The completion step (src/uploader/completion.ts): CompleteMultipartUpload and the checks of its answer.
import { describe, expect, it } from 'vitest';
import { compositeCrc32 } from '../src/uploader/checksum';
import { MiB, partRange, planUpload } from '../src/uploader/part-plan';
import { FakeFile, rangeChecksum } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('completing a multipart upload', () => {
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
