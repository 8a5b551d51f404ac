import { crc32Base64 } from '../uploader/checksum';
import { abortError } from '../uploader/errors';
import { traceEnd, traceStart } from '../uploader/trace';
import type { BlobLike } from '../uploader/types';
import type { Crc32Implementation } from './crc32-wasm';
import type { PartReadMode } from './part-reader';

/** What the page sends the CRC-32 worker. */
export type ChecksumRequest = { type: 'checksum'; id: number; blob: Blob } | { type: 'cancel'; id: number };
/**
 * What the worker answers: the base64 CRC-32 of the blob, which code computed it and how the blob was read,
 * or why it could not read it.
 */
export type ChecksumReply =
  | { id: number; value: string; crc32: Crc32Implementation; read: PartReadMode }
  | { id: number; error: { name: string; message: string } };

/**
 * The trace measure of one checksum in the worker; its detail says which CRC-32 code ran and how the part
 * was read ({ crc32: 'wasm', read: 'byob' }).
 */
export const WORKER_CHECKSUM_MEASURE = 'checksum in the worker (queue included)';

/** What the worker's trace measure records about one checksum. */
export type WorkerChecksumDetail = { crc32: Crc32Implementation; read: PartReadMode };

type Checksum = (blob: BlobLike, signal: AbortSignal) => Promise<string>;

/**
 * The checksum function the page's uploader uses: the CRC-32 worker (crc32-worker.ts), one for the page,
 * which takes slices in the order they are asked for. Where a worker cannot start (no Worker, a CSP that
 * forbids it, a load error), every checksum, waiting ones included, falls back to the main thread.
 */
export function workerChecksum(createWorker: () => Worker = defaultWorker): Checksum {
  let worker: Worker | undefined;
  let failed = typeof Worker === 'undefined';
  let nextId = 1;
  const waiting = new Map<number, {
    blob: Blob;
    signal: AbortSignal;
    resolve: (value: string, detail?: WorkerChecksumDetail) => void;
    reject: (error: unknown) => void;
  }>();

  const fallBack = (): void => {
    failed = true;
    worker?.terminate();
    worker = undefined;
    for (const [id, job] of waiting) {
      waiting.delete(id);
      crc32Base64(job.blob, job.signal).then((value) => job.resolve(value), job.reject);
    }
  };

  const start = (): Worker | undefined => {
    if (worker || failed) return worker;
    try {
      worker = createWorker();
    } catch {
      fallBack();
      return undefined;
    }
    worker.onmessage = (event: MessageEvent<ChecksumReply>) => {
      const reply = event.data;
      const job = waiting.get(reply.id);
      if (!job) return;
      waiting.delete(reply.id);
      if ('value' in reply) job.resolve(reply.value, { crc32: reply.crc32, read: reply.read });
      // The name carries over (NotReadableError: the file changed), so the engine explains it as before.
      else job.reject(new DOMException(reply.error.message, reply.error.name));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fallBack();
    };
    return worker;
  };

  return (blob, signal) => {
    if (signal.aborted) return Promise.reject(abortError(signal));
    const w = start();
    if (!w || !(blob instanceof Blob)) return crc32Base64(blob, signal);
    const id = nextId++;
    const started = traceStart();
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        if (!waiting.delete(id)) return;
        w.postMessage({ type: 'cancel', id } satisfies ChecksumRequest);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = (detail?: WorkerChecksumDetail): void => {
        signal.removeEventListener('abort', onAbort);
        traceEnd(WORKER_CHECKSUM_MEASURE, started, detail);
      };
      waiting.set(id, {
        blob,
        signal,
        resolve: (value, detail) => {
          finish(detail);
          resolve(value);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      });
      w.postMessage({ type: 'checksum', id, blob } satisfies ChecksumRequest);
    });
  };
}

function defaultWorker(): Worker {
  return new Worker(new URL('./crc32-worker.ts', import.meta.url), { type: 'module', name: 'crc32' });
}
