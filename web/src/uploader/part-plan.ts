import { UploadError } from './errors';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** S3: every part but the last must be at least 5 MiB. */
export const S3_MIN_PART_SIZE = 5 * MiB;
/** S3: no part may be larger than 5 GiB. */
export const S3_MAX_PART_SIZE = 5 * GiB;
/** S3: a multipart upload has at most 10,000 parts. */
export const S3_MAX_PARTS = 10_000;
/** S3: the largest object. */
export const S3_MAX_OBJECT_SIZE = 5 * TiB;
/** This project's smallest part: fewer, larger requests than S3's minimum (the server uses the same rule). */
export const MIN_PART_SIZE = 8 * MiB;

/** The project's rule: max(8 MiB, ceil(size / 10,000) rounded up to a whole MiB). */
export function defaultPartSize(size: number): number {
  const perPart = Math.ceil(size / S3_MAX_PARTS);
  return Math.max(MIN_PART_SIZE, Math.ceil(perPart / MiB) * MiB);
}

/** Whether S3 would accept `partSize` for a file of `size` bytes. */
export function isValidPartSize(size: number, partSize: unknown): partSize is number {
  return (
    typeof partSize === 'number' &&
    Number.isSafeInteger(partSize) &&
    partSize >= S3_MIN_PART_SIZE &&
    partSize <= S3_MAX_PART_SIZE &&
    Math.ceil(size / partSize) <= S3_MAX_PARTS
  );
}

/** How a file is cut into parts. Parts are numbered from 1, as S3 numbers them. */
export interface PartPlan {
  readonly size: number;
  readonly partSize: number;
  readonly partCount: number;
  /** True when the whole file goes in one PutObject (it fits in one part; includes 0 bytes). */
  readonly singleRequest: boolean;
}

/** Byte range [start, end) of part `partNumber`. */
export function partRange(plan: PartPlan, partNumber: number): { start: number; end: number } {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`partNumber must be 1 to ${plan.partCount}, but ${partNumber} was given`);
  }
  const start = (partNumber - 1) * plan.partSize;
  return { start, end: Math.min(plan.size, start + plan.partSize) };
}

/**
 * Plans the parts of a `size`-byte file. Uses the server's part size when it is valid for this file,
 * else the project's rule. Throws an UploadError of kind `too-large` above S3's 5 TiB object limit.
 */
export function planUpload(size: number, serverPartSize?: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`size must be a whole number of bytes, 0 or more, but ${size} was given`);
  }
  if (size > S3_MAX_OBJECT_SIZE) {
    throw new UploadError('too-large', `The file is larger than S3's 5 TiB object limit (${size} bytes).`);
  }
  const partSize = isValidPartSize(size, serverPartSize) ? serverPartSize : defaultPartSize(size);
  const partCount = Math.max(1, Math.ceil(size / partSize));
  return { size, partSize, partCount, singleRequest: size <= partSize };
}
