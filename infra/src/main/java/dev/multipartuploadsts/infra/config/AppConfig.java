package dev.multipartuploadsts.infra.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every deploy-time knob of the app, read from {@code cdk.json} context (or {@code cdk -c key=value}) and
 * validated before any construct is created. The defaults here are the documented defaults; a test keeps
 * {@code cdk.json} equal to them.
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
 * @param signInScopes                     OAuth scopes the page asks for; default {@code openid email profile}
 * @param cognitoDomainPrefix              hosted sign-in domain prefix; empty (default) derives one from the account id
 * @param cognitoMfa                       {@code REQUIRED} (default) or {@code OPTIONAL}: TOTP multi-factor sign-in
 * @param apiThrottlingRateLimit           steady requests per second for the whole API; 1-10000; default 10
 * @param apiThrottlingBurstLimit          burst requests for the whole API; 1-5000; default 20
 * @param logRetentionDays                 retention of Lambda and API logs; a CloudWatch Logs retention value; default 30
 * @param lambdaMemorySize                 credentials Lambda memory in MB; 128-10240; default 1024
 * @param lambdaTimeoutSeconds             credentials Lambda timeout; 1-29 (the HTTP API waits at most 30 s); default 10
 * @param webPriceClass                    CloudFront price class: {@code PriceClass_100} (default), {@code _200} or {@code _All}
 * @param uploadConcurrency                parts the page uploads in parallel; 1-16; default 4
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
        String webPriceClass,
        int uploadConcurrency) {

    /** S3's largest object: 5 TiB. */
    public static final long FIVE_TIB = 5L * 1024 * 1024 * 1024 * 1024;

    /** The retention values CloudWatch Logs accepts. */
    public static final List<Integer> LOG_RETENTION_VALUES = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** How the upload bucket encrypts objects at rest. */
    public enum BucketEncryption { S3_MANAGED, KMS }

    /** Whether Cognito asks every user for a TOTP code. */
    public enum CognitoMfa { REQUIRED, OPTIONAL }

    /** An OIDC issuer other than the Cognito pool this app would otherwise create. */
    public record ExternalOidc(String issuer, String audience, String clientId) { }

    /** Reads and validates every knob; {@code context} is typically {@code app.getNode()::tryGetContext}. */
    public static AppConfig fromContext(Function<String, Object> context) {
        ContextReader r = new ContextReader(context);
        String issuer = r.string("oidcIssuer", "");
        String audience = r.string("oidcAudience", "");
        String clientId = r.string("oidcClientId", "");
        Optional<ExternalOidc> externalOidc = externalOidc(issuer, audience, clientId);
        String domainPrefix = r.string("cognitoDomainPrefix", "");
        if (!domainPrefix.isEmpty()) {
            Validation.cognitoDomainPrefix("cognitoDomainPrefix", domainPrefix);
        }
        String stackPrefix = r.string("stackPrefix", "MultipartUploadSts");
        Validation.matches("stackPrefix", stackPrefix, "[A-Za-z][A-Za-z0-9-]{0,63}",
                "a letter followed by up to 63 letters, digits or hyphens");
        String scopes = r.string("signInScopes", "openid email profile");
        Validation.matches("signInScopes", scopes, "openid( [A-Za-z0-9_.:/-]+)*",
                "space-separated OAuth scopes starting with openid");
        int rate = r.integer("apiThrottlingRateLimit", 10, 1, 10_000);
        int burst = r.integer("apiThrottlingBurstLimit", 20, 1, 5_000);
        return new AppConfig(
                stackPrefix,
                r.integer("credentialDurationSeconds", 900, 900, 3600),
                r.longInteger("maxUploadSizeBytes", FIVE_TIB, 1, FIVE_TIB),
                r.integer("abortIncompleteUploadsAfterDays", 2, 1, 365),
                r.oneOf("uploadBucketEncryption", BucketEncryption.class, BucketEncryption.S3_MANAGED),
                r.stringList("extraCorsOrigins", "extraCorsOrigins", Validation::corsOrigin),
                r.integer("corsMaxAgeSeconds", 3600, 0, 86_400),
                r.stringList("uploadRoleExtraTrustedPrincipals", "uploadRoleExtraTrustedPrincipals",
                        Validation::iamPrincipalArn),
                externalOidc,
                scopes,
                domainPrefix.isEmpty() ? Optional.empty() : Optional.of(domainPrefix),
                r.oneOf("cognitoMfa", CognitoMfa.class, CognitoMfa.REQUIRED),
                rate,
                burst,
                r.integerIn("logRetentionDays", 30, LOG_RETENTION_VALUES),
                r.integer("lambdaMemorySize", 1024, 128, 10_240),
                r.integer("lambdaTimeoutSeconds", 10, 1, 29),
                r.stringIn("webPriceClass", "PriceClass_100", List.of("PriceClass_100", "PriceClass_200", "PriceClass_All")),
                r.integer("uploadConcurrency", 4, 1, 16));
    }

    private static Optional<ExternalOidc> externalOidc(String issuer, String audience, String clientId) {
        if (issuer.isEmpty()) {
            if (!audience.isEmpty() || !clientId.isEmpty()) {
                throw new InvalidConfigException("oidcAudience and oidcClientId apply only with oidcIssuer, "
                        + "but oidcIssuer is empty (which creates a Cognito user pool); set oidcIssuer or clear them");
            }
            return Optional.empty();
        }
        Validation.httpsUrl("oidcIssuer", issuer);
        if (audience.isEmpty()) {
            throw new InvalidConfigException("oidcAudience must be set when oidcIssuer is set (the API's JWT "
                    + "authorizer admits only tokens for that audience), but it is empty");
        }
        return Optional.of(new ExternalOidc(issuer, audience, clientId.isEmpty() ? audience : clientId));
    }
}
