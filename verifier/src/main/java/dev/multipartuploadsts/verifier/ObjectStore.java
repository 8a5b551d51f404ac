package dev.multipartuploadsts.verifier;

import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** The upload bucket, as the verifier uses it: look at an object, and remove one that failed verification. */
final class ObjectStore {

    /** Where {@code QUARANTINE} keeps rejected objects: outside {@code uploads/}, so no user credential reaches it. */
    static final String QUARANTINE_PREFIX = "quarantine/";

    /** S3's largest CopyObject source; a bigger object would need a multipart copy. */
    static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final VerifierConfig.RejectedObjects rejectedObjects;

    ObjectStore(S3Client s3, String bucket, VerifierConfig.RejectedObjects rejectedObjects) {
        this.s3 = s3;
        this.bucket = bucket;
        this.rejectedObjects = rejectedObjects;
    }

    /**
     * The object's metadata, with the stored checksum (ChecksumMode ENABLED); empty when no object is at the key.
     * HeadObject is authorized as {@code s3:GetObject}.
     */
    Optional<ObjectFacts> head(String key) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // HEAD answers have no body, so a missing key arrives as a bare 404 rather than NoSuchKey.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new ObjectFacts(head.contentLength(), ObjectFacts.bareEtag(head.eTag()), checksum(head),
                head.contentType(), head.serverSideEncryptionAsString()));
    }

    /**
     * Removes the object if it is still the write with {@code etag}: deletes it, after copying it under
     * {@link #QUARANTINE_PREFIX} in {@code QUARANTINE} mode. A newer write at the key is left alone (it has its own
     * event), and so is an object already gone. Returns what was done, for the event and the log.
     */
    Disposition remove(String key, String etag, long size) {
        Disposition disposition = plannedDisposition(size);
        if (disposition == Disposition.QUARANTINED) {
            try {
                // Server-side copy of exactly the verified write (x-amz-copy-source-if-match). No tags: uploads
                // carry none (the session policy has no s3:PutObjectTagging), and copying them needs more rights.
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).copySourceIfMatch(quoted(etag))
                        .destinationBucket(bucket).destinationKey(quarantineKey(key))
                        .metadataDirective(MetadataDirective.COPY).taggingDirective(TaggingDirective.REPLACE));
            } catch (S3Exception e) {
                if (isGoneOrReplaced(e)) {
                    return Disposition.ALREADY_GONE;
                }
                throw e;
            }
        }
        try {
            // If-Match (conditional delete): removes only the write that was verified, never a newer one.
            s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(quoted(etag)));
        } catch (S3Exception e) {
            if (isGoneOrReplaced(e)) {
                return disposition == Disposition.QUARANTINED ? Disposition.QUARANTINED : Disposition.ALREADY_GONE;
            }
            throw e;
        }
        return disposition;
    }

    /** What {@link #remove} will do with an object of {@code size} bytes, unless it is gone by then. */
    Disposition plannedDisposition(long size) {
        if (rejectedObjects == VerifierConfig.RejectedObjects.DELETE) {
            return Disposition.DELETED;
        }
        return size > MAX_COPY_BYTES ? Disposition.DELETED_TOO_LARGE_TO_QUARANTINE : Disposition.QUARANTINED;
    }

    /** Where a quarantined object goes: the same key under {@link #QUARANTINE_PREFIX}. */
    static String quarantineKey(String key) {
        return QUARANTINE_PREFIX + key;
    }

    /** What {@link #remove} did with an object. */
    enum Disposition {
        DELETED, QUARANTINED, DELETED_TOO_LARGE_TO_QUARANTINE, ALREADY_GONE;

        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    // 404: no object (a conditional delete answers NoSuchKey when nothing is there); 412: a newer write is there.
    private static boolean isGoneOrReplaced(S3Exception e) {
        return e.statusCode() == 404 || e.statusCode() == 412;
    }

    private static String quoted(String etag) {
        return '"' + etag + '"';
    }

    /** The full-object or composite checksum S3 stored, as {@code ALGORITHM:value}; null if none. */
    static String checksum(HeadObjectResponse head) {
        String[][] candidates = {
            {"CRC64NVME", head.checksumCRC64NVME()},
            {"CRC32C", head.checksumCRC32C()},
            {"CRC32", head.checksumCRC32()},
            {"SHA256", head.checksumSHA256()},
            {"SHA1", head.checksumSHA1()},
        };
        for (String[] candidate : candidates) {
            if (candidate[1] != null && !candidate[1].isEmpty()) {
                return candidate[0] + ':' + candidate[1];
            }
        }
        return null;
    }
}
