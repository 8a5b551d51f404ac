"""scripts/upload-credentials' AWS CLI profile: its credential_process runs against an API, and with
--transfer-acceleration the AWS CLI's own S3 client (botocore) addresses the accelerate endpoint."""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.session
from botocore.awsrequest import AWSResponse

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'upload-credentials')
KEY = 'uploads/mfrgg/0190a8f2-0000-7000-8000-000000000000/My video (1).mp4'
BUCKET = 'multipartuploadsts-storage-uploadsbucket1a2b3c4d-0a1b2c3d4e5f'
CREDENTIALS = {'Version': 1, 'AccessKeyId': 'ASIAEXAMPLE', 'SecretAccessKey': 'secret',
               'SessionToken': 'session-token', 'Expiration': '2030-01-01T00:00:00Z'}


def profile(*extra, api='https://abc123.execute-api.eu-west-1.amazonaws.com'):
    result = subprocess.run([sys.executable, SCRIPT, '--api', api, 'profile', '--key', KEY, '--region', 'eu-west-1',
                             *extra], capture_output=True, text=True, env={'PATH': os.environ['PATH']})
    return result


class ApiStub(BaseHTTPRequestHandler):
    """POST /uploads/refresh as the credentials API answers it, recording what it was asked."""
    asked = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        ApiStub.asked.append((self.path, self.headers['Authorization'], body))
        answer = json.dumps({'bucket': BUCKET, 'region': 'eu-west-1', 'key': body['key'],
                             'credentials': CREDENTIALS}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class StoppedBeforeTheNetwork(AWSResponse):
    """CreateMultipartUpload's answer, handed to botocore instead of sending the request anywhere."""

    def __init__(self, url):
        body = (b'<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>' + BUCKET.encode()
                + b'</Bucket><Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>')
        super().__init__(url, 200, {}, type('Raw', (), {'stream': lambda self: iter([body])})())


class UploadCredentialsProfileTest(unittest.TestCase):

    def create_multipart_upload_request(self, config_text):
        """The request the AWS CLI's S3 client would send with this profile (credentials given, so none is fetched)."""
        with tempfile.NamedTemporaryFile('w', suffix='.ini', delete=False) as config:
            config.write(config_text)
        self.addCleanup(os.unlink, config.name)
        session = botocore.session.Session(profile='upload')
        session.set_config_variable('config_file', config.name)
        session.set_credentials('ASIAEXAMPLE', 'secret', 'session-token')
        client = session.create_client('s3')
        sent = []
        client.meta.events.register('before-send.s3.CreateMultipartUpload',
                                    lambda request, **_: sent.append(request) or StoppedBeforeTheNetwork(request.url))
        self.assertEqual(client.create_multipart_upload(Bucket=BUCKET, Key=KEY)['UploadId'], 'up-1')
        return sent[0]

    def test_with_transfer_acceleration_the_cli_addresses_the_accelerate_endpoint_signing_for_the_region(self):
        result = profile('--transfer-acceleration')
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('s3 =\n    use_accelerate_endpoint = true\n', result.stdout)
        request = self.create_multipart_upload_request(result.stdout)
        self.assertEqual(request.url.split('/')[2], f'{BUCKET}.s3-accelerate.amazonaws.com')
        self.assertIn('/eu-west-1/s3/aws4_request', request.headers['Authorization'].decode())

    def test_without_it_the_cli_addresses_the_regional_endpoint(self):
        result = profile()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn('accelerate', result.stdout)
        request = self.create_multipart_upload_request(result.stdout)
        self.assertEqual(request.url.split('/')[2], f'{BUCKET}.s3.eu-west-1.amazonaws.com')

    def test_the_profiles_credential_process_asks_the_api_for_that_key_and_prints_only_the_credentials(self):
        server = ThreadingHTTPServer(('127.0.0.1', 0), ApiStub)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        api = f'http://127.0.0.1:{server.server_address[1]}'
        result = profile('--transfer-acceleration', api=api)
        self.assertEqual(result.returncode, 0, result.stderr)
        line = next(line for line in result.stdout.splitlines() if line.startswith('credential_process = '))
        # botocore splits credential_process with shlex on POSIX; the key's space and parentheses must survive.
        argv = shlex.split(line.removeprefix('credential_process = '))
        self.assertEqual(argv[1:], ['--api', api, 'process', '--key', KEY])
        ran = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                             env={'PATH': os.environ['PATH'], 'UPLOAD_API_TOKEN': 'an-access-token'})
        self.assertEqual(ran.returncode, 0, ran.stderr)
        self.assertEqual(json.loads(ran.stdout), CREDENTIALS)
        self.assertEqual(ApiStub.asked, [('/uploads/refresh', 'Bearer an-access-token', {'key': KEY})])

    def test_refuses_a_region_that_is_not_one_naming_the_option_and_the_value(self):
        result = subprocess.run([sys.executable, SCRIPT, '--api', 'https://a.example', 'profile', '--key', KEY,
                                 '--region', 'Europe'], capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.strip(),
                         "upload-credentials: --region must be an AWS Region such as eu-west-1, but 'Europe' was given")


if __name__ == '__main__':
    unittest.main()
