"""The local bucket as its owner (local mode's admin user), for the benchmarks. Prints JSON.

  owner.py head KEY      {"size": N} of an object (HeadObject), or {"size": null} when it is missing
  owner.py delete KEY    deletes the object, so moto (which keeps objects in memory) does not pile them up

Reads LOCAL_S3_ENDPOINT, LOCAL_BUCKET, LOCAL_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
"""
import json
import os
import sys

import boto3

s3 = boto3.client('s3', endpoint_url=os.environ['LOCAL_S3_ENDPOINT'], region_name=os.environ['LOCAL_REGION'])
bucket = os.environ['LOCAL_BUCKET']
command, key = sys.argv[1], sys.argv[2]
if command == 'head':
    try:
        print(json.dumps({'size': s3.head_object(Bucket=bucket, Key=key)['ContentLength']}))
    except s3.exceptions.ClientError as e:
        if e.response['Error']['Code'] not in ('404', 'NoSuchKey'):
            raise
        print(json.dumps({'size': None}))
elif command == 'delete':
    s3.delete_object(Bucket=bucket, Key=key)
    print(json.dumps({'deleted': key}))
else:
    sys.exit(f'unknown command {command}')
