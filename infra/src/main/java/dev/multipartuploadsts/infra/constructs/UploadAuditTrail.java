package dev.multipartuploadsts.infra.constructs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * A CloudTrail trail that records every write to the upload bucket's objects: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload, PutObject and DeleteObject, allowed or denied, each with the
 * caller's identity (for vended credentials: the upload role session and its SourceIdentity). S3 object-level
 * calls are data events, which CloudTrail logs only where a trail or event data store asks for them.
 *
 * <p>Only write data events of this one bucket are selected (advanced event selectors), no management events and
 * no reads, so the trail costs per upload part, not per account activity. Log files go to a bucket of their own:
 * SSE-S3 encrypted, public access blocked, TLS only, ACLs off, retained when the stack is deleted, with log file
 * validation (signed digest files) on; its policy lets CloudTrail write only for this trail ({@code aws:SourceArn}).
 */
public final class UploadAuditTrail extends Construct {
    private final CfnTrail trail;
    private final IBucket logBucket;

    /**
     * Props for {@link UploadAuditTrail}.
     *
     * @param trailName     the trail's name, unique in the account and region (its ARN goes in the bucket policy)
     * @param uploadBucket  the bucket whose object writes are logged
     * @param accessLogs    where the log bucket's own server access logs go
     * @param retentionDays days log files are kept
     */
    public record Props(String trailName, IBucket uploadBucket, IBucket accessLogs, int retentionDays) {
        public Props {
            Required.prop("UploadAuditTrail.Props.trailName", trailName);
            Required.prop("UploadAuditTrail.Props.uploadBucket", uploadBucket);
            Required.prop("UploadAuditTrail.Props.accessLogs", accessLogs);
        }
    }

    public UploadAuditTrail(Construct scope, String id, Props props) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String trailArn = stack.formatArn(ArnComponents.builder()
                .service("cloudtrail").resource("trail").resourceName(props.trailName()).build());
        this.logBucket = LogsBucket.forCloudTrail(this, "Logs", props.retentionDays(), props.accessLogs(),
                "audit-trail-bucket/").bucket();

        // The two statements CloudTrail's documentation gives for a trail's bucket, each narrowed to this trail.
        ServicePrincipal cloudTrail = new ServicePrincipal("cloudtrail.amazonaws.com");
        logBucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudTrailAclCheck")
                .effect(Effect.ALLOW)
                .principals(List.of(cloudTrail))
                .actions(List.of("s3:GetBucketAcl"))
                .resources(List.of(logBucket.getBucketArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceArn", trailArn)))
                .build());
        logBucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudTrailWrite")
                .effect(Effect.ALLOW)
                .principals(List.of(cloudTrail))
                .actions(List.of("s3:PutObject"))
                .resources(List.of(logBucket.arnForObjects("AWSLogs/" + stack.getAccount() + "/*")))
                // Sorted: Map.of iterates in an order that changes from one JVM to the next, and so would the template.
                .conditions(Map.of("StringEquals", new TreeMap<>(Map.of(
                        "s3:x-amz-acl", "bucket-owner-full-control",
                        "aws:SourceArn", trailArn))))
                .build());

        this.trail = CfnTrail.Builder.create(this, "Trail")
                .trailName(props.trailName())
                .s3BucketName(logBucket.getBucketName())
                .isLogging(true)
                .enableLogFileValidation(true)
                // The bucket lives in this region and its data events are recorded here; nothing global to add.
                .isMultiRegionTrail(false)
                .includeGlobalServiceEvents(false)
                .advancedEventSelectors(List.of(CfnTrail.AdvancedEventSelectorProperty.builder()
                        .name("Writes to the upload bucket's objects")
                        .fieldSelectors(List.of(
                                fieldEquals("eventCategory", "Data"),
                                fieldEquals("resources.type", "AWS::S3::Object"),
                                fieldEquals("readOnly", "false"),
                                CfnTrail.AdvancedFieldSelectorProperty.builder()
                                        .field("resources.ARN")
                                        .startsWith(List.of(props.uploadBucket().getBucketArn() + "/"))
                                        .build()))
                        .build()))
                .build();
        // CloudTrail checks that it may write when the trail is created, so the policy must exist first.
        trail.getNode().addDependency(logBucket.getPolicy());
    }

    private static CfnTrail.AdvancedFieldSelectorProperty fieldEquals(String field, String value) {
        return CfnTrail.AdvancedFieldSelectorProperty.builder().field(field).equalTo(List.of(value)).build();
    }

    /** The trail's ARN. */
    public String trailArn() {
        return trail.getAttrArn();
    }

    /** The bucket the trail's log files go to. */
    public IBucket logBucket() {
        return logBucket;
    }
}
