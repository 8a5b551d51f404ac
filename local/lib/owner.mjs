// The upload bucket as its owner sees it (the admin user local mode creates), for the tests and benchmarks
// that check what the page or the CLI left there.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand,
} from '@aws-sdk/client-s3';
import { motoClients, sdkCredentials } from './provision.mjs';

/** @param {{s3Endpoint: string, region: string, bucket: string, admin: object}} stack a running local mode */
export function ownerView(stack) {
  const { s3 } = motoClients(stack.s3Endpoint, stack.region, sdkCredentials(stack.admin));
  const Bucket = stack.bucket;
  const head = async (Key) => {
    try {
      return await s3.send(new HeadObjectCommand({ Bucket, Key }));
    } catch (error) {
      if (error.$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  };
  const openUploads = async () => {
    const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    return Uploads.map(({ Key, UploadId }) => ({ Key, UploadId }));
  };
  return {
    /** Size, SHA-256 (read through), content type, ETag, the CRC32 checksum S3 reports and user metadata of an object. */
    async object(Key) {
      const object = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of object.Body) {
        hash.update(chunk);
        size += chunk.length;
      }
      return {
        size, sha256: hash.digest('hex'), contentType: object.ContentType, etag: object.ETag, checksumCRC32: object.ChecksumCRC32,
        metadata: object.Metadata ?? {},
      };
    },
    /** The multipart uploads still open: [{Key, UploadId}]. */
    openUploads,
    exists: async (Key) => (await head(Key)) !== undefined,
    /** The part numbers S3 holds for the open multipart upload(s) of `Key`. */
    async parts(Key) {
      const numbers = [];
      for (const upload of (await openUploads()).filter((u) => u.Key === Key)) {
        let marker;
        do {
          const page = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId: upload.UploadId, PartNumberMarker: marker }));
          numbers.push(...(page.Parts ?? []).map((p) => p.PartNumber));
          marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
        } while (marker !== undefined);
      }
      return numbers.sort((a, b) => a - b);
    },
    /** {size} of an object without reading it, or {size: null} when there is none. */
    size: async (Key) => ({ size: (await head(Key))?.ContentLength ?? null }),
    /** Deletes the object (moto keeps objects in memory, so benchmarks drop theirs). */
    delete: (Key) => s3.send(new DeleteObjectCommand({ Bucket, Key })),
  };
}
