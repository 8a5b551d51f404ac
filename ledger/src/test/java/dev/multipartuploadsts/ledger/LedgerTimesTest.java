package dev.multipartuploadsts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerTimesTest {

    @Test
    void alwaysWritesThreeFractionDigitsInUtc() {
        assertThat(LedgerTimes.format(Instant.parse("2026-12-02T00:41:05Z"))).isEqualTo("2026-12-02T00:41:05.000Z");
        assertThat(LedgerTimes.format(Instant.parse("2026-12-02T00:41:05.123456Z")))
                .isEqualTo("2026-12-02T00:41:05.123Z");
    }

    @Test
    void formattedTimesSortLikeTheInstants() {
        String whole = LedgerTimes.format(Instant.parse("2026-12-02T00:41:05Z"));
        String later = LedgerTimes.format(Instant.parse("2026-12-02T00:41:05.120Z"));

        assertThat(whole).isLessThan(later);
    }
}
