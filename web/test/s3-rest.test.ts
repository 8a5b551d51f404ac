import { describe, expect, it } from 'vitest';
import { NetworkError, S3Error } from '../src/uploader/errors';
import { parseConfig } from '../src/config';
import { originHeaders, S3RestClient, S3_REQUEST_HEADERS, signRequest } from '../src/uploader/s3-rest';
import { decodeXmlText, elements, elementText, rootElementName } from '../src/uploader/s3-xml';
import type { HttpRequest, HttpResponse, SendOptions, Transport } from '../src/uploader/transport';
import type { BlobLike, Credentials } from '../src/uploader/types';

const credentials: Credentials = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'session-token',
  expiration: Date.UTC(2030, 0, 1),
};
const target = { bucket: 'upload-bucket', region: 'eu-west-1', key: 'uploads/owner/42/My video (1).mp4' };
const signal = new AbortController().signal;
const body: BlobLike = { size: 3, slice: () => body, arrayBuffer: async () => new ArrayBuffer(3) };

class RecordingTransport implements Transport {
  readonly requests: HttpRequest[] = [];
  readonly progress: number[] = [];

  constructor(private readonly answer: (request: HttpRequest) => Partial<HttpResponse> & { headers?: Record<string, string> }) {}

  async send(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
    this.requests.push(request);
    options.onUploadProgress?.(3);
    const { status = 200, text = '', headers = {} } = this.answer(request);
    return { status, text, header: (name) => headers[name.toLowerCase()] ?? null };
  }
}

function client(
  transport: Transport,
  extra: { endpoint?: string; forcePathStyle?: boolean; transferAcceleration?: boolean } = {},
): S3RestClient {
  return new S3RestClient({ transport, now: () => Date.UTC(2026, 4, 2, 10, 0, 0), ...extra });
}

describe('SigV4 signing', () => {
  // Known answers from the AWS documentation, "Signature Calculations for the Authorization Header:
  // Transferring Payload in a Single Chunk (AWS Signature Version 4)".
  const docCredentials = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: '',
  };
  const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const date = new Date(Date.UTC(2013, 4, 24));

  it('matches the documented signature of GET Object with a Range header', async () => {
    const headers = await signRequest(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { range: 'bytes=0-9', 'x-amz-content-sha256': emptyHash } },
      docCredentials,
      'us-east-1',
      date,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('matches the documented signature of a sub-resource with no value (GET ?lifecycle)', async () => {
    const headers = await signRequest(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?lifecycle'), headers: { 'x-amz-content-sha256': emptyHash } },
      docCredentials,
      'us-east-1',
      date,
    );
    expect(headers.authorization).toMatch(/Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/);
  });

  it('matches the documented signature of a request with sorted query parameters', async () => {
    const headers = await signRequest(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J'), headers: { 'x-amz-content-sha256': emptyHash } },
      docCredentials,
      'us-east-1',
      date,
    );
    expect(headers.authorization).toMatch(/Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
  });
});

describe('S3 REST client', () => {
  it('tells a lost connection from a server that never answered this page (the CORS suspect)', async () => {
    let up = false;
    const transport: Transport = {
      send: async () => {
        if (!up) throw new NetworkError('S3', 'PUT got no answer');
        return { status: 200, text: '', header: (name) => (name === 'etag' ? '"e"' : null) };
      },
    };
    const s3 = client(transport);
    const put = () => s3.putObject({ target, credentials, signal, body: new Blob(['x']), contentType: 'text/plain', checksumCRC32: 'AAAAAA==' });
    await expect(put()).rejects.toMatchObject({ name: 'NetworkError', answeredBefore: false });
    up = true;
    await put();
    up = false;
    await expect(put()).rejects.toMatchObject({ name: 'NetworkError', answeredBefore: true });
  });

  it('addresses the regional AWS endpoint in virtual-hosted style, escaping the key per segment', () => {
    const url = client(new RecordingTransport(() => ({}))).objectUrl(target, { uploadId: 'a/b+c=', partNumber: '3' });
    expect(url.href).toBe(
      'https://upload-bucket.s3.eu-west-1.amazonaws.com/uploads/owner/42/My%20video%20%281%29.mp4?partNumber=3&uploadId=a%2Fb%2Bc%3D',
    );
  });

  it('addresses a local emulator in path style, keeping its port', () => {
    const url = client(new RecordingTransport(() => ({})), { endpoint: 'http://127.0.0.1:5000', forcePathStyle: true }).objectUrl(target, { uploads: '' });
    expect(url.href).toBe('http://127.0.0.1:5000/upload-bucket/uploads/owner/42/My%20video%20%281%29.mp4?uploads');
  });

  it('uses path style for bucket names with dots, which break the TLS wildcard certificate', () => {
    const url = client(new RecordingTransport(() => ({}))).objectUrl({ ...target, bucket: 'my.bucket' });
    expect(url.host).toBe('s3.eu-west-1.amazonaws.com');
    expect(url.pathname.startsWith('/my.bucket/')).toBe(true);
  });

  it('addresses the bucket at the accelerate endpoint, virtual-hosted, when config.json turns Transfer Acceleration on', () => {
    const config = parseConfig({
      region: 'eu-west-1',
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
      bucket: 'upload-bucket',
      auth: { authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf', clientId: 'c', scope: 'openid' },
      s3: { transferAcceleration: true },
    });
    const s3 = client(new RecordingTransport(() => ({})), {
      forcePathStyle: config.s3.forcePathStyle,
      transferAcceleration: config.s3.transferAcceleration,
    });
    expect(s3.objectUrl(target, { uploads: '' }).href).toBe(
      'https://upload-bucket.s3-accelerate.amazonaws.com/uploads/owner/42/My%20video%20%281%29.mp4?uploads',
    );
  });

  it('signs an accelerated request for the accelerate host, still as service s3 in the bucket\'s region', async () => {
    const transport = new RecordingTransport(() => ({ headers: { etag: '"abc"' } }));
    const regional = new RecordingTransport(() => ({ headers: { etag: '"abc"' } }));
    const part = { target, credentials, signal, uploadId: 'up-1', partNumber: 1, body, checksumCRC32: 'AAAAAA==' };
    await client(transport, { transferAcceleration: true }).uploadPart(part);
    await client(regional).uploadPart(part);
    const accelerated = transport.requests[0]!;
    expect(new URL(accelerated.url).host).toBe('upload-bucket.s3-accelerate.amazonaws.com');
    expect(accelerated.headers.host).toBe('upload-bucket.s3-accelerate.amazonaws.com');
    expect(accelerated.headers.authorization).toMatch(/Credential=ASIAEXAMPLE\/20260502\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;/);
    // The host is signed, so the same request for the regional host carries another signature.
    expect(accelerated.headers.authorization).not.toBe(regional.requests[0]!.headers.authorization);
  });

  it('refuses Transfer Acceleration with an emulator endpoint, path style or a bucket name with dots', () => {
    const transport = new RecordingTransport(() => ({}));
    expect(() => client(transport, { transferAcceleration: true, endpoint: 'http://127.0.0.1:5000' })).toThrowError(
      /cannot be combined with an endpoint or path style/,
    );
    expect(() => client(transport, { transferAcceleration: true, forcePathStyle: true })).toThrowError(
      /cannot be combined with an endpoint or path style/,
    );
    expect(() => client(transport, { transferAcceleration: true }).objectUrl({ ...target, bucket: 'my.bucket' })).toThrowError(
      'S3 Transfer Acceleration needs a bucket name without dots, but "my.bucket" was given',
    );
  });

  it('sends UploadPart with the part checksum, an unsigned payload and only the listed headers', async () => {
    const transport = new RecordingTransport(() => ({ headers: { etag: '"abc"', 'x-amz-checksum-crc32': 'AAAAAA==' } }));
    const answer = await client(transport).uploadPart({
      target,
      credentials,
      signal,
      uploadId: 'up-1',
      partNumber: 7,
      body,
      checksumCRC32: 'AAAAAA==',
      onProgress: (sent) => transport.progress.push(sent),
    });
    const request = transport.requests[0]!;
    expect(request.method).toBe('PUT');
    expect(new URL(request.url).search).toBe('?partNumber=7&uploadId=up-1');
    expect(Object.keys(request.headers).sort()).toEqual([
      'authorization',
      'host',
      'x-amz-checksum-crc32',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-amz-security-token',
    ]);
    expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(request.headers['x-amz-security-token']).toBe('session-token');
    expect(request.headers['x-amz-date']).toBe('20260502T100000Z');
    expect(request.headers.authorization).toMatch(/Credential=ASIAEXAMPLE\/20260502\/eu-west-1\/s3\/aws4_request/);
    expect(request.body).toBe(body);
    expect(answer).toEqual({ etag: '"abc"', checksumCRC32: 'AAAAAA==' });
    expect(transport.progress).toEqual([3]);
  });

  it('never sends a header outside the list the bucket CORS rule is told about', async () => {
    const transport = new RecordingTransport((request) => {
      if (request.method === 'POST' && new URL(request.url).search === '?uploads') return { text: '<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>' };
      if (request.method === 'POST') return { text: '<CompleteMultipartUploadResult><ETag>"e-1"</ETag></CompleteMultipartUploadResult>' };
      if (request.method === 'GET') return { text: '<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>' };
      return { headers: { etag: '"e"' }, status: request.method === 'DELETE' ? 204 : 200 };
    });
    const s3 = client(transport);
    await s3.putObject({ target, credentials, signal, body, contentType: 'video/mp4', checksumCRC32: 'AAAAAA==', originalName: 'a.mp4' });
    await s3.createMultipartUpload({ target, credentials, signal, contentType: 'video/mp4', originalName: 'a.mp4' });
    await s3.uploadPart({ target, credentials, signal, uploadId: 'u', partNumber: 1, body, checksumCRC32: 'AAAAAA==' });
    await s3.listParts({ target, credentials, signal, uploadId: 'u', partNumberMarker: 1000 });
    await s3.completeMultipartUpload({ target, credentials, signal, uploadId: 'u', parts: [{ partNumber: 1, etag: '"e"', checksumCRC32: 'AAAAAA==' }] });
    await s3.abortMultipartUpload({ target, credentials, signal, uploadId: 'u' });

    const sent = new Set(transport.requests.flatMap((r) => Object.keys(r.headers)));
    sent.delete('host'); // set by the browser, never by the page
    expect([...sent].sort()).toEqual([...S3_REQUEST_HEADERS].sort());
    expect(transport.requests.map((r) => `${r.method} ${new URL(r.url).search}`)).toEqual([
      'PUT ',
      'POST ?uploads',
      'PUT ?partNumber=1&uploadId=u',
      'GET ?max-parts=1000&part-number-marker=1000&uploadId=u',
      'POST ?uploadId=u',
      'DELETE ?uploadId=u',
    ]);
  });

  it('keeps the original file name in the object metadata, percent-encoded and at most 1 KB', () => {
    expect(originHeaders({ originalName: '🎬 Café\u202e.mp4' })).toEqual({
      'x-amz-meta-original-name': '%F0%9F%8E%AC%20Caf%C3%A9%E2%80%AE.mp4',
    });
    expect(decodeURIComponent(originHeaders({ originalName: '🎬 Café.mp4' })['x-amz-meta-original-name']!)).toBe('🎬 Café.mp4');
    const long = originHeaders({ originalName: '語'.repeat(200) })['x-amz-meta-original-name']!;
    expect(long.length).toBeLessThanOrEqual(1024);
    expect(decodeURIComponent(long)).toBe('語'.repeat(113));
    expect(originHeaders({})).toEqual({});
  });

  it('creates multipart uploads with CRC32 as a COMPOSITE checksum and the file type', async () => {
    const transport = new RecordingTransport(() => ({
      text: '<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE.x_y-z</UploadId></InitiateMultipartUploadResult>',
    }));
    const answer = await client(transport).createMultipartUpload({ target, credentials, signal, contentType: 'video/quicktime' });
    expect(answer.uploadId).toBe('VXBsb2FkIElE.x_y-z');
    expect(transport.requests[0]!.headers).toMatchObject({
      'x-amz-checksum-algorithm': 'CRC32',
      'x-amz-checksum-type': 'COMPOSITE',
      'content-type': 'video/quicktime',
    });
  });

  it('reads a ListParts page: parts with ETag, size and checksum, and the next marker', async () => {
    const transport = new RecordingTransport(() => ({
      text: `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>
  <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>
  <MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>
  <Part><PartNumber>1</PartNumber><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;aaa&quot;</ETag><ChecksumCRC32>AQIDBA==</ChecksumCRC32><Size>8388608</Size></Part>
  <Part><PartNumber>2</PartNumber><ETag>"bbb"</ETag><Size>8388608</Size></Part>
</ListPartsResult>`,
    }));
    const page = await client(transport).listParts({ target, credentials, signal, uploadId: 'u' });
    expect(page).toEqual({
      parts: [
        { partNumber: 1, etag: '"aaa"', size: 8388608, checksumCRC32: 'AQIDBA==' },
        { partNumber: 2, etag: '"bbb"', size: 8388608 },
      ],
      isTruncated: true,
      nextPartNumberMarker: 2,
    });
  });

  it('completes with every part number, ETag and checksum, and reads the answer', async () => {
    const transport = new RecordingTransport(() => ({
      text: '<CompleteMultipartUploadResult><Location>x</Location><ETag>&quot;3858f6-2&quot;</ETag><ChecksumCRC32>BAUGBw==-2</ChecksumCRC32><ChecksumType>COMPOSITE</ChecksumType></CompleteMultipartUploadResult>',
    }));
    const answer = await client(transport).completeMultipartUpload({
      target,
      credentials,
      signal,
      uploadId: 'u',
      parts: [
        { partNumber: 1, etag: '"a"', checksumCRC32: 'AQIDBA==' },
        { partNumber: 2, etag: '"b"', checksumCRC32: 'AgMEBQ==' },
      ],
    });
    const sent = new TextDecoder().decode(transport.requests[0]!.body as Uint8Array);
    expect(sent).toContain('<Part><PartNumber>1</PartNumber><ETag>"a"</ETag><ChecksumCRC32>AQIDBA==</ChecksumCRC32></Part>');
    expect(sent).toContain('<Part><PartNumber>2</PartNumber><ETag>"b"</ETag><ChecksumCRC32>AgMEBQ==</ChecksumCRC32></Part>');
    expect(transport.requests[0]!.headers['content-type']).toBe('application/xml');
    expect(transport.requests[0]!.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(answer).toEqual({ etag: '"3858f6-2"', checksumCRC32: 'BAUGBw==-2', checksumType: 'COMPOSITE' });
  });

  it('treats an error document inside a 200 answer to CompleteMultipartUpload as an error', async () => {
    const transport = new RecordingTransport(() => ({
      text: '<?xml version="1.0" encoding="UTF-8"?>\n\n  <Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
    }));
    await expect(
      client(transport).completeMultipartUpload({ target, credentials, signal, uploadId: 'u', parts: [] }),
    ).rejects.toMatchObject({ name: 'S3Error', status: 200, code: 'InternalError' });
  });

  it('reads a completion answer by its members, whatever the root element (moto says ...Response)', async () => {
    const transport = new RecordingTransport(() => ({
      text: '<?xml version="1.0" encoding="utf-8"?>\n<CompleteMultipartUploadResponse xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><ETag>"cb8d-1"</ETag></CompleteMultipartUploadResponse>',
    }));
    const answer = await client(transport).completeMultipartUpload({ target, credentials, signal, uploadId: 'u', parts: [] });
    expect(answer).toEqual({ etag: '"cb8d-1"', checksumCRC32: undefined, checksumType: undefined });
  });

  it('refuses a 200 answer to CompleteMultipartUpload that is not XML', async () => {
    const transport = new RecordingTransport(() => ({ text: '' }));
    await expect(
      client(transport).completeMultipartUpload({ target, credentials, signal, uploadId: 'u', parts: [] }),
    ).rejects.toMatchObject({ code: 'MalformedResponse' });
  });

  it('turns an S3 error document into an S3Error with code, message and server time', async () => {
    const transport = new RecordingTransport(() => ({
      status: 403,
      text: '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20260502T100000Z</RequestTime><ServerTime>2026-05-02T11:00:00Z</ServerTime><RequestId>R1</RequestId></Error>',
    }));
    const error = await client(transport)
      .abortMultipartUpload({ target, credentials, signal, uploadId: 'u' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({
      status: 403,
      code: 'RequestTimeTooSkewed',
      details: { requestId: 'R1', serverTime: Date.UTC(2026, 4, 2, 11) },
    });
  });

  it('gives an S3Error with the status when an error answer has no body', async () => {
    const transport = new RecordingTransport(() => ({ status: 503 }));
    await expect(client(transport).abortMultipartUpload({ target, credentials, signal, uploadId: 'u' })).rejects.toMatchObject({
      status: 503,
      code: 'Http503',
    });
  });

  it('reports no ETag when the browser may not read the header', async () => {
    const transport = new RecordingTransport(() => ({}));
    const answer = await client(transport).uploadPart({ target, credentials, signal, uploadId: 'u', partNumber: 1, body, checksumCRC32: 'AAAAAA==' });
    expect(answer.etag).toBeUndefined();
  });
});

describe('S3 XML reading', () => {
  it('decodes entities', () => {
    expect(decodeXmlText('&quot;a&amp;b&lt;&gt;&apos;&#65;&#x42;')).toBe('"a&b<>\'AB');
  });

  it('finds elements, empty ones included', () => {
    expect(elements('<a><P>1</P><P/><P x="y">3</P></a>', 'P')).toEqual(['1', '', '3']);
    expect(elementText('<a><Part><PartNumber>4</PartNumber></Part></a>', 'PartNumber')).toBe('4');
    expect(elementText('<a/>', 'Missing')).toBeUndefined();
  });

  it('names the root element after the declaration and whitespace', () => {
    expect(rootElementName('<?xml version="1.0"?>\n  <Error><Code>x</Code></Error>')).toBe('Error');
  });
});
