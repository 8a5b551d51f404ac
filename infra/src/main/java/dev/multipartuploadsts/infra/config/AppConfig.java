package dev.multipartuploadsts.infra.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every deploy-time knob of the app, read from {@code cdk.json} context (or {@code cdk -c key=value}) and
 * validated before any construct is created. Built by name through {@link #builder()}, which starts from the
 * defaults documented below; a test keeps {@code cdk.json} equal to them.
 *
 * @param stackPrefix                      prefix of every stack name; default {@code MultipartUploadSts}
 * @param credentialDurationSeconds        lifetime of vended STS credentials; 900-3600 because the Lambda's
 *                                         AssumeRole is role chaining, capped at one hour; default 900
 * @param maxUploadSizeBytes               largest file the API accepts; 1 to 5 TiB (S3's object limit); default 5 TiB
 * @param abortIncompleteUploadsAfterDays  lifecycle rule that aborts forgotten multipart uploads; 1-365; default 2
 * @param uploadBucketEncryption           {@code S3_MANAGED} (default) or {@code KMS} (a customer managed key)
 * @param extraCorsOrigins                 origins allowed besides the CloudFront page, e.g. a dev server; default none
 * @param corsMaxAgeSeconds                how long browsers may cache CORS preflight answers; 0-86400; default 3600
 * @param uploadRoleExtraTrustedPrincipals IAM role or user ARNs (operators) that may also assume the upload role; default none
 * @param oidcIssuer                       external OIDC issuer URL; empty (default) creates a Cognito user pool instead
 * @param oidcAudience                     audience the API's JWT authorizer requires; required with {@code oidcIssuer}
 * @param oidcClientId                     client id the page signs in with; defaults to {@code oidcAudience}
 *                                         (these and the two keys below arrive together as {@link #externalOidc})
 * @param oidcApiScope                     the scope every API route requires in the issuer's access tokens;
 *                                         required with {@code oidcIssuer}; with Cognito the app's own
 *                                         {@code multipart-upload-sts/upload}
 * @param oidcTokenEndpointOrigin          origin of the issuer's token endpoint when it is not the issuer's own
 *                                         (Google's is {@code https://oauth2.googleapis.com}), added to the page's
 *                                         CSP connect-src; default none
 * @param signInScopes                     OAuth scopes the page asks for; default {@code openid email profile}
 * @param cognitoDomainPrefix              hosted sign-in domain prefix; empty (default) derives
 *                                         {@code <stackPrefix in lower case>-<account id>}, so two stack prefixes in
 *                                         one account and region get two domains
 * @param cognitoMfa                       {@code REQUIRED} (default) or {@code OPTIONAL}: TOTP multi-factor sign-in
 * @param apiThrottlingRateLimit           steady requests per second for the whole API; 1-10000; default 400,
 *                                         sized for 10,000 people uploading at once (README, "Scale")
 * @param apiThrottlingBurstLimit          burst requests for the whole API; 1-5000; default 1000
 * @param logRetentionDays                 retention of Lambda and API logs; a CloudWatch Logs retention value; default 30
 * @param lambdaMemorySize                 credentials Lambda memory in MB; 128-10240; default 1024
 * @param lambdaTimeoutSeconds             credentials Lambda timeout; 1-29 (the HTTP API waits at most 30 s); default 10
 * @param stsTimeoutMillis                 the most one STS call may take, retries included; 500-27000 and at most
 *                                         {@code lambdaTimeoutSeconds} x 1000 - 2000, so a slow STS ends in the
 *                                         handler's 503 with Retry-After, not a function timeout; default 5000
 * @param webPriceClass                    CloudFront price class: {@code PriceClass_100} (default), {@code _200} or {@code _All}
 * @param uploadConcurrency                parts the page uploads in parallel; 1-16; default 4
 * @param auditTrail                       {@code CREATE} (default): a CloudTrail trail logs every write to the upload
 *                                         bucket's objects (S3 data events) into its own log bucket; {@code NONE}
 *                                         when an organisation trail already logs this bucket's data events
 * @param auditLogRetentionDays            days the audit trail's log files are kept; 1-3653; default 365
 * @param alarms                           {@code CREATE} (default): CloudWatch alarms, an SNS topic and a dashboard;
 *                                         {@code NONE} leaves them out
 * @param alarmEmail                       an email address the alarm topic notifies (after it confirms); default none
 * @param maxOpenUploadsPerUser            grants a user may hold open (granted, not yet verified, aborted or
 *                                         expired) at once; 1-1000; default 20
 * @param maxBytesPerUserPerDay            declared bytes a user may start in any 24 hours; 1 B to 1 PiB; default 1 TiB
 * @param grantMaxAgeSeconds               how long after its start a grant's credentials may be refreshed; 900 to the
 *                                         abort window ({@code abortIncompleteUploadsAfterDays} in seconds), after
 *                                         which S3 has aborted the upload anyway; default that abort window
 * @param rejectedObjects                  {@code DELETE} (default) or {@code QUARANTINE} (copied under
 *                                         {@code quarantine/}, then deleted): what the verifier does with an object
 *                                         that fails verification
 * @param transferAcceleration             {@code true}: S3 Transfer Acceleration on the upload bucket, and the page
 *                                         sends every S3 request to {@code <bucket>.s3-accelerate.amazonaws.com};
 *                                         default {@code false} (the bucket's regional endpoint)
 */
public record AppConfig(
        String stackPrefix,
        int credentialDurationSeconds,
        long maxUploadSizeBytes,
        int abortIncompleteUploadsAfterDays,
        BucketEncryption uploadBucketEncryption,
        List<String> extraCorsOrigins,
        int corsMaxAgeSeconds,
        List<String> uploadRoleExtraTrustedPrincipals,
        Optional<ExternalOidc> externalOidc,
        String signInScopes,
        Optional<String> cognitoDomainPrefix,
        CognitoMfa cognitoMfa,
        int apiThrottlingRateLimit,
        int apiThrottlingBurstLimit,
        int logRetentionDays,
        int lambdaMemorySize,
        int lambdaTimeoutSeconds,
        int stsTimeoutMillis,
        String webPriceClass,
        int uploadConcurrency,
        AuditTrail auditTrail,
        int auditLogRetentionDays,
        Alarms alarms,
        Optional<String> alarmEmail,
        int maxOpenUploadsPerUser,
        long maxBytesPerUserPerDay,
        int grantMaxAgeSeconds,
        RejectedObjects rejectedObjects,
        boolean transferAcceleration) {

    /** S3's largest object: 5 TiB. */
    public static final long FIVE_TIB = 5L * 1024 * 1024 * 1024 * 1024;

    /** Default of {@code maxBytesPerUserPerDay}: 1 TiB. */
    public static final long ONE_TIB = 1024L * 1024 * 1024 * 1024;

    /** Upper bound of {@code maxBytesPerUserPerDay}: 1 PiB. */
    public static final long ONE_PIB = 1024L * ONE_TIB;

    /** Shortest {@code grantMaxAgeSeconds}: one shortest credential lifetime. */
    public static final int MIN_GRANT_MAX_AGE_SECONDS = 900;

    private static final int SECONDS_PER_DAY = 86_400;

    /** The retention values CloudWatch Logs accepts. */
    public static final List<Integer> LOG_RETENTION_VALUES = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** How the upload bucket encrypts objects at rest. */
    public enum BucketEncryption { S3_MANAGED, KMS }

    /** Whether the app creates its own CloudTrail trail for the upload bucket's object writes. */
    public enum AuditTrail { CREATE, NONE }

    /** Whether the app creates its alarms, their SNS topic and the dashboard. */
    public enum Alarms { CREATE, NONE }
    /** What the verifier does with an object that fails verification. */
    public enum RejectedObjects { DELETE, QUARANTINE }

    /** Whether Cognito asks every user for a TOTP code. */
    public enum CognitoMfa { REQUIRED, OPTIONAL }

    /** Time the handler needs besides its STS call (restore, the rest of the request, the answer). */
    public static final int STS_MARGIN_MILLIS = 2000;

    /**
     * An OIDC issuer other than the Cognito pool this app would otherwise create; built by name with
     * {@link #builder()}. Each component is the context key of the same name with the {@code oidc} prefix.
     *
     * @param issuer              the issuer URL, exactly as in the tokens' {@code iss} claim; required
     * @param audience            the audience the JWT authorizer requires; required
     * @param clientId            the client the page signs in with; default the audience
     * @param apiScope            the scope every API route requires; required
     * @param tokenEndpointOrigin the token endpoint's origin when it differs from the issuer's; default none
     */
    public record ExternalOidc(String issuer, String audience, String clientId, String apiScope,
            Optional<String> tokenEndpointOrigin) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above. */
        public static final class Builder {
            private String issuer;
            private String audience;
            private String clientId;
            private String apiScope;
            private Optional<String> tokenEndpointOrigin = Optional.empty();

            private Builder() { }

            public Builder issuer(String value) {
                this.issuer = value;
                return this;
            }

            public Builder audience(String value) {
                this.audience = value;
                return this;
            }

            public Builder clientId(String value) {
                this.clientId = value;
                return this;
            }

            public Builder apiScope(String value) {
                this.apiScope = value;
                return this;
            }

            public Builder tokenEndpointOrigin(Optional<String> value) {
                this.tokenEndpointOrigin = value;
                return this;
            }

            public ExternalOidc build() {
                return new ExternalOidc(issuer, audience, clientId == null ? audience : clientId, apiScope,
                        tokenEndpointOrigin);
            }
        }
    }

    /** Every knob at its documented default: what an empty {@code cdk.json} context gives. */
    public static final AppConfig DEFAULTS = builder().build();

    /** A builder starting from every documented default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reads and validates every knob; {@code context} is typically {@code app.getNode()::tryGetContext}. */
    public static AppConfig fromContext(Function<String, Object> context) {
        ContextReader r = new ContextReader(context);
        AppConfig d = DEFAULTS;
        String issuer = r.string("oidcIssuer", "");
        String audience = r.string("oidcAudience", "");
        String clientId = r.string("oidcClientId", "");
        String apiScope = r.string("oidcApiScope", "");
        String tokenEndpointOrigin = r.string("oidcTokenEndpointOrigin", "");
        Optional<ExternalOidc> externalOidc = externalOidc(issuer, audience, clientId, apiScope, tokenEndpointOrigin);
        String domainPrefix = r.string("cognitoDomainPrefix", "");
        if (!domainPrefix.isEmpty()) {
            Validation.cognitoDomainPrefix("cognitoDomainPrefix", domainPrefix);
        }
        String stackPrefix = r.string("stackPrefix", d.stackPrefix());
        Validation.matches("stackPrefix", stackPrefix, "[A-Za-z][A-Za-z0-9-]{0,63}",
                "a letter followed by up to 63 letters, digits or hyphens");
        if (domainPrefix.isEmpty() && externalOidc.isEmpty()) {
            Validation.derivedCognitoDomainPrefix(stackPrefix);
        }
        List<String> extraCorsOrigins = r.stringList("extraCorsOrigins", "extraCorsOrigins", Validation::corsOrigin);
        if (externalOidc.isEmpty()) {
            for (int i = 0; i < extraCorsOrigins.size(); i++) {
                Validation.cognitoCallbackOrigin("extraCorsOrigins[" + i + "]", extraCorsOrigins.get(i));
            }
        }
        int lambdaTimeoutSeconds = r.integer("lambdaTimeoutSeconds", d.lambdaTimeoutSeconds(), 1, 29);
        int stsTimeoutMillis = r.integer("stsTimeoutMillis", d.stsTimeoutMillis(), 500, 29_000 - STS_MARGIN_MILLIS);
        if (stsTimeoutMillis > lambdaTimeoutSeconds * 1000 - STS_MARGIN_MILLIS) {
            throw new InvalidConfigException("stsTimeoutMillis must be at most lambdaTimeoutSeconds x 1000 - "
                    + STS_MARGIN_MILLIS + " (the rest of the request needs time to answer before the function times "
                    + "out), so at most " + (lambdaTimeoutSeconds * 1000 - STS_MARGIN_MILLIS) + " with "
                    + "lambdaTimeoutSeconds " + lambdaTimeoutSeconds + ", but " + stsTimeoutMillis + " was given");
        }
        String scopes = r.string("signInScopes", d.signInScopes());
        Validation.matches("signInScopes", scopes, "openid( [A-Za-z0-9_.:/-]+)*",
                "space-separated OAuth scopes starting with openid");
        return builder()
                .stackPrefix(stackPrefix)
                .credentialDurationSeconds(r.integer("credentialDurationSeconds", d.credentialDurationSeconds(), 900, 3600))
                .maxUploadSizeBytes(r.longInteger("maxUploadSizeBytes", d.maxUploadSizeBytes(), 1, FIVE_TIB))
                .abortIncompleteUploadsAfterDays(r.integer("abortIncompleteUploadsAfterDays",
                        d.abortIncompleteUploadsAfterDays(), 1, 365))
                .uploadBucketEncryption(r.oneOf("uploadBucketEncryption", BucketEncryption.class,
                        d.uploadBucketEncryption()))
                .extraCorsOrigins(extraCorsOrigins)
                .corsMaxAgeSeconds(r.integer("corsMaxAgeSeconds", d.corsMaxAgeSeconds(), 0, 86_400))
                .uploadRoleExtraTrustedPrincipals(r.stringList("uploadRoleExtraTrustedPrincipals",
                        "uploadRoleExtraTrustedPrincipals", Validation::iamPrincipalArn))
                .externalOidc(externalOidc)
                .signInScopes(scopes)
                .cognitoDomainPrefix(domainPrefix.isEmpty() ? Optional.empty() : Optional.of(domainPrefix))
                .cognitoMfa(r.oneOf("cognitoMfa", CognitoMfa.class, d.cognitoMfa()))
                .apiThrottlingRateLimit(r.integer("apiThrottlingRateLimit", d.apiThrottlingRateLimit(), 1, 10_000))
                .apiThrottlingBurstLimit(r.integer("apiThrottlingBurstLimit", d.apiThrottlingBurstLimit(), 1, 5_000))
                .logRetentionDays(r.integerIn("logRetentionDays", d.logRetentionDays(), LOG_RETENTION_VALUES))
                .lambdaMemorySize(r.integer("lambdaMemorySize", d.lambdaMemorySize(), 128, 10_240))
                .lambdaTimeoutSeconds(lambdaTimeoutSeconds)
                .stsTimeoutMillis(stsTimeoutMillis)
                .webPriceClass(r.stringIn("webPriceClass", d.webPriceClass(),
                        List.of("PriceClass_100", "PriceClass_200", "PriceClass_All")))
                .uploadConcurrency(r.integer("uploadConcurrency", d.uploadConcurrency(), 1, 16))
                .auditTrail(r.oneOf("auditTrail", AuditTrail.class, d.auditTrail()))
                .auditLogRetentionDays(r.integer("auditLogRetentionDays", d.auditLogRetentionDays(), 1, 3653))
                .alarms(r.oneOf("alarms", Alarms.class, d.alarms()))
                .alarmEmail(alarmEmail(r.string("alarmEmail", "")))
                .maxOpenUploadsPerUser(r.integer("maxOpenUploadsPerUser", d.maxOpenUploadsPerUser(), 1, 1000))
                .maxBytesPerUserPerDay(r.longInteger("maxBytesPerUserPerDay", d.maxBytesPerUserPerDay(), 1, ONE_PIB))
                .grantMaxAgeSeconds(grantMaxAgeSeconds(r))
                .rejectedObjects(r.oneOf("rejectedObjects", RejectedObjects.class, d.rejectedObjects()))
                .transferAcceleration(r.bool("transferAcceleration", d.transferAcceleration()))
                .build();
    }

    private static Optional<String> alarmEmail(String email) {
        if (email.isEmpty()) {
            return Optional.empty();
        }
        Validation.emailAddress("alarmEmail", email);
        return Optional.of(email);
    }

    /** 900 s up to the abort window, whose length it defaults to; read after the window it depends on. */
    private static int grantMaxAgeSeconds(ContextReader r) {
        int abortWindowSeconds = r.integer("abortIncompleteUploadsAfterDays",
                DEFAULTS.abortIncompleteUploadsAfterDays(), 1, 365) * SECONDS_PER_DAY;
        return r.integer("grantMaxAgeSeconds", abortWindowSeconds, MIN_GRANT_MAX_AGE_SECONDS, abortWindowSeconds);
    }

    private static Optional<ExternalOidc> externalOidc(String issuer, String audience, String clientId,
            String apiScope, String tokenEndpointOrigin) {
        if (issuer.isEmpty()) {
            if (!audience.isEmpty() || !clientId.isEmpty() || !apiScope.isEmpty() || !tokenEndpointOrigin.isEmpty()) {
                throw new InvalidConfigException("oidcAudience, oidcClientId, oidcApiScope and oidcTokenEndpointOrigin "
                        + "apply only with oidcIssuer, but oidcIssuer is empty (which creates a Cognito user pool); "
                        + "set oidcIssuer or clear them");
            }
            return Optional.empty();
        }
        Validation.httpsUrl("oidcIssuer", issuer);
        if (audience.isEmpty()) {
            throw new InvalidConfigException("oidcAudience must be set when oidcIssuer is set (the API's JWT "
                    + "authorizer admits only tokens for that audience), but it is empty");
        }
        if (apiScope.isEmpty()) {
            throw new InvalidConfigException("oidcApiScope must be set when oidcIssuer is set (every API route "
                    + "requires this scope in the access token's scope or scp claim, so ID tokens are refused), "
                    + "but it is empty");
        }
        Validation.oauthScope("oidcApiScope", apiScope);
        if (!tokenEndpointOrigin.isEmpty()) {
            Validation.httpsOrigin("oidcTokenEndpointOrigin", tokenEndpointOrigin);
        }
        return Optional.of(ExternalOidc.builder()
                .issuer(issuer)
                .audience(audience)
                .clientId(clientId.isEmpty() ? audience : clientId)
                .apiScope(apiScope)
                .tokenEndpointOrigin(tokenEndpointOrigin.isEmpty() ? Optional.empty() : Optional.of(tokenEndpointOrigin))
                .build());
    }

    /** The hosted sign-in domain prefix: the configured one, or {@code <stackPrefix in lower case>-<accountId>}. */
    public String cognitoDomainPrefixIn(String accountId) {
        return cognitoDomainPrefix.orElse(Validation.derivedCognitoDomainPrefix(stackPrefix, accountId));
    }

    /**
     * Builds an {@link AppConfig} by name. Every field starts at the default documented on the record component
     * of the same name, so a test or tool sets only what it means to change. It does not validate: validation
     * belongs to {@link #fromContext}, which reads what operators write.
     */
    public static final class Builder {
        private String stackPrefix = "MultipartUploadSts";
        private int credentialDurationSeconds = 900;
        private long maxUploadSizeBytes = FIVE_TIB;
        private int abortIncompleteUploadsAfterDays = 2;
        private BucketEncryption uploadBucketEncryption = BucketEncryption.S3_MANAGED;
        private List<String> extraCorsOrigins = List.of();
        private int corsMaxAgeSeconds = 3600;
        private List<String> uploadRoleExtraTrustedPrincipals = List.of();
        private Optional<ExternalOidc> externalOidc = Optional.empty();
        private String signInScopes = "openid email profile";
        private Optional<String> cognitoDomainPrefix = Optional.empty();
        private CognitoMfa cognitoMfa = CognitoMfa.REQUIRED;
        private int apiThrottlingRateLimit = 400;
        private int apiThrottlingBurstLimit = 1000;
        private int logRetentionDays = 30;
        private int lambdaMemorySize = 1024;
        private int lambdaTimeoutSeconds = 10;
        private int stsTimeoutMillis = 5000;
        private String webPriceClass = "PriceClass_100";
        private int uploadConcurrency = 4;
        private AuditTrail auditTrail = AuditTrail.CREATE;
        private int auditLogRetentionDays = 365;
        private Alarms alarms = Alarms.CREATE;
        private Optional<String> alarmEmail = Optional.empty();
        private int maxOpenUploadsPerUser = 20;
        private long maxBytesPerUserPerDay = ONE_TIB;
        /** Null until set: then it follows {@code abortIncompleteUploadsAfterDays}, as its default does. */
        private Integer grantMaxAgeSeconds;
        private RejectedObjects rejectedObjects = RejectedObjects.DELETE;
        private boolean transferAcceleration = false;

        private Builder() { }

        public Builder stackPrefix(String value) {
            this.stackPrefix = value;
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

        public Builder abortIncompleteUploadsAfterDays(int value) {
            this.abortIncompleteUploadsAfterDays = value;
            return this;
        }

        public Builder uploadBucketEncryption(BucketEncryption value) {
            this.uploadBucketEncryption = value;
            return this;
        }

        public Builder extraCorsOrigins(List<String> value) {
            this.extraCorsOrigins = List.copyOf(value);
            return this;
        }

        public Builder corsMaxAgeSeconds(int value) {
            this.corsMaxAgeSeconds = value;
            return this;
        }

        public Builder uploadRoleExtraTrustedPrincipals(List<String> value) {
            this.uploadRoleExtraTrustedPrincipals = List.copyOf(value);
            return this;
        }

        public Builder externalOidc(Optional<ExternalOidc> value) {
            this.externalOidc = value;
            return this;
        }

        public Builder signInScopes(String value) {
            this.signInScopes = value;
            return this;
        }

        public Builder cognitoDomainPrefix(Optional<String> value) {
            this.cognitoDomainPrefix = value;
            return this;
        }

        public Builder cognitoMfa(CognitoMfa value) {
            this.cognitoMfa = value;
            return this;
        }

        public Builder apiThrottlingRateLimit(int value) {
            this.apiThrottlingRateLimit = value;
            return this;
        }

        public Builder apiThrottlingBurstLimit(int value) {
            this.apiThrottlingBurstLimit = value;
            return this;
        }

        public Builder logRetentionDays(int value) {
            this.logRetentionDays = value;
            return this;
        }

        public Builder lambdaMemorySize(int value) {
            this.lambdaMemorySize = value;
            return this;
        }

        public Builder lambdaTimeoutSeconds(int value) {
            this.lambdaTimeoutSeconds = value;
            return this;
        }

        public Builder stsTimeoutMillis(int value) {
            this.stsTimeoutMillis = value;
            return this;
        }

        public Builder webPriceClass(String value) {
            this.webPriceClass = value;
            return this;
        }

        public Builder uploadConcurrency(int value) {
            this.uploadConcurrency = value;
            return this;
        }

        public Builder auditTrail(AuditTrail value) {
            this.auditTrail = value;
            return this;
        }

        public Builder auditLogRetentionDays(int value) {
            this.auditLogRetentionDays = value;
            return this;
        }

        public Builder alarms(Alarms value) {
            this.alarms = value;
            return this;
        }

        public Builder alarmEmail(Optional<String> value) {
            this.alarmEmail = value;
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

        public Builder rejectedObjects(RejectedObjects value) {
            this.rejectedObjects = value;
            return this;
        }

        public Builder transferAcceleration(boolean value) {
            this.transferAcceleration = value;
            return this;
        }

        public AppConfig build() {
            return new AppConfig(stackPrefix, credentialDurationSeconds, maxUploadSizeBytes,
                    abortIncompleteUploadsAfterDays, uploadBucketEncryption, extraCorsOrigins, corsMaxAgeSeconds,
                    uploadRoleExtraTrustedPrincipals, externalOidc, signInScopes, cognitoDomainPrefix, cognitoMfa,
                    apiThrottlingRateLimit, apiThrottlingBurstLimit, logRetentionDays, lambdaMemorySize,
                    lambdaTimeoutSeconds, stsTimeoutMillis, webPriceClass, uploadConcurrency, auditTrail,
                    auditLogRetentionDays, alarms, alarmEmail, maxOpenUploadsPerUser, maxBytesPerUserPerDay,
                    grantMaxAgeSeconds != null ? grantMaxAgeSeconds : abortIncompleteUploadsAfterDays * SECONDS_PER_DAY,
                    rejectedObjects, transferAcceleration);
        }
    }
}
