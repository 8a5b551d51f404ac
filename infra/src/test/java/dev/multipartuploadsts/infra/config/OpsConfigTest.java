package dev.multipartuploadsts.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipartuploadsts.infra.TestApps;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The operations knobs: the audit trail, the alarms and where they notify. */
class OpsConfigTest {

    private static AppConfig configWith(String key, Object value) {
        return AppConfig.fromContext(Map.of(key, value)::get);
    }

    @Test
    void cdkJsonDeclaresTheOpsKnobsWithTheirDefaults() {
        Map<String, Object> cdkJson = TestApps.cdkJsonContext();
        assertThat(cdkJson).containsEntry("auditTrail", "CREATE").containsEntry("auditLogRetentionDays", 365)
                .containsEntry("alarms", "CREATE").containsEntry("alarmEmail", "");
        AppConfig defaults = AppConfig.fromContext(Map.<String, Object>of()::get);
        assertThat(defaults.auditTrail()).isEqualTo(AppConfig.AuditTrail.CREATE);
        assertThat(defaults.auditLogRetentionDays()).isEqualTo(365);
        assertThat(defaults.alarms()).isEqualTo(AppConfig.Alarms.CREATE);
        assertThat(defaults.alarmEmail()).isEmpty();
    }

    @Test
    void acceptsTheSwitchesAndAnAddress() {
        assertThat(configWith("auditTrail", "NONE").auditTrail()).isEqualTo(AppConfig.AuditTrail.NONE);
        assertThat(configWith("alarms", "NONE").alarms()).isEqualTo(AppConfig.Alarms.NONE);
        assertThat(configWith("auditLogRetentionDays", "2557").auditLogRetentionDays()).isEqualTo(2557);
        assertThat(configWith("alarmEmail", "ops+uploads@example.co.uk").alarmEmail())
                .isEqualTo(Optional.of("ops+uploads@example.co.uk"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auditTrail|OFF|auditTrail must be one of [CREATE, NONE], but \"OFF\" was given",
        "alarms|false|alarms must be one of [CREATE, NONE], but \"false\" was given",
        "auditLogRetentionDays|0|auditLogRetentionDays must be a whole number from 1 to 3653, but \"0\" was given",
        "auditLogRetentionDays|3654|auditLogRetentionDays must be a whole number from 1 to 3653, but \"3654\" was given",
    })
    void rejectsAValueOutsideItsRangeNamingKeyRuleAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> configWith(key, value)).isInstanceOf(InvalidConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ops", "ops@", "@example.com", "ops@example", "Ops <ops@example.com>",
        "a@example.com,b@example.com", "ops@example..com", "ops @example.com"})
    void rejectsAnythingButOnePlainEmailAddress(String email) {
        assertThatThrownBy(() -> configWith("alarmEmail", email)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("alarmEmail must be one email address such as ops@example.com (no name, no list, at most "
                        + "254 characters), but \"" + email + "\" was given");
    }
}
