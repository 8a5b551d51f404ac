import { partRange, planUpload, S3_MAX_OBJECT_SIZE } from './part-plan';
import type { BlobLike, FileLike } from './types';

/**
 * The checksums of a file's byte ranges, computed ahead of their sending: a slot that frees up finds the
 * next part's checksum ready instead of waiting for it, and the first parts are checksummed while the API
 * and CreateMultipartUpload answer. Only the base64 values are kept, never bytes, so memory does not
 * grow with how far ahead it runs. Keyed by byte range, so a value computed for a plan that turns out
 * different is simply never taken.
 */
export class ChecksumsAhead {
  private readonly pending = new Map<string, { body: BlobLike; checksum: Promise<string> }>();

  constructor(
    private readonly checksum: (blob: BlobLike, signal: AbortSignal) => Promise<string>,
    private readonly file: FileLike,
    private readonly signal: AbortSignal,
  ) {}

  /** Starts the checksum of [start, end) unless it is already under way. */
  prefetch(start: number, end: number): void {
    const key = `${start}-${end}`;
    if (this.pending.has(key)) return;
    this.pending.set(key, this.start(start, end));
  }

  /**
   * The slice [start, end) of the file (a reference, not its bytes) and its checksum: the one computed
   * ahead, or a new one. Each range is taken once.
   */
  take(start: number, end: number): { body: BlobLike; checksum: Promise<string> } {
    const key = `${start}-${end}`;
    const ahead = this.pending.get(key);
    this.pending.delete(key);
    return ahead ?? this.start(start, end);
  }

  private start(start: number, end: number): { body: BlobLike; checksum: Promise<string> } {
    const body = this.file.slice(start, end);
    const checksum = this.checksum(body, this.signal);
    // A value nobody takes (an abort, another plan) must not be reported as an unhandled rejection.
    checksum.catch(() => {});
    return { body, checksum };
  }

  /** How many values are computed or under way and not yet taken. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Before the API has answered: the first `count` parts under the project's part-size rule, which the
   * API applies too (or the whole file when it fits one request).
   */
  prefetchFirstParts(count: number): void {
    const size = this.file.size;
    if (size > S3_MAX_OBJECT_SIZE) return;
    const plan = planUpload(size);
    if (plan.singleRequest) {
      this.prefetch(0, size);
      return;
    }
    for (let partNumber = 1; partNumber <= Math.min(count, plan.partCount); partNumber++) {
      const { start, end } = partRange(plan, partNumber);
      this.prefetch(start, end);
    }
  }
}
