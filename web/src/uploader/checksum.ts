import { throwIfAborted } from './errors';
import type { BlobLike } from './types';

// CRC-32 (IEEE 802.3, the one S3 calls CRC32), table-driven "slicing by 8": about 13x faster in V8
// than a byte-at-a-time loop, which matters because every byte of a many-GB file passes through it.
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
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
  for (; i + 8 <= n; i += 8) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    const h = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    c =
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + (h & 0xff)]! ^
      t[512 + ((h >>> 8) & 0xff)]! ^
      t[256 + ((h >>> 16) & 0xff)]! ^
      t[h >>> 24]!;
  }
  for (; i < n; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** How much of a part is read into memory at a time while checksumming it. */
export const CHECKSUM_CHUNK_SIZE = 1024 * 1024;

/** CRC-32 of a blob, read 1 MiB at a time so a 5 GiB part never sits in memory whole. */
export async function crc32OfBlob(blob: BlobLike, signal: AbortSignal): Promise<number> {
  let crc = 0;
  for (let offset = 0; offset < blob.size; offset += CHECKSUM_CHUNK_SIZE) {
    const chunk = await blob.slice(offset, Math.min(blob.size, offset + CHECKSUM_CHUNK_SIZE)).arrayBuffer();
    throwIfAborted(signal);
    crc = crc32Update(crc, new Uint8Array(chunk));
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
