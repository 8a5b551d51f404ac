import { CredentialRefreshError, throwIfAborted } from './errors';
import type { Clock } from './environment';
import type { Credentials, UploadGrant } from './types';

export interface CredentialKeeperOptions {
  /** Renew when fewer than this many ms are left. Default 5 minutes. */
  readonly marginMs?: number;
  /**
   * Never renew ahead of expiry more often than this. Guards against a device clock so far ahead that
   * fresh credentials already look stale, which would otherwise renew before every request. Default 60 s.
   */
  readonly minAheadIntervalMs?: number;
}

/**
 * Holds the credentials for one object key and renews them: ahead of expiry, and at once when S3
 * says they expired. Concurrent callers share one renewal.
 */
export class CredentialKeeper {
  private grant: UploadGrant;
  private pending: Promise<Credentials> | undefined;
  private lastRenewedAt = Number.NEGATIVE_INFINITY;
  private readonly marginMs: number;
  private readonly minAheadIntervalMs: number;

  constructor(
    initial: UploadGrant,
    /** Fetches a new grant for the same key; its failures are final (retrying is its own business). */
    private readonly renew: (signal: AbortSignal) => Promise<UploadGrant>,
    private readonly clock: Clock,
    options: CredentialKeeperOptions = {},
  ) {
    this.grant = initial;
    this.marginMs = options.marginMs ?? 5 * 60_000;
    this.minAheadIntervalMs = options.minAheadIntervalMs ?? 60_000;
  }

  /** Credentials good for at least the margin, renewing first when needed. */
  async credentials(signal: AbortSignal): Promise<Credentials> {
    if (this.pending) return this.pending;
    const now = this.clock.now();
    const current = this.grant.credentials;
    if (current.expiration - now < this.marginMs && now - this.lastRenewedAt >= this.minAheadIntervalMs) {
      return this.renewNow(signal);
    }
    return current;
  }

  /**
   * S3 refused `used` as expired. Renews, unless another caller already replaced those credentials
   * (then the next `credentials()` returns the new ones): many parts failing at once renew once.
   */
  async expired(used: Credentials, signal: AbortSignal): Promise<void> {
    if (this.pending) {
      await this.pending;
      return;
    }
    if (used !== this.grant.credentials) return;
    await this.renewNow(signal);
  }

  private renewNow(signal: AbortSignal): Promise<Credentials> {
    const renewal = this.fetchNext(signal);
    this.pending = renewal;
    const clear = (): void => {
      if (this.pending === renewal) this.pending = undefined;
    };
    renewal.then(clear, clear);
    return renewal;
  }

  private async fetchNext(signal: AbortSignal): Promise<Credentials> {
    const key = this.grant.key;
    try {
      const next = await this.renew(signal);
      throwIfAborted(signal);
      if (next.key !== key) {
        throw new Error(`The API renewed credentials for "${next.key}" instead of "${key}"`);
      }
      this.grant = { ...next, partSize: this.grant.partSize };
      this.lastRenewedAt = this.clock.now();
      return next.credentials;
    } catch (error) {
      if (signal.aborted) throw error;
      throw new CredentialRefreshError(error);
    }
  }
}
