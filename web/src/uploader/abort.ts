import type { CredentialKeeper } from './credential-keeper';
import { ApiError, S3Error } from './errors';
import type { JobContext } from './job-context';
import { Requests } from './requests';
import { fingerprintOf, type ResumeRecord } from './resume-store';
import type { Session } from './session';
import type { FileLike, S3Target, UploadGrant } from './types';

/** After a cancel: aborts the multipart upload of `session`, or else the one saved for `file` by an earlier visit. */
export async function abortUploadOf(ctx: JobContext, file: FileLike, session: Session | undefined, signal: AbortSignal): Promise<void> {
  if (session) {
    try {
      if (session.uploadId !== undefined) await abortMultipartUpload(ctx, session.keeper, session.target, session.uploadId, signal);
    } finally {
      await abortLedgerGrant(ctx, session.target.key, signal);
    }
    return;
  }
  const saved = ctx.store.find(fingerprintOf(file));
  if (saved) await abortSavedUpload(ctx, saved, signal);
}

/**
 * POST /uploads/abort after the S3 abort (tried whether or not that worked: the user has given the upload up,
 * and its quota slot should come free). Best effort with the clean-up retry settings: a failure changes nothing
 * for the user, the grant then expires on its own.
 */
async function abortLedgerGrant(ctx: JobContext, key: string, signal: AbortSignal): Promise<void> {
  try {
    await new Requests(ctx, ctx.cleanupRetry).send('abort', signal, () => ctx.api.abort(key, signal));
  } catch {
    // 409 grant_not_open (it completed or expired meanwhile), 403, or no answer: nothing the page can mend.
  }
}

/** AbortMultipartUpload with the clean-up retry settings; an upload already gone counts as aborted. */
async function abortMultipartUpload(
  ctx: JobContext,
  keeper: CredentialKeeper,
  target: S3Target,
  uploadId: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    await new Requests(ctx, ctx.cleanupRetry).sendS3('abort', keeper, signal, (credentials) => ctx.s3.abortMultipartUpload({ target, credentials, signal, uploadId }));
  } catch (error) {
    // Already gone (completed elsewhere, or removed by the lifecycle rule): nothing left to abort.
    if (error instanceof S3Error && error.code === 'NoSuchUpload') return;
    throw error;
  }
}

/** Aborts a saved multipart upload of an earlier page session: credentials for its key first. */
export async function abortSavedUpload(ctx: JobContext, saved: ResumeRecord, signal: AbortSignal): Promise<void> {
  const requests = new Requests(ctx, ctx.cleanupRetry);
  let grant: UploadGrant;
  try {
    grant = await requests.send('refresh', signal, () => ctx.api.refresh(saved.key, signal));
  } catch (error) {
    // The API no longer knows the key: nothing this user can abort.
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return;
    // Without credentials the S3 upload stays for the lifecycle rule, but the ledger can still let it go.
    await abortLedgerGrant(ctx, saved.key, signal);
    throw error;
  }
  const target = { bucket: saved.bucket, region: grant.region, key: saved.key };
  try {
    await abortMultipartUpload(ctx, requests.keeper(grant), target, saved.uploadId, signal);
  } finally {
    await abortLedgerGrant(ctx, saved.key, signal);
  }
}
