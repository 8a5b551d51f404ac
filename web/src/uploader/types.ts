/** A readable, sliceable run of bytes: the part of the DOM `Blob` the engine uses. */
export interface BlobLike {
  readonly size: number;
  slice(start: number, end: number): BlobLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A file the user chose: its bytes plus what is needed to recognise it after a reload. */
export interface FileLike extends BlobLike {
  readonly name: string;
  readonly lastModified: number;
  /** MIME type; empty when the browser does not know it. */
  readonly type: string;
}

/** What identifies "the same file chosen again" for resume. */
export interface FileFingerprint {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

/** Short-lived STS credentials, limited to one object key. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Expiry as milliseconds since the epoch. */
  readonly expiration: number;
}

/** The API's answer to "start" or "refresh": where to write, and the credentials to write with. */
export interface UploadGrant {
  readonly bucket: string;
  readonly region: string;
  readonly key: string;
  /** The server's part size; absent on refresh. */
  readonly partSize?: number;
  readonly credentials: Credentials;
}

/** The object an upload writes. */
export interface S3Target {
  readonly bucket: string;
  readonly region: string;
  readonly key: string;
}

export type JobState = 'queued' | 'uploading' | 'retrying' | 'paused' | 'done' | 'failed' | 'cancelled';

/** A user-facing error: what kind it is (so the UI can offer the right action) and a sentence. */
export interface ErrorInfo {
  readonly kind: ErrorKind;
  readonly message: string;
}

export type ErrorKind =
  | 'signed-out'
  | 'forbidden'
  | 'too-large'
  | 'bad-request'
  | 'not-found'
  | 'offline'
  | 'network'
  | 'server'
  | 'cors'
  | 'integrity'
  /** The file chosen to continue an upload is not the one it started with. */
  | 'file-changed'
  | 'upload-gone'
  | 'file-unreadable'
  | 'unknown';

/** An immutable view of one file's upload, handed to listeners. */
export interface JobSnapshot {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly state: JobState;
  /** Bytes S3 has confirmed plus bytes of parts on the wire. */
  readonly loaded: number;
  /** Recent throughput; undefined until there is enough data. */
  readonly bytesPerSecond: number | undefined;
  /** Time left at the recent throughput; undefined when unknown. */
  readonly secondsLeft: number | undefined;
  /** While retrying: seconds until the next attempt (0 or less: under way); undefined while waiting for the network. */
  readonly secondsToRetry: number | undefined;
  /** Why the job failed (state `failed`) or why it is retrying (state `retrying`). */
  readonly error: ErrorInfo | undefined;
  /** Something the user should know that is not a failure. */
  readonly notice: string | undefined;
  /** The object key, once the API has chosen it. */
  readonly key: string | undefined;
  /** What S3 answered when the upload completed. */
  readonly result: UploadResult | undefined;
}

export interface UploadResult {
  readonly key: string;
  readonly etag: string | undefined;
  /** The object's CRC32 as S3 reports it (multipart: the composite checksum with its `-N` suffix). */
  readonly checksumCRC32: string;
  /** True when S3's answer carried the checksum and it matched the one computed here. */
  readonly checksumVerified: boolean;
}

/** What the engine tells its listeners. Every event carries the job's fresh snapshot. */
export type UploaderEvent =
  | { readonly type: 'added'; readonly job: JobSnapshot }
  | { readonly type: 'state'; readonly job: JobSnapshot }
  | { readonly type: 'progress'; readonly job: JobSnapshot }
  /** A finished job was taken off the list. */
  | { readonly type: 'removed'; readonly job: JobSnapshot }
  | {
      readonly type: 'retry';
      readonly job: JobSnapshot;
      /** 1 for the first retry of the request that failed. */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: ErrorInfo;
    }
  | {
      readonly type: 'resumed';
      readonly job: JobSnapshot;
      readonly partsAlreadyUploaded: number;
      readonly bytesAlreadyUploaded: number;
    };

export type UploaderListener = (event: UploaderEvent) => void;
