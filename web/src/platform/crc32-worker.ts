/// <reference lib="webworker" />
// The page's CRC-32 worker: checksums the Blob slices it is sent, one at a time, off the main thread,
// so that checksumming never delays the main thread's handling of the parts on the wire. part-reader.ts
// reads each slice (a BYOB reader into one reused 1 MiB buffer where it can, so the memory it uses is
// that buffer, whatever the file size; with a deadline on every read). Each piece goes through crc32.wat
// compiled to WebAssembly where this worker may compile it, else through crc32Update (crc32-wasm.ts
// chooses, once). worker-checksum.ts is the page's side.
import { crc32ToBase64 } from '../uploader/checksum';
import { throwIfAborted } from '../uploader/errors';
import { fastestCrc32 } from './crc32-wasm';
import { createPartReader } from './part-reader';
import type { ChecksumReply, ChecksumRequest } from './worker-checksum';

declare const self: DedicatedWorkerGlobalScope;

// Compiled while the first part is on its way; every checksum waits for the choice, which never fails.
const crc32 = fastestCrc32();
const partReader = createPartReader();
const running = new Map<number, AbortController>();
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
    const { crc, mode } = await partReader.crc32(blob, signal, update);
    reply = { id, value: crc32ToBase64(crc), crc32: implementation, read: mode };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    reply = { id, error: { name, message: error instanceof Error ? error.message : String(error) } };
  } finally {
    running.delete(id);
  }
  self.postMessage(reply);
}
