/** The timers the schedule needs; the page passes its window, tests pass fakes. */
export interface FrameTimers {
  requestAnimationFrame(callback: () => void): number;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

/**
 * How often moving progress is drawn: four times a second. Drawing on every animation frame (60 a second)
 * cost the page's Chromium about 1.8 CPU-s per GiB uploaded (renderer, compositor and GPU process, see
 * bench/README), CPU the 2-core benchmark machine then lacks for sending bytes; at four a second a
 * 100 MB/s upload still moves its bar, bytes and speed visibly on every draw.
 */
export const PROGRESS_DRAW_INTERVAL_MS = 250;

/**
 * Decides when the file rows are drawn. A change a user must see at once (a row added, a new state: done,
 * paused, failed) is drawn on the next animation frame; bytes moving are drawn at most once per
 * `intervalMs`, collected meanwhile so every row changed since the last draw is drawn then, once.
 */
export class RenderSchedule {
  private readonly dirty = new Set<string>();
  private frame: number | undefined;
  private timer: number | undefined;
  /** When the last draw ran, or -Infinity before the first, so the first progress is drawn at once. */
  private lastDrawAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly timers: FrameTimers,
    private readonly now: () => number,
    /** Draws the rows with these ids: the ones changed since the last draw (a copy; new changes collect anew). */
    private readonly draw: (ids: ReadonlySet<string>) => void,
    private readonly intervalMs = PROGRESS_DRAW_INTERVAL_MS,
  ) {}

  /** A change to show at once: drawn on the next frame, together with any progress waiting. */
  urgent(id: string): void {
    this.dirty.add(id);
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.requestFrame();
  }

  /** Bytes moved: drawn on the next frame if the last draw is `intervalMs` old, otherwise when it will be. */
  progress(id: string): void {
    this.dirty.add(id);
    if (this.frame !== undefined || this.timer !== undefined) return;
    const wait = this.lastDrawAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.requestFrame();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.requestFrame();
    }, wait);
  }

  private requestFrame(): void {
    this.frame ??= this.timers.requestAnimationFrame(() => {
      this.frame = undefined;
      this.lastDrawAt = this.now();
      const ids = new Set(this.dirty);
      this.dirty.clear();
      this.draw(ids);
    });
  }
}
