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

    /** Who writes into the bucket, which decides whether it may keep ACLs. */
    private enum Writer {
        /** S3 server access logging delivers under the bucket policy, so ACLs stay off. */
        S3_SERVER_ACCESS_LOGGING(ObjectOwnership.BUCKET_OWNER_ENFORCED),
        /** CloudFront's standard logging writes with an ACL, so the bucket keeps object-writer ownership. */
        CLOUDFRONT_STANDARD_LOGGING(ObjectOwnership.OBJECT_WRITER),
        /** CloudTrail writes under the bucket policy (its bucket-owner-full-control ACL is accepted with ACLs off). */
        CLOUDTRAIL(ObjectOwnership.BUCKET_OWNER_ENFORCED);

        private final ObjectOwnership ownership;

        Writer(ObjectOwnership ownership) {
            this.ownership = ownership;
        }
    }

    /** A bucket for S3 server access logs, expiring them after {@code retentionDays}. */
    public static LogsBucket forS3ServerAccessLogs(Construct scope, String id, int retentionDays) {
        return new LogsBucket(scope, id, retentionDays, Writer.S3_SERVER_ACCESS_LOGGING);
    }

    /** A bucket for CloudFront standard logs, expiring them after {@code retentionDays}. */
    public static LogsBucket forCloudFrontLogs(Construct scope, String id, int retentionDays) {
        return new LogsBucket(scope, id, retentionDays, Writer.CLOUDFRONT_STANDARD_LOGGING);
    }

    /**
     * A bucket for CloudTrail log files, expiring them after {@code retentionDays}. Who reads the audit logs is
     * itself worth a record: the bucket's own server access logs go to {@code accessLogs} under {@code accessLogPrefix}.
     */
    public static LogsBucket forCloudTrail(Construct scope, String id, int retentionDays, IBucket accessLogs,
            String accessLogPrefix) {
        return new LogsBucket(scope, id, retentionDays, Writer.CLOUDTRAIL, accessLogs, accessLogPrefix);
    }

    private LogsBucket(Construct scope, String id, int retentionDays, Writer writer) {
        this(scope, id, retentionDays, writer, null, null);
    }

    private LogsBucket(Construct scope, String id, int retentionDays, Writer writer, IBucket accessLogs,
            String accessLogPrefix) {
        super(scope, id);
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(accessLogPrefix)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(writer.ownership)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-logs")
                        .expiration(Duration.days(retentionDays))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        if (accessLogs != null) {
            return;
        }
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
