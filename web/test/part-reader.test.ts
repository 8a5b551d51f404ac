import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPartReader, READ_STALL_MS } from '../src/platform/part-reader';
import { crc32Update } from '../src/uploader/checksum';

/** Bytes that differ at every position. */
function sample(length: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) ^ (i & 0xff);
  return data;
}

/**
 * A Blob whose first `stalls` streams deliver `stallAfter` bytes and then never answer again (as Chromium's
 * BYOB reads of a file-backed Blob were seen to), and whose later streams deliver every byte.
 */
function stallingBlob(data: Uint8Array<ArrayBuffer>, stallAfter: number, stalls: number) {
  const opened: string[] = [];
  const cancelled: number[] = [];
  let streams = 0;
  const blob = {
    size: data.length,
    stream(): ReadableStream<Uint8Array> {
      const index = streams++;
      let offset = 0;
      return new ReadableStream({
        type: 'bytes',
        pull(controller) {
          if (index < stalls && offset >= stallAfter) return new Promise<void>(() => undefined);
          const end = Math.min(data.length, offset + 64 * 1024);
          controller.enqueue(data.slice(offset, end));
          offset = end;
          if (offset >= data.length) controller.close();
          return undefined;
        },
        cancel() {
          cancelled.push(index);
        },
      });
    },
  };
  const wrapped = new Proxy(blob, {
    get(target, property, receiver) {
      if (property === 'stream') {
        return () => {
          const stream = target.stream();
          const getReader = stream.getReader.bind(stream) as (options?: { mode: 'byob' }) => unknown;
          (stream as { getReader: unknown }).getReader = (options?: { mode: 'byob' }) => {
            opened.push(options?.mode ?? 'default');
            return getReader(options);
          };
          return stream;
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { blob: wrapped as unknown as Blob, opened, cancelled };
}

const whole = (data: Uint8Array) => crc32Update(0, data);

describe('the CRC-32 worker\'s part reader', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a part with a BYOB reader and gives its CRC-32', async () => {
    const data = sample(3 * 1024 * 1024 + 17);
    const result = await createPartReader().crc32(new Blob([data]), new AbortController().signal, crc32Update);
    expect(result).toEqual({ crc: whole(data), mode: 'byob' });
  });

  it('gives up a BYOB read that delivers nothing for the deadline, reads the part again by the default reader, and keeps to it', async () => {
    vi.useFakeTimers();
    const data = sample(1024 * 1024 + 5);
    const reader = createPartReader();
    const first = stallingBlob(data, 256 * 1024, 1);
    const pending = reader.crc32(first.blob, new AbortController().signal, crc32Update);
    let settled = false;
    void pending.finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(READ_STALL_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toEqual({ crc: whole(data), mode: 'default' });
    expect(first.opened).toEqual(['byob', 'default']);
    expect(first.cancelled).toEqual([0]);

    const next = stallingBlob(data, 0, 0);
    await expect(reader.crc32(next.blob, new AbortController().signal, crc32Update)).resolves.toEqual({
      crc: whole(data),
      mode: 'default',
    });
    expect(next.opened).toEqual(['default']);
  });

  it('fails as a file the browser cannot read when the default reader stalls too, instead of waiting for ever', async () => {
    vi.useFakeTimers();
    const { blob } = stallingBlob(sample(512 * 1024), 128 * 1024, 2);
    const pending = createPartReader().crc32(blob, new AbortController().signal, crc32Update);
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(2 * READ_STALL_MS);
    const error = await outcome;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('NotReadableError');
    expect((error as DOMException).message).toContain(`${READ_STALL_MS / 1000} s`);
  });

  it('stops at once when the checksum is cancelled during a read that hangs', async () => {
    vi.useFakeTimers();
    const { blob, cancelled } = stallingBlob(sample(512 * 1024), 128 * 1024, 1);
    const controller = new AbortController();
    const pending = createPartReader().crc32(blob, controller.signal, crc32Update);
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new DOMException('The checksum was cancelled', 'AbortError'));
    const error = await outcome;
    expect((error as Error).name).toBe('AbortError');
    expect(cancelled).toEqual([0]);
  });

  it('reads 1 MiB slices where a Blob has no stream', async () => {
    const data = sample(2 * 1024 * 1024 + 3);
    const real = new Blob([data]);
    const noStream = { size: real.size, slice: real.slice.bind(real) } as unknown as Blob;
    await expect(createPartReader().crc32(noStream, new AbortController().signal, crc32Update)).resolves.toEqual({
      crc: whole(data),
      mode: 'slices',
    });
  });
});
