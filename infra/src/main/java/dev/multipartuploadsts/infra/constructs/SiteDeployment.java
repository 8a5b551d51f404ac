package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.web.ContentSecurityPolicy;
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

    /**
     * @param webDist           the built page
     * @param siteBucket        the hosting stack's bucket
     * @param distribution      the hosting stack's distribution, invalidated after the upload
     * @param runtimeConfig     the content of config.json (may contain deploy-time tokens)
     * @param exactConnectOrigins the origins the page calls: API, upload bucket endpoint, sign-in endpoints
     */
    public record Props(
            Path webDist,
            IBucket siteBucket,
            IDistribution distribution,
            Map<String, Object> runtimeConfig,
            List<String> exactConnectOrigins) { }

    public SiteDeployment(Construct scope, String id, Props props) {
        super(scope, id);
        String html = readIndexHtml(props.webDist());

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
                        Source.data("index.html", ContentSecurityPolicy.injectMeta(html,
                                ContentSecurityPolicy.meta(props.exactConnectOrigins()))),
                        Source.jsonData(CONFIG_FILE, props.runtimeConfig())))
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

    private static String readIndexHtml(Path webDist) {
        try {
            return Files.readString(webDist.resolve("index.html"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + webDist.resolve("index.html"), e);
        }
    }

    /** The runtime config the page reads, in the shape {@code web/src/config.ts} validates. */
    public static Map<String, Object> runtimeConfig(String region, String apiUrl, String bucket, SignInSettings signIn,
            int uploadConcurrency) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("authority", signIn.issuer());
        auth.put("clientId", signIn.clientId());
        auth.put("scope", signIn.scopes());
        signIn.signOutUrl().ifPresent(url -> auth.put("signOutUrl", url));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("region", region);
        config.put("apiUrl", apiUrl);
        config.put("bucket", bucket);
        config.put("auth", auth);
        config.put("upload", Map.of("concurrency", uploadConcurrency));
        return config;
    }

    /** The exact origins the page connects to, for the meta CSP. */
    public static List<String> exactConnectOrigins(String region, String apiUrl, String bucket, SignInSettings signIn) {
        List<String> origins = new ArrayList<>();
        origins.add(apiUrl);
        origins.add("https://" + bucket + ".s3." + region + ".amazonaws.com");
        origins.addAll(signIn.connectOrigins());
        return origins;
    }
}
