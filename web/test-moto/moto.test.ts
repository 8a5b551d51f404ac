// The real S3 client and engine against moto with request authentication on, provisioned by local mode from
// cdk.out (the upload bucket and the upload role as the templates describe them): every call is signed with
// credentials of the upload role, assumed as the credentials function's execution role is, so they may only
// PutObject, AbortMultipartUpload and ListMultipartUploadParts under uploads/. Run with `npm run test:moto`
// (needs cdk.out, local/node_modules and python3 with moto).
import { createHash, randomFillSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compositeCrc32, crc32ToBase64, crc32Update } from '../src/uploader/checksum';
import { MiB } from '../src/uploader/part-plan';
import { MemoryStorage, ResumeStore } from '../src/uploader/resume-store';
import { S3RestClient, S3_REQUEST_HEADERS } from '../src/uploader/s3-rest';
import type { UploadGrant, UploaderEvent } from '../src/uploader/types';
import { Uploader } from '../src/uploader/uploader';
import type { LedgerPage, UploadsApi } from '../src/uploader/uploads-api';
import { FetchTransport } from './fetch-transport';

interface StsKeys {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}
/** What the test uses of local mode (local/lib, plain JavaScript, imported by path so tsc does not type it). */
interface AwsOnlyLocalMode {
  s3Endpoint: string;
  region: string;
  bucket: string;
  executionSession: StsKeys;
  world: { uploadRole: { arn: string }; credentialsFunction: { environment: Record<string, string> } };
  stop(): Promise<void>;
}
interface StoredObject {
  size: number;
  sha256: string;
  checksumCRC32?: string;
  contentType?: string;
}

const localLib = (file: string): string => new URL(`../../local/lib/${file}`, import.meta.url).href;
let local: AwsOnlyLocalMode;
let endpoint: string;
let BUCKET: string;
let REGION: string;
let session: StsKeys;
let owner: { object(key: string): Promise<StoredObject>; openUploads(): Promise<{ Key: string }[]> };

beforeAll(async () => {
  const { startLocal } = await import(localLib('stack.mjs'));
  const { assumeRole } = await import(localLib('provision.mjs'));
  const { ownerView } = await import(localLib('owner.mjs'));
  local = (await startLocal({ awsOnly: true })) as AwsOnlyLocalMode;
  ({ s3Endpoint: endpoint, bucket: BUCKET, region: REGION } = local);
  // What the credentials function does (without a session policy, which moto does not enforce anyway).
  session = await assumeRole(endpoint, REGION, local.executionSession, local.world.uploadRole.arn, 'test-moto');
  owner = ownerView(local);
}, 120_000);

afterAll(async () => {
  await local?.stop();
});

/** The credentials API as the Lambda answers it: a key under uploads/ and the role session. */
class RoleApi implements UploadsApi {
  started = 0;
  refreshed = 0;
  constructor(private readonly prefix: string) {}
  grant(key: string): UploadGrant {
    return {
      bucket: BUCKET,
      region: REGION,
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
  // These tests are about S3; the ledger's calls are covered by the unit tests and e2e/.
  readonly aborted: string[] = [];
  async abort(key: string): Promise<void> {
    this.aborted.push(key);
  }
  async list(): Promise<LedgerPage> {
    return { uploads: [] };
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

    const stored = await owner.object(job.key!);
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
    expect((await owner.object(job.key!)).sha256).toBe(await sha256(file));
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
    expect((await owner.object(job.key!)).sha256).toBe(await sha256(file));
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
    expect((await owner.openUploads()).filter((u) => u.Key.startsWith('uploads/cancel/'))).toEqual([]);
  }, 60_000);
});
