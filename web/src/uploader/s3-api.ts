import type { BlobLike, Credentials, S3Target } from './types';

/**
 * The S3 operations the engine uses, and only those the session policy allows on the one key:
 * PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload (all s3:PutObject),
 * AbortMultipartUpload and ListParts. Never GetObject, HeadObject or ListBucket.
 *
 * Implementations throw S3Error for an S3 error answer, NetworkError when no answer came, and an
 * AbortError when `signal` aborts. They do not retry: retrying is decided in one place (retry.ts).
 */
export interface S3Api {
  putObject(input: PutObjectInput): Promise<PutObjectOutput>;
  createMultipartUpload(input: CreateMultipartUploadInput): Promise<CreateMultipartUploadOutput>;
  uploadPart(input: UploadPartInput): Promise<UploadPartOutput>;
  listParts(input: ListPartsInput): Promise<ListPartsOutput>;
  completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<CompleteMultipartUploadOutput>;
  abortMultipartUpload(input: AbortMultipartUploadInput): Promise<void>;
}

export interface S3CallInput {
  readonly target: S3Target;
  readonly credentials: Credentials;
  readonly signal: AbortSignal;
}

/** What a new object records about where it came from. */
export interface ObjectOrigin {
  /** The name the user chose, exactly; kept in the object's metadata (the key has a cleaned copy). */
  readonly originalName?: string;
}

export interface PutObjectInput extends S3CallInput, ObjectOrigin {
  readonly body: BlobLike;
  readonly contentType: string;
  /** Base64 CRC-32 of the body; S3 rejects the request (BadDigest) when the bytes do not match. */
  readonly checksumCRC32: string;
  /** Bytes of the body sent so far, as the browser reports them. */
  readonly onProgress?: (bytesSent: number) => void;
}

export interface PutObjectOutput {
  /** Undefined when the browser may not read the header (the bucket's CORS rule does not expose it). */
  readonly etag: string | undefined;
  readonly checksumCRC32: string | undefined;
}

export interface CreateMultipartUploadInput extends S3CallInput, ObjectOrigin {
  readonly contentType: string;
}

export interface CreateMultipartUploadOutput {
  readonly uploadId: string;
}

export interface UploadPartInput extends S3CallInput {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly body: BlobLike;
  readonly checksumCRC32: string;
  readonly onProgress?: (bytesSent: number) => void;
}

export type UploadPartOutput = PutObjectOutput;

export interface ListPartsInput extends S3CallInput {
  readonly uploadId: string;
  /** List parts after this number (the previous page's NextPartNumberMarker). */
  readonly partNumberMarker?: number;
}

export interface ListedPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  /** Absent when the server does not list part checksums (some S3 emulators). */
  readonly checksumCRC32?: string;
}

export interface ListPartsOutput {
  readonly parts: readonly ListedPart[];
  readonly isTruncated: boolean;
  readonly nextPartNumberMarker?: number;
}

export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly checksumCRC32: string;
}

export interface CompleteMultipartUploadInput extends S3CallInput {
  readonly uploadId: string;
  /** Every part, in ascending part number order. */
  readonly parts: readonly CompletedPart[];
}

export interface CompleteMultipartUploadOutput {
  readonly etag: string | undefined;
  /** The object's checksum as S3 computed it; absent when the server does not report it. */
  readonly checksumCRC32: string | undefined;
  readonly checksumType: string | undefined;
}

export interface AbortMultipartUploadInput extends S3CallInput {
  readonly uploadId: string;
}
