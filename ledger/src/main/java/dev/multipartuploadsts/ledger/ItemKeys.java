package dev.multipartuploadsts.ledger;

import java.util.Optional;

/** Sort key values of the ledger table ({@link LedgerAttributes#ITEM}). */
public final class ItemKeys {

    /**
     * What every grant's sort key starts with. Upload ids are time-ordered (UUID version 7), so a Query with
     * {@code begins_with(item, :prefix)} and {@code ScanIndexForward=false} lists an owner's uploads newest first.
     */
    public static final String GRANT_PREFIX = "upload#";

    /** The sort key of an owner's quota item. */
    public static final String QUOTA = "quota";

    private ItemKeys() {
    }

    /** The sort key of the grant for {@code uploadId}. */
    public static String grant(String uploadId) {
        if (uploadId == null || uploadId.isEmpty()) {
            throw new IllegalArgumentException("uploadId must be a non-empty string, but " + uploadId + " was given");
        }
        return GRANT_PREFIX + uploadId;
    }

    /** The upload id of a grant's sort key, or empty when {@code item} is not a grant's sort key. */
    public static Optional<String> uploadIdOf(String item) {
        if (item == null || !item.startsWith(GRANT_PREFIX) || item.length() == GRANT_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(item.substring(GRANT_PREFIX.length()));
    }
}
