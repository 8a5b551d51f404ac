package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The credentials Lambda and the two roles it stands between, created in the order that keeps them free of a
 * dependency cycle: (1) the execution role, trusted by Lambda, with no policies of its own; (2) the upload role,
 * whose trust names that execution role; (3) the execution role's permission to assume the upload role, as a
 * separate policy resource; (4) the function, given the execution role and the upload role's ARN.
 */
public final class CredentialsFunction extends Construct {
    /** The handler inside the jar built from {@code lambda/}. */
    public static final String HANDLER = "dev.multipartuploadsts.credentials.CredentialsHandler::handleRequest";
    /** SnapStart restores published versions only, so the API calls this alias, never $LATEST. */
    public static final String ALIAS_NAME = "live";

    private final Role executionRole;
    private final Role uploadRole;
    private final Function function;
    private final Alias alias;
    private final LogGroup logGroup;

    /**
     * Props for {@link CredentialsFunction}, built by name with {@link #builder()}.
     *
     * @param jar                        the deployment jar; required
     * @param uploadBucket               the bucket the upload role may write under {@code uploads/}; required
     * @param credentialDurationSeconds  STS session duration, 900-3600; default 900
     * @param maxUploadSizeBytes         largest declared file size the handler accepts; default 5 TiB
     * @param extraTrustedPrincipalArns  operators that may also assume the upload role; default none
     * @param memorySize                 function memory in MB; default 1024
     * @param timeoutSeconds             function timeout; default 10
     * @param stsTimeoutMillis           the handler's budget for one STS call ({@code STS_TIMEOUT_MILLIS}), well
     *                                   inside the timeout; default 5000
     * @param logRetentionDays           function log retention; default 30
     * @param ledger                     the ledger table the function records grants and quotas in; required
     * @param maxOpenUploadsPerUser      open grants a user may hold at once; default 20
     * @param maxBytesPerUserPerDay      declared bytes a user may start in 24 hours; default 1 TiB
     * @param grantMaxAgeSeconds         how long after its start a grant may be refreshed; default the abort window
     * @param abortIncompleteUploadsAfterDays the bucket's abort window, which bounds a grant's TTL; default 2
     */
    public record Props(
            Path jar,
            UploadBucket uploadBucket,
            int credentialDurationSeconds,
            long maxUploadSizeBytes,
            List<String> extraTrustedPrincipalArns,
            int memorySize,
            int timeoutSeconds,
            int stsTimeoutMillis,
            int logRetentionDays,
            UploadLedger ledger,
            int maxOpenUploadsPerUser,
            long maxBytesPerUserPerDay,
            int grantMaxAgeSeconds,
            int abortIncompleteUploadsAfterDays) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private Path jar;
            private UploadBucket uploadBucket;
            private int credentialDurationSeconds = AppConfig.DEFAULTS.credentialDurationSeconds();
            private long maxUploadSizeBytes = AppConfig.DEFAULTS.maxUploadSizeBytes();
            private List<String> extraTrustedPrincipalArns = List.of();
            private int memorySize = AppConfig.DEFAULTS.lambdaMemorySize();
            private int timeoutSeconds = AppConfig.DEFAULTS.lambdaTimeoutSeconds();
            private int stsTimeoutMillis = AppConfig.DEFAULTS.stsTimeoutMillis();
            private int logRetentionDays = AppConfig.DEFAULTS.logRetentionDays();
            private UploadLedger ledger;
            private int maxOpenUploadsPerUser = AppConfig.DEFAULTS.maxOpenUploadsPerUser();
            private long maxBytesPerUserPerDay = AppConfig.DEFAULTS.maxBytesPerUserPerDay();
            private int grantMaxAgeSeconds = AppConfig.DEFAULTS.grantMaxAgeSeconds();
            private int abortIncompleteUploadsAfterDays = AppConfig.DEFAULTS.abortIncompleteUploadsAfterDays();

            private Builder() { }

            public Builder jar(Path value) {
                this.jar = value;
                return this;
            }

            public Builder uploadBucket(UploadBucket value) {
                this.uploadBucket = value;
                return this;
            }

            public Builder credentialDurationSeconds(int value) {
                this.credentialDurationSeconds = value;
                return this;
            }

            public Builder maxUploadSizeBytes(long value) {
                this.maxUploadSizeBytes = value;
                return this;
            }

            public Builder extraTrustedPrincipalArns(List<String> value) {
                this.extraTrustedPrincipalArns = List.copyOf(value);
                return this;
            }

            public Builder memorySize(int value) {
                this.memorySize = value;
                return this;
            }

            public Builder timeoutSeconds(int value) {
                this.timeoutSeconds = value;
                return this;
            }

            public Builder stsTimeoutMillis(int value) {
                this.stsTimeoutMillis = value;
                return this;
            }

            public Builder logRetentionDays(int value) {
                this.logRetentionDays = value;
                return this;
            }

            public Builder ledger(UploadLedger value) {
                this.ledger = value;
                return this;
            }

            public Builder maxOpenUploadsPerUser(int value) {
                this.maxOpenUploadsPerUser = value;
                return this;
            }

            public Builder maxBytesPerUserPerDay(long value) {
                this.maxBytesPerUserPerDay = value;
                return this;
            }

            public Builder grantMaxAgeSeconds(int value) {
                this.grantMaxAgeSeconds = value;
                return this;
            }

            public Builder abortIncompleteUploadsAfterDays(int value) {
                this.abortIncompleteUploadsAfterDays = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("CredentialsFunction.Props.jar", jar),
                        Required.prop("CredentialsFunction.Props.uploadBucket", uploadBucket),
                        credentialDurationSeconds, maxUploadSizeBytes, extraTrustedPrincipalArns, memorySize,
                        timeoutSeconds, stsTimeoutMillis, logRetentionDays, Required.prop("CredentialsFunction.Props.ledger", ledger),
                        maxOpenUploadsPerUser, maxBytesPerUserPerDay, grantMaxAgeSeconds,
                        abortIncompleteUploadsAfterDays);
            }
        }
    }

    public CredentialsFunction(Construct scope, String id, Props props) {
        super(scope, id);

        // (1) Execution role: trusted by Lambda only, and created bare so the upload role can name it.
        this.executionRole = JavaFunctions.executionRole(this,
                "Runs the credentials Lambda; may only write its logs and assume the upload role");

        // (2) Upload role: its trust names the execution role (plus configured operators), with SetSourceIdentity
        // so every S3 request the browser signs is traceable in CloudTrail to the signed-in user.
        this.uploadRole = Role.Builder.create(this, "UploadRole")
                .assumedBy(executionRole)
                .maxSessionDuration(Duration.hours(1))
                .description("Assumed per upload with a session policy naming one object; at most multipart "
                        + "upload actions under uploads/")
                .build();
        List<IPrincipal> trusted = new ArrayList<>(List.of(executionRole));
        props.extraTrustedPrincipalArns().forEach(arn -> trusted.add(new ArnPrincipal(arn)));
        uploadRole.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                .actions(List.of("sts:SetSourceIdentity"))
                .principals(List.of(executionRole))
                .build());
        if (!props.extraTrustedPrincipalArns().isEmpty()) {
            uploadRole.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                    .actions(List.of("sts:AssumeRole", "sts:SetSourceIdentity"))
                    .principals(trusted.subList(1, trusted.size()))
                    .build());
        }
        props.uploadBucket().grantMultipartUpload(uploadRole);

        // (3) The execution role may assume the upload role: a separate policy resource, created after both roles.
        Policy assumeUploadRole = Policy.Builder.create(this, "AssumeUploadRolePolicy")
                .roles(List.of(executionRole))
                .statements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("sts:AssumeRole", "sts:SetSourceIdentity"))
                        .resources(List.of(uploadRole.getRoleArn()))
                        .build()))
                .build();

        // Grants and quota counters in the ledger (the role's default policy, created after the role).
        props.ledger().grantCredentialsAccess(executionRole);

        FunctionLogs logs = FunctionLogs.create(this, executionRole, props.logRetentionDays());
        this.logGroup = logs.logGroup();

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("UPLOAD_ROLE_ARN", uploadRole.getRoleArn());
        environment.put("UPLOAD_BUCKET_NAME", props.uploadBucket().bucket().getBucketName());
        environment.put("CREDENTIAL_DURATION_SECONDS", Integer.toString(props.credentialDurationSeconds()));
        environment.put("MAX_UPLOAD_SIZE_BYTES", Long.toString(props.maxUploadSizeBytes()));
        // A slow STS must end in the handler's 503 with Retry-After, not in a function timeout (a bare 5xx).
        environment.put("STS_TIMEOUT_MILLIS", Integer.toString(props.stsTimeoutMillis()));
        props.uploadBucket().encryptionKey().ifPresent(key -> environment.put("UPLOAD_KMS_KEY_ARN", key.getKeyArn()));
        environment.put("LEDGER_TABLE", props.ledger().table().getTableName());
        environment.put("MAX_OPEN_UPLOADS_PER_USER", Integer.toString(props.maxOpenUploadsPerUser()));
        environment.put("MAX_BYTES_PER_USER_PER_DAY", Long.toString(props.maxBytesPerUserPerDay()));
        environment.put("GRANT_MAX_AGE_SECONDS", Integer.toString(props.grantMaxAgeSeconds()));
        environment.put("ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS", Integer.toString(props.abortIncompleteUploadsAfterDays()));

        // (4) The function, with the execution role and the upload role's ARN.
        this.function = JavaFunctions.function(this, executionRole, logs, props.jar(), HANDLER)
                .description("Vends STS credentials that can write exactly one upload key")
                .memorySize(props.memorySize())
                .timeout(Duration.seconds(props.timeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .environment(environment)
                .build();
        // Publishing a SnapStart version runs the handler's init, which logs: let the permissions exist first.
        function.getNode().addDependency(assumeUploadRole, logs.writePolicy());
        // The warning asks whether versions get published: the alias below publishes one on every code change.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The API invokes the live alias of a published version");
        this.alias = Alias.Builder.create(this, "LiveAlias")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .build();

        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("Java 21 is the runtime this handler is built and tested for, with SnapStart on published "
                        + "versions; moving to a newer Java runtime is a deliberate, tested upgrade.")
                .build()));
        NagSuppressions.addResourceSuppressions(uploadRole, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("The upload role's ceiling is every key under uploads/; each vended session narrows it to one "
                        + "object with an inline session policy. The three actions are listed, not wildcarded.")
                .appliesTo(List.of(NagReferences.resourceArnWithSuffix(props.uploadBucket().bucket(),
                        "/" + UploadBucket.UPLOAD_PREFIX + "*")))
                .build()), true);
    }

    public IRole executionRole() {
        return executionRole;
    }

    public IRole uploadRole() {
        return uploadRole;
    }

    public IFunction function() {
        return function;
    }

    /** The function's log group: one JSON line per request (lambda/README.md, "Logging"). */
    public ILogGroup logGroup() {
        return logGroup;
    }

    /** The published, SnapStart-enabled alias the API invokes. */
    public Alias alias() {
        return alias;
    }
}
