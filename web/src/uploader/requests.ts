import { CredentialKeeper } from './credential-keeper';
import { throwIfAborted } from './errors';
import type { JobContext } from './job-context';
import { withRetry, type RetryInfo, type RetrySettings } from './retry';
import type { Credentials, UploadGrant } from './types';

/** What a request is, for retry bookkeeping: a part number, or the name of a one-off request. */
export type OperationLabel = number | 'start' | 'refresh' | 'create' | 'list' | 'complete' | 'abort';

/** Hears when an upload starts waiting to retry, and when no request is waiting any more. */
export interface RetryObserver {
  retrying(info: RetryInfo): void;
  recovered(): void;
}

/**
 * Sends requests with one set of retry settings, keeping count of the requests that are waiting to
 * retry, so the job shows "retrying" exactly while at least one is. S3 requests get fresh credentials
 * for every attempt and renew them when S3 says they expired.
 */
export class Requests {
  private readonly waiting = new Set<OperationLabel>();

  constructor(
    private readonly ctx: JobContext,
    private readonly settings: RetrySettings,
    private readonly observer?: RetryObserver,
  ) {}

  /** One request, retried as the settings say. */
  async send<T>(
    label: OperationLabel,
    signal: AbortSignal,
    operation: () => Promise<T>,
    refreshCredentials?: () => Promise<void>,
  ): Promise<T> {
    try {
      const result = await withRetry(operation, {
        ...this.settings,
        signal,
        onRetry: (info) => {
          this.waiting.add(label);
          this.observer?.retrying(info);
        },
        refreshCredentials,
      });
      if (this.waiting.delete(label) && this.waiting.size === 0) this.observer?.recovered();
      return result;
    } catch (error) {
      this.waiting.delete(label);
      throw error;
    }
  }

  /** One S3 request, signed with the keeper's credentials, renewing them on an expiry error. */
  sendS3<T>(label: OperationLabel, keeper: CredentialKeeper, signal: AbortSignal, call: (credentials: Credentials) => Promise<T>): Promise<T> {
    let used: Credentials | undefined;
    return this.send(
      label,
      signal,
      async () => {
        used = await keeper.credentials(signal);
        throwIfAborted(signal);
        return call(used);
      },
      () => (used ? keeper.expired(used, signal) : Promise.resolve()),
    );
  }

  /** Keeps `grant`'s credentials fresh, renewing them through the API with these settings. */
  keeper(grant: UploadGrant): CredentialKeeper {
    return new CredentialKeeper(
      grant,
      (signal) => this.send('refresh', signal, () => this.ctx.api.refresh(grant.key, signal)),
      this.ctx.clock,
      this.ctx.credentialOptions,
    );
  }
}
