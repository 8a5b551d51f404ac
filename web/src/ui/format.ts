import type { LedgerState } from '../uploader/uploads-api';
import type { FileFingerprint, JobSnapshot, JobState } from '../uploader/types';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in decimal units with three significant digits: "950 bytes", "1.23 GB", "12.3 MB". */
export function formatBytes(bytes: number): string {
  // A no-break space keeps number and unit on one line.
  if (bytes < 1000) return `${Math.round(bytes)}\u00a0${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)}\u00a0${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A rough, calm duration: "45 s", "3 min", "1 h 20 min", "more than a day". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))}\u00a0s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}\u00a0min`;
  if (minutes >= 24 * 60) return 'more than a day';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours}\u00a0h` : `${hours}\u00a0h ${rest}\u00a0min`;
}

/** Whole percent, rounded down so 100 % means done; an empty file is 0 % until done. */
export function percentOf(job: Pick<JobSnapshot, 'loaded' | 'size' | 'state'>): number {
  if (job.state === 'done') return 100;
  if (job.size === 0) return 0;
  return Math.min(99, Math.floor((job.loaded / job.size) * 100));
}

// Bidirectional controls (LRM, RLM, ALM, embeddings, overrides, isolates): in a file name they make the
// text read as something else ("evil" shown as "live"), so they are shown as visible code points.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** A file name as the page shows and speaks it: every bidirectional control visible, none obeyed. */
export function displayName(name: string): string {
  return name.replace(BIDI_CONTROLS, (c) => `‹U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}›`);
}

/** The last segment of an object key: the name the file is stored under. */
export function storedName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  retrying: 'Retrying',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function stateLabel(state: JobState): string {
  return STATE_LABELS[state];
}

const LEDGER_STATE_LABELS: Record<LedgerState, string> = {
  granted: 'Not finished',
  completed: 'Verified',
  rejected: 'Rejected',
  aborted: 'Aborted',
  expired: 'Expired',
};

/** An upload's state as the server's ledger has it, in words. */
export function ledgerStateLabel(state: LedgerState): string {
  return LEDGER_STATE_LABELS[state];
}

const REASONS: Record<string, string> = {
  user_aborted: 'cancelled on this page',
  max_age_reached: 'not finished in time',
  credentials_not_issued: 'the server could not issue upload credentials',
  no_grant: 'the server had no record of this upload',
  grant_not_open: 'the upload had already ended',
  key_mismatch: 'stored under another name than the one granted',
  size_mismatch: 'its size differs from the size declared at the start',
  overwritten_after_completion: 'the file was overwritten after it was verified',
};

/** Why the ledger ended an upload, in words; a reason this page does not know yet is shown as sent. */
export function reasonInWords(reason: string): string {
  return REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** The one-line summary above the list. */
export function overallStatus(jobs: readonly JobSnapshot[]): string {
  const live = jobs.filter((j) => j.state !== 'cancelled');
  if (live.length === 0) return 'No uploads yet.';
  const count = (state: JobState): number => live.filter((j) => j.state === state).length;
  const done = count('done');
  const failed = count('failed');
  const active = live.filter((j) => j.state === 'uploading' || j.state === 'retrying');
  const waiting = count('queued');
  const paused = count('paused');
  const parts: string[] = [];
  if (active.length > 0 || waiting > 0) {
    const loaded = live.reduce((sum, j) => sum + j.loaded, 0);
    const total = live.reduce((sum, j) => sum + j.size, 0);
    parts.push(`${done} of ${live.length} ${plural(live.length, 'file')} done`);
    parts.push(`${formatBytes(loaded)} of ${formatBytes(total)}`);
    const rate = active.reduce((sum, j) => sum + (j.bytesPerSecond ?? 0), 0);
    if (rate > 0) parts.push(formatRate(rate));
  } else if (done === live.length) {
    parts.push(`${done === 1 ? 'The file is' : `All ${done} files are`} uploaded`);
  } else {
    parts.push(`${done} of ${live.length} ${plural(live.length, 'file')} done`);
  }
  if (paused > 0) parts.push(`${paused} paused`);
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.join(' · ');
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * How a file differs from the one an upload started with ("size: was 50.3 MB, now 50.4 MB"), or
 * undefined when size and last-modified time are the same.
 */
export function describeFileChange(before: FileFingerprint, now: FileFingerprint): string | undefined {
  const changes: string[] = [];
  if (before.size !== now.size) changes.push(`size: was ${formatBytes(before.size)}, now ${formatBytes(now.size)}`);
  if (before.lastModified !== now.lastModified) {
    const [was, is] = [formatTime(before.lastModified), formatTime(now.lastModified)];
    const within = Math.abs(now.lastModified - before.lastModified);
    // Within the same second the two times read alike; the difference in milliseconds tells them apart.
    const direction = now.lastModified > before.lastModified ? 'later' : 'earlier';
    changes.push(was === is ? `last modified: ${within} ms ${direction} (${is})` : `last modified: was ${was}, now ${is}`);
  }
  return changes.length === 0 ? undefined : changes.join('; ');
}

/** An upload that signing out pauses. */
export interface PausedBySignOut {
  readonly name: string;
  /**
   * True when the page can continue it after the sign-in's reload without the file being chosen again:
   * the browser kept the file's handle (Chromium) and S3 holds its multipart upload, saved for resuming.
   */
  readonly continuesFromList: boolean;
}

/**
 * The question before signing out with uploads running, saying what continuing them will take in this
 * browser: nothing but Continue for kept files, choosing the same file again for the others.
 */
export function signOutQuestion(uploads: readonly PausedBySignOut[]): string {
  const fromList = uploads.filter((u) => u.continuesFromList).map((u) => displayName(u.name));
  const chooseAgain = uploads.filter((u) => !u.continuesFromList).map((u) => displayName(u.name));
  const after =
    chooseAgain.length === 0
      ? 'After signing in, continue them from the unfinished uploads: the files need not be chosen again.'
      : fromList.length === 0
        ? 'Choose the same files again after signing in to continue.'
        : `After signing in, continue ${fromList.join(', ')} from the unfinished uploads; choose ${chooseAgain.join(', ')} again to continue.`;
  return `Uploads in progress will pause. ${after} Sign out?`;
}

/** A moment to the second, in the reader's locale and time zone. */
function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
