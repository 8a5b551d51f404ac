"""What local mode created in moto, read back as the bucket owner, for the end-to-end tests. Prints JSON:
the bucket's CORS and lifecycle rules, and for each role ARN given its trust policy and inline policies,
plus whether the owner (an IAM user the trust does not name) may assume the upload role.

  provisioned.py UPLOAD_ROLE_ARN EXECUTION_ROLE_ARN

Reads LOCAL_S3_ENDPOINT, LOCAL_BUCKET, LOCAL_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
"""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def client(service):
    return boto3.client(service, endpoint_url=os.environ['LOCAL_S3_ENDPOINT'], region_name=os.environ['LOCAL_REGION'])


s3, iam, sts = client('s3'), client('iam'), client('sts')
bucket = os.environ['LOCAL_BUCKET']
roles = {}
for arn in sys.argv[1:]:
    name = arn.split('/')[-1]
    role = iam.get_role(RoleName=name)['Role']
    policies = {p: iam.get_role_policy(RoleName=name, PolicyName=p)['PolicyDocument']
                for p in iam.list_role_policies(RoleName=name)['PolicyNames']}
    roles[arn] = {'trust': role['AssumeRolePolicyDocument'], 'policies': policies,
                  'maxSessionDuration': role.get('MaxSessionDuration'), 'description': role.get('Description')}
try:
    sts.assume_role(RoleArn=sys.argv[1], RoleSessionName='not-trusted')
    owner_assumes = 'allowed'
except ClientError as e:
    owner_assumes = e.response['Error']['Code']
print(json.dumps({
    'cors': s3.get_bucket_cors(Bucket=bucket)['CORSRules'],
    'lifecycle': s3.get_bucket_lifecycle_configuration(Bucket=bucket)['Rules'],
    'roles': roles,
    'ownerAssumesUploadRole': owner_assumes,
}, default=str))
