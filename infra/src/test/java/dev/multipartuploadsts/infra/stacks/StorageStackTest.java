package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StorageStackTest {
    private static final Template TEMPLATE = TestApps.template(TestApps.defaultStacks().storage());

    private static Map<String, Object> uploadBucketProperties() {
        Map<String, Map<String, Object>> buckets = TEMPLATE.findResources("AWS::S3::Bucket",
                Map.of("Properties", Map.of("CorsConfiguration", Match.anyValue())));
        assertThat(buckets).as("exactly one bucket has a CORS rule: the upload bucket").hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) buckets.values().iterator().next().get("Properties");
        return props;
    }

    @Test
    void blocksAllPublicAccessAndDisablesAcls() {
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Match.anyValue(),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))))));
    }

    @Test
    void encryptsAtRestWithS3ManagedKeysByDefaultAndRefusesCustomerProvidedKeys() {
        assertThat(uploadBucketProperties().get("BucketEncryption").toString())
                .contains("SSEAlgorithm=AES256")
                .contains("SSE-C");
    }

    @Test
    void deniesPlainHttpAndOldTlsInItsBucketPolicy() {
        TEMPLATE.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Effect", "Deny", "Action", "s3:*",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.objectLike(Map.of("Effect", "Deny", "Action", "s3:*",
                                "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)))))))))));
    }

    @Test
    void isRetainedWhenTheStackIsDeleted() {
        TEMPLATE.hasResource("AWS::S3::Bucket", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("CorsConfiguration", Match.anyValue())),
                "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
    }

    @Test
    void writesServerAccessLogsToItsOwnLogsBucket() {
        assertThat(uploadBucketProperties()).containsKey("LoggingConfiguration");
        assertThat(uploadBucketProperties().get("LoggingConfiguration").toString()).contains("upload-bucket/");
    }

    @Test
    void abortsIncompleteMultipartUploadsAfterTwoDaysByDefault() {
        assertThat(uploadBucketProperties().get("LifecycleConfiguration").toString())
                .contains("AbortIncompleteMultipartUpload={DaysAfterInitiation=2}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void corsAllowsOnlyThePageOriginWithTheMultipartMethodsAndExposesEtag() {
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = ((List<Map<String, Object>>) ((Map<String, Object>) uploadBucketProperties()
                .get("CorsConfiguration")).get("CorsRules")).get(0);
        assertThat((List<Object>) rule.get("AllowedOrigins")).hasSize(1);
        assertThat(rule.get("AllowedOrigins").toString()).contains("https://").containsPattern("SiteDistribution.*DomainName");
        assertThat((List<Object>) rule.get("AllowedMethods")).containsExactlyInAnyOrder("PUT", "POST", "GET", "HEAD", "DELETE");
        assertThat((List<Object>) rule.get("ExposedHeaders")).contains("ETag");
        assertThat((List<Object>) rule.get("AllowedHeaders")).contains("authorization", "x-amz-security-token",
                "x-amz-date", "x-amz-content-sha256").doesNotContain("*");
        assertThat(rule.get("MaxAge")).isEqualTo(3600);
    }

    @Test
    void configuredExtraOriginsAndLifecycleDaysReachTheBucket() {
        Template template = TestApps.template(TestApps.stacks(Map.of(
                "extraCorsOrigins", List.of("http://localhost:5173"),
                "abortIncompleteUploadsAfterDays", 7)).storage());
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Map.of("CorsRules", List.of(Match.objectLike(Map.of(
                        "AllowedOrigins", Match.arrayWith(List.of("http://localhost:5173")))))),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7))))))));
    }

    @Test
    void kmsEncryptionCreatesARotatingRetainedKeyUsedWithBucketKeys() {
        Template template = TestApps.template(TestApps.stacks(Map.of("uploadBucketEncryption", "KMS")).storage());
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        template.hasResource("AWS::KMS::Key", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
                        "BucketKeyEnabled", true,
                        "ServerSideEncryptionByDefault", Match.objectLike(Map.of("SSEAlgorithm", "aws:kms")))))))));
    }
}
