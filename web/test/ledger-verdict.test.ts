// Waiting for the verifier's verdict after a completion (src/uploader/ledger-verdict.ts), on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/uploader/environment';
import { ApiError } from '../src/uploader/errors';
import { awaitVerdict } from '../src/uploader/ledger-verdict';
import type { LedgerEntry, LedgerPage, UploadsApi } from '../src/uploader/uploads-api';

const KEY = 'uploads/owner-1/7/clip.mp4';
const delays = [1000, 2000, 4000];

/** A ledger whose answers the test scripts; records when (in fake time) each look came. */
function ledger(answers: (() => LedgerEntry[] | Error)[]) {
  const looks: number[] = [];
  const api: Pick<UploadsApi, 'list'> = {
    list: async (): Promise<LedgerPage> => {
      looks.push(Date.now());
      const answer = (answers.shift() ?? (() => []))();
      if (answer instanceof Error) throw answer;
      return { uploads: answer };
    },
  };
  return { api, looks };
}

const entry = (state: LedgerEntry['state'], reason?: string): LedgerEntry => ({ key: KEY, fileName: 'clip.mp4', state, ...(reason ? { reason } : {}) });
const other: LedgerEntry = { key: 'uploads/owner-1/8/other.mp4', fileName: 'other.mp4', state: 'completed' };

describe('awaiting the verifier verdict', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks with backoff until the ledger says completed', async () => {
    const { api, looks } = ledger([() => [entry('granted'), other], () => [other], () => [entry('completed')]]);
    const verdict = awaitVerdict(api, KEY, systemClock, new AbortController().signal, delays);
    await vi.advanceTimersByTimeAsync(7000);
    await expect(verdict).resolves.toEqual({ state: 'completed' });
    expect(looks).toEqual([1000, 3000, 7000]);
  });

  it('stops at the first look that says rejected, with the reason', async () => {
    const { api, looks } = ledger([() => [entry('rejected', 'size_mismatch')]]);
    const verdict = awaitVerdict(api, KEY, systemClock, new AbortController().signal, delays);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(verdict).resolves.toEqual({ state: 'rejected', reason: 'size_mismatch' });
    expect(looks).toEqual([1000]);
  });

  it('keeps looking past a failed look, and gives up as unanswered after the last delay', async () => {
    const { api, looks } = ledger([() => new ApiError(503, 'unavailable', 'busy'), () => [entry('granted')], () => [entry('granted')], () => [entry('completed')]]);
    const verdict = awaitVerdict(api, KEY, systemClock, new AbortController().signal, delays);
    await vi.advanceTimersByTimeAsync(7000);
    await expect(verdict).resolves.toEqual({ state: 'unanswered' });
    expect(looks).toEqual([1000, 3000, 7000]); // bounded: no fourth look
    await vi.advanceTimersByTimeAsync(60_000);
    expect(looks).toHaveLength(3);
  });

  it('stops when its signal aborts (the row was removed)', async () => {
    const { api, looks } = ledger([]);
    const controller = new AbortController();
    const verdict = awaitVerdict(api, KEY, systemClock, controller.signal, delays);
    const settled = expect(verdict).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(1500);
    controller.abort();
    await settled;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(looks).toEqual([1000]);
  });
});
