package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.config.AppConfig;
import dev.multipartuploadsts.infra.constructs.LogsBucket;
import dev.multipartuploadsts.infra.constructs.OpsMonitoring;
import dev.multipartuploadsts.infra.constructs.Required;
import dev.multipartuploadsts.infra.constructs.UploadAuditTrail;
import dev.multipartuploadsts.infra.constructs.UploadBucket;
import dev.multipartuploadsts.infra.constructs.UploadLedger;
import java.util.Optional;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * Second stack: the data. The upload bucket (and its KMS key, by configuration) with its access-log bucket, the
 * upload ledger table (both retained when the stack is deleted), and (by configuration) the CloudTrail trail that
 * records writes to the bucket's objects.
 */
public final class StorageStack extends Stack {
    private final UploadBucket uploadBucket;
    private final UploadLedger ledger;
    private final Optional<UploadAuditTrail> auditTrail;

    /**
     * Props for {@link StorageStack}, built by name with {@link #builder()}.
     *
     * @param uploads               the upload bucket's props; required
     * @param logRetentionDays      days the bucket's server access logs are kept; default 30
     * @param auditTrailName        the name of the trail that logs writes to the upload bucket's objects; empty
     *                              (default) creates no trail
     * @param auditLogRetentionDays days the trail's log files are kept; default 365
     * @param uploadRequestMetrics  whether S3 request metrics cover {@code uploads/} (the ops dashboard's bytes
     *                              uploaded); default true, as alarms are on by default
     */
    public record Props(UploadBucket.Props uploads, int logRetentionDays, Optional<String> auditTrailName,
            int auditLogRetentionDays, boolean uploadRequestMetrics) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private UploadBucket.Props uploads;
            private int logRetentionDays = AppConfig.DEFAULTS.logRetentionDays();
            private Optional<String> auditTrailName = Optional.empty();
            private int auditLogRetentionDays = AppConfig.DEFAULTS.auditLogRetentionDays();
            private boolean uploadRequestMetrics = AppConfig.DEFAULTS.alarms() == AppConfig.Alarms.CREATE;

            private Builder() { }

            public Builder uploads(UploadBucket.Props value) {
                this.uploads = value;
                return this;
            }

            public Builder logRetentionDays(int value) {
                this.logRetentionDays = value;
                return this;
            }

            public Builder auditTrailName(Optional<String> value) {
                this.auditTrailName = value;
                return this;
            }

            public Builder auditLogRetentionDays(int value) {
                this.auditLogRetentionDays = value;
                return this;
            }

            public Builder uploadRequestMetrics(boolean value) {
                this.uploadRequestMetrics = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("StorageStack.Props.uploads", uploads), logRetentionDays,
                        auditTrailName, auditLogRetentionDays, uploadRequestMetrics);
            }
        }
    }

    public StorageStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        LogsBucket logs = LogsBucket.forS3ServerAccessLogs(this, "AccessLogs", props.logRetentionDays());
        this.uploadBucket = new UploadBucket(this, "Uploads", logs.bucket(), props.uploads());
        if (props.uploadRequestMetrics()) {
            uploadBucket.addRequestMetrics(OpsMonitoring.UPLOAD_METRICS_FILTER_ID, UploadBucket.UPLOAD_PREFIX);
        }
        this.auditTrail = props.auditTrailName().map(name -> new UploadAuditTrail(this, "AuditTrail",
                new UploadAuditTrail.Props(name, uploadBucket.bucket(), logs.bucket(), props.auditLogRetentionDays())));
        auditTrail.ifPresent(trail -> CfnOutput.Builder.create(this, "AuditLogBucketName")
                .value(trail.logBucket().getBucketName())
                .description("CloudTrail log files of every write to the upload bucket's objects").build());
        this.ledger = new UploadLedger(this, "Ledger");
        CfnOutput.Builder.create(this, "LedgerTableName").value(ledger.table().getTableName())
                .description("The upload ledger: one item per grant (owner, upload#<id>), one quota item per owner").build();
        CfnOutput.Builder.create(this, "UploadBucketName").value(uploadBucket.bucket().getBucketName())
                .description("The private bucket uploads land in, under uploads/<owner>/").build();
    }

    public UploadBucket uploadBucket() {
        return uploadBucket;
    }

    public UploadLedger ledger() {
        return ledger;
    }

    /** The trail that records writes to the upload bucket's objects, unless configured away. */
    public Optional<UploadAuditTrail> auditTrail() {
        return auditTrail;
    }
}
