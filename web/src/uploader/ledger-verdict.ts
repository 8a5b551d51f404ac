import type { Clock } from './environment';
import type { UploadsApi } from './uploads-api';

/** What the server-side verifier made of a completed upload, as the ledger tells it. */
export type Verdict = { readonly state: 'completed' } | { readonly state: 'rejected'; readonly reason: string } | { readonly state: 'unanswered' };

/**
 * The waits before each look at the ledger after a completion: the verifier runs on the bucket's event,
 * usually within seconds, so look soon and then back off; about a minute in all, then stop asking.
 */
export const verdictDelaysMs: readonly number[] = [1000, 2000, 4000, 8000, 15_000, 30_000];

/**
 * Asks GET /uploads (first page: the list is newest first, so a just-completed upload is on it) until the
 * ledger says `completed` or `rejected` for `key`. A failed or unanswered look is not an alarm: the next one
 * may answer; after the last delay the verdict is `unanswered`.
 */
export async function awaitVerdict(
  api: Pick<UploadsApi, 'list'>,
  key: string,
  clock: Pick<Clock, 'sleep'>,
  signal: AbortSignal,
  delays: readonly number[] = verdictDelaysMs,
): Promise<Verdict> {
  for (const delay of delays) {
    await clock.sleep(delay, signal);
    let entry;
    try {
      entry = (await api.list({}, signal)).uploads.find((upload) => upload.key === key);
    } catch (error) {
      if (signal.aborted) throw error;
      continue;
    }
    if (entry?.state === 'completed') return { state: 'completed' };
    if (entry?.state === 'rejected') return { state: 'rejected', reason: entry.reason ?? '' };
  }
  return { state: 'unanswered' };
}
