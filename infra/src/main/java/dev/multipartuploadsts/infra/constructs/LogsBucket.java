package dev.multipartuploadsts.infra.constructs;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/** A private bucket that receives access logs, retained on teardown and expiring logs after the retention period. */
public final class LogsBucket extends Construct {
    private final Bucket bucket;

    /**
     * @param retentionDays   days before a log object expires
     * @param forCloudFront   CloudFront's standard logging writes with ACLs, so such a bucket keeps
     *                        object-writer ownership; S3 server access logging works with ACLs disabled
     */
    public LogsBucket(Construct scope, String id, int retentionDays, boolean forCloudFront) {
        super(scope, id);
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(forCloudFront ? ObjectOwnership.OBJECT_WRITER : ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-logs")
                        .expiration(Duration.days(retentionDays))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        NagSuppressions.addResourceSuppressions(bucket, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This bucket is the access-log destination; logging its own accesses into itself would "
                        + "create a log record for every log delivery, without end.")
                .build()));
    }

    public IBucket bucket() {
        return bucket;
    }
}
