import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAttr, setText } from '../src/ui/dom';
import { PROGRESS_DRAW_INTERVAL_MS, RenderSchedule, type FrameTimers } from '../src/ui/render-schedule';

const FRAME_MS = 16;

/** Animation frames every 16 ms on vitest's fake clock, like a 60 Hz display. */
const fakeTimers: FrameTimers = {
  requestAnimationFrame: (callback) => setTimeout(callback, FRAME_MS) as unknown as number,
  setTimeout: (callback, ms) => setTimeout(callback, ms) as unknown as number,
  clearTimeout: (handle) => clearTimeout(handle),
};

function scheduleRecordingDraws(): { schedule: RenderSchedule; draws: { at: number; ids: string[] }[] } {
  const draws: { at: number; ids: string[] }[] = [];
  const schedule = new RenderSchedule(fakeTimers, () => Date.now(), (ids) => draws.push({ at: Date.now(), ids: [...ids] }));
  return { schedule, draws };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('drawing upload progress', () => {
  it('draws a second of progress events, one every 5 ms from 4 parts, at most five times instead of on every frame', () => {
    const { schedule, draws } = scheduleRecordingDraws();
    for (let t = 0; t < 1000; t += 5) {
      schedule.progress('upload-1');
      vi.advanceTimersByTime(5);
    }
    // One draw at once, then one per interval: 0, 250, 500, 750 ms (and 1000 ms at the latest); on every
    // frame it would be about 60.
    expect(draws.length).toBeGreaterThanOrEqual(4);
    expect(draws.length).toBeLessThanOrEqual(5);
    const times = draws.map((draw) => draw.at);
    const gaps = times.slice(1).map((at, i) => at - (times[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(PROGRESS_DRAW_INTERVAL_MS);
  });

  it('draws the first progress on the next frame, so an upload starts moving at once', () => {
    const { schedule, draws } = scheduleRecordingDraws();
    schedule.progress('upload-1');
    vi.advanceTimersByTime(FRAME_MS);
    expect(draws).toEqual([{ at: FRAME_MS, ids: ['upload-1'] }]);
  });

  it('draws the last progress of a burst once the interval is over, so the bar never stops short', () => {
    const { schedule, draws } = scheduleRecordingDraws();
    schedule.progress('upload-1');
    vi.advanceTimersByTime(FRAME_MS);
    schedule.progress('upload-1');
    vi.advanceTimersByTime(PROGRESS_DRAW_INTERVAL_MS - 1);
    expect(draws).toHaveLength(1);
    vi.advanceTimersByTime(FRAME_MS + 1);
    expect(draws).toHaveLength(2);
    expect(draws[1]?.ids).toEqual(['upload-1']);
  });

  it('draws a new state (done, paused, failed) on the next frame, not when the progress interval ends', () => {
    const { schedule, draws } = scheduleRecordingDraws();
    schedule.progress('upload-1');
    vi.advanceTimersByTime(FRAME_MS);
    schedule.progress('upload-1');
    vi.advanceTimersByTime(10);
    schedule.urgent('upload-1');
    vi.advanceTimersByTime(FRAME_MS);
    expect(draws.map((draw) => draw.at)).toEqual([FRAME_MS, FRAME_MS + 10 + FRAME_MS]);
    // The progress that waited was drawn with the new state; nothing is left for later.
    vi.advanceTimersByTime(10 * PROGRESS_DRAW_INTERVAL_MS);
    expect(draws).toHaveLength(2);
  });

  it('draws every row that moved since the last draw together, each once', () => {
    const { schedule, draws } = scheduleRecordingDraws();
    schedule.progress('upload-1');
    vi.advanceTimersByTime(FRAME_MS);
    for (let i = 0; i < 20; i++) {
      schedule.progress('upload-1');
      schedule.progress('upload-2');
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(PROGRESS_DRAW_INTERVAL_MS);
    expect(draws).toHaveLength(2);
    expect(draws[1]?.ids).toEqual(['upload-1', 'upload-2']);
  });
});

describe('writing to the page', () => {
  /** An element that counts writes, standing in for the DOM (vitest runs in Node here). */
  function countingElement(): HTMLElement & { writes: number } {
    const attributes = new Map<string, string>();
    let text = '';
    const element = {
      writes: 0,
      getAttribute: (name: string) => attributes.get(name) ?? null,
      setAttribute(name: string, value: string) {
        element.writes++;
        attributes.set(name, value);
      },
      get textContent() {
        return text;
      },
      set textContent(value: string) {
        element.writes++;
        text = value;
      },
    };
    return element as unknown as HTMLElement & { writes: number };
  }

  it('writes text and attributes only when they change', () => {
    const element = countingElement();
    for (const percent of [1, 1, 1, 2, 2]) {
      setText(element, `${percent}%`);
      setAttr(element, 'aria-valuetext', `${percent}%`);
    }
    expect(element.writes).toBe(4);
    expect(element.getAttribute('aria-valuetext')).toBe('2%');
  });
});
