package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import dev.multipartuploadsts.infra.web.ContentSecurityPolicy;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.IOrigin;
import software.amazon.awscdk.services.cloudfront.IDistribution;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeader;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.SecurityPolicyProtocol;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The page's home: a private bucket that only CloudFront can read (Origin Access Control), behind a distribution
 * that serves HTTPS only, with strict security headers on every answer.
 */
public final class StaticSite extends Construct {
    /**
     * The CRC-32 worker's file in the built page: vite names it after its source, web/src/platform/crc32-worker.ts,
     * as {@code assets/crc32-worker-<hash>.js}. A CloudFront path pattern ({@code *}: any characters). Its responses
     * carry {@link ContentSecurityPolicy#crc32Worker()}.
     */
    public static final String CRC32_WORKER_PATH_PATTERN = "assets/crc32-worker-*.js";

    /** Two years, the HSTS max-age browsers' preload lists expect. */
    private static final Duration HSTS_MAX_AGE = Duration.days(730);

    private final Bucket siteBucket;
    private final Distribution distribution;

    /**
     * Props for {@link StaticSite}, built by name with {@link #builder()}.
     *
     * @param priceClass          CloudFront price class: PriceClass_100, PriceClass_200 or PriceClass_All;
     *                            default PriceClass_100
     * @param logRetentionDays    days CloudFront access logs are kept; default 30
     * @param extraConnectOrigins origins the page may call beyond the AWS endpoint families, e.g. an external OIDC
     *                            issuer; default none
     * @param transferAcceleration whether the page sends its S3 requests to the accelerate endpoint, which the CSP
     *                            then admits instead of the regional one; default false
     */
    public record Props(String priceClass, int logRetentionDays, List<String> extraConnectOrigins,
            boolean transferAcceleration) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private String priceClass = AppConfig.DEFAULTS.webPriceClass();
            private int logRetentionDays = AppConfig.DEFAULTS.logRetentionDays();
            private List<String> extraConnectOrigins = List.of();
            private boolean transferAcceleration = AppConfig.DEFAULTS.transferAcceleration();

            private Builder() { }

            public Builder priceClass(String value) {
                this.priceClass = value;
                return this;
            }

            public Builder logRetentionDays(int value) {
                this.logRetentionDays = value;
                return this;
            }

            public Builder extraConnectOrigins(List<String> value) {
                this.extraConnectOrigins = List.copyOf(value);
                return this;
            }

            public Builder transferAcceleration(boolean value) {
                this.transferAcceleration = value;
                return this;
            }

            public Props build() {
                return new Props(priceClass, logRetentionDays, extraConnectOrigins, transferAcceleration);
            }
        }
    }

    public StaticSite(Construct scope, String id, Props props) {
        super(scope, id);
        // Web files are rebuilt from source on every deploy: nothing of value is lost when the stack goes.
        this.siteBucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(true)
                .build();
        LogsBucket logs = LogsBucket.forCloudFrontLogs(this, "AccessLogs", props.logRetentionDays());
        NagSuppressions.addResourceSuppressions(siteBucket, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("Only CloudFront reads this bucket (Origin Access Control); every viewer request is recorded "
                        + "in the distribution's access logs instead.")
                .build()));

        String region = Stack.of(this).getRegion();
        ResponseHeadersPolicy pageHeaders = securityHeaders("SecurityHeaders",
                "Strict CSP, HSTS, no framing, no sniffing, no referrer for the upload page",
                ContentSecurityPolicy.header(region, props.transferAcceleration(), props.extraConnectOrigins()));
        ResponseHeadersPolicy workerHeaders = securityHeaders("Crc32WorkerSecurityHeaders",
                "The upload page's headers, with a CSP that lets the CRC-32 worker compile its WebAssembly",
                ContentSecurityPolicy.crc32Worker());
        IOrigin origin = S3BucketOrigin.withOriginAccessControl(siteBucket);

        this.distribution = Distribution.Builder.create(this, "Distribution")
                .comment("multipart-upload-sts web page")
                .defaultRootObject("index.html")
                .defaultBehavior(behavior(origin, pageHeaders))
                // A worker's CSP is the one its own script response carries, not the page's: only this file may
                // compile WebAssembly, while the page keeps a policy without 'wasm-unsafe-eval'.
                .additionalBehaviors(Map.of(CRC32_WORKER_PATH_PATTERN, behavior(origin, workerHeaders)))
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .minimumProtocolVersion(SecurityPolicyProtocol.TLS_V1_2_2021)
                .priceClass(PriceClass.valueOf(priceClassEnumName(props.priceClass())))
                .enableLogging(true)
                .logBucket(logs.bucket())
                .logFilePrefix("cloudfront/")
                .build();
        NagSuppressions.addResourceSuppressions(distribution, List.of(
                NagPackSuppression.builder().id("AwsSolutions-CFR1")
                        .reason("Uploaders may sign in from any country; restricting by geography is a business "
                                + "decision left to the deployer, not a default.")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-CFR2")
                        .reason("The distribution serves only static files; uploads go straight to S3 and the API is "
                                + "throttled and JWT-protected, so a WAF would guard nothing of value here.")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-CFR4")
                        .reason("Without a custom domain CloudFront serves its default *.cloudfront.net certificate, "
                                + "whose security policy cannot be chosen; the minimum protocol applies with a custom "
                                + "certificate.")
                        .build()));
    }

    /** One way of serving the site's files (GET and HEAD over HTTPS, cached, compressed) with the given headers. */
    private static BehaviorOptions behavior(IOrigin origin, ResponseHeadersPolicy headers) {
        return BehaviorOptions.builder()
                .origin(origin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                .responseHeadersPolicy(headers)
                .compress(true)
                .build();
    }

    /** The security headers every file of the site gets (HSTS, no framing, no sniffing, no referrer), with {@code csp}. */
    private ResponseHeadersPolicy securityHeaders(String id, String comment, String csp) {
        return ResponseHeadersPolicy.Builder.create(this, id)
                .comment(comment)
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(csp)
                                .override(true)
                                .build())
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(HSTS_MAX_AGE)
                                .includeSubdomains(true)
                                .override(true)
                                .build())
                        .frameOptions(ResponseHeadersFrameOptions.builder()
                                .frameOption(HeadersFrameOption.DENY).override(true).build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                                .referrerPolicy(HeadersReferrerPolicy.NO_REFERRER).override(true).build())
                        .build())
                .customHeadersBehavior(ResponseCustomHeadersBehavior.builder()
                        .customHeaders(List.of(
                                ResponseCustomHeader.builder().header("Permissions-Policy")
                                        .value("camera=(), microphone=(), geolocation=(), payment=()")
                                        .override(true).build(),
                                ResponseCustomHeader.builder().header("Cross-Origin-Opener-Policy")
                                        .value("same-origin").override(true).build()))
                        .build())
                .build();
    }

    private static String priceClassEnumName(String contextName) {
        return switch (contextName) {
            case "PriceClass_100" -> "PRICE_CLASS_100";
            case "PriceClass_200" -> "PRICE_CLASS_200";
            case "PriceClass_All" -> "PRICE_CLASS_ALL";
            default -> throw new IllegalArgumentException("webPriceClass must be PriceClass_100, PriceClass_200 or "
                    + "PriceClass_All, but \"" + contextName + "\" was given");
        };
    }

    public IBucket siteBucket() {
        return siteBucket;
    }

    public IDistribution distribution() {
        return distribution;
    }

    /** The page's origin, {@code https://<distribution domain>}, as CORS rules and sign-in callbacks need it. */
    public String pageOrigin() {
        return "https://" + distribution.getDistributionDomainName();
    }
}
