package dev.multipartuploadsts.infra;

import dev.multipartuploadsts.infra.config.AppConfig;
import dev.multipartuploadsts.infra.constructs.CognitoSignIn;
import dev.multipartuploadsts.infra.constructs.CredentialsFunction;
import dev.multipartuploadsts.infra.constructs.SignInSettings;
import dev.multipartuploadsts.infra.constructs.SiteDeployment;
import dev.multipartuploadsts.infra.constructs.StaticSite;
import dev.multipartuploadsts.infra.stacks.ApiStack;
import dev.multipartuploadsts.infra.stacks.AuthStack;
import dev.multipartuploadsts.infra.stacks.HostingStack;
import dev.multipartuploadsts.infra.stacks.StorageStack;
import dev.multipartuploadsts.infra.stacks.WebDeploymentStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: five stacks wired one way, Hosting → Storage → Auth → Api → Web, each taking what it needs from
 * the stacks before it through its props. Stacks are environment-agnostic: they deploy to the account and region
 * of the credentials {@code cdk deploy} runs with.
 */
public final class UploadApp {
    /** The stacks of one synthesis, in deployment order. */
    public record Stacks(HostingStack hosting, StorageStack storage, Optional<AuthStack> auth, ApiStack api,
            WebDeploymentStack web) {
        /** Every stack of the app, in deployment order. */
        public List<Stack> all() {
            List<Stack> all = new ArrayList<>(List.of(hosting, storage));
            auth.ifPresent(all::add);
            all.addAll(List.of(api, web));
            return all;
        }
    }

    private UploadApp() { }

    public static void main(String[] args) {
        App app = new App();
        build(app, ProjectPaths.locate());
        app.synth();
    }

    /** Validates the configuration, then creates every stack and the cdk-nag checks on {@code app}. */
    public static Stacks build(App app, ProjectPaths paths) {
        AppConfig config = AppConfig.fromContext(app.getNode()::tryGetContext);
        // Check the build outputs before creating anything, so a missing build fails with one clear message.
        var lambdaJar = paths.lambdaJar();
        var webDist = paths.webDist();
        String prefix = config.stackPrefix();
        String region = Aws.REGION;

        List<String> extraConnect = config.externalOidc().map(oidc -> List.of(originOf(oidc.issuer()))).orElse(List.of());
        HostingStack hosting = new HostingStack(app, prefix + "-Hosting",
                describe("Web page hosting: private bucket behind CloudFront with strict security headers"),
                new StaticSite.Props(config.webPriceClass(), config.logRetentionDays(), extraConnect));

        List<String> corsOrigins = new ArrayList<>();
        corsOrigins.add(hosting.pageOrigin());
        corsOrigins.addAll(config.extraCorsOrigins());

        StorageStack storage = new StorageStack(app, prefix + "-Storage",
                describe("The private upload bucket (retained on delete) and its access logs"),
                new StorageStack.Props(corsOrigins, config.corsMaxAgeSeconds(),
                        config.abortIncompleteUploadsAfterDays(),
                        config.uploadBucketEncryption() == AppConfig.BucketEncryption.KMS, config.logRetentionDays()));

        Optional<AuthStack> auth = config.externalOidc().isPresent() ? Optional.empty()
                : Optional.of(new AuthStack(app, prefix + "-Auth",
                        describe("Cognito user pool and hosted sign-in for the upload page"),
                        new CognitoSignIn.Props(corsOrigins, config.signInScopes(), config.cognitoDomainPrefix(),
                                config.cognitoMfa() == AppConfig.CognitoMfa.REQUIRED)));
        SignInSettings signIn = auth.map(AuthStack::signInSettings).orElseGet(() -> {
            AppConfig.ExternalOidc oidc = config.externalOidc().orElseThrow();
            return new SignInSettings(oidc.issuer(), oidc.audience(), oidc.clientId(), config.signInScopes(),
                    Optional.empty(), List.of(originOf(oidc.issuer())));
        });

        ApiStack api = new ApiStack(app, prefix + "-Api",
                describe("Credentials API: JWT-protected HTTP API, the credentials Lambda and the upload role"),
                new ApiStack.Props(
                        new CredentialsFunction.Props(lambdaJar, storage.uploadBucket(),
                                config.credentialDurationSeconds(), config.maxUploadSizeBytes(),
                                config.uploadRoleExtraTrustedPrincipals(), config.lambdaMemorySize(),
                                config.lambdaTimeoutSeconds(), config.logRetentionDays()),
                        signIn, corsOrigins, config.corsMaxAgeSeconds(), config.apiThrottlingRateLimit(),
                        config.apiThrottlingBurstLimit(), config.logRetentionDays()));

        String bucketName = storage.uploadBucket().bucket().getBucketName();
        WebDeploymentStack web = new WebDeploymentStack(app, prefix + "-Web",
                describe("The page's files and runtime config, deployed into the hosting bucket"),
                new SiteDeployment.Props(webDist, hosting.siteBucket(), hosting.distribution(),
                        SiteDeployment.runtimeConfig(region, api.apiUrl(), bucketName, signIn,
                                config.uploadConcurrency()),
                        SiteDeployment.exactConnectOrigins(region, api.apiUrl(), bucketName, signIn)));

        Tags.of(app).add("project", "multipart-upload-sts");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(hosting, storage, auth, api, web);
    }

    private static StackProps describe(String description) {
        return StackProps.builder().description(description).build();
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

}
