package dev.multipartuploadsts.ledger;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object key in the layout the credentials Lambda issues, {@code uploads/<owner>/<uploadId>/<fileName>}, split
 * into its parts.
 *
 * <p>{@link #parse} accepts exactly the alphabet of issued keys: the owner is lowercase unpadded base32
 * ({@code [a-z2-7]}, at most {@value #MAX_OWNER_LENGTH} characters, the encoding of a 255-byte subject), the upload
 * id a lowercase UUID, the file name 1 to {@value #MAX_FILE_NAME_LENGTH} characters of {@code [A-Za-z0-9._-]}.
 * Nothing in that alphabet changes under URL encoding, so a key read from an event needs no decoding, and a key
 * that would need it was not issued by this service. Whether a file name is exactly what the Lambda's cleaning
 * produces is left to the grant: its {@link LedgerAttributes#KEY} must equal the object key.
 */
public record UploadKey(String owner, String uploadId, String fileName) {

    /** The prefix under which every issued key lies; the upload role may write only there. */
    public static final String PREFIX = "uploads/";

    /** Longest owner: base32 of a 255-byte subject, {@code ceil(255 * 8 / 5)}. */
    public static final int MAX_OWNER_LENGTH = 408;

    /** Longest file name segment, in characters (the segment is ASCII, so also in bytes). */
    public static final int MAX_FILE_NAME_LENGTH = 255;

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern LAYOUT = Pattern.compile(Pattern.quote(PREFIX)
            + "([a-z2-7]{1," + MAX_OWNER_LENGTH + "})/(" + UUID + ")/([A-Za-z0-9._-]{1," + MAX_FILE_NAME_LENGTH + "})");

    /** Checks the parts as {@link #parse} would, so that every {@code UploadKey} is one the Lambda could issue. */
    public UploadKey {
        String key = PREFIX + owner + '/' + uploadId + '/' + fileName;
        if (owner == null || uploadId == null || fileName == null || !LAYOUT.matcher(key).matches()) {
            throw new IllegalArgumentException(describeMismatch(key));
        }
    }

    /**
     * Splits an issued key into its parts.
     *
     * @throws IllegalArgumentException naming the layout and the key given, when {@code key} is not in it
     */
    public static UploadKey parse(String key) {
        Matcher m = key == null ? null : LAYOUT.matcher(key);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(describeMismatch(key));
        }
        return new UploadKey(m.group(1), m.group(2), m.group(3));
    }

    /** The object key, {@code uploads/<owner>/<uploadId>/<fileName>}. */
    public String key() {
        return PREFIX + owner + '/' + uploadId + '/' + fileName;
    }

    /** The ledger sort key of this upload's grant. */
    public String grantItem() {
        return ItemKeys.grant(uploadId);
    }

    @Override
    public String toString() {
        return key();
    }

    private static String describeMismatch(String key) {
        return "object key must be " + PREFIX + "<owner>/<uploadId>/<fileName> with owner 1 to " + MAX_OWNER_LENGTH
                + " characters of [a-z2-7], uploadId a lowercase UUID and fileName 1 to " + MAX_FILE_NAME_LENGTH
                + " characters of [A-Za-z0-9._-], but " + (key == null ? "no key" : '"' + key + '"') + " was given";
    }
}
