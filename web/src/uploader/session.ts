import type { CredentialKeeper } from './credential-keeper';
import { ApiError, S3Error, throwIfAborted, UploadError } from './errors';
import type { JobContext } from './job-context';
import { isValidPartSize, partRange, planUpload, type PartPlan } from './part-plan';
import type { Requests } from './requests';
import { fingerprintOf, type ResumeRecord } from './resume-store';
import type { ListedPart } from './s3-api';
import type { FileLike, S3Target, UploadGrant } from './types';

/** A part S3 holds. The checksum is unknown only for parts listed by a server that does not report it. */
export interface DonePart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  checksumCRC32: string | undefined;
}

/** Where an upload stands on S3. Kept across pause and retry, so finished parts are never sent twice. */
export interface Session {
  readonly target: S3Target;
  readonly plan: PartPlan;
  readonly keeper: CredentialKeeper;
  /** Absent when the file goes in one PutObject. */
  readonly uploadId: string | undefined;
  readonly parts: Map<number, DonePart>;
  /** True when the session continues a multipart upload saved by an earlier visit. */
  readonly resumed: boolean;
}

/** What opening a session tells the job as it goes. */
export interface SessionReport {
  /** The object key is known (before any S3 request, so a failure can still name it). */
  key(key: string): void;
  /** Something the user should know that is not a failure. */
  notice(text: string): void;
}

const MAX_LIST_PAGES = 11; // 10,000 parts at 1,000 a page, plus one for luck

/**
 * Opens the upload of `file` on S3: continues the multipart upload saved for the same file when S3
 * still has it, else asks the API for a key and creates one (or none, for a file that fits one PutObject).
 * Does not check `signal` after CreateMultipartUpload: the caller keeps the session before it does, so a
 * pause arriving then does not orphan the new multipart upload.
 */
export async function openSession(
  ctx: JobContext,
  requests: Requests,
  file: FileLike,
  report: SessionReport,
  signal: AbortSignal,
): Promise<Session> {
  planUpload(file.size); // fails early, before any request, above S3's object size limit
  const fingerprint = fingerprintOf(file);
  const saved = ctx.store.find(fingerprint);
  if (saved) {
    const resumed = await resumeSaved(ctx, requests, file, saved, signal);
    if (resumed) {
      report.key(saved.key);
      return resumed;
    }
    ctx.store.forget(fingerprint);
    report.notice('The earlier, unfinished upload of this file had expired, so it starts again from the beginning.');
  }

  const request = { fileName: file.name, size: file.size, ...(file.type ? { contentType: file.type } : {}) };
  const grant = await requests.send('start', signal, () => ctx.api.start(request, signal));
  throwIfAborted(signal);
  const plan = planUpload(file.size, grant.partSize);
  const keeper = requests.keeper(grant);
  const target: S3Target = { bucket: grant.bucket, region: grant.region, key: grant.key };
  report.key(grant.key);
  const session = (uploadId: string | undefined): Session => ({ target, plan, keeper, uploadId, parts: new Map(), resumed: false });
  if (plan.singleRequest) return session(undefined);

  const { uploadId } = await requests.sendS3('create', keeper, signal, (credentials) =>
    ctx.s3.createMultipartUpload({ target, credentials, signal, contentType: contentTypeOf(file), originalName: file.name }),
  );
  const record: ResumeRecord = {
    version: 1,
    key: grant.key,
    bucket: grant.bucket,
    region: grant.region,
    uploadId,
    partSize: plan.partSize,
    fingerprint,
    createdAt: ctx.clock.now(),
  };
  if (!ctx.store.save(record)) {
    report.notice('This browser would not save resume information (storage full or disabled): after a reload, this file starts again.');
  }
  return session(uploadId);
}

/** The Content-Type the object is stored with. */
export function contentTypeOf(file: FileLike): string {
  return file.type || 'application/octet-stream';
}

/** Continues a saved multipart upload: new credentials for its key, then every page of ListParts. */
async function resumeSaved(
  ctx: JobContext,
  requests: Requests,
  file: FileLike,
  saved: ResumeRecord,
  signal: AbortSignal,
): Promise<Session | undefined> {
  let grant: UploadGrant;
  try {
    grant = await requests.send('refresh', signal, () => ctx.api.refresh(saved.key, signal));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return undefined;
    throw error;
  }
  throwIfAborted(signal);
  if (grant.bucket !== saved.bucket || !isValidPartSize(file.size, saved.partSize)) return undefined;
  const plan = planUpload(file.size, saved.partSize);
  if (plan.singleRequest) return undefined;
  const keeper = requests.keeper(grant);
  const target: S3Target = { bucket: saved.bucket, region: grant.region, key: saved.key };

  let listed: ListedPart[];
  try {
    listed = await listAllParts(ctx, requests, keeper, target, saved.uploadId, signal);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'NoSuchUpload') return undefined;
    throw error;
  }
  const parts = new Map<number, DonePart>();
  for (const part of listed) {
    if (part.partNumber < 1 || part.partNumber > plan.partCount) continue;
    const { start, end } = partRange(plan, part.partNumber);
    // A part of another size than the plan's cannot be used; it is sent again.
    if (part.size !== end - start) continue;
    parts.set(part.partNumber, { ...part, checksumCRC32: part.checksumCRC32 });
  }
  await checkHeldParts(ctx, file, plan, parts, signal);
  return { target, plan, keeper, uploadId: saved.uploadId, parts, resumed: true };
}

/**
 * Compares each part S3 holds, by the CRC32 ListParts gives, with the same bytes of `file`, so that a
 * file changed under the same name, size and last-modified time is never completed from old parts.
 * Costs one read of the bytes S3 holds. Parts listed without a checksum (S3 emulators) are not compared.
 */
async function checkHeldParts(
  ctx: JobContext,
  file: FileLike,
  plan: PartPlan,
  parts: ReadonlyMap<number, DonePart>,
  signal: AbortSignal,
): Promise<void> {
  for (const part of parts.values()) {
    if (part.checksumCRC32 === undefined) continue;
    const { start, end } = partRange(plan, part.partNumber);
    const here = await ctx.checksum(file.slice(start, end), signal);
    throwIfAborted(signal);
    if (here !== part.checksumCRC32) {
      throw new UploadError(
        'file-changed',
        `This is not the file this upload started with: its part ${part.partNumber} (bytes ${start} to ${end - 1}) has CRC32 ` +
          `${here}, but the part S3 holds has ${part.checksumCRC32}. Remove this upload (the parts sent from the earlier version ` +
          `are deleted), then add the file again to upload it as it is now.`,
      );
    }
  }
}

/** Every page of ListParts, marker to marker. */
async function listAllParts(
  ctx: JobContext,
  requests: Requests,
  keeper: CredentialKeeper,
  target: S3Target,
  uploadId: string,
  signal: AbortSignal,
): Promise<ListedPart[]> {
  const all: ListedPart[] = [];
  let marker: number | undefined;
  for (let page = 1; ; page++) {
    const partNumberMarker = marker;
    const answer = await requests.sendS3('list', keeper, signal, (credentials) =>
      ctx.s3.listParts({ target, credentials, signal, uploadId, partNumberMarker }),
    );
    throwIfAborted(signal);
    all.push(...answer.parts);
    if (!answer.isTruncated) return all;
    const next = answer.nextPartNumberMarker;
    if (next === undefined || (marker !== undefined && next <= marker) || page >= MAX_LIST_PAGES) {
      throw new UploadError('server', 'S3 said more parts follow, but gave no usable NextPartNumberMarker.');
    }
    marker = next;
  }
}
