import { abortUploadOf } from './abort';
import { ChecksumsAhead } from './checksums-ahead';
import { completeUpload } from './completion';
import { describe, throwIfAborted } from './errors';
import type { JobContext } from './job-context';
import { putWholeFile, sendMissingParts } from './parts';
import { Requests } from './requests';
import { fingerprintOf } from './resume-store';
import type { RetryInfo } from './retry';
import { openSession, type Session } from './session';
import { secondsLeft, SpeedMeter } from './speed';
import type { ErrorInfo, FileLike, JobSnapshot, JobState, UploadResult } from './types';

/**
 * One file's upload: the state machine the Uploader drives, and the only writer of the job's state.
 * The steps it runs (session, parts, completion, abort) report what happened; this class decides what
 * the job shows. Not used directly by the page.
 */
export class UploadJob {
  private state: JobState = 'queued';
  /** Why the job failed or is retrying: a plain copy, never the Error with its cause. */
  private error: ErrorInfo | undefined;
  private notice: string | undefined;
  private key: string | undefined;
  private result: UploadResult | undefined;
  private session: Session | undefined;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private stopping: 'pause' | 'cancel' | undefined;
  /** When the next attempt of a retried request starts, by the engine's clock. */
  private retryAt: number | undefined;
  /** Bytes S3 holds, and bytes of parts on the wire by part number. */
  private confirmedBytes = 0;
  private readonly inflight = new Map<number, number>();
  private readonly meter = new SpeedMeter();
  private readonly requests: Requests;

  constructor(
    readonly id: string,
    readonly file: FileLike,
    private readonly ctx: JobContext,
  ) {
    this.requests = new Requests(ctx, ctx.retry, {
      retrying: (info) => this.retrying(info),
      recovered: () => this.recovered(),
    });
  }

  get currentState(): JobState {
    return this.state;
  }

  snapshot(): JobSnapshot {
    const loaded = this.loaded();
    const moving = this.state === 'uploading' || this.state === 'retrying';
    const now = this.ctx.clock.now();
    const rate = moving ? this.meter.bytesPerSecond(now) : undefined;
    return {
      id: this.id,
      name: this.file.name,
      size: this.file.size,
      state: this.state,
      loaded,
      bytesPerSecond: rate,
      secondsLeft: moving ? secondsLeft(this.file.size - loaded, rate) : undefined,
      secondsToRetry: this.state === 'retrying' && this.retryAt !== undefined ? (this.retryAt - now) / 1000 : undefined,
      error: this.error,
      notice: this.notice,
      key: this.key,
      result: this.result,
    };
  }

  /** Uploads until done, failed or stopped. The Uploader calls it when the job gets a slot. */
  run(): Promise<void> {
    this.running = this.upload();
    return this.running;
  }

  /** A queued job waits no more; a running one stops, keeping everything S3 holds for later. */
  async pause(): Promise<void> {
    if (this.state === 'queued') this.setState('paused');
    else await this.stop('pause');
  }

  /** A paused or failed job goes back in the queue; false when it is in neither state. */
  requeue(): boolean {
    if (this.state !== 'paused' && this.state !== 'failed') return false;
    this.setState('queued');
    return true;
  }

  /** Stops for good: AbortMultipartUpload (this run's or a saved one for the same file), then forget. */
  async cancel(): Promise<void> {
    await this.stop('cancel');
    this.setState('cancelled');
    try {
      await abortUploadOf(this.ctx, this.file, this.session, new AbortController().signal);
    } catch (error) {
      this.notice =
        `The partial upload could not be removed from S3 (${describe(error).message}). ` +
        `The bucket's lifecycle rule removes it after a few days.`;
    } finally {
      this.forgetSession();
      this.emit('state');
    }
  }

  /** Aborts the run in progress, if any, and waits until it has stopped. */
  private async stop(reason: 'pause' | 'cancel'): Promise<void> {
    if (!this.controller) return;
    this.stopping = reason;
    this.controller.abort(new DOMException(`Upload ${reason}d`, 'AbortError'));
    await this.running;
  }

  private async upload(): Promise<void> {
    const controller = new AbortController();
    const signal = controller.signal;
    this.controller = controller;
    this.stopping = undefined;
    this.error = undefined;
    this.meter.reset();
    this.setState('uploading');
    const { ctx, requests, file } = this;
    const checksums = new ChecksumsAhead(ctx.checksum, file, signal);
    try {
      if (!this.session) {
        // A new upload (nothing saved to resume): the first parts' checksums while the API and S3 answer.
        if (!ctx.store.find(fingerprintOf(file))) checksums.prefetchFirstParts(ctx.concurrency);
        const session = await openSession(ctx, requests, file, this.sessionReport, signal);
        this.session = session;
        if (session.resumed) {
          for (const part of session.parts.values()) this.confirmedBytes += part.size;
          ctx.emit({ type: 'resumed', job: this.snapshot(), partsAlreadyUploaded: session.parts.size, bytesAlreadyUploaded: this.confirmedBytes });
        }
        throwIfAborted(signal);
      }
      const session = this.session;
      const { uploadId } = session;
      if (uploadId === undefined) {
        this.result = await putWholeFile(ctx, requests, file, session, this.partProgress, signal, checksums);
      } else {
        await sendMissingParts(ctx, requests, file, session, uploadId, this.partProgress, signal, checksums);
        this.result = await completeUpload(ctx, requests, file, session, uploadId, signal);
      }
      this.setState('done');
    } catch (error) {
      // Bytes of parts cut off mid-way are not kept; the row must not show them as sent.
      this.inflight.clear();
      if (signal.aborted && this.stopping !== undefined) {
        if (this.stopping === 'pause') this.setState('paused');
      } else {
        this.fail(error);
      }
    } finally {
      this.controller = undefined;
    }
  }

  private readonly sessionReport = {
    key: (key: string): void => {
      this.key = key;
    },
    notice: (text: string): void => {
      this.notice = text;
    },
  };

  private readonly partProgress = {
    sending: (partNumber: number, sent: number): void => {
      this.inflight.set(partNumber, sent);
      this.emitProgress();
    },
    stored: (partNumber: number, bytes: number): void => {
      this.inflight.delete(partNumber);
      this.confirmedBytes += bytes;
      this.emitProgress();
    },
  };

  private fail(error: unknown): void {
    const { kind, message } = describe(error, this.ctx.network.isOnline());
    this.error = { kind, message };
    // The multipart upload is gone on S3: a retry must start from scratch.
    if (kind === 'upload-gone') this.forgetSession();
    this.setState('failed');
  }

  private forgetSession(): void {
    this.ctx.store.forget(fingerprintOf(this.file));
    this.session = undefined;
    this.confirmedBytes = 0;
  }

  private retrying(info: RetryInfo): void {
    const { kind, message } = info.reason;
    this.error = { kind, message };
    // A wait for the network (no delay) has no time to announce.
    this.retryAt = info.delayMs > 0 ? this.ctx.clock.now() + info.delayMs : undefined;
    if (this.state === 'uploading') this.setState('retrying');
    this.ctx.emit({ type: 'retry', job: this.snapshot(), attempt: info.attempt, delayMs: info.delayMs, reason: info.reason });
  }

  private recovered(): void {
    if (this.state !== 'retrying') return;
    this.error = undefined;
    this.setState('uploading');
  }

  private setState(state: JobState): void {
    if (state === 'queued' || state === 'paused') this.error = undefined;
    this.state = state;
    this.emit('state');
  }

  private emit(type: 'state' | 'progress'): void {
    this.ctx.emit({ type, job: this.snapshot() });
  }

  private emitProgress(): void {
    this.meter.record(this.ctx.clock.now(), this.loaded());
    this.emit('progress');
  }

  private loaded(): number {
    let loaded = this.confirmedBytes;
    for (const sent of this.inflight.values()) loaded += sent;
    return Math.min(loaded, this.file.size);
  }
}
