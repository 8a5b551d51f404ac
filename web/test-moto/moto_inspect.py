"""Reads what the page left in the moto bucket, as the bucket owner: an object's size, SHA-256 and
checksum, and the multipart uploads still open. Prints JSON."""
import hashlib
import json
import sys

import boto3

endpoint, bucket, access_key, secret_key, key = sys.argv[1:6]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='eu-west-1',
                  aws_access_key_id=access_key, aws_secret_access_key=secret_key)
result = {'uploads': [u['Key'] for u in s3.list_multipart_uploads(Bucket=bucket).get('Uploads', [])]}
if key != '-':
    obj = s3.get_object(Bucket=bucket, Key=key, ChecksumMode='ENABLED')
    body = obj['Body'].read()
    result.update(size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                  checksumCRC32=obj.get('ChecksumCRC32'), contentType=obj.get('ContentType'))
print(json.dumps(result))
