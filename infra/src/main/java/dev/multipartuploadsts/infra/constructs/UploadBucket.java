package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.BlockedEncryptionType;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketMetrics;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The private bucket users upload into. Public access is blocked, plain HTTP and TLS below 1.2 are denied, objects
 * are encrypted at rest (SSE-C is refused so no uploader can lock objects with a key only they hold), ACLs are off,
 * forgotten multipart uploads are aborted, and the bucket outlives its stack because it holds users' files.
 */
public final class UploadBucket extends Construct {
    /** Every upload key starts with this prefix; the upload role may write nowhere else. */
    public static final String UPLOAD_PREFIX = "uploads/";

    /** Where the verifier keeps rejected objects in {@code QUARANTINE} mode: outside every user credential's reach. */
    public static final String QUARANTINE_PREFIX = "quarantine/";

    /**
     * Request headers the page's S3 client sends (SigV4, CRC32 checksums, and the file's original name as
     * user metadata, since the key holds only a cleaned copy of it); kept equal to
     * {@code S3_REQUEST_HEADERS} in {@code web/src/uploader/s3-rest.ts} by a test.
     */
    public static final List<String> CORS_ALLOWED_HEADERS = List.of(
            "authorization",
            "content-type",
            "x-amz-checksum-algorithm",
            "x-amz-checksum-crc32",
            "x-amz-checksum-type",
            "x-amz-content-sha256",
            "x-amz-date",
            "x-amz-meta-original-name",
            "x-amz-security-token");

    /**
     * Response headers the page reads: the part ETag (CompleteMultipartUpload needs it), the part checksum, and
     * the request id for error reports; {@code S3_RESPONSE_HEADERS} in the page plus {@code x-amz-request-id}.
     */
    public static final List<String> CORS_EXPOSED_HEADERS = List.of(
            "ETag",
            "x-amz-checksum-crc32",
            "x-amz-request-id");

    private final Bucket bucket;
    private final Optional<IKey> encryptionKey;

    /**
     * Props for {@link UploadBucket}, built by name with {@link #builder()}.
     *
     * @param corsOrigins                     origins the browser uploads from, the page's first; required, at least one
     * @param corsMaxAgeSeconds               how long browsers may cache preflight answers; default 3600
     * @param abortIncompleteUploadsAfterDays lifecycle rule for forgotten multipart uploads; default 2
     * @param encryption                      S3-managed keys or a customer managed KMS key; default S3-managed
     * @param transferAcceleration            S3 Transfer Acceleration on the bucket (its
     *                                        {@code <bucket>.s3-accelerate.amazonaws.com} endpoint answers); default false
     */
    public record Props(
            List<String> corsOrigins,
            int corsMaxAgeSeconds,
            int abortIncompleteUploadsAfterDays,
            AppConfig.BucketEncryption encryption,
            boolean transferAcceleration) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private List<String> corsOrigins;
            private int corsMaxAgeSeconds = AppConfig.DEFAULTS.corsMaxAgeSeconds();
            private int abortIncompleteUploadsAfterDays = AppConfig.DEFAULTS.abortIncompleteUploadsAfterDays();
            private AppConfig.BucketEncryption encryption = AppConfig.DEFAULTS.uploadBucketEncryption();
            private boolean transferAcceleration = AppConfig.DEFAULTS.transferAcceleration();

            private Builder() { }

            public Builder corsOrigins(List<String> value) {
                this.corsOrigins = List.copyOf(value);
                return this;
            }

            public Builder corsMaxAgeSeconds(int value) {
                this.corsMaxAgeSeconds = value;
                return this;
            }

            public Builder abortIncompleteUploadsAfterDays(int value) {
                this.abortIncompleteUploadsAfterDays = value;
                return this;
            }

            public Builder encryption(AppConfig.BucketEncryption value) {
                this.encryption = value;
                return this;
            }

            public Builder transferAcceleration(boolean value) {
                this.transferAcceleration = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("UploadBucket.Props.corsOrigins", corsOrigins), corsMaxAgeSeconds,
                        abortIncompleteUploadsAfterDays, encryption, transferAcceleration);
            }
        }
    }

    /** The upload bucket, writing its server access logs into {@code accessLogsBucket}. */
    public UploadBucket(Construct scope, String id, IBucket accessLogsBucket, Props props) {
        super(scope, id);
        if (props.corsOrigins().isEmpty()) {
            throw new IllegalArgumentException("UploadBucket needs at least one CORS origin (the page's), but none was given");
        }
        this.encryptionKey = props.encryption() == AppConfig.BucketEncryption.KMS
                ? Optional.of(Key.Builder.create(this, "Key")
                        .description("Encrypts uploaded objects in the multipart-upload-sts bucket")
                        .enableKeyRotation(true)
                        // Objects stay encrypted with this key after the stack is gone; deleting it would make them unreadable.
                        .removalPolicy(RemovalPolicy.RETAIN)
                        .build())
                : Optional.empty();

        Bucket.Builder builder = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .blockedEncryptionTypes(List.of(BlockedEncryptionType.SSE_C))
                .removalPolicy(RemovalPolicy.RETAIN)
                .serverAccessLogsBucket(accessLogsBucket)
                .serverAccessLogsPrefix("upload-bucket/")
                // Acceleration needs a bucket name without dots. The name is CloudFormation's, made from the stack
                // name (stackPrefix: letters, digits, hyphens), so it never has one; no bucketName is ever set here.
                // The CORS rule below applies at the accelerate endpoint as at the regional one.
                .transferAcceleration(props.transferAcceleration())
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("abort-incomplete-multipart-uploads")
                        .abortIncompleteMultipartUploadAfter(Duration.days(props.abortIncompleteUploadsAfterDays()))
                        .build()))
                .cors(List.of(CorsRule.builder()
                        .id("browser-multipart-upload")
                        .allowedOrigins(props.corsOrigins())
                        .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD,
                                HttpMethods.DELETE))
                        .allowedHeaders(CORS_ALLOWED_HEADERS)
                        .exposedHeaders(CORS_EXPOSED_HEADERS)
                        .maxAge(props.corsMaxAgeSeconds())
                        .build()));
        encryptionKey.ifPresentOrElse(
                key -> builder.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true),
                () -> builder.encryption(BucketEncryption.S3_MANAGED));
        this.bucket = builder.build();
        // Every event of this bucket goes to EventBridge's default bus, where the verifier's rule picks the Object
        // Created ones under uploads/. Set on the CloudFormation resource itself: the L2 eventBridgeEnabled would
        // add a custom resource and its Lambda to set the same thing.
        ((CfnBucket) bucket.getNode().getDefaultChild()).setNotificationConfiguration(
                CfnBucket.NotificationConfigurationProperty.builder()
                        .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder()
                                .eventBridgeEnabled(true).build())
                        .build());
    }

    public IBucket bucket() {
        return bucket;
    }

    /**
     * Turns on S3 request metrics (CloudWatch, per minute, billed as custom metrics) for the objects under
     * {@code prefix}, published with the dimension {@code FilterId=id}: BytesUploaded, PutRequests, 4xxErrors and more.
     */
    public void addRequestMetrics(String id, String prefix) {
        bucket.addMetric(BucketMetrics.builder().id(id).prefix(prefix).build());
    }

    public Optional<IKey> encryptionKey() {
        return encryptionKey;
    }

    /**
     * Grants exactly what a browser multipart upload needs under {@code uploads/}: {@code s3:PutObject}
     * (CreateMultipartUpload, UploadPart, CompleteMultipartUpload and a single-request PutObject),
     * {@code s3:AbortMultipartUpload} and {@code s3:ListMultipartUploadParts} (ListParts, for resume). With a KMS
     * key, also {@code kms:GenerateDataKey} and {@code kms:Decrypt} on that key, only through S3. Unlike
     * {@code grantPut} it adds no tagging, ACL, retention or legal-hold action.
     */
    public Grant grantMultipartUpload(IGrantable grantee) {
        Grant s3 = grant(grantee, List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                List.of(bucket.arnForObjects(UPLOAD_PREFIX + "*")), Map.of());
        grantKeyThroughS3(grantee);
        return s3;
    }

    /**
     * Grants what the verifier needs under {@code uploads/}: {@code s3:GetObject} (HeadObject is authorized as
     * GetObject; the verifier reads metadata only) and {@code s3:DeleteObject} (a rejected object, with
     * {@code If-Match}). No listing, no write, nothing outside {@code uploads/}.
     */
    public Grant grantVerification(IGrantable grantee) {
        return grant(grantee, List.of("s3:GetObject", "s3:DeleteObject"),
                List.of(bucket.arnForObjects(UPLOAD_PREFIX + "*")), Map.of());
    }

    /**
     * Grants the verifier's quarantine copy: {@code s3:PutObject} under {@code quarantine/} only (a server-side
     * CopyObject reads the source with the {@code s3:GetObject} of {@link #grantVerification}). With a KMS key,
     * also {@code kms:Decrypt} and {@code kms:GenerateDataKey} on that key, only through S3, which the copy needs.
     */
    public Grant grantQuarantineCopy(IGrantable grantee) {
        Grant s3 = grant(grantee, List.of("s3:PutObject"), List.of(bucket.arnForObjects(QUARANTINE_PREFIX + "*")),
                Map.of());
        grantKeyThroughS3(grantee);
        return s3;
    }

    /** With a KMS key: {@code kms:GenerateDataKey} and {@code kms:Decrypt} on it, only when S3 makes the call. */
    private void grantKeyThroughS3(IGrantable grantee) {
        encryptionKey.ifPresent(key -> grant(grantee, List.of("kms:GenerateDataKey", "kms:Decrypt"),
                List.of(key.getKeyArn()),
                Map.of("StringEquals", Map.of("kms:ViaService", "s3." + Stack.of(this).getRegion() + ".amazonaws.com"))));
    }

    /** The one path every grant of this bucket takes: an identity policy statement on the grantee. */
    private static Grant grant(IGrantable grantee, List<String> actions, List<String> resources,
            Map<String, Map<String, Object>> conditions) {
        GrantOnPrincipalOptions.Builder options = GrantOnPrincipalOptions.builder()
                .grantee(grantee).actions(actions).resourceArns(resources);
        if (!conditions.isEmpty()) {
            options.conditions(conditions);
        }
        return Grant.addToPrincipal(options.build());
    }
}
