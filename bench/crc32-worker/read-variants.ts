/// <reference lib="webworker" />
// Benchmark-only: the CRC-32 worker's reading of a part, in each way a worker can read a Blob, so that
// bench/crc32-worker/run --file can compare what each costs the browser process per byte. The CRC-32 is
// the page's own (web/src/platform/crc32-wasm.ts: crc32.wat compiled, else crc32Update), so only the
// reading differs. Bundled by the benchmark with esbuild; never part of the page's bundle.
import { fastestCrc32 } from '../../web/src/platform/crc32-wasm';

declare const self: DedicatedWorkerGlobalScope;

/** How a part is read: a BYOB reader into one reused buffer, the default reader, Blob.arrayBuffer() or FileReaderSync, each in pieces of `pieceBytes` (0: the part whole). */
export type ReadWay = 'byob' | 'default' | 'arrayBuffer' | 'fileReaderSync';
export interface ReadRequest { id: number; blob: Blob; way: ReadWay; pieceBytes: number }

const crc32 = fastestCrc32();
let spare: ArrayBuffer | undefined;
/** How many reads the last part took (the stream's read() calls, or the slices read). */
let reads = 0;

self.onmessage = async (event: MessageEvent<ReadRequest>) => {
  const { id, blob, way, pieceBytes } = event.data;
  const { implementation, update } = await crc32;
  try {
    reads = 0;
    const crc = await READERS[way](blob, pieceBytes || blob.size, update);
    self.postMessage({ id, crc: crc >>> 0, crc32: implementation, reads });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};

type Update = (crc: number, data: Uint8Array) => number;
const READERS: Record<ReadWay, (blob: Blob, piece: number, update: Update) => Promise<number>> = {
  async byob(blob, piece, update) {
    const reader = blob.stream().getReader({ mode: 'byob' });
    let buffer = spare && spare.byteLength === piece ? spare : new ArrayBuffer(piece);
    let crc = 0;
    for (;;) {
      reads++;
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (value) {
        crc = update(crc, value);
        buffer = value.buffer as ArrayBuffer;
      }
      if (done) break;
    }
    spare = buffer;
    reader.releaseLock();
    return crc;
  },
  async default(blob, _piece, update) {
    const reader = blob.stream().getReader();
    let crc = 0;
    for (;;) {
      reads++;
      const { done, value } = await reader.read();
      if (value) crc = update(crc, value);
      if (done) return crc;
    }
  },
  async arrayBuffer(blob, piece, update) {
    let crc = 0;
    for (let at = 0; at < blob.size; at += piece, reads++) crc = update(crc, new Uint8Array(await blob.slice(at, at + piece).arrayBuffer()));
    return crc;
  },
  async fileReaderSync(blob, piece, update) {
    const reader = new FileReaderSync();
    let crc = 0;
    for (let at = 0; at < blob.size; at += piece, reads++) crc = update(crc, new Uint8Array(reader.readAsArrayBuffer(blob.slice(at, at + piece))));
    return crc;
  },
};
