package dev.multipartuploadsts.verifier;

/**
 * What HeadObject says about the object at a key now.
 *
 * @param size the object's size in bytes
 * @param etag the ETag without the surrounding quotes; identifies this write of the key
 * @param checksum the stored checksum as {@code ALGORITHM:base64} (a composite one keeps S3's {@code -<parts>}
 *     suffix), or null when the upload sent none
 * @param contentType the stored Content-Type, or null
 * @param encryption the server-side encryption, {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}, or null
 */
record ObjectFacts(long size, String etag, String checksum, String contentType, String encryption) {

    /** An ETag as S3 sends it in a header ({@code "..."}) or an event (bare), without the quotes. */
    static String bareEtag(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
