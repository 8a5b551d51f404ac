/// <reference lib="webworker" />
// The page's CRC-32 worker: checksums the Blob slices it is sent, one at a time, off the main thread,
// so that checksumming never delays the main thread's handling of the parts on the wire. Reads each
// slice in 1 MiB pieces into one reused buffer (a BYOB reader) where the browser offers that, so the
// memory it uses is that buffer, whatever the file size. Each piece goes through crc32.wat compiled to
// WebAssembly where this worker may compile it, else through crc32Update (crc32-wasm.ts chooses, once).
// worker-checksum.ts is the page's side.
import { CHECKSUM_CHUNK_SIZE, crc32OfBlob, crc32ToBase64, type Crc32Update } from '../uploader/checksum';
import { throwIfAborted } from '../uploader/errors';
import { fastestCrc32 } from './crc32-wasm';
import type { ChecksumReply, ChecksumRequest } from './worker-checksum';

declare const self: DedicatedWorkerGlobalScope;

// Compiled while the first part is on its way; every checksum waits for the choice, which never fails.
const crc32 = fastestCrc32();
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
    const { implementation, update } = await crc32;
    throwIfAborted(signal);
    reply = { id, value: crc32ToBase64(await crc32Streamed(blob, signal, update)), crc32: implementation };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    reply = { id, error: { name, message: error instanceof Error ? error.message : String(error) } };
  } finally {
    running.delete(id);
  }
  self.postMessage(reply);
}

async function crc32Streamed(blob: Blob, signal: AbortSignal, update: Crc32Update): Promise<number> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    return crc32OfBlob(blob, signal, update); // no byte stream here: 1 MiB pieces, each its own buffer
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
        crc = update(crc, value);
        buffer = value.buffer as ArrayBuffer;
      }
      if (done) return crc;
    }
  } finally {
    if (buffer.byteLength === CHECKSUM_CHUNK_SIZE) spare = buffer;
    reader.releaseLock();
  }
}
