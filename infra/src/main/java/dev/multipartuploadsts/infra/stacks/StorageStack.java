package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.config.AppConfig;
import dev.multipartuploadsts.infra.constructs.LogsBucket;
import dev.multipartuploadsts.infra.constructs.Required;
import dev.multipartuploadsts.infra.constructs.UploadBucket;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** Second stack: the upload bucket (and its KMS key, by configuration) with its access-log bucket. */
public final class StorageStack extends Stack {
    private final UploadBucket uploadBucket;

    /**
     * Props for {@link StorageStack}, built by name with {@link #builder()}.
     *
     * @param uploads          the upload bucket's props; required
     * @param logRetentionDays days the bucket's server access logs are kept; default 30
     */
    public record Props(UploadBucket.Props uploads, int logRetentionDays) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private UploadBucket.Props uploads;
            private int logRetentionDays = AppConfig.DEFAULTS.logRetentionDays();

            private Builder() { }

            public Builder uploads(UploadBucket.Props value) {
                this.uploads = value;
                return this;
            }

            public Builder logRetentionDays(int value) {
                this.logRetentionDays = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("StorageStack.Props.uploads", uploads), logRetentionDays);
            }
        }
    }

    public StorageStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        LogsBucket logs = LogsBucket.forS3ServerAccessLogs(this, "AccessLogs", props.logRetentionDays());
        this.uploadBucket = new UploadBucket(this, "Uploads", logs.bucket(), props.uploads());
        CfnOutput.Builder.create(this, "UploadBucketName").value(uploadBucket.bucket().getBucketName())
                .description("The private bucket uploads land in, under uploads/<owner>/").build();
    }

    public UploadBucket uploadBucket() {
        return uploadBucket;
    }
}
