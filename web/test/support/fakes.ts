// In-memory stand-ins for everything outside the engine: S3, the credentials API, the clock, the
// network and the file. All deterministic: no timers, no wall clock, no real I/O.
import { compositeCrc32, crc32ToBase64 } from '../../src/uploader/checksum';
import type { Clock, Network } from '../../src/uploader/environment';
import { abortError, ApiError, NetworkError, S3Error } from '../../src/uploader/errors';
import { defaultPartSize, MiB, S3_MIN_PART_SIZE } from '../../src/uploader/part-plan';
import type {
  AbortMultipartUploadInput,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  CreateMultipartUploadInput,
  ListPartsInput,
  ListPartsOutput,
  PutObjectInput,
  PutObjectOutput,
  S3Api,
  S3CallInput,
  UploadPartInput,
  UploadPartOutput,
} from '../../src/uploader/s3-api';
import type { BlobLike, Credentials, FileLike, S3Target, UploadGrant } from '../../src/uploader/types';
import type { LedgerEntry, LedgerPage, StartUploadRequest, UploadsApi } from '../../src/uploader/uploads-api';

/** Lets other promises run: the fakes' stand-in for network latency. */
export async function ticks(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await Promise.resolve();
}

/** A clock that moves only when told, or by as long as someone sleeps (sleeping is instant). */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  corrections: number[] = [];

  constructor(public time = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    await ticks(1);
    if (signal.aborted) throw abortError(signal);
  }

  correct(serverTimeMs: number): void {
    this.corrections.push(serverTimeMs);
    this.time = serverTimeMs;
  }
}

/** Online or offline at the test's word. */
export class FakeNetwork implements Network {
  private waiters: (() => void)[] = [];
  waits = 0;

  constructor(public online = true) {}

  isOnline(): boolean {
    return this.online;
  }

  waitOnline(signal: AbortSignal): Promise<void> {
    if (this.online) return Promise.resolve();
    this.waits += 1;
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
    });
  }

  goOnline(): void {
    this.online = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A slice of a FakeFile: knows its range, holds no bytes. */
export class FakeSlice implements BlobLike {
  constructor(
    readonly file: FakeFile,
    readonly start: number,
    readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  slice(start: number, end: number): BlobLike {
    return new FakeSlice(this.file, this.start + start, Math.min(this.end, this.start + end));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('The fake file has no bytes; tests use fakeChecksum');
  }
}

/**
 * A file of any size with no bytes behind it. Counts the slices the engine takes from it that S3 has
 * not yet accepted, to prove the engine holds only the parts in flight.
 */
export class FakeFile implements FileLike {
  readonly type: string;
  private readonly open = new Set<number>();
  slices = 0;
  maxOpenSlices = 0;

  constructor(
    readonly name: string,
    readonly size: number,
    readonly lastModified = 1_700_000_000_000,
    type = 'video/mp4',
  ) {
    this.type = type;
  }

  slice(start: number, end: number): BlobLike {
    this.slices += 1;
    this.open.add(start);
    this.maxOpenSlices = Math.max(this.maxOpenSlices, this.open.size);
    return new FakeSlice(this, start, Math.min(this.size, end));
  }

  /** Called by the fake S3 when it has accepted the slice starting at `start`. */
  accepted(start: number): void {
    this.open.delete(start);
  }

  get openSlices(): number {
    return this.open.size;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('The engine must never read a whole file');
  }
}

/** A cheap, deterministic stand-in for a blob's CRC-32: depends only on the byte range. */
export async function fakeChecksum(blob: BlobLike): Promise<string> {
  if (!(blob instanceof FakeSlice)) throw new Error('fakeChecksum needs a FakeSlice');
  return rangeChecksum(blob.start, blob.end);
}

export function rangeChecksum(start: number, end: number): string {
  return crc32ToBase64((Math.imul(start / MiB + 1, 2654435761) ^ end) >>> 0);
}

export type S3Operation = 'putObject' | 'createMultipartUpload' | 'uploadPart' | 'listParts' | 'completeMultipartUpload' | 'abortMultipartUpload';

export interface S3Call {
  readonly op: S3Operation;
  readonly key: string;
  readonly partNumber?: number;
  readonly accessKeyId: string;
}

interface StoredPart {
  readonly etag: string;
  readonly size: number;
  readonly checksumCRC32: string;
}

interface FakeUpload {
  readonly target: S3Target;
  readonly parts: Map<number, StoredPart>;
  readonly checksumAlgorithm: string;
}

type Fault = (op: S3Operation, input: S3CallInput & { partNumber?: number }) => Error | undefined;

/**
 * S3 in memory, with its multipart rules: parts checked against their CRC32, ListParts in pages of
 * `pageSize`, CompleteMultipartUpload checking every part's ETag and checksum and the 5 MiB minimum,
 * credentials refused once expired. Faults can be injected per call.
 */
export class FakeS3 implements S3Api {
  readonly calls: S3Call[] = [];
  readonly uploads = new Map<string, FakeUpload>();
  readonly objects = new Map<string, { size: number; etag: string; checksumCRC32: string }>();
  readonly completeBodies: CompleteMultipartUploadInput['parts'][] = [];
  private faults: Fault[] = [];
  private nextUpload = 1;
  inFlight = 0;
  maxInFlight = 0;
  /** False: the browser cannot read ETag (the bucket's CORS rule does not expose it). */
  exposeETag = true;
  /** True: answers carry x-amz-checksum-crc32 (the bucket's CORS rule exposes it). */
  exposeChecksum = true;
  /** False: ListParts omits part checksums, like some S3 emulators. */
  listChecksums = true;
  /** False: Complete's answer omits the object checksum, like some S3 emulators. */
  completeChecksum = true;
  pageSize = 1000;
  /** Awaited inside every UploadPart, before S3 "receives" it. */
  beforeUploadPart: ((input: UploadPartInput) => Promise<void> | void) | undefined;

  constructor(private readonly clock: FakeClock) {}

  /** Fails calls that match, `times` times (default once). */
  failWhen(match: (op: S3Operation, input: S3CallInput & { partNumber?: number }) => boolean, error: () => Error, times = 1): void {
    let left = times;
    this.faults.push((op, input) => {
      if (left <= 0 || !match(op, input)) return undefined;
      left -= 1;
      return error();
    });
  }

  count(op: S3Operation, partNumber?: number): number {
    return this.calls.filter((c) => c.op === op && (partNumber === undefined || c.partNumber === partNumber)).length;
  }

  /** Part numbers UploadPart was called for, in call order. */
  sentParts(): number[] {
    return this.calls.filter((c) => c.op === 'uploadPart').map((c) => c.partNumber ?? 0);
  }

  /** Creates an upload holding the given parts, as an earlier visit of the page would have left it. */
  seedUpload(target: S3Target, parts: Iterable<{ partNumber: number; start: number; end: number }>): string {
    const uploadId = `upload-${this.nextUpload++}`;
    const stored = new Map<number, StoredPart>();
    for (const part of parts) {
      stored.set(part.partNumber, { etag: etagOf(part.partNumber, part.start), size: part.end - part.start, checksumCRC32: rangeChecksum(part.start, part.end) });
    }
    this.uploads.set(uploadId, { target, parts: stored, checksumAlgorithm: 'CRC32' });
    return uploadId;
  }

  async putObject(input: PutObjectInput): Promise<PutObjectOutput> {
    await this.enter('putObject', input);
    const slice = asSlice(input.body);
    if (input.checksumCRC32 !== rangeChecksum(slice.start, slice.end)) throw new S3Error(400, 'BadDigest', 'checksum mismatch');
    input.onProgress?.(slice.size);
    const etag = `"put-${input.target.key}"`;
    this.objects.set(input.target.key, { size: slice.size, etag, checksumCRC32: input.checksumCRC32 });
    slice.file.accepted(slice.start);
    return { etag: this.exposeETag ? etag : undefined, checksumCRC32: this.exposeChecksum ? input.checksumCRC32 : undefined };
  }

  async createMultipartUpload(input: CreateMultipartUploadInput): Promise<{ uploadId: string }> {
    await this.enter('createMultipartUpload', input);
    const uploadId = `upload-${this.nextUpload++}`;
    this.uploads.set(uploadId, { target: input.target, parts: new Map(), checksumAlgorithm: 'CRC32' });
    return { uploadId };
  }

  async uploadPart(input: UploadPartInput): Promise<UploadPartOutput> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.enter('uploadPart', input);
      const slice = asSlice(input.body);
      input.onProgress?.(Math.floor(slice.size / 2)); // half of the body is on the wire
      await this.beforeUploadPart?.(input);
      await ticks(2);
      if (input.signal.aborted) throw abortError(input.signal);
      const upload = this.upload(input.uploadId);
      if (input.checksumCRC32 !== rangeChecksum(slice.start, slice.end)) throw new S3Error(400, 'BadDigest', 'checksum mismatch');
      input.onProgress?.(slice.size);
      const etag = etagOf(input.partNumber, slice.start);
      upload.parts.set(input.partNumber, { etag, size: slice.size, checksumCRC32: input.checksumCRC32 });
      slice.file.accepted(slice.start);
      return { etag: this.exposeETag ? etag : undefined, checksumCRC32: this.exposeChecksum ? input.checksumCRC32 : undefined };
    } finally {
      this.inFlight -= 1;
    }
  }

  async listParts(input: ListPartsInput): Promise<ListPartsOutput> {
    await this.enter('listParts', input);
    const upload = this.upload(input.uploadId);
    const after = input.partNumberMarker ?? 0;
    const numbers = [...upload.parts.keys()].sort((a, b) => a - b).filter((n) => n > after);
    const page = numbers.slice(0, this.pageSize);
    const parts = page.map((partNumber) => {
      const part = upload.parts.get(partNumber)!;
      return { partNumber, etag: part.etag, size: part.size, ...(this.listChecksums ? { checksumCRC32: part.checksumCRC32 } : {}) };
    });
    const isTruncated = numbers.length > page.length;
    return { parts, isTruncated, ...(isTruncated ? { nextPartNumberMarker: page[page.length - 1]! } : {}) };
  }

  async completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<CompleteMultipartUploadOutput> {
    await this.enter('completeMultipartUpload', input);
    const upload = this.upload(input.uploadId);
    this.completeBodies.push(input.parts);
    let size = 0;
    input.parts.forEach((part, index) => {
      const stored = upload.parts.get(part.partNumber);
      if (part.partNumber !== index + 1) throw new S3Error(400, 'InvalidPartOrder', 'parts must be consecutive from 1');
      if (!stored || stored.etag !== part.etag) throw new S3Error(400, 'InvalidPart', `part ${part.partNumber} unknown`);
      if (stored.checksumCRC32 !== part.checksumCRC32) throw new S3Error(400, 'InvalidPart', `part ${part.partNumber} checksum differs`);
      if (index < input.parts.length - 1 && stored.size < S3_MIN_PART_SIZE) throw new S3Error(400, 'EntityTooSmall', 'part too small');
      size += stored.size;
    });
    const checksumCRC32 = compositeCrc32(input.parts.map((part) => part.checksumCRC32));
    const etag = `"complete-${input.parts.length}"`;
    this.objects.set(upload.target.key, { size, etag, checksumCRC32 });
    this.uploads.delete(input.uploadId);
    return {
      etag,
      checksumCRC32: this.completeChecksum ? checksumCRC32 : undefined,
      checksumType: this.completeChecksum ? 'COMPOSITE' : undefined,
    };
  }

  async abortMultipartUpload(input: AbortMultipartUploadInput): Promise<void> {
    await this.enter('abortMultipartUpload', input);
    this.upload(input.uploadId);
    this.uploads.delete(input.uploadId);
  }

  private async enter(op: S3Operation, input: S3CallInput & { partNumber?: number }): Promise<void> {
    this.calls.push({
      op,
      key: input.target.key,
      ...(input.partNumber === undefined ? {} : { partNumber: input.partNumber }),
      accessKeyId: input.credentials.accessKeyId,
    });
    await ticks(1);
    if (input.signal.aborted) throw abortError(input.signal);
    for (const fault of this.faults) {
      const error = fault(op, input);
      if (error) throw error;
    }
    if (input.credentials.expiration <= this.clock.now()) {
      throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
    }
  }

  private upload(uploadId: string): FakeUpload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist.');
    return upload;
  }
}

type ApiOperation = 'start' | 'refresh' | 'abort' | 'list';

/** The credentials API in memory: keys under one owner, credentials living `lifetimeMs`. */
export class FakeApi implements UploadsApi {
  readonly starts: StartUploadRequest[] = [];
  readonly refreshes: string[] = [];
  readonly aborts: string[] = [];
  /** The ledger: every key started, newest last; tests may set an entry's state as the verifier would. */
  readonly ledger = new Map<string, LedgerEntry>();
  lists = 0;
  private readonly keys = new Set<string>();
  private issued = 0;
  lifetimeMs = 15 * 60_000;
  /** Overrides the part size the server answers; undefined: the project rule. */
  partSize: number | undefined | 'omit';
  private faults: { match: (op: ApiOperation) => boolean; error: () => Error; left: number }[] = [];

  constructor(
    private readonly clock: FakeClock,
    readonly bucket = 'upload-bucket',
    readonly region = 'eu-west-1',
  ) {}

  failWhen(op: ApiOperation, error: () => Error, times = 1): void {
    this.faults.push({ match: (o) => o === op, error, left: times });
  }

  /** Makes `key` known to the API, as a start in an earlier visit would have. */
  knowKey(key: string): void {
    this.keys.add(key);
  }

  grantFor(key: string, partSize?: number): UploadGrant {
    this.issued += 1;
    return {
      bucket: this.bucket,
      region: this.region,
      key,
      ...(partSize === undefined ? {} : { partSize }),
      credentials: this.credentials(),
    };
  }

  credentials(): Credentials {
    return {
      accessKeyId: `ASIA${this.issued}`,
      secretAccessKey: `secret-${this.issued}`,
      sessionToken: `token-${this.issued}`,
      expiration: this.clock.now() + this.lifetimeMs,
    };
  }

  async start(request: StartUploadRequest, signal: AbortSignal): Promise<UploadGrant> {
    await ticks(1);
    if (signal.aborted) throw abortError(signal);
    this.starts.push(request);
    this.fault('start');
    const key = `uploads/owner-1/${this.starts.length}/${request.fileName}`;
    this.keys.add(key);
    this.ledger.set(key, { key, fileName: request.fileName, state: 'granted', declaredSize: request.size });
    const partSize = this.partSize === 'omit' ? undefined : (this.partSize ?? defaultPartSize(request.size));
    return this.grantFor(key, partSize);
  }

  async refresh(key: string, signal: AbortSignal): Promise<UploadGrant> {
    await ticks(1);
    if (signal.aborted) throw abortError(signal);
    this.refreshes.push(key);
    this.fault('refresh');
    if (!this.keys.has(key)) throw new ApiError(403, 'forbidden', 'not your key');
    return this.grantFor(key);
  }

  async abort(key: string, signal: AbortSignal): Promise<void> {
    await ticks(1);
    if (signal.aborted) throw abortError(signal);
    this.aborts.push(key);
    this.fault('abort');
    if (!this.keys.has(key)) throw new ApiError(403, 'no_grant', 'not your key');
    const entry = this.ledger.get(key);
    if (entry && entry.state !== 'granted' && entry.state !== 'aborted') throw new ApiError(409, 'grant_not_open', entry.state);
    if (entry) this.ledger.set(key, { ...entry, state: 'aborted', reason: 'user_aborted' });
  }

  async list(page: { cursor?: string; limit?: number }, signal: AbortSignal): Promise<LedgerPage> {
    await ticks(1);
    if (signal.aborted) throw abortError(signal);
    this.lists += 1;
    this.fault('list');
    const all = [...this.ledger.values()].reverse();
    const from = page.cursor === undefined ? 0 : Number(page.cursor);
    const to = from + (page.limit ?? 20);
    return to < all.length ? { uploads: all.slice(from, to), cursor: String(to) } : { uploads: all.slice(from) };
  }

  private fault(op: ApiOperation): void {
    for (const fault of this.faults) {
      if (fault.left > 0 && fault.match(op)) {
        fault.left -= 1;
        throw fault.error();
      }
    }
  }
}

export function networkError(): NetworkError {
  return new NetworkError('S3', 'connection reset');
}

function asSlice(body: BlobLike): FakeSlice {
  if (!(body instanceof FakeSlice)) throw new Error('FakeS3 expects FakeSlice bodies');
  return body;
}

function etagOf(partNumber: number, start: number): string {
  return `"etag-${partNumber}-${start}"`;
}
