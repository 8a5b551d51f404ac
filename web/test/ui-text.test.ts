import { describe, expect, it } from 'vitest';
import { Announcer } from '../src/ui/announcer';
import { primaryAction } from '../src/ui/file-row';
import { describeFileChange, displayName, formatBytes, formatDuration, ledgerStateLabel, overallStatus, percentOf, reasonInWords, signOutQuestion, storedName } from '../src/ui/format';
import type { JobSnapshot } from '../src/uploader/types';

const nbsp = (text: string): string => text.replace(/ /g, '\u00a0');

function job(overrides: Partial<JobSnapshot>): JobSnapshot {
  return {
    id: 'upload-1',
    name: 'keynote.mov',
    size: 1_000_000_000,
    state: 'uploading',
    loaded: 0,
    bytesPerSecond: undefined,
    secondsLeft: undefined,
    secondsToRetry: undefined,
    error: undefined,
    notice: undefined,
    key: undefined,
    result: undefined,
    ...overrides,
  };
}

describe('a file that changed since its upload started', () => {
  const before = { name: 'keynote.mov', size: 50_300_000, lastModified: Date.UTC(2026, 11, 2, 0, 50, 12) };

  it('is unchanged when size and last-modified time are the same', () => {
    expect(describeFileChange(before, { ...before })).toBeUndefined();
  });

  it('names the size it had and has', () => {
    expect(describeFileChange(before, { ...before, size: 50_400_000 })).toBe(`size: was ${nbsp('50.3 MB')}, now ${nbsp('50.4 MB')}`);
  });

  it('names both last-modified times, to the second', () => {
    const text = describeFileChange(before, { ...before, lastModified: before.lastModified + 1000 });
    expect(text).toMatch(/^last modified: was .*:12.*, now .*:13/);
  });

  it('says the milliseconds when both times fall in the same second', () => {
    expect(describeFileChange(before, { ...before, lastModified: before.lastModified + 7 })).toMatch(/^last modified: 7 ms later \(.*:12/);
  });
});

describe('numbers for people', () => {
  it('writes sizes in decimal units with three significant digits', () => {
    expect([0, 1, 999, 1000, 86_000_000, 1_260_000_000, 5_497_558_138_880].map(formatBytes)).toEqual(
      ['0 bytes', '1 byte', '999 bytes', '1.00 KB', '86.0 MB', '1.26 GB', '5.50 TB'].map(nbsp),
    );
  });

  it('writes durations calmly', () => {
    expect([0.2, 42, 90, 3600, 4980, 200_000].map(formatDuration)).toEqual([
      '1\u00a0s',
      '42\u00a0s',
      '2\u00a0min',
      '1\u00a0h',
      '1\u00a0h 23\u00a0min',
      'more than a day',
    ]);
  });

  it('never shows 100 % before the upload is done', () => {
    expect(percentOf({ loaded: 999_999_999, size: 1_000_000_000, state: 'uploading' })).toBe(99);
    expect(percentOf({ loaded: 1_000_000_000, size: 1_000_000_000, state: 'done' })).toBe(100);
    expect(percentOf({ loaded: 0, size: 0, state: 'uploading' })).toBe(0);
  });

  it('sums the list up in one line', () => {
    const jobs = [
      job({ id: 'a', state: 'done', size: 86_000_000, loaded: 86_000_000 }),
      job({ id: 'b', state: 'uploading', size: 1_260_000_000, loaded: 520_000_000, bytesPerSecond: 24_000_000 }),
      job({ id: 'c', state: 'queued', size: 3_900_000_000 }),
    ];
    expect(overallStatus(jobs)).toBe('1 of 3 files done · 606\u00a0MB of 5.25\u00a0GB · 24.0\u00a0MB/s');
    expect(overallStatus([job({ state: 'done' }), job({ id: 'x', state: 'failed' })])).toBe('1 of 2 files done · 1 failed');
    expect(overallStatus([job({ state: 'done' })])).toBe('The file is uploaded');
    expect(overallStatus([])).toBe('No uploads yet.');
  });
});

describe('names that cannot lie', () => {
  it('shows every bidirectional control in a name instead of obeying it', () => {
    expect(displayName('\u202eevil.mp4')).toBe('\u2039U+202E\u203aevil.mp4');
    expect(displayName('a\u2066b\u2069\u200f.mov')).toBe('a\u2039U+2066\u203ab\u2039U+2069\u203a\u2039U+200F\u203a.mov');
    expect(displayName('שלום.mp4')).toBe('שלום.mp4');
  });

  it('names the stored file by the last segment of its key', () => {
    expect(storedName('uploads/owner/42/_.mp4')).toBe('_.mp4');
  });
});

describe('row actions', () => {
  it('offers no Pause to a queued file, and Retry only where retrying can help', () => {
    expect(primaryAction({ state: 'queued', error: undefined })).toBeUndefined();
    expect(primaryAction({ state: 'uploading', error: undefined })).toBe('Pause');
    expect(primaryAction({ state: 'failed', error: { kind: 'network', message: '' } })).toBe('Retry');
    expect(primaryAction({ state: 'failed', error: { kind: 'bad-request', message: '' } })).toBe('Remove');
    expect(primaryAction({ state: 'done', error: undefined })).toBe('Remove');
  });
});

describe('screen reader announcements', () => {
  function announcer() {
    const said: string[] = [];
    let now = 0;
    const a = new Announcer({ say: (text) => said.push(text), now: () => now, progressIntervalMs: 20_000, progressStep: 5 });
    return { a, said, advance: (ms: number) => (now += ms) };
  }

  it('announces every state change at once', () => {
    const { a, said } = announcer();
    a.state(job({ state: 'uploading' }));
    a.state(job({ state: 'failed', error: { kind: 'network', message: 'Could not reach S3.' } }));
    expect(said).toEqual(['keynote.mov: uploading.', 'keynote.mov: upload failed. Could not reach S3.']);
  });

  it('announces progress politely: at most every 20 s, and only after 5 % more', () => {
    const { a, said, advance } = announcer();
    a.state(job({ state: 'uploading' }));
    advance(5_000);
    a.progress(job({ loaded: 300_000_000 }));
    advance(20_000);
    a.progress(job({ loaded: 320_000_000, secondsLeft: 150 }));
    advance(20_000);
    a.progress(job({ loaded: 330_000_000 }));
    expect(said).toEqual(['keynote.mov: uploading.', 'keynote.mov: 32% uploaded, about 3\u00a0min left.']);
  });

  it('does not repeat a flapping retry', () => {
    const { a, said, advance } = announcer();
    a.state(job({ state: 'uploading' }));
    advance(1_000);
    a.state(job({ state: 'retrying', error: { kind: 'server', message: 'S3 is busy.' } }));
    advance(1_000);
    a.state(job({ state: 'uploading' }));
    advance(1_000);
    a.state(job({ state: 'retrying', error: { kind: 'server', message: 'S3 is busy.' } }));
    expect(said).toEqual(['keynote.mov: uploading.']);
  });
});

describe('the ledger in words', () => {
  it('says each ledger state, and a known reason in words; an unknown one as sent, without underscores', () => {
    expect(ledgerStateLabel('completed')).toBe('Verified');
    expect(ledgerStateLabel('aborted')).toBe('Aborted');
    expect(ledgerStateLabel('granted')).toBe('Not finished');
    expect(reasonInWords('user_aborted')).toBe('cancelled on this page');
    expect(reasonInWords('size_mismatch')).toBe('its size differs from the size declared at the start');
    expect(reasonInWords('some_new_reason')).toBe('some new reason');
  });
});

describe('the question before signing out with uploads running', () => {
  const kept = { name: 'keynote.mov', continuesFromList: true };
  const plain = { name: 'intro.mp4', continuesFromList: false };

  it('does not ask for the files again where this browser kept them (Chromium, handles in IndexedDB)', () => {
    const question = signOutQuestion([kept, { ...kept, name: 'b-roll.mov' }]);
    expect(question).toBe(
      'Uploads in progress will pause. After signing in, continue them from the unfinished uploads: the files need not be chosen again. Sign out?',
    );
    expect(question).not.toMatch(/choose/i);
  });

  it('asks for the same files again where the browser kept none (Firefox, Safari, or not yet started on S3)', () => {
    expect(signOutQuestion([plain])).toBe('Uploads in progress will pause. Choose the same files again after signing in to continue. Sign out?');
  });

  it('names which continue from the list and which must be chosen again when both are running', () => {
    expect(signOutQuestion([kept, plain, { name: 'e\u202Evil.mp4', continuesFromList: false }])).toBe(
      'Uploads in progress will pause. After signing in, continue keynote.mov from the unfinished uploads; ' +
        `choose intro.mp4, ${displayName('e\u202Evil.mp4')} again to continue. Sign out?`,
    );
  });
});
