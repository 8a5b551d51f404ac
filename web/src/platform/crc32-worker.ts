/// <reference lib="webworker" />
// The page's CRC-32 worker: checksums the Blob slices it is sent, one at a time, off the main thread,
// so that checksumming never delays the main thread's handling of the parts on the wire. Reads each
// slice in 1 MiB pieces into one reused buffer (a BYOB reader) where the browser offers that, so the
// memory it uses is that buffer, whatever the file size. worker-checksum.ts is the page's side.
import { CHECKSUM_CHUNK_SIZE, crc32OfBlob, crc32ToBase64, crc32Update } from '../uploader/checksum';
import { throwIfAborted } from '../uploader/errors';
import type { ChecksumReply, ChecksumRequest } from './worker-checksum';

declare const self: DedicatedWorkerGlobalScope;

const running = new Map<number, AbortController>();
let spare: ArrayBuffer | undefined;
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<ChecksumRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    running.get(request.id)?.abort(new DOMException('The checksum was cancelled', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  queue = queue.then(() => answer(request.id, request.blob, controller.signal));
};

async function answer(id: number, blob: Blob, signal: AbortSignal): Promise<void> {
  let reply: ChecksumReply;
  try {
    throwIfAborted(signal);
    reply = { id, value: crc32ToBase64(await crc32Streamed(blob, signal)) };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    reply = { id, error: { name, message: error instanceof Error ? error.message : String(error) } };
  } finally {
    running.delete(id);
  }
  self.postMessage(reply);
}

async function crc32Streamed(blob: Blob, signal: AbortSignal): Promise<number> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    return crc32OfBlob(blob, signal); // no byte stream here: 1 MiB pieces, each its own buffer
  }
  let crc = 0;
  let buffer = spare ?? new ArrayBuffer(CHECKSUM_CHUNK_SIZE);
  spare = undefined;
  try {
    for (;;) {
      throwIfAborted(signal);
      // The buffer is handed to the stream and comes back filled (as a new ArrayBuffer object).
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (value) {
        crc = crc32Update(crc, value);
        buffer = value.buffer as ArrayBuffer;
      }
      if (done) return crc;
    }
  } finally {
    if (buffer.byteLength === CHECKSUM_CHUNK_SIZE) spare = buffer;
    reader.releaseLock();
  }
}
