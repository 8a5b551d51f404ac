"""The smoke test's checks of a completed multipart upload, against S3's answers under SSE-S3 and SSE-KMS."""
import base64
import hashlib
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from object_checks import completed_upload_problems  # noqa: E402

MiB = 1024 * 1024
PARTS = [bytes([1]) * 8 * MiB, bytes([2]) * 8 * MiB, bytes([3]) * MiB]


def sha256_b64(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


# What S3 answers to CompleteMultipartUpload for PARTS sent with SHA-256 part checksums.
COMPOSITE = sha256_b64(b''.join(hashlib.sha256(p).digest() for p in PARTS)) + '-3'
MD5_OF_MD5S = '"%s-3"' % hashlib.md5(b''.join(hashlib.md5(p).digest() for p in PARTS)).hexdigest()
# Under SSE-KMS the ETag is 32 hex digits and the part count, but not the MD5 of the part MD5s.
KMS_ETAG = '"3f1c9d0b2a7e4c58a6d1e0f9b8c7a615-3"'


class CompletedUploadChecks(unittest.TestCase):

    def test_accepts_an_sse_s3_answer_whose_etag_is_the_md5_of_the_part_md5s(self):
        self.assertEqual(completed_upload_problems({'ETag': MD5_OF_MD5S, 'ChecksumSHA256': COMPOSITE}, PARTS), [])

    def test_accepts_an_sse_kms_answer_whose_etag_is_not_an_md5(self):
        self.assertNotEqual(KMS_ETAG, MD5_OF_MD5S)
        self.assertEqual(completed_upload_problems({'ETag': KMS_ETAG, 'ChecksumSHA256': COMPOSITE}, PARTS), [])

    def test_refuses_an_etag_that_names_another_part_count(self):
        problems = completed_upload_problems({'ETag': KMS_ETAG.replace('-3', '-2'), 'ChecksumSHA256': COMPOSITE}, PARTS)
        self.assertEqual(problems, [f'the ETag {KMS_ETAG.replace("-3", "-2")} names 2 parts, but 3 were sent'])

    def test_refuses_an_etag_without_a_part_count(self):
        problems = completed_upload_problems({'ETag': '"3f1c9d0b2a7e4c58a6d1e0f9b8c7a615"', 'ChecksumSHA256': COMPOSITE}, PARTS)
        self.assertEqual(problems, ["the ETag '\"3f1c9d0b2a7e4c58a6d1e0f9b8c7a615\"' is not a multipart ETag (no -<part count> suffix)"])

    def test_refuses_a_checksum_of_other_bytes(self):
        other = sha256_b64(b''.join(hashlib.sha256(p).digest() for p in [PARTS[0], PARTS[0], PARTS[2]])) + '-3'
        problems = completed_upload_problems({'ETag': KMS_ETAG, 'ChecksumSHA256': other}, PARTS)
        self.assertEqual(problems, [f'the completed object has SHA-256 checksum {other}, expected {COMPOSITE}'])

    def test_refuses_a_checksum_that_names_another_part_count(self):
        two = COMPOSITE.replace('-3', '-2')
        problems = completed_upload_problems({'ETag': KMS_ETAG, 'ChecksumSHA256': two}, PARTS)
        self.assertEqual(problems, [f'the completed object has SHA-256 checksum {two}, expected {COMPOSITE}'])

    def test_refuses_the_composite_checksum_without_its_part_count(self):
        bare = COMPOSITE.removesuffix('-3')
        problems = completed_upload_problems({'ETag': KMS_ETAG, 'ChecksumSHA256': bare}, PARTS)
        self.assertEqual(problems, [f'the completed object has SHA-256 checksum {bare}, expected {COMPOSITE}'])

    def test_refuses_an_answer_without_a_checksum(self):
        problems = completed_upload_problems({'ETag': MD5_OF_MD5S}, PARTS)
        self.assertEqual(problems, [f'the completed object carries no SHA-256 checksum (expected {COMPOSITE})'])

    def test_leaves_a_missing_checksum_to_the_stored_object_only_when_told_the_answer_has_none(self):
        self.assertEqual(completed_upload_problems({'ETag': MD5_OF_MD5S}, PARTS, checksum_in_answer=False), [])
        other = sha256_b64(b'other') + '-3'
        self.assertEqual(completed_upload_problems({'ETag': MD5_OF_MD5S, 'ChecksumSHA256': other}, PARTS, checksum_in_answer=False),
                         [f'the completed object has SHA-256 checksum {other}, expected {COMPOSITE}'])


if __name__ == '__main__':
    unittest.main()
