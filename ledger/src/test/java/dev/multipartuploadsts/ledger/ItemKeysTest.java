package dev.multipartuploadsts.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ItemKeysTest {

    @Test
    void grantSortKeyIsUploadHashTheUploadId() {
        assertThat(ItemKeys.grant("01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f"))
                .isEqualTo("upload#01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f");
    }

    @Test
    void uploadIdOfReversesGrantAndIgnoresOtherItems() {
        assertThat(ItemKeys.uploadIdOf(ItemKeys.grant("abc"))).contains("abc");
        assertThat(ItemKeys.uploadIdOf(ItemKeys.QUOTA)).isEmpty();
        assertThat(ItemKeys.uploadIdOf("upload#")).isEmpty();
        assertThat(ItemKeys.uploadIdOf(null)).isEmpty();
    }

    @Test
    void timeOrderedUploadIdsSortNewestLastAsSortKeys() {
        // UUID version 7 puts the millisecond timestamp first, so string order of the sort keys is time order.
        String earlier = ItemKeys.grant("01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f");
        String later = ItemKeys.grant("01938a6e-7c3c-7000-8000-000000000000");

        assertThat(earlier).isLessThan(later);
    }

    @Test
    void refusesAnEmptyUploadId() {
        assertThatThrownBy(() -> ItemKeys.grant(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uploadId must be a non-empty string, but  was given");
    }
}
