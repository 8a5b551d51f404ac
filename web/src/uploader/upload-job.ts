import { compositeCrc32 } from './checksum';
import { CredentialKeeper, type CredentialKeeperOptions } from './credential-keeper';
import type { Clock, Network } from './environment';
import { ApiError, describe, missingETagError, NetworkError, S3Error, throwIfAborted, UploadError } from './errors';
import { isValidPartSize, partRange, planUpload, type PartPlan } from './part-plan';
import { runPool } from './pool';
import { fingerprintOf, type ResumeRecord, type ResumeStore } from './resume-store';
import { withRetry, type RetryContext, type RetryInfo, type RetryPolicy } from './retry';
import type { CompletedPart, CompleteMultipartUploadOutput, ListedPart, S3Api } from './s3-api';
import { secondsLeft, SpeedMeter } from './speed';
import type {
  BlobLike,
  Credentials,
  FileLike,
  JobSnapshot,
  JobState,
  S3Target,
  UploaderEvent,
  UploadGrant,
  UploadResult,
} from './types';
import type { UploadsApi } from './uploads-api';

/** What every job shares: the services and the resolved options of its Uploader. */
export interface JobContext {
  readonly api: UploadsApi;
  readonly s3: S3Api;
  readonly store: ResumeStore;
  readonly clock: Clock & { correct?(serverTimeMs: number): void };
  readonly network: Network;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  readonly concurrency: number;
  readonly checksum: (blob: BlobLike, signal: AbortSignal) => Promise<string>;
  readonly credentialOptions: CredentialKeeperOptions;
  readonly emit: (event: UploaderEvent) => void;
}

/** A part S3 holds. The checksum is unknown only for parts listed by a server that does not report it. */
interface DonePart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  checksumCRC32: string | undefined;
}

/** Where an upload stands on S3. Kept across pause and retry, so finished parts are never sent twice. */
interface Session {
  readonly target: S3Target;
  readonly plan: PartPlan;
  readonly keeper: CredentialKeeper;
  /** Absent when the file goes in one PutObject. */
  readonly uploadId: string | undefined;
  readonly parts: Map<number, DonePart>;
}

/** What an operation is, for retry bookkeeping: a part number, or the name of a one-off request. */
type OperationLabel = number | 'start' | 'refresh' | 'create' | 'list' | 'complete' | 'abort';

const MAX_LIST_PAGES = 11; // 10,000 parts at 1,000 a page, plus one for luck

/** One file's upload: the state machine the Uploader drives. Not used directly by the page. */
export class UploadJob {
  private state: JobState = 'queued';
  private error: UploadError | undefined;
  private notice: string | undefined;
  private key: string | undefined;
  private result: UploadResult | undefined;
  private session: Session | undefined;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private stopping: 'pause' | 'cancel' | undefined;
  private confirmedBytes = 0;
  private readonly inflight = new Map<number, number>();
  private readonly retrying = new Set<OperationLabel>();
  private readonly meter = new SpeedMeter();

  constructor(
    readonly id: string,
    readonly file: FileLike,
    private readonly ctx: JobContext,
  ) {}

  get currentState(): JobState {
    return this.state;
  }

  snapshot(): JobSnapshot {
    const loaded = this.loaded();
    const moving = this.state === 'uploading' || this.state === 'retrying';
    const rate = moving ? this.meter.bytesPerSecond(this.ctx.clock.now()) : undefined;
    return {
      id: this.id,
      name: this.file.name,
      size: this.file.size,
      state: this.state,
      loaded,
      bytesPerSecond: rate,
      secondsLeft: moving ? secondsLeft(this.file.size - loaded, rate) : undefined,
      error: this.error ? { kind: this.error.kind, message: this.error.message } : undefined,
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

  /** Stops a running upload: `pause` keeps everything for later, `cancel` leaves clean-up to cancel(). */
  async stop(reason: 'pause' | 'cancel'): Promise<void> {
    this.stopping = reason;
    this.controller?.abort(new DOMException(`Upload ${reason}d`, 'AbortError'));
    await this.running;
  }

  /** Moves to `state` and tells the listeners. */
  setState(state: JobState): void {
    if (state === 'queued' || state === 'paused') this.error = undefined;
    this.state = state;
    this.ctx.emit({ type: 'state', job: this.snapshot() });
  }

  /** After a cancel: AbortMultipartUpload (this run's or a saved one for the same file), then forget. */
  async discardRemote(): Promise<void> {
    const signal = new AbortController().signal;
    const fingerprint = fingerprintOf(this.file);
    try {
      const session = this.session;
      if (session?.uploadId !== undefined) {
        await abortMultipartUpload(this.ctx, session.keeper, session.target, session.uploadId, signal);
      } else {
        const saved = this.ctx.store.find(fingerprint);
        if (saved) await abortSavedUpload(this.ctx, saved, signal);
      }
    } catch (error) {
      this.notice =
        `The partial upload could not be removed from S3 (${describe(error).message}). ` +
        `The bucket's lifecycle rule removes it after a few days.`;
    } finally {
      this.ctx.store.forget(fingerprint);
      this.session = undefined;
      this.confirmedBytes = 0;
      this.ctx.emit({ type: 'state', job: this.snapshot() });
    }
  }

  private async upload(): Promise<void> {
    const controller = new AbortController();
    const signal = controller.signal;
    this.controller = controller;
    this.stopping = undefined;
    this.error = undefined;
    this.meter.reset();
    this.setState('uploading');
    try {
      this.session ??= await this.openSession(signal);
      const { uploadId } = this.session;
      if (uploadId === undefined) {
        await this.putWhole(this.session, signal);
      } else {
        await this.sendMissingParts(this.session, uploadId, signal);
        await this.complete(this.session, uploadId, signal);
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
      this.retrying.clear();
    }
  }

  private fail(error: unknown): void {
    this.error = describe(error, this.ctx.network.isOnline());
    if (this.error.kind === 'upload-gone') {
      // The multipart upload is gone on S3: a retry must start from scratch.
      this.ctx.store.forget(fingerprintOf(this.file));
      this.session = undefined;
      this.confirmedBytes = 0;
    }
    this.setState('failed');
  }

  private async openSession(signal: AbortSignal): Promise<Session> {
    planUpload(this.file.size); // fails early, before any request, above S3's object size limit
    const fingerprint = fingerprintOf(this.file);
    const saved = this.ctx.store.find(fingerprint);
    if (saved) {
      const resumed = await this.resumeSaved(saved, signal);
      if (resumed) return resumed;
      this.ctx.store.forget(fingerprint);
      this.notice = 'The earlier, unfinished upload of this file had expired, so it starts again from the beginning.';
    }

    const request = { fileName: this.file.name, size: this.file.size, ...(this.file.type ? { contentType: this.file.type } : {}) };
    const grant = await this.retry('start', signal, () => this.ctx.api.start(request, signal));
    throwIfAborted(signal);
    const plan = planUpload(this.file.size, grant.partSize);
    const keeper = this.keeperFor(grant);
    const target: S3Target = { bucket: grant.bucket, region: grant.region, key: grant.key };
    this.key = grant.key;
    if (plan.singleRequest) return { target, plan, keeper, uploadId: undefined, parts: new Map() };

    const { uploadId } = await this.s3Call('create', keeper, signal, (credentials) =>
      this.ctx.s3.createMultipartUpload({ target, credentials, signal, contentType: this.contentType() }),
    );
    // Saved before the abort check: a pause arriving now must not orphan the new multipart upload.
    const record: ResumeRecord = {
      version: 1,
      key: grant.key,
      bucket: grant.bucket,
      region: grant.region,
      uploadId,
      partSize: plan.partSize,
      fingerprint,
      createdAt: this.ctx.clock.now(),
    };
    if (!this.ctx.store.save(record)) {
      this.notice = 'This browser would not save resume information (storage full or disabled): after a reload, this file starts again.';
    }
    this.session = { target, plan, keeper, uploadId, parts: new Map() };
    throwIfAborted(signal);
    return this.session;
  }

  /** Continues a saved multipart upload: new credentials for its key, then every page of ListParts. */
  private async resumeSaved(saved: ResumeRecord, signal: AbortSignal): Promise<Session | undefined> {
    let grant: UploadGrant;
    try {
      grant = await this.retry('refresh', signal, () => this.ctx.api.refresh(saved.key, signal));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return undefined;
      throw error;
    }
    throwIfAborted(signal);
    if (grant.bucket !== saved.bucket || !isValidPartSize(this.file.size, saved.partSize)) return undefined;
    const plan = planUpload(this.file.size, saved.partSize);
    if (plan.singleRequest) return undefined;
    const keeper = this.keeperFor(grant);
    const target: S3Target = { bucket: saved.bucket, region: grant.region, key: saved.key };

    let listed: ListedPart[];
    try {
      listed = await this.listAllParts(keeper, target, saved.uploadId, signal);
    } catch (error) {
      if (error instanceof S3Error && error.code === 'NoSuchUpload') return undefined;
      throw error;
    }
    const parts = new Map<number, DonePart>();
    for (const part of listed) {
      if (part.partNumber < 1 || part.partNumber > plan.partCount) continue;
      const { start, end } = partRange(plan, part.partNumber);
      // A part of another size than the plan's cannot be used; it is sent again.
      if (part.size !== end - start) continue;
      parts.set(part.partNumber, { ...part, checksumCRC32: part.checksumCRC32 });
    }
    this.key = saved.key;
    this.confirmedBytes = [...parts.values()].reduce((sum, part) => sum + part.size, 0);
    this.ctx.emit({
      type: 'resumed',
      job: this.snapshot(),
      partsAlreadyUploaded: parts.size,
      bytesAlreadyUploaded: this.confirmedBytes,
    });
    return { target, plan, keeper, uploadId: saved.uploadId, parts };
  }

  private async listAllParts(
    keeper: CredentialKeeper,
    target: S3Target,
    uploadId: string,
    signal: AbortSignal,
  ): Promise<ListedPart[]> {
    const all: ListedPart[] = [];
    let marker: number | undefined;
    for (let page = 1; ; page++) {
      const partNumberMarker = marker;
      const answer = await this.s3Call('list', keeper, signal, (credentials) =>
        this.ctx.s3.listParts({
          target,
          credentials,
          signal,
          uploadId,
          ...(partNumberMarker === undefined ? {} : { partNumberMarker }),
        }),
      );
      throwIfAborted(signal);
      all.push(...answer.parts);
      if (!answer.isTruncated) return all;
      const next = answer.nextPartNumberMarker;
      if (next === undefined || (marker !== undefined && next <= marker) || page >= MAX_LIST_PAGES) {
        throw new UploadError('server', 'S3 said more parts follow, but gave no usable NextPartNumberMarker.');
      }
      marker = next;
    }
  }

  private async sendMissingParts(session: Session, uploadId: string, signal: AbortSignal): Promise<void> {
    const { plan, parts } = session;
    function* missing(): Generator<number> {
      for (let partNumber = 1; partNumber <= plan.partCount; partNumber++) {
        if (!parts.has(partNumber)) yield partNumber;
      }
    }
    const workers = Math.min(this.ctx.concurrency, plan.partCount - parts.size);
    if (workers === 0) return;
    await runPool(missing(), workers, (partNumber, workerSignal) => this.sendPart(session, uploadId, partNumber, workerSignal), signal);
  }

  private async sendPart(session: Session, uploadId: string, partNumber: number, signal: AbortSignal): Promise<void> {
    const { start, end } = partRange(session.plan, partNumber);
    // Sliced only now, when a worker is free to send it: memory stays near concurrency x part size.
    const body = this.file.slice(start, end);
    const checksumCRC32 = await this.ctx.checksum(body, signal);
    throwIfAborted(signal);
    const answer = await this.s3Call(partNumber, session.keeper, signal, (credentials) =>
      this.ctx.s3.uploadPart({
        target: session.target,
        credentials,
        signal,
        uploadId,
        partNumber,
        body,
        checksumCRC32,
        onProgress: (sent) => this.progress(partNumber, Math.min(sent, end - start)),
      }),
    );
    // No abort check before recording: a part S3 has accepted must not be forgotten.
    if (!answer.etag) throw missingETagError(partNumber);
    if (answer.checksumCRC32 !== undefined && answer.checksumCRC32 !== checksumCRC32) {
      throw new UploadError(
        'integrity',
        `S3 stored part ${partNumber} with CRC32 ${answer.checksumCRC32}, but this page computed ${checksumCRC32}.`,
      );
    }
    session.parts.set(partNumber, { partNumber, etag: answer.etag, size: end - start, checksumCRC32 });
    this.inflight.delete(partNumber);
    this.confirmedBytes += end - start;
    this.emitProgress();
  }

  private async putWhole(session: Session, signal: AbortSignal): Promise<void> {
    const body = this.file.slice(0, this.file.size);
    const checksumCRC32 = await this.ctx.checksum(body, signal);
    throwIfAborted(signal);
    const answer = await this.s3Call(1, session.keeper, signal, (credentials) =>
      this.ctx.s3.putObject({
        target: session.target,
        credentials,
        signal,
        body,
        contentType: this.contentType(),
        checksumCRC32,
        onProgress: (sent) => this.progress(1, Math.min(sent, this.file.size)),
      }),
    );
    if (!answer.etag) throw missingETagError(undefined);
    if (answer.checksumCRC32 !== undefined && answer.checksumCRC32 !== checksumCRC32) {
      throw new UploadError('integrity', `S3 stored the file with CRC32 ${answer.checksumCRC32}, but this page computed ${checksumCRC32}.`);
    }
    this.inflight.clear();
    this.confirmedBytes = this.file.size;
    this.result = {
      key: session.target.key,
      etag: answer.etag,
      checksumCRC32: answer.checksumCRC32 ?? checksumCRC32,
      checksumVerified: answer.checksumCRC32 !== undefined,
    };
    this.emitProgress();
  }

  private async complete(session: Session, uploadId: string, signal: AbortSignal): Promise<void> {
    const parts: CompletedPart[] = [];
    for (let partNumber = 1; partNumber <= session.plan.partCount; partNumber++) {
      const part = session.parts.get(partNumber);
      if (!part) throw new Error(`Part ${partNumber} is missing at completion`);
      if (part.checksumCRC32 === undefined) {
        // Listed by a server that does not report part checksums: compute it from the same bytes.
        const { start, end } = partRange(session.plan, partNumber);
        part.checksumCRC32 = await this.ctx.checksum(this.file.slice(start, end), signal);
        throwIfAborted(signal);
      }
      parts.push({ partNumber, etag: part.etag, checksumCRC32: part.checksumCRC32 });
    }
    const expected = compositeCrc32(parts.map((part) => part.checksumCRC32));

    let answerLost = false;
    let answer: CompleteMultipartUploadOutput;
    try {
      answer = await this.s3Call('complete', session.keeper, signal, async (credentials) => {
        try {
          return await this.ctx.s3.completeMultipartUpload({ target: session.target, credentials, signal, uploadId, parts });
        } catch (error) {
          if (error instanceof NetworkError) answerLost = true;
          throw error;
        }
      });
    } catch (error) {
      if (answerLost && error instanceof S3Error && error.code === 'NoSuchUpload') {
        throw new UploadError(
          'upload-gone',
          `The request that completes the upload got no answer, and S3 no longer knows the upload: it most likely ` +
            `completed, but this page has no read access to check. Ask the bucket's owner about ${session.target.key}.`,
          { cause: error },
        );
      }
      throw error;
    }
    verifyCompletion(answer, expected, parts.length);
    this.ctx.store.forget(fingerprintOf(this.file));
    this.result = {
      key: session.target.key,
      etag: answer.etag,
      checksumCRC32: answer.checksumCRC32 ?? expected,
      checksumVerified: answer.checksumCRC32 !== undefined,
    };
  }

  private keeperFor(grant: UploadGrant): CredentialKeeper {
    return new CredentialKeeper(
      grant,
      (signal) => this.retry('refresh', signal, () => this.ctx.api.refresh(grant.key, signal)),
      this.ctx.clock,
      this.ctx.credentialOptions,
    );
  }

  /** One S3 request with retries, fresh credentials for every attempt, and renewal on expiry errors. */
  private s3Call<T>(
    label: OperationLabel,
    keeper: CredentialKeeper,
    signal: AbortSignal,
    call: (credentials: Credentials) => Promise<T>,
  ): Promise<T> {
    let used: Credentials | undefined;
    return this.retry(
      label,
      signal,
      async () => {
        const credentials = await keeper.credentials(signal);
        throwIfAborted(signal);
        used = credentials;
        try {
          return await call(credentials);
        } catch (error) {
          if (typeof label === 'number') this.progress(label, 0);
          throw error;
        }
      },
      { refreshCredentials: () => (used ? keeper.expired(used, signal) : Promise.resolve()) },
    );
  }

  private async retry<T>(
    label: OperationLabel,
    signal: AbortSignal,
    operation: () => Promise<T>,
    extra: Pick<RetryContext, 'refreshCredentials'> = {},
  ): Promise<T> {
    const { clock } = this.ctx;
    try {
      const result = await withRetry(operation, {
        signal,
        clock,
        network: this.ctx.network,
        random: this.ctx.random,
        policy: this.ctx.policy,
        ...(clock.correct ? { correctClock: (serverTime: number) => clock.correct?.(serverTime) } : {}),
        onRetry: (info) => this.retryStarted(label, info),
        ...extra,
      });
      this.retryEnded(label);
      return result;
    } catch (error) {
      this.retrying.delete(label);
      throw error;
    }
  }

  private retryStarted(label: OperationLabel, info: RetryInfo): void {
    this.retrying.add(label);
    this.error = new UploadError(info.reason.kind, info.reason.message);
    if (this.state === 'uploading') this.setState('retrying');
    this.ctx.emit({ type: 'retry', job: this.snapshot(), attempt: info.attempt, delayMs: info.delayMs, reason: info.reason });
  }

  private retryEnded(label: OperationLabel): void {
    if (!this.retrying.delete(label) || this.retrying.size > 0) return;
    if (this.state === 'retrying') {
      this.error = undefined;
      this.setState('uploading');
    }
  }

  private progress(partNumber: number, sent: number): void {
    this.inflight.set(partNumber, sent);
    this.emitProgress();
  }

  private emitProgress(): void {
    this.meter.record(this.ctx.clock.now(), this.loaded());
    this.ctx.emit({ type: 'progress', job: this.snapshot() });
  }

  private loaded(): number {
    let loaded = this.confirmedBytes;
    for (const sent of this.inflight.values()) loaded += sent;
    return Math.min(loaded, this.file.size);
  }

  private contentType(): string {
    return this.file.type || 'application/octet-stream';
  }
}

/** Checks CompleteMultipartUpload's answer against the part list that was sent. */
export function verifyCompletion(answer: CompleteMultipartUploadOutput, expected: string, partCount: number): void {
  if (answer.checksumCRC32 !== undefined) {
    const [value, suffix] = answer.checksumCRC32.split('-');
    const [expectedValue] = expected.split('-');
    if (value !== expectedValue || (suffix !== undefined && Number(suffix) !== partCount)) {
      throw new UploadError(
        'integrity',
        `S3 completed the object with CRC32 ${answer.checksumCRC32}, but the ${partCount} parts sent give ${expected}: the stored object may be damaged.`,
      );
    }
  }
  const parts = answer.etag === undefined ? undefined : /-(\d+)"?$/.exec(answer.etag)?.[1];
  if (parts !== undefined && Number(parts) !== partCount) {
    throw new UploadError('integrity', `S3 completed the object from ${parts} parts, but ${partCount} were sent.`);
  }
}

async function abortMultipartUpload(
  ctx: JobContext,
  keeper: CredentialKeeper,
  target: S3Target,
  uploadId: string,
  signal: AbortSignal,
): Promise<void> {
  let used: Credentials | undefined;
  try {
    await withRetry(
      async () => {
        used = await keeper.credentials(signal);
        await ctx.s3.abortMultipartUpload({ target, credentials: used, signal, uploadId });
      },
      {
        signal,
        clock: ctx.clock,
        network: ctx.network,
        random: ctx.random,
        policy: { ...ctx.policy, maxAttempts: Math.min(ctx.policy.maxAttempts, 3) },
        refreshCredentials: () => (used ? keeper.expired(used, signal) : Promise.resolve()),
      },
    );
  } catch (error) {
    // Already gone (completed elsewhere, or removed by the lifecycle rule): nothing left to abort.
    if (error instanceof S3Error && error.code === 'NoSuchUpload') return;
    throw error;
  }
}

/** Aborts a saved multipart upload of an earlier page session: credentials for its key first. */
export async function abortSavedUpload(ctx: JobContext, saved: ResumeRecord, signal: AbortSignal): Promise<void> {
  const retryContext = { signal, clock: ctx.clock, network: ctx.network, random: ctx.random, policy: { ...ctx.policy, maxAttempts: 3 } };
  let grant: UploadGrant;
  try {
    grant = await withRetry(() => ctx.api.refresh(saved.key, signal), retryContext);
  } catch (error) {
    // The API no longer knows the key: nothing this user can abort.
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return;
    throw error;
  }
  const keeper = new CredentialKeeper(
    grant,
    (renewSignal) => withRetry(() => ctx.api.refresh(saved.key, renewSignal), { ...retryContext, signal: renewSignal }),
    ctx.clock,
    ctx.credentialOptions,
  );
  await abortMultipartUpload(ctx, keeper, { bucket: saved.bucket, region: grant.region, key: saved.key }, saved.uploadId, signal);
}
