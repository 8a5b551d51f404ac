package dev.multipartuploadsts.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The ledger's knobs: quotas, the grant's maximum age and what happens to rejected objects. */
class LedgerConfigTest {

    private static AppConfig configWith(Map<String, Object> context) {
        return AppConfig.fromContext(context::get);
    }

    @Test
    void defaultsAreTwentyOpenUploadsOneTibPerDayTheAbortWindowAndDelete() {
        AppConfig config = configWith(Map.of());

        assertThat(config.maxOpenUploadsPerUser()).isEqualTo(20);
        assertThat(config.maxBytesPerUserPerDay()).isEqualTo(1024L * 1024 * 1024 * 1024);
        assertThat(config.grantMaxAgeSeconds()).isEqualTo(2 * 86_400);
        assertThat(config.rejectedObjects()).isEqualTo(AppConfig.RejectedObjects.DELETE);
    }

    @Test
    void theGrantsMaximumAgeFollowsTheAbortWindowUnlessSet() {
        assertThat(configWith(Map.of("abortIncompleteUploadsAfterDays", 7)).grantMaxAgeSeconds()).isEqualTo(7 * 86_400);
        assertThat(AppConfig.builder().abortIncompleteUploadsAfterDays(7).build().grantMaxAgeSeconds())
                .isEqualTo(7 * 86_400);
        assertThat(configWith(Map.of("grantMaxAgeSeconds", 3600)).grantMaxAgeSeconds()).isEqualTo(3600);
    }

    @Test
    void acceptsTheBoundsAndQuarantine() {
        AppConfig config = configWith(Map.of("maxOpenUploadsPerUser", 1000, "maxBytesPerUserPerDay",
                1024L * 1024 * 1024 * 1024 * 1024, "grantMaxAgeSeconds", 900, "rejectedObjects", "QUARANTINE"));

        assertThat(config.maxOpenUploadsPerUser()).isEqualTo(1000);
        assertThat(config.maxBytesPerUserPerDay()).isEqualTo(AppConfig.ONE_PIB);
        assertThat(config.grantMaxAgeSeconds()).isEqualTo(900);
        assertThat(config.rejectedObjects()).isEqualTo(AppConfig.RejectedObjects.QUARANTINE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxOpenUploadsPerUser|0|maxOpenUploadsPerUser must be a whole number from 1 to 1000, but \"0\" was given",
        "maxOpenUploadsPerUser|1001|maxOpenUploadsPerUser must be a whole number from 1 to 1000, but \"1001\" was given",
        "maxBytesPerUserPerDay|0|maxBytesPerUserPerDay must be a whole number from 1 to 1125899906842624, but \"0\" was given",
        "maxBytesPerUserPerDay|1125899906842625|maxBytesPerUserPerDay must be a whole number from 1 to 1125899906842624, but \"1125899906842625\" was given",
        "grantMaxAgeSeconds|899|grantMaxAgeSeconds must be a whole number from 900 to 172800, but \"899\" was given",
        "grantMaxAgeSeconds|172801|grantMaxAgeSeconds must be a whole number from 900 to 172800, but \"172801\" was given",
    })
    void refusesValuesOutsideTheirRangeNamingKeyRangeAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> configWith(Map.of(key, value)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(message);
    }

    @Test
    void theGrantsMaximumAgeMayNotOutliveAShorterAbortWindow() {
        assertThatThrownBy(() -> configWith(Map.of("abortIncompleteUploadsAfterDays", 1, "grantMaxAgeSeconds", 172800)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("grantMaxAgeSeconds must be a whole number from 900 to 86400, but 172800 was given");
    }

    @Test
    void refusesAnUnknownRejectedObjectsMode() {
        assertThatThrownBy(() -> configWith(Map.of("rejectedObjects", "KEEP")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("rejectedObjects must be one of [DELETE, QUARANTINE]")
                .hasMessageContaining("KEEP");
    }
}
