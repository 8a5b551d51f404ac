import type { ChecksumsAhead } from './checksums-ahead';
import { missingETagError, throwIfAborted, UploadError } from './errors';
import type { JobContext } from './job-context';
import { partRange } from './part-plan';
import { runPool } from './pool';
import type { Requests } from './requests';
import type { PutObjectOutput } from './s3-api';
import { contentTypeOf, type Session } from './session';
import { traceEnd, traceStart } from './trace';
import type { BlobLike, Credentials, FileLike, UploadResult } from './types';

/** Hears about the bytes of parts: on their way, and stored by S3. */
export interface PartProgress {
  /** `sent` bytes of the part are on the wire; 0 when its attempt failed. */
  sending(partNumber: number, sent: number): void;
  stored(partNumber: number, bytes: number): void;
}

/** What sending one body needs beyond the body: the request that carries it. */
type BodyRequest = (input: {
  credentials: Credentials;
  signal: AbortSignal;
  body: BlobLike;
  checksumCRC32: string;
  onProgress: (sent: number) => void;
}) => Promise<PutObjectOutput>;

/**
 * Sends every part S3 does not hold yet, with at most `ctx.concurrency` in flight. The checksums of the
 * next `ctx.concurrency` parts are computed while parts are on the wire, so a free slot sends at once.
 */
export async function sendMissingParts(
  ctx: JobContext,
  requests: Requests,
  file: FileLike,
  session: Session,
  uploadId: string,
  progress: PartProgress,
  signal: AbortSignal,
  checksums: ChecksumsAhead,
): Promise<void> {
  const { plan, parts, target } = session;
  const missing: number[] = [];
  for (let partNumber = 1; partNumber <= plan.partCount; partNumber++) {
    if (!parts.has(partNumber)) missing.push(partNumber);
  }
  const workers = Math.min(ctx.concurrency, missing.length);
  if (workers === 0) return;
  function* inOrder(): Generator<number> {
    for (let i = 0; i < missing.length; i++) {
      for (const next of missing.slice(i + 1, i + 1 + ctx.concurrency)) {
        const { start, end } = partRange(plan, next);
        checksums.prefetch(start, end);
      }
      yield missing[i]!;
    }
  }
  await runPool(
    inOrder(),
    workers,
    async (partNumber, workerSignal) => {
      const { start, end } = partRange(plan, partNumber);
      // A slice is a reference to the file's bytes, which the browser reads as it sends them.
      const { body, checksum } = checksums.take(start, end);
      const { etag, checksumCRC32 } = await sendChecked(requests, session, partNumber, body, checksum, progress, workerSignal, (input) =>
        ctx.s3.uploadPart({ ...input, target, uploadId, partNumber }),
      );
      // No abort check before recording: a part S3 has accepted must not be forgotten.
      parts.set(partNumber, { partNumber, etag, size: end - start, checksumCRC32 });
      progress.stored(partNumber, end - start);
    },
    signal,
  );
}

/** Sends a file that fits one request with PutObject. */
export async function putWholeFile(
  ctx: JobContext,
  requests: Requests,
  file: FileLike,
  session: Session,
  progress: PartProgress,
  signal: AbortSignal,
  checksums: ChecksumsAhead,
): Promise<UploadResult> {
  const { target } = session;
  const contentType = contentTypeOf(file);
  const { body, checksum } = checksums.take(0, file.size);
  const { etag, checksumCRC32, stored } = await sendChecked(requests, session, undefined, body, checksum, progress, signal, (input) =>
    ctx.s3.putObject({ ...input, target, contentType, originalName: file.name }),
  );
  progress.stored(1, file.size);
  return { key: target.key, etag, checksumCRC32: stored ?? checksumCRC32, checksumVerified: stored !== undefined };
}

/**
 * Sends `body` with `request` and its checksum once computed, as part `partNumber` or (undefined) as the
 * whole file. Fails when S3's answer has no readable ETag, or names another checksum than the one sent.
 */
async function sendChecked(
  requests: Requests,
  session: Session,
  partNumber: number | undefined,
  body: BlobLike,
  checksum: Promise<string>,
  progress: PartProgress,
  signal: AbortSignal,
  request: BodyRequest,
): Promise<{ etag: string; checksumCRC32: string; stored: string | undefined }> {
  const waiting = traceStart();
  const checksumCRC32 = await checksum;
  traceEnd('wait for checksum', waiting);
  throwIfAborted(signal);
  const number = partNumber ?? 1;
  const onProgress = (sent: number): void => progress.sending(number, Math.min(sent, body.size));
  const answer = await requests.sendS3(number, session.keeper, signal, async (credentials) => {
    try {
      return await request({ credentials, signal, body, checksumCRC32, onProgress });
    } catch (error) {
      progress.sending(number, 0);
      throw error;
    }
  });
  if (!answer.etag) throw missingETagError(partNumber);
  if (answer.checksumCRC32 !== undefined && answer.checksumCRC32 !== checksumCRC32) {
    const what = partNumber === undefined ? 'the file' : `part ${partNumber}`;
    throw new UploadError('integrity', `S3 stored ${what} with CRC32 ${answer.checksumCRC32}, but this page computed ${checksumCRC32}.`);
  }
  return { etag: answer.etag, checksumCRC32, stored: answer.checksumCRC32 };
}
