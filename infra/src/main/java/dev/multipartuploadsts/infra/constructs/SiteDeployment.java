package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import dev.multipartuploadsts.infra.web.ContentSecurityPolicy;
import dev.multipartuploadsts.infra.web.S3Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.cloudfront.IDistribution;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.CacheControl;
import software.amazon.awscdk.services.s3.deployment.Source;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Stack;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Puts the built page into the site bucket: first the content-hashed assets (cached for a year), then
 * {@code index.html} with the exact CSP meta tag and the runtime {@code config.json} (revalidated on every load),
 * then invalidates CloudFront. Nothing is pruned, so a browser still holding the previous {@code index.html} can
 * load its assets during and after a deploy.
 */
public final class SiteDeployment extends Construct {
    /** The runtime config's file name; the page fetches it at start-up. */
    public static final String CONFIG_FILE = "config.json";

    private final Map<String, Object> runtimeConfig;
    private final String contentSecurityPolicyMeta;

    /**
     * Props for {@link SiteDeployment}, built by name with {@link #builder()}.
     *
     * @param webDist           the built page; required
     * @param siteBucket        the hosting stack's bucket; required
     * @param distribution      the hosting stack's distribution, invalidated after the upload; required
     * @param apiUrl            the credentials API's URL, for config.json and the CSP; required
     * @param uploadBucketName  the upload bucket's name, for config.json and the CSP; required
     * @param signIn            the identity provider the page signs in with; required
     * @param uploadConcurrency parts the page uploads in parallel; default 4
     * @param transferAcceleration the page sends S3 requests to the bucket's accelerate endpoint (config.json
     *                          {@code s3.transferAcceleration}, and that host alone in the CSP); default false
     */
    public record Props(
            Path webDist,
            IBucket siteBucket,
            IDistribution distribution,
            String apiUrl,
            String uploadBucketName,
            SignInSettings signIn,
            int uploadConcurrency,
            boolean transferAcceleration) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private Path webDist;
            private IBucket siteBucket;
            private IDistribution distribution;
            private String apiUrl;
            private String uploadBucketName;
            private SignInSettings signIn;
            private int uploadConcurrency = AppConfig.DEFAULTS.uploadConcurrency();
            private boolean transferAcceleration = AppConfig.DEFAULTS.transferAcceleration();

            private Builder() { }

            public Builder webDist(Path value) {
                this.webDist = value;
                return this;
            }

            public Builder siteBucket(IBucket value) {
                this.siteBucket = value;
                return this;
            }

            public Builder distribution(IDistribution value) {
                this.distribution = value;
                return this;
            }

            public Builder apiUrl(String value) {
                this.apiUrl = value;
                return this;
            }

            public Builder uploadBucketName(String value) {
                this.uploadBucketName = value;
                return this;
            }

            public Builder signIn(SignInSettings value) {
                this.signIn = value;
                return this;
            }

            public Builder uploadConcurrency(int value) {
                this.uploadConcurrency = value;
                return this;
            }

            public Builder transferAcceleration(boolean value) {
                this.transferAcceleration = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("SiteDeployment.Props.webDist", webDist),
                        Required.prop("SiteDeployment.Props.siteBucket", siteBucket),
                        Required.prop("SiteDeployment.Props.distribution", distribution),
                        Required.prop("SiteDeployment.Props.apiUrl", apiUrl),
                        Required.prop("SiteDeployment.Props.uploadBucketName", uploadBucketName),
                        Required.prop("SiteDeployment.Props.signIn", signIn),
                        uploadConcurrency, transferAcceleration);
            }
        }
    }

    public SiteDeployment(Construct scope, String id, Props props) {
        super(scope, id);
        String html = readIndexHtml(props.webDist());
        String region = Stack.of(this).getRegion();
        this.runtimeConfig = runtimeConfig(region, props);
        this.contentSecurityPolicyMeta = ContentSecurityPolicy.meta(exactConnectOrigins(region, props));

        BucketDeployment assets = BucketDeployment.Builder.create(this, "Assets")
                .destinationBucket(props.siteBucket())
                .sources(List.of(Source.asset(props.webDist().toString(), AssetOptions.builder()
                        .exclude(List.of("index.html", CONFIG_FILE))
                        .build())))
                .cacheControl(List.of(CacheControl.fromString("public, max-age=31536000, immutable")))
                .prune(false)
                .memoryLimit(256)
                .build();

        BucketDeployment entry = BucketDeployment.Builder.create(this, "EntryPoint")
                .destinationBucket(props.siteBucket())
                .sources(List.of(
                        Source.data("index.html", ContentSecurityPolicy.injectMeta(html, contentSecurityPolicyMeta)),
                        Source.jsonData(CONFIG_FILE, runtimeConfig)))
                .cacheControl(List.of(CacheControl.noCache()))
                .prune(false)
                .memoryLimit(256)
                .distribution(props.distribution())
                .distributionPaths(List.of("/*"))
                .build();
        // The new index.html must never be served before the assets it names exist.
        entry.getNode().addDependency(assets);
        suppressBucketDeploymentFindings(props.siteBucket());
    }

    /**
     * BucketDeployment runs a CDK-owned singleton Lambda per stack (found by its id prefix) whose role and runtime
     * CDK chooses; these findings are about that code, not ours, and each is named exactly.
     */
    private void suppressBucketDeploymentFindings(IBucket siteBucket) {
        Object siteObjects = NagReferences.resourceArnWithSuffix(siteBucket, "/*");
        for (IConstruct child : Stack.of(this).getNode().getChildren()) {
            if (!child.getNode().getId().startsWith("Custom::CDKBucketDeployment")) {
                continue;
            }
            NagSuppressions.addResourceSuppressions(child, List.of(
                    NagPackSuppression.builder().id("AwsSolutions-IAM4")
                            .reason("CDK's BucketDeployment handler writes its logs through the AWS managed basic "
                                    + "execution policy; it runs only during deployments.")
                            .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                                    + "AWSLambdaBasicExecutionRole"))
                            .build(),
                    NagPackSuppression.builder().id("AwsSolutions-IAM5")
                            .reason("CDK's BucketDeployment handler copies the page from the CDK asset bucket into the "
                                    + "site bucket (object-level wildcards on those two buckets only) and invalidates "
                                    + "CloudFront, whose CreateInvalidation permission cannot name a distribution "
                                    + "before it exists in CDK's singleton role.")
                            .appliesTo(List.of("Action::s3:GetBucket*", "Action::s3:GetObject*", "Action::s3:List*",
                                    "Action::s3:Abort*", "Action::s3:DeleteObject*", "Resource::*", siteObjects,
                                    "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-"
                                            + "<AWS::Region>/*"))
                            .build(),
                    NagPackSuppression.builder().id("AwsSolutions-L1")
                            .reason("The BucketDeployment handler's runtime is chosen and upgraded by aws-cdk-lib, "
                                    + "not by this app; it runs only during deployments.")
                            .build()), true);
        }
    }

    /** What config.json holds (API URL and bucket as deploy-time tokens). */
    public Map<String, Object> runtimeConfig() {
        return runtimeConfig;
    }

    /** The CSP written into index.html's meta tag: connect-src with the exact endpoints the page calls. */
    public String contentSecurityPolicyMeta() {
        return contentSecurityPolicyMeta;
    }

    private static String readIndexHtml(Path webDist) {
        try {
            return Files.readString(webDist.resolve("index.html"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + webDist.resolve("index.html"), e);
        }
    }

    /** The runtime config the page reads, in the shape {@code web/src/config.ts} validates. */
    static Map<String, Object> runtimeConfig(String region, Props props) {
        SignInSettings signIn = props.signIn();
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("authority", signIn.issuer());
        auth.put("clientId", signIn.clientId());
        auth.put("scope", signIn.pageScopes());
        signIn.signOutUrl().ifPresent(url -> auth.put("signOutUrl", url));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("region", region);
        config.put("apiUrl", props.apiUrl());
        config.put("bucket", props.uploadBucketName());
        config.put("auth", auth);
        if (props.transferAcceleration()) {
            // Absent means the regional endpoint, so a deployment without acceleration writes the same file as before.
            config.put("s3", Map.of("transferAcceleration", true));
        }
        config.put("upload", Map.of("concurrency", props.uploadConcurrency()));
        return config;
    }

    /** The exact origins the page connects to, for the meta CSP. */
    static List<String> exactConnectOrigins(String region, Props props) {
        List<String> origins = new ArrayList<>();
        origins.add(props.apiUrl());
        origins.add(S3Endpoint.origin(props.uploadBucketName(), region, props.transferAcceleration()));
        origins.addAll(props.signIn().connectOrigins());
        return origins;
    }
}
