"""Starts moto's server (same arguments as `python3 -m moto.server`) with one correction.

With request authentication on, moto authenticates CORS preflight requests too, and fails with a 500 on
them, since a browser's preflight never carries an Authorization header. S3 answers a preflight from the
bucket's CORS rules alone, without credentials (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html).
This module makes moto do the same: a preflight is answered from the bucket's CORS configuration (403 when
the origin matches no rule), and every other request is authenticated exactly as before. Playwright's
request routing answers preflights itself, which is why the end-to-end upload test routes nothing.
"""
import sys

from moto.s3.exceptions import MissingBucket
from moto.s3.responses import S3Response
from moto.server import main


def _preflight(self, headers, bucket_name):
    try:
        bucket = self.backend.head_bucket(bucket_name)
    except MissingBucket:
        return 403, {}, ''
    self._set_cors_headers_options(headers, bucket)  # raises AccessForbidden when no rule allows the origin
    return 200, self.response_headers, ''


if not hasattr(S3Response, '_response_options') or not hasattr(S3Response, '_set_cors_headers_options'):
    sys.exit('local/moto_server.py: this moto version has no S3Response._response_options; update the correction')
S3Response._response_options = _preflight

if __name__ == '__main__':
    main(sys.argv[1:])
