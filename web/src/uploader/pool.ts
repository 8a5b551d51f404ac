import { isAbortError, throwIfAborted, wholeNumber } from './errors';

/**
 * Runs `worker` over `items` with at most `concurrency` running at once: N workers pull from one
 * shared iterator, so an item is only produced (and its part only sliced) when a worker is free.
 *
 * The first failure stops the others (their `signal` aborts) and, once every worker has stopped,
 * is thrown; if several items failed on their own, they are all thrown together as an AggregateError.
 * Aborting `signal` stops everything and throws the AbortError.
 */
export async function runPool<T>(
  items: Iterator<T>,
  concurrency: number,
  worker: (item: T, signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  wholeNumber('concurrency', concurrency, 1);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });

  const failures: unknown[] = [];
  const run = async (): Promise<void> => {
    for (;;) {
      if (stop.signal.aborted) return;
      const next = items.next();
      if (next.done) return;
      try {
        await worker(next.value, stop.signal);
      } catch (error) {
        // An AbortError after the stop is a consequence, not a failure of its own.
        if (stop.signal.aborted && isAbortError(error)) return;
        failures.push(error);
        stop.abort(error);
        return;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, run));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  throwIfAborted(signal);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} parts failed`);
}
