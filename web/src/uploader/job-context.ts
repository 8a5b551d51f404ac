import type { BlobLike, UploaderEvent } from './types';
import type { CredentialKeeperOptions } from './credential-keeper';
import type { Clock, Network } from './environment';
import type { ResumeStore } from './resume-store';
import type { RetrySettings } from './retry';
import type { S3Api } from './s3-api';
import type { UploadsApi } from './uploads-api';

/** What every job of an Uploader shares: its services and its options, resolved once. */
export interface JobContext {
  readonly api: UploadsApi;
  readonly s3: S3Api;
  readonly store: ResumeStore;
  readonly clock: Clock;
  readonly network: Network;
  /** Parts in flight per file. */
  readonly concurrency: number;
  readonly checksum: (blob: BlobLike, signal: AbortSignal) => Promise<string>;
  readonly credentialOptions: CredentialKeeperOptions;
  /** How an upload's requests are retried. */
  readonly retry: RetrySettings;
  /** How requests that clean up after a cancel are retried: fewer attempts. */
  readonly cleanupRetry: RetrySettings;
  readonly emit: (event: UploaderEvent) => void;
}
