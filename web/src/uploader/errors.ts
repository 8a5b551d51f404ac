import type { ErrorInfo, ErrorKind } from './types';

/** An error already phrased for the person using the page. */
export class UploadError extends Error implements ErrorInfo {
  override readonly name = 'UploadError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** S3 answered with an error (an `<Error>` document, or a bare status). */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { requestId?: string; serverTime?: number } = {},
  ) {
    super(message);
  }
}

/** The upload API answered with an error document `{error, message}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From a Retry-After header, when the API sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The request never got an HTTP answer: offline, DNS, TLS, reset, or blocked by CORS. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  /**
   * Whether the same server had answered any request of this page before; undefined when unknown. A
   * server that never answered while the browser is online may be refusing this page by CORS; one that
   * answered before is simply out of reach now.
   */
  readonly answeredBefore: boolean | undefined;
  constructor(
    readonly service: 'S3' | 'API',
    message: string,
    options?: { cause?: unknown; answeredBefore?: boolean },
  ) {
    super(message, options);
    this.answeredBefore = options?.answeredBefore;
  }
}

/** Renewing the credentials failed for good; the cause says why. Never retried again by callers. */
export class CredentialRefreshError extends Error {
  override readonly name = 'CredentialRefreshError';
  constructor(cause: unknown) {
    super('Could not renew the upload credentials', { cause });
  }
}

/** The user signed out, or the sign-in session could not be renewed. */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
}

/** The browser could not read the ETag of a part S3 accepted: nearly always the bucket's CORS rule. */
export function missingETagError(partNumber: number | undefined): UploadError {
  const what = partNumber === undefined ? 'the file' : `part ${partNumber}`;
  return new UploadError(
    'cors',
    `S3 accepted ${what}, but the browser could not read the ETag header of its answer. ` +
      `The bucket's CORS rule must list ETag in ExposeHeaders (ExposeHeaders: ETag, x-amz-checksum-crc32).`,
  );
}

/** `value` if it is a whole number from `min` to `max`; else a RangeError naming `name`, the range and the value. */
export function wholeNumber(name: string, value: number, min: number, max = Infinity): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new RangeError(`${name} must be a whole number ${range}, but ${value} was given`);
  }
  return value;
}

/** Failures that pressing Retry cannot mend: the same request would be refused the same way. */
const FINAL_KINDS: ReadonlySet<ErrorKind> = new Set(['too-large', 'bad-request', 'file-unreadable', 'file-changed']);

/** Whether Retry can help after a failure of this kind. */
export function retryCanHelp(kind: ErrorKind): boolean {
  return !FINAL_KINDS.has(kind);
}

/** True for the error a fetch, XHR or AbortSignal raises when a request is aborted. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The error to throw when `signal` aborts: always named AbortError, so callers can tell it apart. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (isAbortError(reason)) return reason as Error;
  return new DOMException(reason instanceof Error ? reason.message : 'The operation was aborted', 'AbortError');
}

/** Throws the AbortError if `signal` is aborted. The one check used after every await. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

const EXPIRED_CREDENTIAL_CODES = new Set(['ExpiredToken', 'InvalidAccessKeyId', 'TokenRefreshRequired', 'InvalidToken']);

/** S3 error codes that mean "these credentials are no longer good": renew them and send again. */
export function isExpiredCredentials(error: unknown): boolean {
  return error instanceof S3Error && EXPIRED_CREDENTIAL_CODES.has(error.code);
}

/**
 * Turns any error into one a person can act on. The one place that phrases errors for the page.
 * `online` tells a network failure while offline from one while online.
 */
export function describe(error: unknown, online = true): UploadError {
  if (error instanceof UploadError) return error;
  if (error instanceof CredentialRefreshError) return describe(error.cause, online);
  if (error instanceof SignInRequiredError) {
    return new UploadError('signed-out', 'You are signed out, or your session expired. Sign in again, then press Retry.', {
      cause: error,
    });
  }
  if (error instanceof AggregateError) {
    const first = describe(error.errors[0], online);
    const more = error.errors.length - 1;
    return new UploadError(first.kind, more > 0 ? `${first.message} (${more} more part(s) failed too.)` : first.message, {
      cause: error,
    });
  }
  if (error instanceof NetworkError) {
    if (!online) {
      return new UploadError('offline', 'The browser is offline. The upload continues when the network is back.', {
        cause: error,
      });
    }
    if (error.service === 'API') return new UploadError('network', 'Could not reach the upload API.', { cause: error });
    // CORS is suspected only on evidence: online, yet S3 has not answered a single request of this page.
    const message =
      error.answeredBefore === false
        ? "Could not reach S3, and no request of this page has reached it yet: S3 is out of reach from this network, or the bucket's CORS rule does not admit this page."
        : error.answeredBefore === true
          ? 'Lost the connection to S3, which answered this page before: the network or S3 is out of reach for now.'
          : 'Could not reach S3.';
    return new UploadError('network', message, { cause: error });
  }
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof DOMException && (error.name === 'NotReadableError' || error.name === 'NotFoundError')) {
    return new UploadError(
      'file-unreadable',
      'The browser can no longer read the file (was it moved, changed or deleted?). Choose it again to continue.',
      { cause: error },
    );
  }
  if (error instanceof S3Error) return describeS3Error(error);
  const text = error instanceof Error ? error.message : String(error);
  return new UploadError('unknown', `Unexpected error: ${text}`, { cause: error });
}

function describeApiError(error: ApiError): UploadError {
  const detail = error.message ? `: ${error.message}` : '';
  switch (true) {
    case error.status === 401:
      return new UploadError('signed-out', 'You are signed out, or your session expired. Sign in again, then press Retry.', {
        cause: error,
      });
    case error.status === 403:
      return new UploadError('forbidden', `The upload API refused access to this upload${detail}`, { cause: error });
    case error.status === 400 && /large|size/i.test(`${error.code} ${error.message}`):
      return new UploadError('too-large', error.message || 'The file is too large.', { cause: error });
    case error.status === 400:
      return new UploadError('bad-request', `The upload API rejected the request${detail}`, { cause: error });
    case error.status === 404:
      return new UploadError('not-found', `The upload API does not know this upload${detail}`, { cause: error });
    case error.status >= 500 || error.status === 429:
      return new UploadError('server', `The upload API kept failing (HTTP ${error.status})${detail}`, { cause: error });
    default:
      return new UploadError('unknown', `The upload API answered HTTP ${error.status}${detail}`, { cause: error });
  }
}

function describeS3Error(error: S3Error): UploadError {
  const code = `${error.code} (HTTP ${error.status})`;
  if (isExpiredCredentials(error)) {
    return new UploadError('signed-out', `S3 rejected the upload credentials as expired or invalid: ${code}. Sign in again, then press Retry.`, {
      cause: error,
    });
  }
  switch (error.code) {
    case 'AccessDenied':
    case 'AllAccessDisabled':
      return new UploadError('forbidden', `S3 denied access: ${code}. This page may only write the one object it was given.`, {
        cause: error,
      });
    case 'NoSuchUpload':
      return new UploadError('upload-gone', `S3 no longer has this multipart upload: ${code}. Press Retry to send the file again from the start.`, {
        cause: error,
      });
    case 'EntityTooLarge':
      return new UploadError('too-large', `S3 refused the size: ${code}.`, { cause: error });
    case 'BadDigest':
    case 'InvalidDigest':
    case 'InvalidPart':
    case 'InvalidPartOrder':
    case 'EntityTooSmall':
      return new UploadError('integrity', `S3 found the data inconsistent: ${code}. ${error.message}`, { cause: error });
  }
  if (error.status >= 500 || error.status === 429 || error.code === 'SlowDown' || error.code === 'RequestTimeout') {
    return new UploadError('server', `S3 kept failing: ${code}.`, { cause: error });
  }
  return new UploadError('unknown', `S3 answered ${code}${error.message ? `: ${error.message}` : ''}`, { cause: error });
}
