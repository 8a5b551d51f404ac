package dev.multipartuploadsts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrantStateTest {

    @Test
    void storesEachStateAsItsLowerCaseName() {
        assertThat(GrantState.values()).extracting(GrantState::attributeValue)
                .containsExactly("granted", "completed", "rejected", "aborted", "expired");
    }

    @Test
    void readsBackEveryStoredValue() {
        for (GrantState state : GrantState.values()) {
            assertThat(GrantState.fromAttributeValue(state.attributeValue())).contains(state);
        }
    }

    @Test
    void readsNothingFromAnUnknownOrMissingValue() {
        assertThat(GrantState.fromAttributeValue("GRANTED")).isEmpty();
        assertThat(GrantState.fromAttributeValue("pending")).isEmpty();
        assertThat(GrantState.fromAttributeValue(null)).isEmpty();
    }

    @Test
    void rejectionReasonsAreStoredInLowerCase() {
        assertThat(RejectionReason.values()).extracting(RejectionReason::attributeValue)
                .containsExactly("no_grant", "grant_not_open", "key_mismatch", "size_mismatch",
                        "overwritten_after_completion");
    }
}
