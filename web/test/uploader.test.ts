// The queue and the job state machine (src/uploader/uploader.ts, upload-job.ts).
import { describe, expect, it } from 'vitest';
import { MiB } from '../src/uploader/part-plan';
import { FakeFile } from './support/fakes';
import { harness } from './support/harness';

const PART = 8 * MiB;

describe('the queue', () => {
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

  it('pauses a queued file without starting it', async () => {
    const h = harness();
    const { added } = h.uploader.add([new FakeFile('a.mp4', 2 * PART), new FakeFile('b.mp4', 2 * PART)]);
    await h.uploader.pause(added[1]!);
    await h.uploader.idle();
    expect(h.job(added[1]!).state).toBe('paused');
    expect(h.api.starts).toHaveLength(1);
  });
});

describe('pause and resume', () => {
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
});

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
