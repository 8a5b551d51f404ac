// The page's peers for bench/upload-throughput, bundled by esbuild into one script that the benchmark
// evaluates in the signed-in page (the same origin, CSP and browser as the page's own uploader).
// Each peer asks the credentials API for the key and temporary credentials exactly as the page does
// (POST /uploads with the page's access token: timed, like the page's), then uploads the file with them.
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import Uppy from '@uppy/core';
import AwsS3 from '@uppy/aws-s3';

/** POST /uploads with the access token oidc-client-ts keeps in sessionStorage for the page. */
async function startUpload(apiUrl, file) {
  const stored = Object.keys(sessionStorage).find((name) => name.startsWith('oidc.user:'));
  if (!stored) throw new Error('the page is not signed in (no oidc.user entry in sessionStorage)');
  const token = JSON.parse(sessionStorage.getItem(stored)).access_token;
  const response = await fetch(`${apiUrl}/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: file.name, size: file.size, contentType: file.type || 'application/octet-stream' }),
  });
  if (!response.ok) throw new Error(`POST /uploads answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * Uppy's S3 plugin, multipart, signing in the browser with the vended credentials (its getCredentials
 * mode, path-style endpoint). Uppy's `limit` is how many files upload at once; it sends one file's parts
 * one after another, so `concurrency` cannot apply to the parts of one file.
 */
async function uppy(file, { apiUrl, s3Endpoint, concurrency, partSize }) {
  const grant = await startUpload(apiUrl, file);
  const c = grant.credentials;
  const instance = new Uppy({ autoProceed: false });
  instance.use(AwsS3, {
    s3Endpoint: `${s3Endpoint}/${grant.bucket}`,
    region: grant.region,
    getCredentials: async () => ({
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
      region: grant.region,
    }),
    shouldUseMultipart: true,
    getChunkSize: () => partSize ?? grant.partSize,
    limit: concurrency,
    generateObjectKey: () => grant.key,
  });
  instance.addFile({ name: file.name, type: file.type || 'application/octet-stream', data: file, source: 'bench' });
  const result = await instance.upload();
  instance.destroy();
  if (!result || result.failed?.length) {
    throw new Error(`Uppy failed: ${result?.failed?.map((f) => String(f.error)).join('; ') ?? 'no result'}`);
  }
  return { key: grant.key };
}

/**
 * The AWS SDK v3's Upload (lib-storage) with an S3Client on the same endpoint, credentials, part size
 * and queue size; the SDK's defaults otherwise (a CRC32 per part, payloads signed with SHA-256).
 */
async function sdk(file, { apiUrl, s3Endpoint, concurrency, partSize }) {
  const grant = await startUpload(apiUrl, file);
  const c = grant.credentials;
  const client = new S3Client({
    region: grant.region,
    endpoint: s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken },
  });
  const upload = new Upload({
    client,
    params: { Bucket: grant.bucket, Key: grant.key, Body: file, ContentType: file.type || 'application/octet-stream' },
    queueSize: concurrency,
    partSize: partSize ?? grant.partSize,
    leavePartsOnError: false,
  });
  await upload.done();
  client.destroy();
  return { key: grant.key };
}

globalThis.benchPeers = { uppy, sdk };
