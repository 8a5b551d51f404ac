import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { NetworkError, S3Error } from './errors';
import type {
  AbortMultipartUploadInput,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  CreateMultipartUploadInput,
  CreateMultipartUploadOutput,
  ListedPart,
  ListPartsInput,
  ObjectOrigin,
  ListPartsOutput,
  PutObjectInput,
  PutObjectOutput,
  S3Api,
  S3CallInput,
  UploadPartInput,
  UploadPartOutput,
} from './s3-api';
import { elements, elementText, escapeXmlText, rootElementName } from './s3-xml';
import { traceEnd, traceStart } from './trace';
import type { HttpRequest, HttpResponse, Transport } from './transport';
import type { BlobLike, Credentials, S3Target } from './types';

export interface S3RestClientOptions {
  readonly transport: Transport;
  /** An S3-compatible endpoint (a local emulator); absent means the regional AWS endpoint. */
  readonly endpoint?: string;
  /** Bucket in the path instead of the host name (emulators). Default false. */
  readonly forcePathStyle?: boolean;
  /**
   * Address `<bucket>.s3-accelerate.amazonaws.com` instead of the regional endpoint (S3 Transfer Acceleration).
   * Requests are still signed for service s3 in the bucket's region. Not with `endpoint` or `forcePathStyle`.
   */
  readonly transferAcceleration?: boolean;
  /** The time to sign with, ms since the epoch; S3 refuses signatures more than 15 minutes off. */
  readonly now?: () => number;
}

/** Every request header this client may send to S3 (the bucket's CORS AllowedHeaders must admit them). */
export const S3_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-amz-checksum-algorithm',
  'x-amz-checksum-crc32',
  'x-amz-checksum-type',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-meta-original-name',
  'x-amz-security-token',
] as const;

/** Longest value of x-amz-meta-original-name; S3 allows 2 KB of user metadata per object. */
export const MAX_ORIGINAL_NAME_HEADER = 1024;

/** Every S3 response header this client reads beyond the CORS-safelisted ones (ExposeHeaders must list them). */
export const S3_RESPONSE_HEADERS = ['ETag', 'x-amz-checksum-crc32'] as const;

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** S3 Transfer Acceleration's endpoint; AWS documents it in virtual-hosted style only. */
export const ACCELERATE_ENDPOINT = 'https://s3-accelerate.amazonaws.com';

/**
 * The six S3 calls as plain REST requests, signed with SigV4 (the AWS SDK's own signer) and sent by
 * an injected transport: XHR in the page, for upload progress per part. Being this small keeps the
 * page light, sends an exact set of headers, and leaves retrying to the engine.
 */
export class S3RestClient implements S3Api {
  private readonly transport: Transport;
  private readonly endpoint: URL | undefined;
  private readonly forcePathStyle: boolean;
  private readonly transferAcceleration: boolean;
  private readonly now: () => number;
  /** Whether S3 has answered any request of this client: the evidence that tells an outage from CORS. */
  private answered = false;

  constructor(options: S3RestClientOptions) {
    this.transport = options.transport;
    this.endpoint = options.endpoint === undefined ? undefined : new URL(options.endpoint);
    this.forcePathStyle = options.forcePathStyle ?? false;
    this.transferAcceleration = options.transferAcceleration ?? false;
    if (this.transferAcceleration && (this.endpoint !== undefined || this.forcePathStyle)) {
      throw new Error('S3 Transfer Acceleration uses AWS\'s accelerate endpoint in virtual-hosted style: it cannot be combined with an endpoint or path style');
    }
    this.now = options.now ?? Date.now;
  }

  async putObject(input: PutObjectInput): Promise<PutObjectOutput> {
    const response = await this.send('PutObject', input, {
      method: 'PUT',
      headers: {
        'content-type': input.contentType,
        'x-amz-checksum-crc32': input.checksumCRC32,
        'x-amz-content-sha256': UNSIGNED_PAYLOAD,
        ...originHeaders(input),
      },
      body: input.body,
      onUploadProgress: input.onProgress,
    });
    return writeOutput(response);
  }

  async createMultipartUpload(input: CreateMultipartUploadInput): Promise<CreateMultipartUploadOutput> {
    const response = await this.send('CreateMultipartUpload', input, {
      method: 'POST',
      query: { uploads: '' },
      headers: {
        'content-type': input.contentType,
        'x-amz-checksum-algorithm': 'CRC32',
        // COMPOSITE: S3 checks every part's CRC32 on arrival and the part list at completion.
        'x-amz-checksum-type': 'COMPOSITE',
        ...originHeaders(input),
      },
    });
    const uploadId = elementText(response.text, 'UploadId');
    if (!uploadId) throw malformed(response, 'CreateMultipartUpload answered without an UploadId');
    return { uploadId };
  }

  async uploadPart(input: UploadPartInput): Promise<UploadPartOutput> {
    const response = await this.send('UploadPart', input, {
      method: 'PUT',
      query: { partNumber: String(input.partNumber), uploadId: input.uploadId },
      headers: {
        'x-amz-checksum-crc32': input.checksumCRC32,
        'x-amz-content-sha256': UNSIGNED_PAYLOAD,
      },
      body: input.body,
      onUploadProgress: input.onProgress,
    });
    return writeOutput(response);
  }

  async listParts(input: ListPartsInput): Promise<ListPartsOutput> {
    const query: Record<string, string> = { 'max-parts': '1000', uploadId: input.uploadId };
    if (input.partNumberMarker !== undefined) query['part-number-marker'] = String(input.partNumberMarker);
    const response = await this.send('ListParts', input, { method: 'GET', query });
    const parts = elements(response.text, 'Part').map((xml): ListedPart => {
      const partNumber = Number(elementText(xml, 'PartNumber'));
      const size = Number(elementText(xml, 'Size'));
      const etag = elementText(xml, 'ETag');
      if (!Number.isInteger(partNumber) || !Number.isInteger(size) || !etag) {
        throw malformed(response, 'ListParts answered a part without PartNumber, Size or ETag');
      }
      const checksumCRC32 = elementText(xml, 'ChecksumCRC32');
      return checksumCRC32 ? { partNumber, size, etag, checksumCRC32 } : { partNumber, size, etag };
    });
    const marker = elementText(response.text, 'NextPartNumberMarker');
    return {
      parts,
      isTruncated: elementText(response.text, 'IsTruncated') === 'true',
      ...(marker ? { nextPartNumberMarker: Number(marker) } : {}),
    };
  }

  async completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<CompleteMultipartUploadOutput> {
    const body = new TextEncoder().encode(completeMultipartUploadXml(input.parts));
    const response = await this.send('CompleteMultipartUpload', input, {
      method: 'POST',
      query: { uploadId: input.uploadId },
      headers: { 'content-type': 'application/xml' },
      body,
    });
    // S3 may answer 200 and still fail: the error document then arrives in the body. Any other root
    // is read by its members (S3 says CompleteMultipartUploadResult, moto CompleteMultipartUploadResponse).
    const root = rootElementName(response.text);
    if (root === 'Error') throw s3ErrorFrom(response);
    if (root === undefined) throw malformed(response, 'CompleteMultipartUpload answered without an XML document');
    return {
      etag: elementText(response.text, 'ETag'),
      checksumCRC32: elementText(response.text, 'ChecksumCRC32'),
      checksumType: elementText(response.text, 'ChecksumType'),
    };
  }

  async abortMultipartUpload(input: AbortMultipartUploadInput): Promise<void> {
    await this.send('AbortMultipartUpload', input, { method: 'DELETE', query: { uploadId: input.uploadId } });
  }

  /** The URL of `target`, with its query: virtual-hosted style unless path style is forced or needed. */
  objectUrl(target: S3Target, query: Readonly<Record<string, string>> = {}): URL {
    const keyPath = target.key.split('/').map(uriEscape).join('/');
    if (this.transferAcceleration && target.bucket.includes('.')) {
      throw new Error(`S3 Transfer Acceleration needs a bucket name without dots, but "${target.bucket}" was given`);
    }
    // A bucket name with dots breaks the TLS wildcard certificate of virtual-hosted style.
    const pathStyle = this.forcePathStyle || target.bucket.includes('.');
    const base =
      this.endpoint ??
      new URL(this.transferAcceleration ? ACCELERATE_ENDPOINT : `https://s3.${target.region}.${awsDomain(target.region)}`);
    const basePath = base.pathname.replace(/\/+$/, '');
    const url = new URL(base.origin);
    if (pathStyle) {
      url.pathname = `${basePath}/${uriEscape(target.bucket)}/${keyPath}`;
    } else {
      url.host = `${target.bucket}.${base.host}`;
      url.pathname = `${basePath}/${keyPath}`;
    }
    url.search = Object.keys(query)
      .sort()
      .map((name) => (query[name] === '' ? uriEscape(name) : `${uriEscape(name)}=${uriEscape(query[name] ?? '')}`))
      .join('&');
    return url;
  }

  private async send(
    operation: string,
    input: S3CallInput,
    spec: {
      method: HttpRequest['method'];
      query?: Readonly<Record<string, string>>;
      headers?: Readonly<Record<string, string>>;
      body?: BlobLike | Uint8Array<ArrayBuffer>;
      onUploadProgress?: ((bytesSent: number) => void) | undefined;
    },
  ): Promise<HttpResponse> {
    const url = this.objectUrl(input.target, spec.query);
    const signing = traceStart();
    const headers = await signRequest(
      { method: spec.method, url, headers: spec.headers ?? {}, body: spec.body },
      input.credentials,
      input.target.region,
      new Date(this.now()),
    );
    traceEnd('sign', signing);
    let response: HttpResponse;
    try {
      response = await this.transport.send(
        { method: spec.method, url: url.href, headers, ...(spec.body ? { body: spec.body } : {}) },
        { signal: input.signal, ...(spec.onUploadProgress ? { onUploadProgress: spec.onUploadProgress } : {}) },
      );
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      throw new NetworkError('S3', error.message, { cause: error, answeredBefore: this.answered });
    }
    this.answered = true;
    if (response.status < 200 || response.status >= 300) throw s3ErrorFrom(response, operation);
    return response;
  }
}

/**
 * Signs a request for S3 with SigV4 and returns every header to send, `host` and `authorization`
 * included. A Uint8Array body is hashed; any other body must come with x-amz-content-sha256 set.
 */
export async function signRequest(
  request: { method: string; url: URL; headers: Readonly<Record<string, string>>; body?: unknown },
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  region: string,
  signingDate: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 's3',
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    // S3 signs the path exactly as sent; it must not be encoded a second time.
    uriEscapePath: false,
  });
  const query: Record<string, string> = {};
  request.url.searchParams.forEach((value, name) => {
    query[name] = value;
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body instanceof Uint8Array ? request.body : undefined,
    },
    { signingDate },
  );
  return { ...signed.headers };
}

/** The body of CompleteMultipartUpload: every part's number, ETag and CRC32, in order. */
export function completeMultipartUploadXml(parts: CompleteMultipartUploadInput['parts']): string {
  const items = parts
    .map(
      (part) =>
        `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXmlText(part.etag)}</ETag>` +
        `<ChecksumCRC32>${escapeXmlText(part.checksumCRC32)}</ChecksumCRC32></Part>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items}</CompleteMultipartUpload>`;
}

/** RFC 3986 percent-encoding, as SigV4 canonicalises URIs. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The user metadata of a new object: the original file name, percent-encoded UTF-8 (S3 takes only
 * US-ASCII in metadata headers; decodeURIComponent reads it back), cut at whole characters to
 * MAX_ORIGINAL_NAME_HEADER.
 */
export function originHeaders(origin: ObjectOrigin): Record<string, string> {
  if (origin.originalName === undefined) return {};
  let value = '';
  for (const character of origin.originalName) {
    const next = value + encodeURIComponent(character);
    if (next.length > MAX_ORIGINAL_NAME_HEADER) break;
    value = next;
  }
  return { 'x-amz-meta-original-name': value };
}

function awsDomain(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

function writeOutput(response: HttpResponse): PutObjectOutput {
  return {
    etag: response.header('etag') ?? undefined,
    checksumCRC32: response.header('x-amz-checksum-crc32') ?? undefined,
  };
}

function s3ErrorFrom(response: HttpResponse, operation?: string): S3Error {
  const code = elementText(response.text, 'Code') ?? `Http${response.status}`;
  const message =
    elementText(response.text, 'Message') ?? `${operation ?? 'The request'} failed with HTTP ${response.status}`;
  const serverTime = Date.parse(elementText(response.text, 'ServerTime') ?? '');
  const requestId = elementText(response.text, 'RequestId') ?? response.header('x-amz-request-id') ?? undefined;
  return new S3Error(response.status, code, message, {
    ...(requestId ? { requestId } : {}),
    ...(Number.isNaN(serverTime) ? {} : { serverTime }),
  });
}

function malformed(response: HttpResponse, message: string): S3Error {
  return new S3Error(response.status, 'MalformedResponse', message);
}
