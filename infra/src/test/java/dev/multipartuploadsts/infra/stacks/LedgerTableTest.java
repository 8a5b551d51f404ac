package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The upload ledger table in the storage stack, and the bucket's events that feed the verifier. */
class LedgerTableTest {
    private static final Template STORAGE = TestApps.template(TestApps.defaultStacks().storage());
    private static final Template API = TestApps.template(TestApps.defaultStacks().api());

    @Test
    void isOnDemandWithPointInTimeRecoveryEncryptionAndTtlOnExpiresAt() {
        STORAGE.resourceCountIs("AWS::DynamoDB::Table", 1);
        STORAGE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "owner", "KeyType", "HASH"),
                        Map.of("AttributeName", "item", "KeyType", "RANGE")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", "owner", "AttributeType", "S"),
                        Map.of("AttributeName", "item", "AttributeType", "S")),
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true)));
    }

    @Test
    void isRetainedWhenTheStackIsDeleted() {
        STORAGE.hasResource("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
    }

    @Test
    void usesTheAttributeNamesOfTheLedgerModule() throws IOException {
        String schema = Files.readString(TestApps.PATHS.root().resolve(
                "ledger/src/main/java/dev/multipartuploadsts/ledger/LedgerAttributes.java"));

        assertThat(schema).contains("OWNER = \"owner\"", "ITEM = \"item\"", "EXPIRES_AT = \"expiresAt\"");
    }

    @Test
    void sendsTheUploadBucketsEventsToEventBridgeWithoutACustomResource() {
        STORAGE.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Match.anyValue(),
                "NotificationConfiguration", Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true)))));
        STORAGE.resourceCountIs("Custom::S3BucketNotifications", 0);
    }

    @Test
    void theCredentialsLambdaMayReadWriteAndQueryTheLedgerButNotScanOrDelete() {
        API.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Action", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                                "dynamodb:UpdateItem"),
                        "Resource", Map.of("Fn::GetStackOutput", Match.objectLike(Map.of(
                                "StackName", "MultipartUploadSts-Storage",
                                "OutputName", Match.stringLikeRegexp(".*LedgerTable.*Arn.*"))))))))));
    }

    @Test
    void theCredentialsLambdaIsToldTheTableAndTheQuotaSettings() {
        API.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "dev.multipartuploadsts.credentials.CredentialsHandler::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "LEDGER_TABLE", Match.anyValue(),
                        "MAX_OPEN_UPLOADS_PER_USER", "20",
                        "MAX_BYTES_PER_USER_PER_DAY", "1099511627776",
                        "GRANT_MAX_AGE_SECONDS", "172800",
                        "ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS", "2"))))));
    }

    @Test
    void quotaSettingsFromContextReachTheCredentialsLambda() {
        Template api = Template.fromStack(TestApps.stacks(Map.of("maxOpenUploadsPerUser", 3,
                "maxBytesPerUserPerDay", 1_000_000, "abortIncompleteUploadsAfterDays", 7,
                "grantMaxAgeSeconds", 3600)).api());

        api.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "MAX_OPEN_UPLOADS_PER_USER", "3",
                        "MAX_BYTES_PER_USER_PER_DAY", "1000000",
                        "GRANT_MAX_AGE_SECONDS", "3600",
                        "ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS", "7"))))));
    }
}
