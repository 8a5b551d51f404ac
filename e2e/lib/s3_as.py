"""One S3 call with given credentials against local mode, for the end-to-end tests. Prints JSON:
{"ok": true, ...} or {"ok": false, "code": "<S3 error code>", "status": <HTTP status>}.

  s3_as.py put KEY [BYTES]    PutObject of a few bytes, or of BYTES bytes
  s3_as.py create KEY         CreateMultipartUpload (then AbortMultipartUpload, when it was allowed)
  s3_as.py get KEY            GetObject
  s3_as.py head KEY           HeadObject
  s3_as.py list PREFIX        ListObjectsV2

Reads LOCAL_S3_ENDPOINT, LOCAL_BUCKET, LOCAL_REGION and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN (the credentials under test).
"""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

s3 = boto3.client('s3', endpoint_url=os.environ['LOCAL_S3_ENDPOINT'], region_name=os.environ['LOCAL_REGION'])
bucket = os.environ['LOCAL_BUCKET']
command, target = sys.argv[1], sys.argv[2]
try:
    if command == 'put':
        size = int(sys.argv[3]) if len(sys.argv) > 3 else None
        s3.put_object(Bucket=bucket, Key=target, Body=b'e2e' if size is None else os.urandom(size))
    elif command == 'create':
        upload = s3.create_multipart_upload(Bucket=bucket, Key=target)
        s3.abort_multipart_upload(Bucket=bucket, Key=target, UploadId=upload['UploadId'])
    elif command == 'get':
        s3.get_object(Bucket=bucket, Key=target)['Body'].read()
    elif command == 'head':
        s3.head_object(Bucket=bucket, Key=target)
    elif command == 'list':
        s3.list_objects_v2(Bucket=bucket, Prefix=target)
    else:
        sys.exit(f'unknown command {command}')
    print(json.dumps({'ok': True}))
except ClientError as e:
    print(json.dumps({'ok': False, 'code': e.response['Error']['Code'],
                      'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
