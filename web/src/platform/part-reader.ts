// How the CRC-32 worker reads a part of the chosen file: a BYOB reader into one reused 1 MiB buffer where
// the browser offers one (the memory it uses is that buffer, whatever the file size), else the stream's
// default reader, else (no Blob.stream at all) 1 MiB slices.
//
// Chromium 156 was seen to stop answering BYOB reads of a file-backed Blob after several GiB read in one
// tab: one read never settles, and an upload of a larger file waited for that part's checksum forever
// (bench/README.md, "The hang"). The default reader of the same stream read 12.5 GiB in the same test. So
// every read here has a deadline: a BYOB read that delivers nothing for `stallMs` is given up, the stream
// cancelled, and from then on this reader uses the default reader, starting the part again. A default read
// that stalls too fails the checksum as a file the browser can no longer read, which the page reports and
// can continue from, rather than waiting without end.
import { CHECKSUM_CHUNK_SIZE, crc32OfBlob, type Crc32Update } from '../uploader/checksum';
import { abortError, throwIfAborted } from '../uploader/errors';

/** How long one read may deliver nothing before it is taken as stalled. Local file reads take milliseconds. */
export const READ_STALL_MS = 20_000;

/** Which way a part was read: the BYOB reader, the default reader, or 1 MiB slices. */
export type PartReadMode = 'byob' | 'default' | 'slices';

export interface PartReader {
  /** CRC-32 of the blob, with the way it was read in the end. */
  crc32(blob: Blob, signal: AbortSignal, update: Crc32Update): Promise<{ crc: number; mode: PartReadMode }>;
}

class ReadStalled extends Error {}

/** One worker's reader: it keeps its buffer between parts, and stops using BYOB reads once one stalls. */
export function createPartReader(stallMs: number = READ_STALL_MS): PartReader {
  let byobUsable = true;
  let spare: ArrayBuffer | undefined;

  async function crc32Byob(reader: ReadableStreamBYOBReader, signal: AbortSignal, update: Crc32Update): Promise<number> {
    let crc = 0;
    let buffer = spare ?? new ArrayBuffer(CHECKSUM_CHUNK_SIZE);
    spare = undefined;
    try {
      for (;;) {
        throwIfAborted(signal);
        // The buffer is handed to the stream and comes back filled (as a new ArrayBuffer object).
        const { done, value } = await settleWithin(reader.read(new Uint8Array(buffer)), reader, signal, stallMs);
        if (value) {
          crc = update(crc, value);
          buffer = value.buffer as ArrayBuffer;
        }
        if (done) return crc;
      }
    } finally {
      // A buffer handed to a read that never came back stays with the stream: the next part takes a new one.
      if (buffer.byteLength === CHECKSUM_CHUNK_SIZE) spare = buffer;
      release(reader);
    }
  }

  return {
    async crc32(blob, signal, update) {
      if (typeof blob.stream !== 'function') return { crc: await crc32OfBlob(blob, signal, update), mode: 'slices' };
      if (byobUsable) {
        let reader: ReadableStreamBYOBReader | undefined;
        try {
          reader = blob.stream().getReader({ mode: 'byob' });
        } catch {
          byobUsable = false; // not a byte stream in this browser
        }
        if (reader) {
          try {
            return { crc: await crc32Byob(reader, signal, update), mode: 'byob' };
          } catch (error) {
            if (!(error instanceof ReadStalled)) throw error;
            byobUsable = false;
          }
        }
      }
      try {
        return { crc: await crc32Default(blob.stream().getReader(), signal, update, stallMs), mode: 'default' };
      } catch (error) {
        if (!(error instanceof ReadStalled)) throw error;
        throw new DOMException(
          `The browser delivered none of this part's bytes for ${stallMs / 1000} s, twice, by two ways of reading the file.`,
          'NotReadableError',
        );
      }
    },
  };
}

async function crc32Default(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal,
  update: Crc32Update,
  stallMs: number,
): Promise<number> {
  let crc = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await settleWithin(reader.read(), reader, signal, stallMs);
      if (value) crc = update(crc, value);
      if (done) return crc;
    }
  } finally {
    release(reader);
  }
}

/**
 * The read's result, or a ReadStalled after `stallMs` without one, or the abort's error as soon as the
 * signal fires; in both of those cases the stream is cancelled, which also settles the pending read.
 */
async function settleWithin<T>(
  read: Promise<T>,
  reader: ReadableStreamGenericReader,
  signal: AbortSignal,
  stallMs: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const givenUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadStalled()), stallMs);
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([read, givenUp]);
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function release(reader: ReadableStreamGenericReader & { releaseLock(): void }): void {
  try {
    reader.releaseLock();
  } catch {
    // Browsers before the 2022 streams change throw while a read is pending; the stream is cancelled anyway.
  }
}
