package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.constructs.LogsBucket;
import dev.multipartuploadsts.infra.constructs.UploadBucket;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** Second stack: the upload bucket (and its KMS key, by configuration) with its access-log bucket. */
public final class StorageStack extends Stack {
    private final UploadBucket uploadBucket;

    /**
     * @param corsOrigins                     the page's origin first, then configured extra origins
     * @param corsMaxAgeSeconds               preflight cache time
     * @param abortIncompleteUploadsAfterDays lifecycle rule for forgotten multipart uploads
     * @param kmsEncryption                   a customer managed key instead of S3-managed keys
     * @param logRetentionDays                days access logs are kept
     */
    public record Props(
            List<String> corsOrigins,
            int corsMaxAgeSeconds,
            int abortIncompleteUploadsAfterDays,
            boolean kmsEncryption,
            int logRetentionDays) { }

    public StorageStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        LogsBucket logs = new LogsBucket(this, "AccessLogs", props.logRetentionDays(), false);
        this.uploadBucket = new UploadBucket(this, "Uploads", new UploadBucket.Props(
                props.corsOrigins(), props.corsMaxAgeSeconds(), props.abortIncompleteUploadsAfterDays(),
                props.kmsEncryption(), logs.bucket()));
        CfnOutput.Builder.create(this, "UploadBucketName").value(uploadBucket.bucket().getBucketName())
                .description("The private bucket uploads land in, under uploads/<owner>/").build();
    }

    public UploadBucket uploadBucket() {
        return uploadBucket;
    }
}
