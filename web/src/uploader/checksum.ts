import { throwIfAborted } from './errors';
import type { BlobLike } from './types';

// CRC-32 (IEEE 802.3, the one S3 calls CRC32), table-driven "slicing by 16" over 32-bit word loads:
// every byte of a many-GB file passes through it, so it reads four bytes per load and folds sixteen
// bytes per step (about 1.5-2x slicing by 8 with byte loads in V8, which was 13x a byte-at-a-time loop).
// The CRC-32 worker runs the same algorithm compiled from WebAssembly (src/platform/crc32.wat) where it may,
// with these tables; this version is the reference, its fallback, and the main thread's.
const SLICES = 16;
const TABLES = buildCrc32Tables();
/** Word loads assume a little-endian platform (every browser's); elsewhere the byte loop does it all. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Continues a CRC-32 over `data` from `crc` (0 to start); returns the unsigned 32-bit value. */
export type Crc32Update = (crc: number, data: Uint8Array) => number;

/**
 * The 16 lookup tables of slicing by 16, table k at index k * 256: table 0 is the classic byte-at-a-time
 * table, table k advances a byte's contribution by k more bytes of zeros.
 */
export function buildCrc32Tables(): Int32Array {
  const t = new Int32Array(256 * SLICES);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < SLICES; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/** Continues a CRC-32 over `data`; start with 0. Returns the unsigned 32-bit value. */
export function crc32Update(crc: number, data: Uint8Array): number {
  const t = TABLES;
  let c = ~crc;
  let i = 0;
  const n = data.length;
  // Bytes one at a time up to a 4-byte boundary, so that the rest can be read as aligned words.
  for (; i < n && (data.byteOffset + i) & 3; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  if (LITTLE_ENDIAN && i < n) {
    const words = new Int32Array(data.buffer, data.byteOffset + i, (n - i) >>> 2);
    const wholeSteps = words.length - (words.length & 3);
    for (let w = 0; w < wholeSteps; w += 4) {
      const a = words[w]! ^ c;
      const b = words[w + 1]!;
      const d = words[w + 2]!;
      const e = words[w + 3]!;
      c =
        t[3840 + (a & 0xff)]! ^ t[3584 + ((a >>> 8) & 0xff)]! ^ t[3328 + ((a >>> 16) & 0xff)]! ^ t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^ t[2560 + ((b >>> 8) & 0xff)]! ^ t[2304 + ((b >>> 16) & 0xff)]! ^ t[2048 + (b >>> 24)]! ^
        t[1792 + (d & 0xff)]! ^ t[1536 + ((d >>> 8) & 0xff)]! ^ t[1280 + ((d >>> 16) & 0xff)]! ^ t[1024 + (d >>> 24)]! ^
        t[768 + (e & 0xff)]! ^ t[512 + ((e >>> 8) & 0xff)]! ^ t[256 + ((e >>> 16) & 0xff)]! ^ t[e >>> 24]!;
    }
    i += wholeSteps * 4;
  }
  for (; i < n; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** How much of a part is read into memory at a time while checksumming it. */
export const CHECKSUM_CHUNK_SIZE = 1024 * 1024;

/** CRC-32 of a blob, read 1 MiB at a time so a 5 GiB part never sits in memory whole. */
export async function crc32OfBlob(blob: BlobLike, signal: AbortSignal, update: Crc32Update = crc32Update): Promise<number> {
  let crc = 0;
  for (let offset = 0; offset < blob.size; offset += CHECKSUM_CHUNK_SIZE) {
    const chunk = await blob.slice(offset, Math.min(blob.size, offset + CHECKSUM_CHUNK_SIZE)).arrayBuffer();
    throwIfAborted(signal);
    crc = update(crc, new Uint8Array(chunk));
  }
  return crc;
}

/** A CRC-32 as S3 writes it: the 4 big-endian bytes, base64-encoded. */
export function crc32ToBase64(crc: number): string {
  return btoa(String.fromCharCode((crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff));
}

/** The value for the x-amz-checksum-crc32 header of a part or a whole small file. */
export async function crc32Base64(blob: BlobLike, signal: AbortSignal): Promise<string> {
  return crc32ToBase64(await crc32OfBlob(blob, signal));
}

/**
 * The COMPOSITE checksum S3 gives a multipart object: the CRC-32 of the concatenated binary part
 * checksums, followed by `-<number of parts>`.
 */
export function compositeCrc32(partChecksums: readonly string[]): string {
  let crc = 0;
  for (const value of partChecksums) {
    const binary = atob(value);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    crc = crc32Update(crc, bytes);
  }
  return `${crc32ToBase64(crc)}-${partChecksums.length}`;
}
