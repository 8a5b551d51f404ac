package dev.multipartuploadsts.ledger;

import java.util.Locale;

/** Why the verifier rejected an object; stored in {@link LedgerAttributes#REASON} and sent in the event. */
public enum RejectionReason {
    /**
     * No grant exists for the object's owner and upload id. Grants are keyed by owner, so this is also what an
     * object written under another owner's prefix finds: an owner mismatch cannot reach any grant.
     */
    NO_GRANT,
    /** The grant exists but was already aborted, expired or rejected when the object arrived. */
    GRANT_NOT_OPEN,
    /** The grant found for the object's owner and upload id names another key (another file name). */
    KEY_MISMATCH,
    /** The object's size differs from the size the user declared. */
    SIZE_MISMATCH,
    /** The grant was completed, then the key was written again with credentials that were still valid. */
    OVERWRITTEN_AFTER_COMPLETION;

    /** The stored and published form: the name in lower case, e.g. {@code size_mismatch}. */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
