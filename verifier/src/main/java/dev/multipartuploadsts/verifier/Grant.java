package dev.multipartuploadsts.verifier;

import dev.multipartuploadsts.ledger.GrantState;
import dev.multipartuploadsts.ledger.LedgerAttributes;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fields of a grant item the verifier decides on and publishes.
 *
 * @param key the object key the grant allows
 * @param fileName the name as the user gave it, or null
 * @param declaredSize the size the user declared
 * @param contentType the declared content type, or null
 * @param state the grant's state
 * @param etag the verified object's ETag, once completed or rejected, or null
 * @param reason why it was rejected, aborted or expired, or null
 * @param completedAt when the verifier completed it, or null
 */
record Grant(String key, String fileName, long declaredSize, String contentType, GrantState state, String etag,
        String reason, String completedAt) {

    /**
     * Reads a grant item.
     *
     * @throws IllegalStateException naming the attribute, when the item lacks {@code key}, {@code declaredSize} or
     *     a known {@code state}: a ledger item no writer of this project produces
     */
    static Grant fromItem(Map<String, AttributeValue> item) {
        String key = string(item, LedgerAttributes.KEY);
        if (key == null) {
            throw unreadable(LedgerAttributes.KEY, "a string", item.get(LedgerAttributes.KEY));
        }
        AttributeValue size = item.get(LedgerAttributes.DECLARED_SIZE);
        long declaredSize;
        try {
            declaredSize = Long.parseLong(size == null || size.n() == null ? "" : size.n());
        } catch (NumberFormatException e) {
            throw unreadable(LedgerAttributes.DECLARED_SIZE, "a whole number", size);
        }
        String stateValue = string(item, LedgerAttributes.STATE);
        GrantState state = GrantState.fromAttributeValue(stateValue).orElseThrow(() -> unreadable(
                LedgerAttributes.STATE, "one of granted, completed, rejected, aborted, expired",
                item.get(LedgerAttributes.STATE)));
        return new Grant(key, string(item, LedgerAttributes.FILE_NAME), declaredSize,
                string(item, LedgerAttributes.CONTENT_TYPE), state, string(item, LedgerAttributes.ETAG),
                string(item, LedgerAttributes.REASON), string(item, LedgerAttributes.COMPLETED_AT));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static IllegalStateException unreadable(String name, String expected, AttributeValue given) {
        return new IllegalStateException("the grant's " + name + " must be " + expected + ", but "
                + (given == null ? "it is missing" : given + " is stored"));
    }
}
