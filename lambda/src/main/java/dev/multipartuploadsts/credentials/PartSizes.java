package dev.multipartuploadsts.credentials;

/**
 * The part size the web page and the AWS CLI should use for a file of a given size.
 *
 * <p>S3 allows at most 10,000 parts, each (but the last) 5 MiB to 5 GiB. The rule is
 * {@code max(8 MiB, ceil(size / 10,000) rounded up to a whole MiB)}: 8 MiB keeps the number of requests
 * reasonable for small files, and the second term keeps any file within 10,000 parts.
 */
public final class PartSizes {

    public static final long MIB = 1024L * 1024;
    public static final long MIN_PART_SIZE = 8 * MIB;
    public static final int MAX_PARTS = 10_000;
    /** S3's largest part; {@link #forSize} stays within it for any size up to {@code MAX_PARTS} of them. */
    public static final long MAX_PART_SIZE = 5L * 1024 * MIB;

    private PartSizes() {
    }

    /** Part size in bytes for a file of {@code size} bytes (0 or more; an empty file gets the smallest). */
    public static long forSize(long size) {
        if (size < 0 || size > MAX_PARTS * MAX_PART_SIZE) {
            throw new IllegalArgumentException("size must be 0 to " + MAX_PARTS * MAX_PART_SIZE
                    + " bytes, but " + size + " was given");
        }
        long perPart = ceilDiv(size, MAX_PARTS);
        return Math.max(MIN_PART_SIZE, ceilDiv(perPart, MIB) * MIB);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
