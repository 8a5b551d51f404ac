package dev.multipartuploadsts.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifierConfigTest {

    static Map<String, String> validEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGER_TABLE", "uploads-ledger");
        env.put("UPLOAD_BUCKET", "upload-bucket-1");
        env.put("EVENT_BUS_NAME", "uploads-app-bus");
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    @Test
    void readsTheSettingsAndDeletesRejectedObjectsByDefault() {
        VerifierConfig config = VerifierConfig.fromEnvironment(validEnvironment());

        assertThat(config).isEqualTo(new VerifierConfig("uploads-ledger", "upload-bucket-1", "uploads-app-bus",
                VerifierConfig.RejectedObjects.DELETE, "eu-west-1"));
    }

    @Test
    void quarantinesWhenAsked() {
        Map<String, String> env = validEnvironment();
        env.put("REJECTED_OBJECTS", "QUARANTINE");

        assertThat(VerifierConfig.fromEnvironment(env).rejectedObjects())
                .isEqualTo(VerifierConfig.RejectedObjects.QUARANTINE);
    }

    @Test
    void refusesAnUnknownModeNamingTheAllowedOnesAndTheValue() {
        Map<String, String> env = validEnvironment();
        env.put("REJECTED_OBJECTS", "delete");

        assertThatThrownBy(() -> VerifierConfig.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("REJECTED_OBJECTS must be DELETE (the default) or QUARANTINE, but \"delete\" was given");
    }

    @Test
    void refusesAMissingOrInvalidSetting() {
        Map<String, String> missing = validEnvironment();
        missing.remove("LEDGER_TABLE");
        Map<String, String> badBucket = validEnvironment();
        badBucket.put("UPLOAD_BUCKET", "Upload_Bucket");

        assertThatThrownBy(() -> VerifierConfig.fromEnvironment(missing))
                .hasMessage("LEDGER_TABLE must be set to a DynamoDB table name of 3 to 255 characters a-z, A-Z, 0-9, "
                        + "'_', '-' and '.', but it is not set");
        assertThatThrownBy(() -> VerifierConfig.fromEnvironment(badBucket))
                .hasMessage("UPLOAD_BUCKET must be an S3 bucket name of 3 to 63 characters a-z, 0-9, '.' and '-', "
                        + "but \"Upload_Bucket\" was given");
    }
}
