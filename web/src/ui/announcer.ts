import type { JobSnapshot, JobState } from '../uploader/types';
import { displayName, formatDuration, percentOf } from './format';

export interface AnnouncerOptions {
  /** Puts a sentence in the polite aria-live region. */
  readonly say: (text: string) => void;
  readonly now: () => number;
  /** Least time between two progress announcements of one file. Default 20 s. */
  readonly progressIntervalMs?: number;
  /** Least progress, in percent, worth a new announcement. Default 5. */
  readonly progressStep?: number;
}

/**
 * Decides what a screen reader hears: every state change (retries at most every progress interval),
 * and progress now and then, so a long upload is neither silent nor a torrent of numbers.
 */
export class Announcer {
  private readonly last = new Map<string, { at: number; percent: number; state: JobState }>();
  private readonly intervalMs: number;
  private readonly step: number;

  constructor(private readonly options: AnnouncerOptions) {
    this.intervalMs = options.progressIntervalMs ?? 20_000;
    this.step = options.progressStep ?? 5;
  }

  state(job: JobSnapshot): void {
    const now = this.options.now();
    const previous = this.last.get(job.id);
    if (previous?.state === job.state) return;
    const tooSoon = previous !== undefined && now - previous.at < this.intervalMs;
    this.last.set(job.id, { at: now, percent: percentOf(job), state: job.state });
    if (job.state === 'retrying' && tooSoon) return;
    if (job.state === 'uploading' && previous?.state === 'retrying') return;
    this.options.say(describeState(job));
  }

  progress(job: JobSnapshot): void {
    const now = this.options.now();
    const previous = this.last.get(job.id);
    const percent = percentOf(job);
    if (job.state !== 'uploading' || !previous) return;
    if (now - previous.at < this.intervalMs || percent - previous.percent < this.step) return;
    this.last.set(job.id, { at: now, percent, state: job.state });
    const left = job.secondsLeft === undefined ? '' : `, about ${formatDuration(job.secondsLeft)} left`;
    this.options.say(`${displayName(job.name)}: ${percent}% uploaded${left}.`);
  }

  forget(id: string): void {
    this.last.delete(id);
  }
}

function describeState(job: JobSnapshot): string {
  const name = displayName(job.name);
  switch (job.state) {
    case 'queued':
      return `${name}: queued.`;
    case 'uploading':
      return `${name}: uploading.`;
    case 'retrying':
      return `${name}: retrying. ${job.error?.message ?? ''}`.trim();
    case 'paused':
      return `${name}: paused at ${percentOf(job)}%.`;
    case 'done':
      return `${name}: upload complete.`;
    case 'failed':
      return `${name}: upload failed. ${job.error?.message ?? ''}`.trim();
    case 'cancelled':
      return `${name}: cancelled.`;
  }
}
