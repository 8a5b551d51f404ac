import {
  ApiError,
  CredentialRefreshError,
  describe,
  isAbortError,
  isExpiredCredentials,
  NetworkError,
  S3Error,
  throwIfAborted,
} from './errors';
import type { Clock, Network } from './environment';
import type { ErrorInfo } from './types';

/** How hard to try. Every field has a default in DEFAULT_RETRY_POLICY. */
export interface RetryPolicy {
  /** Attempts per request, the first included, for retryable errors. Default 8. */
  readonly maxAttempts: number;
  /** Backoff before the first retry; doubles each time. Default 1 s. */
  readonly baseDelayMs: number;
  /** Cap on one backoff. Default 30 s. */
  readonly maxDelayMs: number;
  /** Credential renewals per request before giving up (guards against a server that vends bad keys). Default 3. */
  readonly maxCredentialRefreshes: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxCredentialRefreshes: 3,
};

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs?: number }
  | { readonly action: 'refresh-credentials' }
  | { readonly action: 'correct-clock'; readonly serverTime: number }
  | { readonly action: 'fail' };

const RETRYABLE_S3_CODES = new Set(['RequestTimeout', 'SlowDown', 'InternalError', 'ServiceUnavailable', 'ThrottlingException']);

/**
 * What to do about a failed request: the one place that decides, by error class and status.
 * Network errors, 5xx, 429, RequestTimeout and SlowDown are retried; expired credentials are renewed;
 * a skewed clock is corrected; other 4xx and anything unknown fail.
 */
export function classify(error: unknown): RetryDecision {
  if (error instanceof CredentialRefreshError) return { action: 'fail' };
  if (error instanceof NetworkError) return { action: 'retry' };
  if (error instanceof S3Error) {
    if (isExpiredCredentials(error)) return { action: 'refresh-credentials' };
    if (error.code === 'RequestTimeTooSkewed' && error.details.serverTime !== undefined) {
      return { action: 'correct-clock', serverTime: error.details.serverTime };
    }
    if (error.status >= 500 || error.status === 429 || RETRYABLE_S3_CODES.has(error.code)) return { action: 'retry' };
    return { action: 'fail' };
  }
  if (error instanceof ApiError) {
    if (error.status >= 500 || error.status === 429) {
      return error.retryAfterMs === undefined ? { action: 'retry' } : { action: 'retry', delayMs: error.retryAfterMs };
    }
    return { action: 'fail' };
  }
  return { action: 'fail' };
}

/**
 * Exponential backoff with "equal jitter": half of the capped exponential delay is fixed, the other
 * half random, so retries from many workers spread out but still grow. `retry` counts from 1.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

export interface RetryInfo {
  /** Which retry this is, from 1; 0 for a wait that uses no attempt (offline, credential renewal). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: ErrorInfo;
}

/** What every retried request of an Uploader shares; built once, from its options. */
export interface RetrySettings {
  readonly clock: Clock;
  readonly network: Network;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  /** Adopts the server's time. Without it, a skewed clock fails. */
  readonly correctClock?: (serverTimeMs: number) => void;
}

/** The settings plus what belongs to one request. */
export interface RetryContext extends RetrySettings {
  readonly signal: AbortSignal;
  /** Renews the credentials the failed attempt used. Without it, expired credentials fail. */
  readonly refreshCredentials?: () => Promise<void>;
  /** Told before every wait, so the UI can say "retrying". */
  readonly onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `operation` until it succeeds, a failure is final, or `signal` aborts. Waiting for the network
 * to come back and renewing credentials use no attempts; the signal is checked after every await.
 */
export async function withRetry<T>(operation: () => Promise<T>, context: RetryContext): Promise<T> {
  const { signal, policy } = context;
  let retries = 0;
  let refreshes = 0;
  let clockCorrections = 0;
  for (;;) {
    throwIfAborted(signal);
    try {
      return await operation();
    } catch (error) {
      if (signal.aborted || isAbortError(error)) throw error;
      const decision = classify(error);
      if (decision.action === 'fail') throw error;

      if (decision.action === 'refresh-credentials') {
        if (!context.refreshCredentials || ++refreshes > policy.maxCredentialRefreshes) throw error;
        context.onRetry?.({ attempt: 0, delayMs: 0, reason: describe(error) });
        await context.refreshCredentials();
        continue;
      }

      if (decision.action === 'correct-clock') {
        if (!context.correctClock || ++clockCorrections > 1) throw error;
        context.correctClock(decision.serverTime);
        continue;
      }

      if (error instanceof NetworkError && !context.network.isOnline()) {
        context.onRetry?.({ attempt: 0, delayMs: 0, reason: describe(error, false) });
        await context.network.waitOnline(signal);
        continue;
      }

      retries += 1;
      if (retries >= policy.maxAttempts) throw error;
      const delayMs = decision.delayMs ?? backoffDelay(retries, policy, context.random);
      context.onRetry?.({ attempt: retries, delayMs, reason: describe(error) });
      await context.clock.sleep(delayMs, signal);
    }
  }
}
