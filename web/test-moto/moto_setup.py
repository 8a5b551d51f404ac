"""Prepares a moto server (started with INITIAL_NO_AUTH_ACTION_COUNT=3) the way the deployed app looks
to the page: a bucket, and a role limited to the three upload actions under uploads/, assumed through
STS. Prints the session credentials and an admin key as JSON. Needs boto3 (installed with moto)."""
import json
import sys

import boto3

endpoint = sys.argv[1]
bucket = sys.argv[2]
page_origin = sys.argv[3] if len(sys.argv) > 3 else None  # when given, the bucket gets the page's CORS rule
region = 'eu-west-1'


def client(service, key=None):
    creds = key or {'AccessKeyId': 'AKIAEXAMPLEBOOTSTRAP', 'SecretAccessKey': 'bootstrap'}
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'],
                        aws_session_token=creds.get('SessionToken'))


# The first three actions run before moto starts checking signatures and policies.
iam = client('iam')
iam.create_user(UserName='admin')
iam.put_user_policy(UserName='admin', PolicyName='all', PolicyDocument=json.dumps(
    {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))
admin = iam.create_access_key(UserName='admin')['AccessKey']

iam = client('iam', admin)
user_arn = iam.get_user(UserName='admin')['User']['Arn']
role = iam.create_role(RoleName='upload', AssumeRolePolicyDocument=json.dumps({
    'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': user_arn}, 'Action': 'sts:AssumeRole'}]}))['Role']
iam.put_role_policy(RoleName='upload', PolicyName='upload', PolicyDocument=json.dumps({
    'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow',
                   'Action': ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
                   'Resource': f'arn:aws:s3:::{bucket}/uploads/*'}]}))
s3 = client('s3', admin)
s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={'LocationConstraint': region})
if page_origin:
    # Exactly the headers web/README.md lists for the bucket's CORS rule.
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={'CORSRules': [{
        'AllowedOrigins': [page_origin],
        'AllowedMethods': ['GET', 'PUT', 'POST', 'DELETE'],
        'AllowedHeaders': ['authorization', 'content-type', 'x-amz-checksum-algorithm', 'x-amz-checksum-crc32',
                           'x-amz-checksum-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-meta-original-name',
                           'x-amz-security-token'],
        'ExposeHeaders': ['ETag', 'x-amz-checksum-crc32'],
        'MaxAgeSeconds': 600,
    }]})
session = client('sts', admin).assume_role(RoleArn=role['Arn'], RoleSessionName='page', DurationSeconds=900)['Credentials']

print(json.dumps({
    'admin': {'AccessKeyId': admin['AccessKeyId'], 'SecretAccessKey': admin['SecretAccessKey']},
    'session': {'AccessKeyId': session['AccessKeyId'], 'SecretAccessKey': session['SecretAccessKey'],
                'SessionToken': session['SessionToken'], 'Expiration': session['Expiration'].isoformat()},
}))
