"""What the smoke test may expect of a completed multipart upload, under every bucket encryption setting.

The multipart ETag is the MD5 of the part MD5s (then `-<part count>`) only for unencrypted and SSE-S3
objects; under SSE-KMS (uploadBucketEncryption=KMS) S3 documents it as an opaque value that is not an
MD5 digest. What holds under every setting: the part count after the last `-`, and S3's own checksum.
Parts sent with a SHA-256 checksum are verified by S3 on arrival, and the completed object carries the
composite checksum, the SHA-256 of the parts' SHA-256 digests in part order, then `-<part count>`
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html, which says this
validation works the same across encryption modes).
"""
import base64
import hashlib
import re

_PART_COUNT_SUFFIX = re.compile(r'-(\d+)"?$')


def part_checksum(body):
    """The base64 SHA-256 of one part, as S3's x-amz-checksum-sha256 header carries it."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode('ascii')


def composite_checksum(parts):
    """The completed object's composite SHA-256 for these part bodies: S3's value, `<base64>-<part count>`."""
    digests = b''.join(hashlib.sha256(p).digest() for p in parts)
    return f'{base64.b64encode(hashlib.sha256(digests).digest()).decode("ascii")}-{len(parts)}'


def etag_problem(etag, part_count):
    """None when `etag` ends in `-<part_count>`; otherwise what is wrong. The digest before it is not checked."""
    match = _PART_COUNT_SUFFIX.search(etag or '')
    if not match:
        return f'the ETag {etag!r} is not a multipart ETag (no -<part count> suffix)'
    if int(match.group(1)) != part_count:
        return f'the ETag {etag} names {match.group(1)} parts, but {part_count} were sent'
    return None


def checksum_problem(given, parts, what):
    """None when S3's composite SHA-256 `given` is that of `parts`, with the `-<part count>` suffix S3 always
    writes (local mode's moto too, in HeadObject's answer since local/moto_server.py adds it); otherwise what
    is wrong, naming `what`.
    """
    expected = composite_checksum(parts)
    if given is None:
        return f'{what} carries no SHA-256 checksum (expected {expected})'
    if given != expected:
        return f'{what} has SHA-256 checksum {given}, expected {expected}'
    return None


def completed_upload_problems(completed, parts, checksum_in_answer=True):
    """What is wrong with a CompleteMultipartUpload answer for these part bodies (empty when nothing is).

    S3 puts the composite checksum in the answer; moto leaves it out (checksum_in_answer=False there, and
    the checksum is checked on the stored object instead).
    """
    problems = [etag_problem(completed.get('ETag'), len(parts))]
    if checksum_in_answer or completed.get('ChecksumSHA256') is not None:
        problems.append(checksum_problem(completed.get('ChecksumSHA256'), parts, 'the completed object'))
    return [p for p in problems if p]
