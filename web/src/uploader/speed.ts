/**
 * Throughput over a sliding window of recent progress samples. Restarts when progress goes backwards
 * (a part that failed gives its bytes back) or after a pause, so a stale rate is never shown.
 */
export class SpeedMeter {
  private samples: { at: number; loaded: number }[] = [];

  constructor(
    /** How far back the rate looks. Default 10 s. */
    private readonly windowMs = 10_000,
    /** Shortest span worth reporting; shorter spans give wild numbers. Default 1 s. */
    private readonly minSpanMs = 1_000,
  ) {}

  record(at: number, loaded: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && loaded < last.loaded) this.samples = [];
    this.samples.push({ at, loaded });
    const oldest = at - this.windowMs;
    while (this.samples.length > 2 && this.samples[1]!.at <= oldest) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
  }

  /** Bytes per second at time `now`, counting a stall since the last sample; undefined until known. */
  bytesPerSecond(now: number): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return undefined;
    const span = now - first.at;
    if (span < this.minSpanMs) return undefined;
    return ((last.loaded - first.loaded) * 1000) / span;
  }
}

/** Seconds to send `remaining` bytes at `bytesPerSecond`; undefined when the rate is unknown or zero. */
export function secondsLeft(remaining: number, bytesPerSecond: number | undefined): number | undefined {
  if (bytesPerSecond === undefined || bytesPerSecond <= 0) return undefined;
  return remaining / bytesPerSecond;
}
