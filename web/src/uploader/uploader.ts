import { crc32Base64 } from './checksum';
import type { CredentialKeeperOptions } from './credential-keeper';
import { wholeNumber } from './errors';
import { alwaysOnline, systemClock, type Clock, type Network } from './environment';
import { abortSavedUpload } from './abort';
import type { JobContext } from './job-context';
import { sameFingerprint, fingerprintOf, type ResumeRecord, type ResumeStore } from './resume-store';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetrySettings } from './retry';
import type { S3Api } from './s3-api';
import type { BlobLike, FileLike, JobSnapshot, UploaderListener } from './types';
import { UploadJob } from './upload-job';
import type { UploadsApi } from './uploads-api';

/** Everything the engine needs, and every knob with its default. */
export interface UploaderOptions {
  /** The credentials API. */
  readonly api: UploadsApi;
  /** The S3 calls (S3RestClient in the page, a fake in tests). */
  readonly s3: S3Api;
  /** Where unfinished uploads are remembered for resume. */
  readonly store: ResumeStore;
  /** Parts in flight per file, 1 to 16. Default 4. */
  readonly concurrency?: number;
  /** Files uploading at the same time, 1 to 4; the others wait in the queue. Default 1. */
  readonly parallelFiles?: number;
  /** Time and sleeping; a ServerClock lets S3 correct a skewed device clock. Default: the system clock. */
  readonly clock?: Clock & { correct?(serverTimeMs: number): void };
  /** Online state. Default: always online. */
  readonly network?: Network;
  /** Randomness for backoff jitter. Default Math.random. */
  readonly random?: () => number;
  /** Retry limits; unset fields take DEFAULT_RETRY_POLICY's values. */
  readonly retry?: Partial<RetryPolicy>;
  /** Base64 CRC-32 of a blob. Default: the streaming CRC-32 of checksum.ts. */
  readonly checksum?: (blob: BlobLike, signal: AbortSignal) => Promise<string>;
  /** When to renew credentials. Default: under 5 minutes left. */
  readonly credentials?: CredentialKeeperOptions;
}

export interface AddResult {
  /** Ids of the new jobs, in the order given. */
  readonly added: readonly string[];
  /** Files skipped because the same file is already in the list and not finished. */
  readonly duplicates: readonly string[];
}

/**
 * The upload queue: files wait their turn, each file's parts go out in parallel, and the page
 * follows everything through typed events. The engine has no DOM dependency.
 */
export class Uploader {
  private readonly jobs = new Map<string, UploadJob>();
  private readonly queue: UploadJob[] = [];
  private readonly active = new Set<UploadJob>();
  private readonly listeners = new Set<UploaderListener>();
  private readonly ctx: JobContext;
  private readonly parallelFiles: number;
  private idleWaiters: (() => void)[] = [];
  private nextId = 1;

  constructor(options: UploaderOptions) {
    const concurrency = wholeNumber('concurrency', options.concurrency ?? 4, 1, 16);
    const parallelFiles = wholeNumber('parallelFiles', options.parallelFiles ?? 1, 1, 4);
    const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    wholeNumber('retry.maxAttempts', policy.maxAttempts, 1);
    this.parallelFiles = parallelFiles;
    const clock: NonNullable<UploaderOptions['clock']> = options.clock ?? systemClock;
    const network = options.network ?? alwaysOnline;
    const retry: RetrySettings = {
      clock,
      network,
      random: options.random ?? Math.random,
      policy,
      correctClock: clock.correct?.bind(clock),
    };
    // Clean-up after a cancel gives up sooner: the bucket's lifecycle rule removes what it leaves.
    const cleanupRetry: RetrySettings = { ...retry, policy: { ...policy, maxAttempts: Math.min(policy.maxAttempts, 3) } };
    this.ctx = {
      api: options.api,
      s3: options.s3,
      store: options.store,
      clock,
      network,
      concurrency,
      checksum: options.checksum ?? crc32Base64,
      credentialOptions: options.credentials ?? {},
      retry,
      cleanupRetry,
      emit: (event) => {
        for (const listener of this.listeners) listener(event);
      },
    };
  }

  /** Listens to every event; returns the function that stops listening. */
  subscribe(listener: UploaderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues files. A file that is already in the list and not finished is skipped. */
  add(files: Iterable<FileLike>): AddResult {
    const added: string[] = [];
    const duplicates: string[] = [];
    for (const file of files) {
      const fingerprint = fingerprintOf(file);
      const existing = [...this.jobs.values()].find(
        (job) => !isFinished(job.currentState) && sameFingerprint(fingerprintOf(job.file), fingerprint),
      );
      if (existing) {
        duplicates.push(file.name);
        continue;
      }
      const job = new UploadJob(`upload-${this.nextId++}`, file, this.ctx);
      this.jobs.set(job.id, job);
      this.queue.push(job);
      added.push(job.id);
      this.ctx.emit({ type: 'added', job: job.snapshot() });
    }
    this.pump();
    return { added, duplicates };
  }

  snapshot(id: string): JobSnapshot | undefined {
    return this.jobs.get(id)?.snapshot();
  }

  snapshots(): JobSnapshot[] {
    return [...this.jobs.values()].map((job) => job.snapshot());
  }

  /** Pauses a queued or running upload; parts S3 already holds are kept. */
  async pause(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) return;
    this.removeFromQueue(job);
    await job.pause();
  }

  /** Continues a paused or failed upload (it goes to the front of the queue). */
  resume(id: string): void {
    const job = this.jobs.get(id);
    // A job whose run has ended but not yet left `active` waits for that, not for a second slot.
    if (!job || this.active.has(job) || !job.requeue()) return;
    this.queue.unshift(job);
    this.pump();
  }

  /** Stops an upload for good: aborts the multipart upload on S3 and forgets its resume state. */
  async cancel(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job || isFinished(job.currentState)) return;
    this.removeFromQueue(job);
    await job.cancel();
  }

  /** Takes a finished (done or cancelled) job off the list. */
  remove(id: string): void {
    const job = this.jobs.get(id);
    if (!job || !isFinished(job.currentState)) return;
    this.jobs.delete(id);
    this.ctx.emit({ type: 'removed', job: job.snapshot() });
  }

  /** Unfinished uploads saved by earlier visits that no file in the list is continuing. */
  savedUploads(): ResumeRecord[] {
    const open = [...this.jobs.values()].filter((job) => !isFinished(job.currentState));
    return this.ctx.store
      .list()
      .filter((record) => !open.some((job) => sameFingerprint(fingerprintOf(job.file), record.fingerprint)));
  }

  /** Aborts a saved upload on S3 (its file need not be chosen again) and forgets it. */
  async discardSaved(record: ResumeRecord): Promise<void> {
    try {
      await abortSavedUpload(this.ctx, record, new AbortController().signal);
    } finally {
      this.ctx.store.forget(record.fingerprint);
    }
  }

  /** True while any upload is queued or running. */
  get busy(): boolean {
    return this.active.size > 0 || this.queue.length > 0;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active.size < this.parallelFiles && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active.add(job);
      void job.run().finally(() => {
        this.active.delete(job);
        this.pump();
      });
    }
    if (!this.busy) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private removeFromQueue(job: UploadJob): void {
    const index = this.queue.indexOf(job);
    if (index >= 0) this.queue.splice(index, 1);
  }
}

function isFinished(state: string): boolean {
  return state === 'done' || state === 'cancelled';
}
