"""Starts moto's server (same arguments as `python3 -m moto.server`) with three corrections.

With request authentication on, moto authenticates CORS preflight requests too, and fails with a 500 on
them, since a browser's preflight never carries an Authorization header. S3 answers a preflight from the
bucket's CORS rules alone, without credentials (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html).
This module makes moto do the same: a preflight is answered from the bucket's CORS configuration (403 when
the origin matches no rule), and every other request is authenticated exactly as before. Playwright's
request routing answers preflights itself, which is why the end-to-end upload test routes nothing.

Second, moto's ListParts leaves out each part's checksum. S3 lists ChecksumCRC32 for every part of a
multipart upload created with the CRC32 algorithm (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Part.html),
and the page relies on it to check, when it continues an upload, that the file still has the bytes
S3 holds. This module adds it, computed from the part's stored bytes (S3 stores a part only when its
bytes match the checksum sent with it, so the two are the same).

Third, moto's HeadObject gives a multipart object's composite checksum without its `-<part count>` suffix,
while its GetObject has it. S3 answers a HEAD exactly as the GET without the body
(https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html), so both carry the suffix; the
verifier reads the checksum it records in the ledger with HeadObject. This module adds the suffix.
"""
import base64
import re
import sys
import zlib

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


_moto_list_parts = S3Response.list_parts
_PART = re.compile(r'<Part>(.*?)</Part>', re.S)
_PART_NUMBER = re.compile(r'<PartNumber>(\d+)</PartNumber>')


def _list_parts_with_checksums(self):
    status, headers, body = _moto_list_parts(self)
    upload = self.backend.get_bucket(self.bucket_name).multiparts.get(self._get_param('uploadId'))
    if upload is None or (upload.metadata.get('x-amz-checksum-algorithm') or '').upper() != 'CRC32':
        return status, headers, body
    text = body.decode('utf-8') if isinstance(body, bytes) else body

    def with_checksum(match):
        number = int(_PART_NUMBER.search(match.group(1)).group(1))
        crc = base64.b64encode(zlib.crc32(upload.parts[number].value).to_bytes(4, 'big')).decode('ascii')
        return f'<Part>{match.group(1)}<ChecksumCRC32>{crc}</ChecksumCRC32></Part>'

    text = _PART.sub(with_checksum, text)
    return status, headers, text.encode('utf-8') if isinstance(body, bytes) else text


_moto_head_object = S3Response.head_object


def _head_object_with_part_count(self, bucket_name, query, key_name, headers):
    status, response_headers, body = _moto_head_object(self, bucket_name, query, key_name, headers)
    if status != 200 or headers.get('x-amz-checksum-mode') != 'ENABLED':
        return status, response_headers, body
    key = self.backend.head_object(bucket_name, key_name, version_id=query.get('versionId', [None])[0])
    header = f'x-amz-checksum-{(key.checksum_algorithm or "").lower()}'
    if key.checksum_type == 'COMPOSITE' and header in response_headers and '-' not in response_headers[header]:
        response_headers[header] = f'{response_headers[header]}-{key.checksum_parts}'
    return status, response_headers, body


for needed in ('_response_options', '_set_cors_headers_options', 'list_parts', 'head_object'):
    if not hasattr(S3Response, needed):
        sys.exit(f'local/moto_server.py: this moto version has no S3Response.{needed}; update the corrections')
S3Response._response_options = _preflight
S3Response.list_parts = _list_parts_with_checksums
S3Response.head_object = _head_object_with_part_count

if __name__ == '__main__':
    main(sys.argv[1:])
