package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    static Map<String, String> validEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("UPLOAD_ROLE_ARN", "arn:aws:iam::123456789012:role/upload-role");
        env.put("UPLOAD_BUCKET_NAME", "uploads-bucket");
        env.put("CREDENTIAL_DURATION_SECONDS", "900");
        env.put("AWS_REGION", "eu-west-1");
        env.put("LEDGER_TABLE", "upload-ledger");
        return env;
    }

    @Test
    void readsEverySetting() {
        Map<String, String> env = validEnvironment();
        env.put("MAX_UPLOAD_SIZE_BYTES", "1073741824");

        Config config = Config.fromEnvironment(env);

        assertThat(config.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/upload-role");
        assertThat(config.partition()).isEqualTo("aws");
        assertThat(config.bucket()).isEqualTo("uploads-bucket");
        assertThat(config.durationSeconds()).isEqualTo(900);
        assertThat(config.maxUploadSize()).isEqualTo(1_073_741_824L);
        assertThat(config.region()).isEqualTo("eu-west-1");
    }

    @Test
    void maxUploadSizeDefaultsToFiveTebibytes() {
        assertThat(Config.fromEnvironment(validEnvironment()).maxUploadSize()).isEqualTo(5_497_558_138_880L);
    }

    @Test
    void stsTimeoutDefaultsToFiveSecondsAndTakesTheStacksValue() {
        Map<String, String> env = validEnvironment();
        assertThat(Config.fromEnvironment(env).stsTimeoutMillis()).isEqualTo(5_000);

        env.put("STS_TIMEOUT_MILLIS", "3000");
        assertThat(Config.fromEnvironment(env).stsTimeoutMillis()).isEqualTo(3_000);
    }

    @Test
    void rejectsAnStsTimeoutOutside500To29000WithTheRangeAndTheValue() {
        Map<String, String> env = validEnvironment();
        env.put("STS_TIMEOUT_MILLIS", "30000");

        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessage(
                "STS_TIMEOUT_MILLIS must be a whole number from 500 to 29000, but 30000 was given");
    }

    @Test
    void takesThePartitionFromTheRoleArn() {
        Map<String, String> env = validEnvironment();
        env.put("UPLOAD_ROLE_ARN", "arn:aws-us-gov:iam::123456789012:role/path/to/upload-role");

        assertThat(Config.fromEnvironment(env).partition()).isEqualTo("aws-us-gov");
    }

    @Test
    void acceptsTheWholeDurationRangeRoleChainingAllows() {
        Map<String, String> env = validEnvironment();
        env.put("CREDENTIAL_DURATION_SECONDS", "3600");

        assertThat(Config.fromEnvironment(env).durationSeconds()).isEqualTo(3600);
    }

    @Test
    void namesAMissingVariable() {
        Map<String, String> env = validEnvironment();
        env.remove("UPLOAD_BUCKET_NAME");

        assertThatThrownBy(() -> Config.fromEnvironment(env))
                .hasMessage("UPLOAD_BUCKET_NAME must be set, but it is missing");
    }

    @Test
    void namesABlankVariable() {
        Map<String, String> env = validEnvironment();
        env.put("UPLOAD_ROLE_ARN", " ");

        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessage("UPLOAD_ROLE_ARN must be set, but it is blank");
    }

    @Test
    void rejectsADurationOutsideNineHundredTo3600WithTheRangeAndTheValue() {
        Map<String, String> env = validEnvironment();
        env.put("CREDENTIAL_DURATION_SECONDS", "7200");

        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessage(
                "CREDENTIAL_DURATION_SECONDS must be a whole number from 900 to 3600, but 7200 was given");

        env.put("CREDENTIAL_DURATION_SECONDS", "899");
        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageContaining("but 899 was given");

        env.put("CREDENTIAL_DURATION_SECONDS", "15m");
        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageContaining("but 15m was given");
    }

    @Test
    void rejectsAMaxUploadSizeBeyondFiveTebibytes() {
        Map<String, String> env = validEnvironment();
        env.put("MAX_UPLOAD_SIZE_BYTES", "5497558138881");

        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessage(
                "MAX_UPLOAD_SIZE_BYTES must be a whole number from 1 to 5497558138880, but 5497558138881 was given");

        env.put("MAX_UPLOAD_SIZE_BYTES", "0");
        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageContaining("but 0 was given");
    }

    @Test
    void rejectsSomethingThatIsNotARoleArn() {
        Map<String, String> env = validEnvironment();
        env.put("UPLOAD_ROLE_ARN", "arn:aws:iam::123456789012:user/alice");

        assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessage("UPLOAD_ROLE_ARN must be an IAM role ARN"
                + " such as arn:aws:iam::123456789012:role/upload, but arn:aws:iam::123456789012:user/alice was given");
    }

    @Test
    void rejectsABucketNameThatWouldNeedEscapingInAPolicy() {
        for (String bucket : new String[] {"Upper", "a*b", "ab", "a..b", "-ab", "x".repeat(64), "${aws:username}"}) {
            Map<String, String> env = validEnvironment();
            env.put("UPLOAD_BUCKET_NAME", bucket);

            assertThatThrownBy(() -> Config.fromEnvironment(env)).as(bucket)
                    .hasMessageStartingWith("UPLOAD_BUCKET_NAME must be an S3 bucket name")
                    .hasMessageEndingWith("but " + bucket + " was given");
        }
    }

    @Test
    void hasNoKmsKeyUnlessTheStackSetsOne() {
        assertThat(Config.fromEnvironment(validEnvironment()).kmsKeyArn()).isNull();

        Map<String, String> env = validEnvironment();
        env.put("UPLOAD_KMS_KEY_ARN", "");
        assertThat(Config.fromEnvironment(env).kmsKeyArn()).isNull();
    }

    @Test
    void readsTheBucketsKmsKey() {
        Map<String, String> env = validEnvironment();
        env.put("UPLOAD_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

        assertThat(Config.fromEnvironment(env).kmsKeyArn())
                .isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

        env.put("UPLOAD_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab");
        assertThat(Config.fromEnvironment(env).kmsKeyArn()).endsWith(":key/mrk-1234abcd12ab34cd56ef1234567890ab");
    }

    @Test
    void rejectsAKmsKeyThatIsNotAKeyArnOfTheRolesPartition() {
        for (String arn : new String[] {"alias/uploads", "arn:aws:kms:eu-west-1:123456789012:alias/uploads",
            "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-west-1:123456789012:key/*"}) {
            Map<String, String> env = validEnvironment();
            env.put("UPLOAD_KMS_KEY_ARN", arn);

            assertThatThrownBy(() -> Config.fromEnvironment(env)).as(arn).hasMessage("UPLOAD_KMS_KEY_ARN must be unset,"
                    + " or a KMS key ARN in the role's partition (aws) such as"
                    + " arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, but " + arn
                    + " was given");
        }
    }

    @Test
    void rejectsARegionThatIsNotARegionName() {
        Map<String, String> env = validEnvironment();
        env.put("AWS_REGION", "eu west 1");

        assertThatThrownBy(() -> Config.fromEnvironment(env))
                .hasMessage("AWS_REGION must be a region name such as eu-west-1, but eu west 1 was given");
    }
}
