// The real S3 client and engine against moto with request authentication on: every call is signed
// with the credentials of an assumed role that may only PutObject, AbortMultipartUpload and
// ListMultipartUploadParts under uploads/. Run with `npm run test:moto` (needs python3 with moto).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compositeCrc32, crc32ToBase64, crc32Update } from '../src/uploader/checksum';
import { MiB } from '../src/uploader/part-plan';
import { MemoryStorage, ResumeStore } from '../src/uploader/resume-store';
import { S3RestClient, S3_REQUEST_HEADERS } from '../src/uploader/s3-rest';
import type { UploadGrant, UploaderEvent } from '../src/uploader/types';
import { Uploader } from '../src/uploader/uploader';
import type { UploadsApi } from '../src/uploader/uploads-api';
import { FetchTransport } from './fetch-transport';

const here = fileURLToPath(new URL('.', import.meta.url));
const BUCKET = 'upload-bucket';
let moto: ChildProcess;
let endpoint: string;
let admin: { AccessKeyId: string; SecretAccessKey: string };
let session: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3' },
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (i > 100) throw new Error('moto did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const setup = JSON.parse(execFileSync('python3', [`${here}/moto_setup.py`, endpoint, BUCKET], { encoding: 'utf8' }));
  admin = setup.admin;
  session = setup.session;
}, 30_000);

afterAll(() => {
  moto?.kill();
});

function inspect(key: string): { uploads: string[]; size?: number; sha256?: string; checksumCRC32?: string; contentType?: string } {
  return JSON.parse(execFileSync('python3', [`${here}/moto_inspect.py`, endpoint, BUCKET, admin.AccessKeyId, admin.SecretAccessKey, key], { encoding: 'utf8' }));
}

/** The credentials API as the Lambda answers it: a key under uploads/ and the role session. */
class RoleApi implements UploadsApi {
  started = 0;
  refreshed = 0;
  constructor(private readonly prefix: string) {}
  grant(key: string): UploadGrant {
    return {
      bucket: BUCKET,
      region: 'eu-west-1',
      key,
      credentials: {
        accessKeyId: session.AccessKeyId,
        secretAccessKey: session.SecretAccessKey,
        sessionToken: session.SessionToken,
        expiration: Date.parse(session.Expiration),
      },
    };
  }
  async start(request: { fileName: string }): Promise<UploadGrant> {
    this.started += 1;
    return this.grant(`uploads/${this.prefix}/${this.started}/${request.fileName}`);
  }
  async refresh(key: string): Promise<UploadGrant> {
    this.refreshed += 1;
    return this.grant(key);
  }
}

function randomFile(name: string, size: number): File {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) randomFillSync(bytes, offset, Math.min(65536, size - offset));
  return new File([bytes], name, { type: 'video/mp4', lastModified: 1_700_000_000_000 });
}

async function sha256(file: File): Promise<string> {
  return createHash('sha256').update(new Uint8Array(await file.arrayBuffer())).digest('hex');
}

function setup(prefix: string, storage = new MemoryStorage()) {
  const transport = new FetchTransport();
  const api = new RoleApi(prefix);
  const events: UploaderEvent[] = [];
  const uploader = new Uploader({
    api,
    s3: new S3RestClient({ transport, endpoint, forcePathStyle: true }),
    store: new ResumeStore(storage, 'user-1'),
    concurrency: 3,
  });
  uploader.subscribe((event) => events.push(event));
  return { transport, api, uploader, storage, events };
}

describe('against moto with request authentication', () => {
  it('uploads a multipart file moto accepts, byte for byte, with the composite CRC32', async () => {
    const { uploader, transport } = setup('multipart');
    const file = randomFile('clip one.mp4', 20 * MiB + 1);
    const [id] = uploader.add([file]).added;
    await uploader.idle();
    const job = uploader.snapshot(id!)!;
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('done');

    const stored = inspect(job.key!);
    expect(stored.size).toBe(file.size);
    expect(stored.sha256).toBe(await sha256(file));
    expect(stored.contentType).toBe('video/mp4');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const parts = [0, 1, 2].map((i) => crc32ToBase64(crc32Update(0, bytes.subarray(i * 8 * MiB, Math.min(bytes.length, (i + 1) * 8 * MiB)))));
    expect(job.result?.checksumCRC32).toBe(compositeCrc32(parts));
    // moto computed the composite checksum on its own from the parts it received.
    expect(stored.checksumCRC32).toBe(job.result?.checksumCRC32);
    expect([...transport.sentHeaders].every((h) => (S3_REQUEST_HEADERS as readonly string[]).includes(h))).toBe(true);
  }, 60_000);

  it('puts a small file in one request', async () => {
    const { uploader } = setup('single');
    const file = randomFile('thumb.mp4', 300_000);
    const [id] = uploader.add([file]).added;
    await uploader.idle();
    const job = uploader.snapshot(id!)!;
    expect(job.state).toBe('done');
    expect(inspect(job.key!).sha256).toBe(await sha256(file));
  }, 60_000);

  it('resumes after a reload from what ListParts reports and sends only the missing parts', async () => {
    const storage = new MemoryStorage();
    const first = setup('resume', storage);
    const file = randomFile('talk.mp4', 30 * MiB);
    const [firstId] = first.uploader.add([file]).added;
    first.uploader.subscribe((event) => {
      if (event.type === 'progress' && event.job.loaded >= 8 * MiB) void first.uploader.pause(firstId!);
    });
    await first.uploader.idle();
    expect(first.uploader.snapshot(firstId!)!.state).toBe('paused');

    const second = setup('resume', storage);
    second.api.started = first.api.started;
    const sent: number[] = [];
    second.transport.send = ((original) => (request, options) => {
      const part = new URL(request.url).searchParams.get('partNumber');
      if (part) sent.push(Number(part));
      return original(request, options);
    })(second.transport.send.bind(second.transport));
    const [id] = second.uploader.add([file]).added;
    await second.uploader.idle();

    const job = second.uploader.snapshot(id!)!;
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('done');
    const resumed = second.events.find((e) => e.type === 'resumed');
    expect(resumed?.type === 'resumed' && resumed.partsAlreadyUploaded).toBeGreaterThan(0);
    expect(sent.length).toBe(4 - (resumed?.type === 'resumed' ? resumed.partsAlreadyUploaded : 0));
    expect(second.api.started).toBe(first.api.started);
    expect(inspect(job.key!).sha256).toBe(await sha256(file));
  }, 60_000);

  it('is really checked: moto refuses a request signed with the wrong secret', async () => {
    const s3 = new S3RestClient({ transport: new FetchTransport(), endpoint, forcePathStyle: true });
    const grant = new RoleApi('x').grant('uploads/x/1/a.mp4');
    const credentials = { ...grant.credentials, secretAccessKey: 'not-the-secret' };
    await expect(
      s3.createMultipartUpload({ target: grant, credentials, signal: new AbortController().signal, contentType: 'video/mp4' }),
    ).rejects.toMatchObject({ name: 'S3Error', status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('is really limited: the role may not write outside uploads/', async () => {
    const s3 = new S3RestClient({ transport: new FetchTransport(), endpoint, forcePathStyle: true });
    const grant = new RoleApi('x').grant('elsewhere/a.mp4');
    await expect(
      s3.createMultipartUpload({ target: grant, credentials: grant.credentials, signal: new AbortController().signal, contentType: 'video/mp4' }),
    ).rejects.toMatchObject({ name: 'S3Error', status: 403, code: 'AccessDenied' });
  });

  it('cancels: AbortMultipartUpload leaves no open upload behind', async () => {
    const { uploader } = setup('cancel');
    const file = randomFile('drop.mp4', 24 * MiB);
    const [id] = uploader.add([file]).added;
    uploader.subscribe((event) => {
      if (event.type === 'progress' && event.job.loaded > 0) void uploader.cancel(id!);
    });
    await uploader.idle();
    await uploader.cancel(id!);
    expect(uploader.snapshot(id!)!.state).toBe('cancelled');
    expect(inspect('-').uploads.filter((k) => k.startsWith('uploads/cancel/'))).toEqual([]);
  }, 60_000);
});
