// The parts step (src/uploader/parts.ts): PutObject for small files, the worker pool, progress, answers about parts.
import { describe, expect, it } from 'vitest';
import { S3Error } from '../src/uploader/errors';
import { MiB } from '../src/uploader/part-plan';
import type { BlobLike } from '../src/uploader/types';
import { fakeChecksum, FakeFile, FakeSlice, rangeChecksum } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('sending parts', () => {
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

  it('never has more than N parts in flight, and does use N', async () => {
    const h = harness({ concurrency: 3 });
    h.uploader.add([new FakeFile('big.mov', 40 * PART)]);
    await h.uploader.idle();
    expect(h.s3.count('uploadPart')).toBe(40);
    expect(h.s3.maxInFlight).toBe(3);
  });

  it('slices only the parts in flight and the next ones checksummed ahead, never the whole file', async () => {
    const h = harness({ concurrency: 4 });
    const file = new FakeFile('huge.mov', 80 * 1024 * MiB); // 80 GiB: 9,103 parts of 9 MiB
    const [id] = h.uploader.add([file]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    expect(file.slices).toBe(9103);
    // 4 parts on the wire and the checksums of the next 4 under way: references to the file, not its bytes.
    expect(file.maxOpenSlices).toBeLessThanOrEqual(8);
    expect(file.openSlices).toBe(0);
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

  it('reports every part that failed on its own, not just the first', async () => {
    const h = harness({ concurrency: 2 });
    h.s3.failWhen((op, input) => op === 'uploadPart' && input.partNumber! <= 2, () => new S3Error(403, 'AccessDenied', 'no'), 2);
    const [id] = h.uploader.add([new FakeFile('v.mp4', 4 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).error?.message).toMatch(/S3 denied access.*\(1 more part\(s\) failed too\.\)/);
  });

  it('checksums the first parts while the API and CreateMultipartUpload answer, each part once', async () => {
    const log: string[] = [];
    const h = harness({
      concurrency: 2,
      checksum: (blob: BlobLike) => {
        const slice = blob as FakeSlice;
        log.push(`checksum ${slice.start / PART + 1}`);
        return fakeChecksum(blob);
      },
    });
    const start = h.api.start.bind(h.api);
    h.api.start = (...args) => {
      log.push('POST /uploads');
      return start(...args);
    };
    const [id] = h.uploader.add([new FakeFile('film.mov', 5 * PART)]).added;
    await h.uploader.idle();
    expect(h.job(id!).state).toBe('done');
    // The API's part size is the project's rule, so what was computed ahead is what was sent.
    expect(log.slice(0, 3)).toEqual(['checksum 1', 'checksum 2', 'POST /uploads']);
    expect(log.filter((line) => line.startsWith('checksum')).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `checksum ${n}`));
    expect(h.s3.objects.get(h.job(id!).key!)).toBeDefined();
  });

  it('checksums the next parts while parts are on the wire, never more than N ahead', async () => {
    let computed = 0;
    const h = harness({
      concurrency: 3,
      checksum: (blob: BlobLike) => {
        computed++;
        return fakeChecksum(blob);
      },
    });
    let maxAhead = 0;
    const uploadPart = h.s3.uploadPart.bind(h.s3);
    h.s3.uploadPart = (input) => {
      // Checksums computed beyond the parts handed to S3 so far.
      maxAhead = Math.max(maxAhead, computed - h.s3.count('uploadPart'));
      return uploadPart(input);
    };
    h.uploader.add([new FakeFile('long.mov', 20 * PART)]);
    await h.uploader.idle();
    expect(h.s3.count('uploadPart')).toBe(20);
    expect(computed).toBe(20);
    expect(maxAhead).toBeGreaterThanOrEqual(3);
    expect(maxAhead).toBeLessThanOrEqual(6);
  });
});
