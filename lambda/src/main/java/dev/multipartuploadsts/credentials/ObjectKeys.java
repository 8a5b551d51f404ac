package dev.multipartuploadsts.credentials;

import java.util.regex.Pattern;

/**
 * The object key layout {@code uploads/<owner>/<upload id>/<file name>}.
 *
 * <p>Every character of a key is in {@code [A-Za-z0-9._/-]}: the owner is base32, the id a lowercase
 * UUID, the file name {@link FileNames#clean cleaned}. {@code /} occurs only as the three separators.
 */
public final class ObjectKeys {

    /** The prefix under which the upload role may write; the CDK stack's role policy uses the same. */
    public static final String PREFIX = "uploads/";

    /** Longest key this service issues: owner, a 36-character id, a file name and the separators. */
    public static final int MAX_LENGTH =
            PREFIX.length() + Owners.MAX_OWNER_LENGTH + 1 + 36 + 1 + FileNames.MAX_BYTES;

    private static final Pattern UPLOAD_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private ObjectKeys() {
    }

    /** The key for a new upload. {@code uploadId} is a lowercase UUID, {@code fileName} already clean. */
    public static String key(String owner, String uploadId, String fileName) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("uploadId must be a lowercase UUID, but " + uploadId + " was given");
        }
        if (!FileNames.isClean(fileName)) {
            throw new IllegalArgumentException("fileName must already be clean, but " + fileName + " was given");
        }
        return PREFIX + owner + '/' + uploadId + '/' + fileName;
    }

    /** The prefix that all of an owner's keys start with. */
    public static String ownerPrefix(String owner) {
        return PREFIX + owner + '/';
    }

    /**
     * Whether {@code key} is exactly the shape of a key that {@link #key} issues for {@code owner}: same
     * owner segment, a lowercase UUID, and a file name that cleaning leaves unchanged.
     */
    public static boolean isIssuedTo(String key, String owner) {
        String prefix = ownerPrefix(owner);
        if (key.length() > MAX_LENGTH || !key.startsWith(prefix)) {
            return false;
        }
        int idEnd = key.indexOf('/', prefix.length());
        if (idEnd < 0) {
            return false;
        }
        return UPLOAD_ID.matcher(key.substring(prefix.length(), idEnd)).matches()
                && FileNames.isClean(key.substring(idEnd + 1));
    }
}
