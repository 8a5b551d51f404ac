import { abortError } from './errors';

/** Time, injectable so tests run instantly and deterministically. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError when `signal` aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that follows S3's time once S3 has said the local clock is off (RequestTimeTooSkewed).
 * SigV4 signatures are refused beyond 15 minutes of skew, and credential expiry is server time too.
 */
export class ServerClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.base.sleep(ms, signal);
  }

  /** Adopts `serverTimeMs` (from an S3 error) as the current time. */
  correct(serverTimeMs: number): void {
    this.offsetMs = serverTimeMs - this.base.now();
  }
}

/** Whether the browser is online, and a way to wait until it is. */
export interface Network {
  isOnline(): boolean;
  /** Resolves when online (at once if already); rejects with an AbortError when `signal` aborts. */
  waitOnline(signal: AbortSignal): Promise<void>;
}

/** For environments with no notion of offline (tests, scripts). */
export const alwaysOnline: Network = {
  isOnline: () => true,
  waitOnline: async () => {},
};
