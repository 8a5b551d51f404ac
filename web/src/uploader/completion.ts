import { compositeCrc32 } from './checksum';
import { NetworkError, S3Error, throwIfAborted, UploadError } from './errors';
import type { JobContext } from './job-context';
import { partRange } from './part-plan';
import type { Requests } from './requests';
import { fingerprintOf } from './resume-store';
import type { CompletedPart, CompleteMultipartUploadOutput } from './s3-api';
import type { Session } from './session';
import type { FileLike, UploadResult } from './types';

/**
 * Completes the multipart upload with every part's ETag and CRC32, checks S3's answer against them,
 * and forgets the resume record.
 */
export async function completeUpload(
  ctx: JobContext,
  requests: Requests,
  file: FileLike,
  session: Session,
  uploadId: string,
  signal: AbortSignal,
): Promise<UploadResult> {
  const { plan, target } = session;
  const parts: CompletedPart[] = [];
  for (let partNumber = 1; partNumber <= plan.partCount; partNumber++) {
    const part = session.parts.get(partNumber);
    if (!part) throw new Error(`Part ${partNumber} is missing at completion`);
    if (part.checksumCRC32 === undefined) {
      // Listed by a server that does not report part checksums: compute it from the same bytes.
      const { start, end } = partRange(plan, partNumber);
      part.checksumCRC32 = await ctx.checksum(file.slice(start, end), signal);
      throwIfAborted(signal);
    }
    parts.push({ partNumber, etag: part.etag, checksumCRC32: part.checksumCRC32 });
  }
  const expected = compositeCrc32(parts.map((part) => part.checksumCRC32));

  let answerLost = false;
  let answer: CompleteMultipartUploadOutput;
  try {
    answer = await requests.sendS3('complete', session.keeper, signal, async (credentials) => {
      try {
        return await ctx.s3.completeMultipartUpload({ target, credentials, signal, uploadId, parts });
      } catch (error) {
        if (error instanceof NetworkError) answerLost = true;
        throw error;
      }
    });
  } catch (error) {
    if (answerLost && error instanceof S3Error && error.code === 'NoSuchUpload') {
      throw new UploadError(
        'upload-gone',
        `The request that completes the upload got no answer, and S3 no longer knows the upload: it most likely ` +
          `completed, but this page has no read access to check. Ask the bucket's owner about ${target.key}.`,
        { cause: error },
      );
    }
    throw error;
  }
  verifyCompletion(answer, expected, parts.length);
  ctx.store.forget(fingerprintOf(file));
  return {
    key: target.key,
    etag: answer.etag,
    checksumCRC32: answer.checksumCRC32 ?? expected,
    checksumVerified: answer.checksumCRC32 !== undefined,
  };
}

/** Checks CompleteMultipartUpload's answer against the part list that was sent. */
export function verifyCompletion(answer: CompleteMultipartUploadOutput, expected: string, partCount: number): void {
  if (answer.checksumCRC32 !== undefined) {
    const [value, suffix] = answer.checksumCRC32.split('-');
    const [expectedValue] = expected.split('-');
    if (value !== expectedValue || (suffix !== undefined && Number(suffix) !== partCount)) {
      throw new UploadError(
        'integrity',
        `S3 completed the object with CRC32 ${answer.checksumCRC32}, but the ${partCount} parts sent give ${expected}: the stored object may be damaged.`,
      );
    }
  }
  const parts = answer.etag === undefined ? undefined : /-(\d+)"?$/.exec(answer.etag)?.[1];
  if (parts !== undefined && Number(parts) !== partCount) {
    throw new UploadError('integrity', `S3 completed the object from ${parts} parts, but ${partCount} were sent.`);
  }
}
