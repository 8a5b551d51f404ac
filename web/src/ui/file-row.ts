import type { JobSnapshot } from '../uploader/types';
import { el, setText, show } from './dom';
import { formatBytes, formatDuration, formatRate, percentOf, stateLabel } from './format';

export interface RowActions {
  pause(id: string): void;
  resume(id: string): void;
  cancel(id: string): void;
  remove(id: string): void;
}

/**
 * One file in the list: name, state, progress bar with percent, bytes, speed, time left, the reason
 * of a failure, and its buttons. Built once, then updated in place so focus never jumps.
 */
export class FileRow {
  readonly element: HTMLLIElement;
  private readonly stateBadge: HTMLSpanElement;
  private readonly bar: HTMLProgressElement;
  private readonly percent: HTMLSpanElement;
  private readonly bytes: HTMLSpanElement;
  private readonly speed: HTMLSpanElement;
  private readonly eta: HTMLSpanElement;
  private readonly verified: HTMLSpanElement;
  private readonly reason: HTMLParagraphElement;
  private readonly notice: HTMLParagraphElement;
  private readonly primary: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private job: JobSnapshot;

  constructor(doc: Document, job: JobSnapshot, actions: RowActions) {
    this.job = job;
    const li = el(doc, 'li', 'file');
    li.tabIndex = -1; // focus lands here when the row's buttons go away
    const head = el(doc, 'div', 'file-head');
    const name = el(doc, 'span', 'file-name', job.name);
    name.title = job.name;
    name.id = `${job.id}-name`;
    this.stateBadge = el(doc, 'span', 'file-state');
    head.append(name, this.stateBadge);

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

    const buttons = el(doc, 'div', 'file-actions');
    this.primary = el(doc, 'button', 'button button-small button-quiet');
    this.primary.type = 'button';
    this.primary.addEventListener('click', () => {
      if (this.job.state === 'paused' || this.job.state === 'failed') actions.resume(this.job.id);
      else if (this.job.state === 'done' || this.job.state === 'cancelled') actions.remove(this.job.id);
      else actions.pause(this.job.id);
    });
    this.cancel = el(doc, 'button', 'button button-small button-quiet', 'Cancel');
    this.cancel.type = 'button';
    this.cancel.setAttribute('aria-label', `Cancel ${job.name}`);
    this.cancel.addEventListener('click', () => actions.cancel(this.job.id));
    buttons.append(this.primary, this.cancel);

    li.append(head, this.bar, meta, this.reason, this.notice, buttons);
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
    this.bar.setAttribute('aria-valuetext', `${percent}%`);
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

    const reason = (state === 'failed' || state === 'retrying') && job.error ? job.error.message : '';
    setText(this.reason, reason);
    show(this.reason, reason !== '');
    const notice = job.notice ?? (state === 'done' && job.result && !job.result.checksumVerified ? 'Stored; the server did not report a checksum to verify.' : '');
    setText(this.notice, notice);
    show(this.notice, notice !== '');

    const primaryLabel =
      state === 'paused' ? 'Resume' : state === 'failed' ? 'Retry' : state === 'done' || state === 'cancelled' ? 'Remove' : 'Pause';
    setText(this.primary, primaryLabel);
    // The action that moves an upload forward stands out; pausing and removing stay quiet.
    this.primary.classList.toggle('button-quiet', primaryLabel === 'Pause' || primaryLabel === 'Remove');
    this.primary.setAttribute('aria-label', `${primaryLabel} ${job.name}`);
    const cancellable = state !== 'done' && state !== 'cancelled';
    if (!cancellable && this.cancel.ownerDocument.activeElement === this.cancel) this.primary.focus();
    show(this.cancel, cancellable);
  }

  /** Focuses the row's main button (used when a neighbouring row goes away). */
  focus(): void {
    this.primary.focus();
  }
}
