package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The CloudTrail trail that makes writes with vended credentials, and their SourceIdentity, auditable. */
class AuditTrailTest {
    private static final Template TEMPLATE = TestApps.template(TestApps.defaultStacks().storage());

    private static String logicalIdOf(String type, Map<String, Object> properties) {
        Map<String, Map<String, Object>> found = TEMPLATE.findResources(type, Map.of("Properties", properties));
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    @Test
    void logsOnlyWriteDataEventsOfTheUploadBucketsObjectsWithLogFileValidation() {
        TEMPLATE.resourceCountIs("AWS::CloudTrail::Trail", 1);
        String uploadBucket = logicalIdOf("AWS::S3::Bucket", Map.of("CorsConfiguration", Match.anyValue()));
        Map<String, Object> objectsOfTheUploadBucket = Map.of("Fn::Join", List.of("",
                List.of(Map.of("Fn::GetAtt", List.of(uploadBucket, "Arn")), "/")));
        TEMPLATE.hasResourceProperties("AWS::CloudTrail::Trail", Map.of(
                "TrailName", "MultipartUploadSts-upload-writes",
                "IsLogging", true,
                "EnableLogFileValidation", true,
                "IsMultiRegionTrail", false,
                "IncludeGlobalServiceEvents", false,
                "S3BucketName", Match.anyValue(),
                "AdvancedEventSelectors", List.of(Map.of(
                        "Name", "Writes to the upload bucket's objects",
                        "FieldSelectors", List.of(
                                Map.of("Field", "eventCategory", "Equals", List.of("Data")),
                                Map.of("Field", "resources.type", "Equals", List.of("AWS::S3::Object")),
                                Map.of("Field", "readOnly", "Equals", List.of("false")),
                                Map.of("Field", "resources.ARN", "StartsWith", List.of(objectsOfTheUploadBucket)))))));
    }

    @Test
    void writesIntoItsOwnEncryptedPrivateRetainedBucketWhoseAccessIsLogged() {
        String trailBucket = logicalIdOf("AWS::S3::Bucket", Map.of(
                "LoggingConfiguration", Map.of("DestinationBucketName", Match.anyValue(), "LogFilePrefix", "audit-trail-bucket/")));
        TEMPLATE.hasResource("AWS::S3::Bucket", Map.of(
                "Properties", Match.objectLike(Map.of(
                        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                        "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                        "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                                "ExpirationInDays", 365, "Status", "Enabled")))),
                        "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "audit-trail-bucket/")))),
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain"));
        TEMPLATE.hasResourceProperties("AWS::CloudTrail::Trail", Match.objectLike(Map.of(
                "S3BucketName", Map.of("Ref", trailBucket))));
        TEMPLATE.hasResource("AWS::CloudTrail::Trail", Match.objectLike(Map.of(
                "DependsOn", Match.arrayWith(List.of(Match.stringLikeRegexp("AuditTrailLogsBucketPolicy.*"))))));
    }

    @Test
    void letsCloudTrailWriteOnlyForThisTrailAndDeniesPlainHttp() {
        Map<String, Object> trailArn = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":cloudtrail:", Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"),
                ":trail/MultipartUploadSts-upload-writes")));
        Object denyPlainHttp = Match.objectLike(Map.of("Effect", "Deny", "Action", "s3:*",
                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
        Object aclCheck = Match.objectLike(Map.of("Sid", "CloudTrailAclCheck", "Effect", "Allow",
                "Principal", Map.of("Service", "cloudtrail.amazonaws.com"), "Action", "s3:GetBucketAcl",
                "Condition", Map.of("StringEquals", Map.of("aws:SourceArn", trailArn))));
        Object write = Match.objectLike(Map.of("Sid", "CloudTrailWrite", "Effect", "Allow",
                "Principal", Map.of("Service", "cloudtrail.amazonaws.com"), "Action", "s3:PutObject",
                "Condition", Map.of("StringEquals", Map.of(
                        "s3:x-amz-acl", "bucket-owner-full-control", "aws:SourceArn", trailArn))));
        TEMPLATE.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Match.anyValue(),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(denyPlainHttp, aclCheck, write)))));
    }

    @Test
    void auditTrailNoneLeavesTheTrailAndItsBucketOut() {
        Template template = TestApps.template(TestApps.stacks(Map.of("auditTrail", "NONE")).storage());
        template.resourceCountIs("AWS::CloudTrail::Trail", 0);
        template.resourceCountIs("AWS::S3::Bucket", 2);
    }

    @Test
    void theRetentionIsConfigurable() {
        Template template = TestApps.template(TestApps.stacks(Map.of("auditLogRetentionDays", 2557)).storage());
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "audit-trail-bucket/")),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of("ExpirationInDays", 2557)))))));
    }
}
