// The parts step (src/uploader/parts.ts): PutObject for small files, the worker pool, progress, answers about parts.
import { describe, expect, it } from 'vitest';
import { S3Error } from '../src/uploader/errors';
import { MiB } from '../src/uploader/part-plan';
import { FakeFile, rangeChecksum } from './support/fakes';
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
});
