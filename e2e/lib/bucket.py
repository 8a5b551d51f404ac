"""The local bucket as its owner (local mode's admin user), for the end-to-end tests and the benchmarks.
Prints JSON.

  bucket.py object KEY      size, SHA-256, content type, ETag and user metadata of an object, read in 8 MiB pieces
  bucket.py uploads         the multipart uploads still open: [{Key, UploadId}]
  bucket.py exists KEY      whether an object KEY exists (HeadObject)
  bucket.py parts KEY       the part numbers S3 holds for the open multipart upload of KEY
  bucket.py size KEY        {"size": N} of an object (HeadObject, no read), or {"size": null} when missing
  bucket.py delete KEY      deletes the object (moto keeps objects in memory, so benchmarks drop theirs)

Reads LOCAL_S3_ENDPOINT, LOCAL_BUCKET, LOCAL_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
"""
import hashlib
import json
import os
import sys

import boto3

s3 = boto3.client('s3', endpoint_url=os.environ['LOCAL_S3_ENDPOINT'], region_name=os.environ['LOCAL_REGION'])
bucket = os.environ['LOCAL_BUCKET']
command = sys.argv[1]
if command == 'object':
    obj = s3.get_object(Bucket=bucket, Key=sys.argv[2])
    digest = hashlib.sha256()
    size = 0
    for chunk in obj['Body'].iter_chunks(8 * 1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    print(json.dumps({'size': size, 'sha256': digest.hexdigest(), 'contentType': obj.get('ContentType'),
                      'etag': obj['ETag'], 'metadata': obj.get('Metadata', {})}))
elif command == 'uploads':
    uploads = s3.list_multipart_uploads(Bucket=bucket).get('Uploads', [])
    print(json.dumps([{'Key': u['Key'], 'UploadId': u['UploadId']} for u in uploads]))
elif command in ('exists', 'size'):
    try:
        length = s3.head_object(Bucket=bucket, Key=sys.argv[2])['ContentLength']
    except s3.exceptions.ClientError as e:
        if e.response['Error']['Code'] not in ('404', 'NoSuchKey'):
            raise
        length = None
    print(json.dumps(length is not None if command == 'exists' else {'size': length}))
elif command == 'delete':
    s3.delete_object(Bucket=bucket, Key=sys.argv[2])
    print(json.dumps({'deleted': sys.argv[2]}))
elif command == 'parts':
    uploads = [u for u in s3.list_multipart_uploads(Bucket=bucket).get('Uploads', []) if u['Key'] == sys.argv[2]]
    numbers = []
    for upload in uploads:
        pages = s3.get_paginator('list_parts').paginate(Bucket=bucket, Key=sys.argv[2], UploadId=upload['UploadId'])
        numbers += [p['PartNumber'] for page in pages for p in page.get('Parts', [])]
    print(json.dumps(sorted(numbers)))
else:
    sys.exit(f'unknown command {command}')
