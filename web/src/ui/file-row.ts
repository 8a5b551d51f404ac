import { retryCanHelp } from '../uploader/errors';
import type { JobSnapshot } from '../uploader/types';
import { el, setAttr, setText, show } from './dom';
import { displayName, formatBytes, formatDuration, formatRate, percentOf, stateLabel, storedName } from './format';

export interface RowActions {
  pause(id: string): void;
  resume(id: string): void;
  cancel(id: string): void;
  /** Takes the row off the list (a failed upload that Retry cannot mend is cancelled first). */
  remove(id: string): void;
}

/**
 * One file in the list: name, state, progress bar with percent, bytes, speed, time left, the reason
 * of a failure, and its buttons. Built once, then updated in place so focus never jumps.
 */
export class FileRow {
  readonly element: HTMLLIElement;
  private readonly stateBadge: HTMLSpanElement;
  private readonly stored: HTMLParagraphElement;
  private readonly bar: HTMLProgressElement;
  private readonly percent: HTMLSpanElement;
  private readonly bytes: HTMLSpanElement;
  private readonly speed: HTMLSpanElement;
  private readonly eta: HTMLSpanElement;
  private readonly verified: HTMLSpanElement;
  private readonly reason: HTMLParagraphElement;
  /** What the server's verifier made of the finished upload (set by the page from the ledger). */
  private readonly ledger: HTMLParagraphElement;
  private readonly notice: HTMLParagraphElement;
  private readonly primary: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private job: JobSnapshot;

  constructor(doc: Document, job: JobSnapshot, actions: RowActions) {
    this.job = job;
    const li = el(doc, 'li', 'file');
    li.tabIndex = -1; // focus lands here when the row's buttons go away
    const head = el(doc, 'div', 'file-head');
    const shown = displayName(job.name);
    // <bdi>: a right-to-left name is laid out as such, but cannot reorder the text around it.
    const name = el(doc, 'bdi', 'file-name', shown);
    name.title = shown;
    name.id = `${job.id}-name`;
    this.stateBadge = el(doc, 'span', 'file-state');
    head.append(name, this.stateBadge);
    this.stored = el(doc, 'p', 'file-stored');

    this.bar = el(doc, 'progress', 'file-bar');
    this.bar.max = 1000;
    this.bar.setAttribute('aria-labelledby', name.id);

    const meta = el(doc, 'p', 'file-meta');
    meta.id = `${job.id}-meta`;
    // aria-valuetext does not reach Chromium's accessibility tree (its DevTools protocol shows an empty
    // valuetext for every range widget, checked on version 156), so the bar is also described by the
    // line under it: percent, bytes, speed and time left.
    this.bar.setAttribute('aria-describedby', meta.id);
    this.percent = el(doc, 'span', 'file-percent');
    this.bytes = el(doc, 'span', 'file-bytes');
    this.speed = el(doc, 'span', 'file-speed');
    this.eta = el(doc, 'span', 'file-eta');
    this.verified = el(doc, 'span', 'file-verified');
    meta.append(this.percent, this.bytes, this.speed, this.eta, this.verified);

    this.reason = el(doc, 'p', 'file-reason');
    this.notice = el(doc, 'p', 'file-notice');
    this.ledger = el(doc, 'p', 'file-ledger');
    this.ledger.hidden = true;

    const buttons = el(doc, 'div', 'file-actions');
    this.primary = el(doc, 'button', 'button button-small button-quiet');
    this.primary.type = 'button';
    this.primary.addEventListener('click', () => {
      const action = primaryAction(this.job);
      if (action === 'Pause') actions.pause(this.job.id);
      else if (action === 'Remove') actions.remove(this.job.id);
      else actions.resume(this.job.id);
    });
    this.cancel = el(doc, 'button', 'button button-small button-quiet', 'Cancel');
    this.cancel.type = 'button';
    this.cancel.setAttribute('aria-label', `Cancel ${shown}`);
    this.cancel.addEventListener('click', () => actions.cancel(this.job.id));
    buttons.append(this.primary, this.cancel);

    li.append(head, this.stored, this.bar, meta, this.ledger, this.reason, this.notice, buttons);
    this.element = li;
    this.update(job);
  }

  update(job: JobSnapshot): void {
    this.job = job;
    const { state } = job;
    this.element.dataset.state = state;
    setText(this.stateBadge, stateLabel(state));

    const percent = percentOf(job);
    const fraction = job.size === 0 ? (state === 'done' ? 1 : 0) : job.loaded / job.size;
    const value = String(Math.round(Math.min(1, fraction) * 1000));
    if (this.bar.getAttribute('value') !== value) this.bar.value = Number(value);
    setAttr(this.bar, 'aria-valuetext', `${percent}%`);
    setText(this.percent, `${percent}%`);
    setText(this.bytes, state === 'done' ? formatBytes(job.size) : `${formatBytes(job.loaded)} of ${formatBytes(job.size)}`);

    const moving = state === 'uploading' || state === 'retrying';
    setText(this.speed, moving && job.bytesPerSecond !== undefined ? formatRate(job.bytesPerSecond) : '');
    setText(this.eta, moving ? (job.secondsLeft === undefined ? 'estimating time left' : `${formatDuration(job.secondsLeft)} left`) : '');
    const verified = state === 'done' && job.result?.checksumVerified === true;
    setText(this.verified, verified ? 'CRC32 checksum verified' : '');
    show(this.verified, verified);
    show(this.speed, this.speed.textContent !== '');
    show(this.eta, this.eta.textContent !== '');

    // The key's last segment, when it differs from the name chosen: what the bucket's owner will see.
    const stored = job.key === undefined ? '' : storedName(job.key);
    setText(this.stored, stored !== '' && stored !== job.name ? `Stored as ${stored}` : '');
    show(this.stored, this.stored.textContent !== '');

    let reason = (state === 'failed' || state === 'retrying') && job.error ? job.error.message : '';
    if (state === 'retrying' && job.secondsToRetry !== undefined) {
      reason += job.secondsToRetry > 0.5 ? ` Trying again in ${formatDuration(job.secondsToRetry)}.` : ' Trying again now.';
    }
    setText(this.reason, reason);
    show(this.reason, reason !== '');
    const notice = job.notice ?? '';
    setText(this.notice, notice);
    show(this.notice, notice !== '');

    const action = primaryAction(job);
    setText(this.primary, action ?? '');
    show(this.primary, action !== undefined);
    // The action that moves an upload forward stands out; pausing and removing stay quiet.
    this.primary.classList.toggle('button-quiet', action === 'Pause' || action === 'Remove');
    setAttr(this.primary, 'aria-label', `${action ?? ''} ${displayName(job.name)}`);
    // Cancel is for an upload that may still go on; Remove already ends one that cannot.
    const cancellable = state !== 'done' && state !== 'cancelled' && action !== 'Remove';
    const focused = this.cancel.ownerDocument.activeElement;
    if (!cancellable && focused === this.cancel) this.primary.focus();
    if (action === undefined && focused === this.primary) this.cancel.focus();
    show(this.cancel, cancellable);
  }

  /** The ledger's word on the finished upload: verifying, verified, rejected with why, or awaiting verification. */
  setVerdict(verdict: 'verifying' | 'completed' | 'unanswered' | { rejected: string }): void {
    const text =
      verdict === 'verifying'
        ? 'Being verified by the server'
        : verdict === 'completed'
          ? 'Verified by the server'
          : verdict === 'unanswered'
            ? 'Uploaded, awaiting verification'
            : `Rejected by the server: ${verdict.rejected}`;
    this.ledger.dataset.verdict = typeof verdict === 'string' ? verdict : 'rejected';
    setText(this.ledger, text);
    show(this.ledger, true);
  }

  /** Focuses the row's main button, or Cancel when it has none (used when a neighbouring row goes away). */
  focus(): void {
    if (this.primary.hidden) this.cancel.focus();
    else this.primary.focus();
  }
}

/**
 * The row's main action: Pause while it runs, Resume when paused, Retry after a failure Retry can mend,
 * Remove once it ended (or failed for good); none while it waits in the queue (Cancel takes it out).
 */
export function primaryAction(job: Pick<JobSnapshot, 'state' | 'error'>): 'Pause' | 'Resume' | 'Retry' | 'Remove' | undefined {
  switch (job.state) {
    case 'queued':
      return undefined;
    case 'uploading':
    case 'retrying':
      return 'Pause';
    case 'paused':
      return 'Resume';
    case 'failed':
      return job.error === undefined || retryCanHelp(job.error.kind) ? 'Retry' : 'Remove';
    case 'done':
    case 'cancelled':
      return 'Remove';
  }
}
