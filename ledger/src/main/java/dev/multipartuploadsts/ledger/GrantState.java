package dev.multipartuploadsts.ledger;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a grant. A grant starts {@link #GRANTED} and moves at most once to one of the final states;
 * the only later move is {@link #COMPLETED} to {@link #REJECTED}, when the verifier finds the completed object
 * overwritten by a write the grant did not allow.
 */
public enum GrantState {
    /** Credentials were vended for the key; the upload may be in progress. Holds an open-grant quota slot. */
    GRANTED,
    /** The verifier found the object as declared. */
    COMPLETED,
    /** The verifier found no matching open grant, another owner, or another size; the object was removed. */
    REJECTED,
    /** The user cancelled the upload. */
    ABORTED,
    /** The grant outlived its maximum age without an object. */
    EXPIRED;

    /** The value stored in the {@link LedgerAttributes#STATE} attribute: the name in lower case. */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state whose {@link #attributeValue()} is {@code value}, or empty for anything else (null included). */
    public static Optional<GrantState> fromAttributeValue(String value) {
        for (GrantState state : values()) {
            if (state.attributeValue().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
