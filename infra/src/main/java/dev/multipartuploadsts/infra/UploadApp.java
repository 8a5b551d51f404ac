package dev.multipartuploadsts.infra;

import dev.multipartuploadsts.infra.config.AppConfig;
import dev.multipartuploadsts.infra.constructs.CognitoSignIn;
import dev.multipartuploadsts.infra.constructs.CredentialsApi;
import dev.multipartuploadsts.infra.constructs.CredentialsFunction;
import dev.multipartuploadsts.infra.constructs.OpsMonitoring;
import dev.multipartuploadsts.infra.constructs.SignInSettings;
import dev.multipartuploadsts.infra.constructs.SiteDeployment;
import dev.multipartuploadsts.infra.constructs.StaticSite;
import dev.multipartuploadsts.infra.constructs.UploadBucket;
import dev.multipartuploadsts.infra.constructs.UploadVerifier;
import dev.multipartuploadsts.infra.stacks.ApiStack;
import dev.multipartuploadsts.infra.stacks.AuthStack;
import dev.multipartuploadsts.infra.stacks.HostingStack;
import dev.multipartuploadsts.infra.stacks.StorageStack;
import dev.multipartuploadsts.infra.stacks.VerificationStack;
import dev.multipartuploadsts.infra.stacks.WebDeploymentStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: six stacks wired one way, Hosting → Storage → Verification → Auth → Api → Web, each taking what it
 * needs from the stacks before it through its props. Stacks are environment-agnostic: they deploy to the account and region
 * of the credentials {@code cdk deploy} runs with.
 */
public final class UploadApp {
    /** The stacks of one synthesis, in deployment order. */
    public record Stacks(HostingStack hosting, StorageStack storage, VerificationStack verification,
            Optional<AuthStack> auth, ApiStack api, WebDeploymentStack web) {
        /** Every stack of the app, in deployment order. */
        public List<Stack> all() {
            List<Stack> all = new ArrayList<>(List.of(hosting, storage, verification));
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
        var verifierJar = paths.verifierJar();
        var webDist = paths.webDist();
        String prefix = config.stackPrefix();

        // An external issuer's discovery document is on its own origin; its token endpoint may be elsewhere.
        List<String> extraConnect = config.externalOidc().map(UploadApp::signInOrigins).orElse(List.of());
        HostingStack hosting = new HostingStack(app, prefix + "-Hosting",
                describe("Web page hosting: private bucket behind CloudFront with strict security headers"),
                StaticSite.Props.builder()
                        .priceClass(config.webPriceClass())
                        .logRetentionDays(config.logRetentionDays())
                        .extraConnectOrigins(extraConnect)
                        .transferAcceleration(config.transferAcceleration())
                        .build());

        List<String> corsOrigins = new ArrayList<>();
        corsOrigins.add(hosting.pageOrigin());
        corsOrigins.addAll(config.extraCorsOrigins());

        StorageStack storage = new StorageStack(app, prefix + "-Storage",
                describe("The private upload bucket (retained on delete), its access logs and its audit trail"),
                StorageStack.Props.builder()
                        .uploads(UploadBucket.Props.builder()
                                .corsOrigins(corsOrigins)
                                .corsMaxAgeSeconds(config.corsMaxAgeSeconds())
                                .abortIncompleteUploadsAfterDays(config.abortIncompleteUploadsAfterDays())
                                .encryption(config.uploadBucketEncryption())
                                .transferAcceleration(config.transferAcceleration())
                                .build())
                        .logRetentionDays(config.logRetentionDays())
                        .auditTrailName(config.auditTrail() == AppConfig.AuditTrail.CREATE
                                ? Optional.of(prefix + "-upload-writes") : Optional.empty())
                        .auditLogRetentionDays(config.auditLogRetentionDays())
                        .uploadRequestMetrics(config.alarms() == AppConfig.Alarms.CREATE)
                        .build());

        VerificationStack verification = new VerificationStack(app, prefix + "-Verification",
                describe("Upload verification: the bucket's Object Created events, queue and dead-letter queue, the "
                        + "verifier Lambda and the app's event bus"),
                new VerificationStack.Props(UploadVerifier.Props.builder()
                        .jar(verifierJar)
                        .uploadBucket(storage.uploadBucket())
                        .ledger(storage.ledger())
                        .appBusName(prefix + "-uploads")
                        .rejectedObjects(config.rejectedObjects())
                        .logRetentionDays(config.logRetentionDays())
                        .build()));

        Optional<AuthStack> auth = config.externalOidc().isPresent() ? Optional.empty()
                : Optional.of(new AuthStack(app, prefix + "-Auth",
                        describe("Cognito user pool and hosted sign-in for the upload page"),
                        CognitoSignIn.Props.builder()
                                .pageOrigins(corsOrigins)
                                .scopes(config.signInScopes())
                                .domainPrefix(config.cognitoDomainPrefixIn(Aws.ACCOUNT_ID))
                                .mfa(config.cognitoMfa())
                                .build()));
        SignInSettings signIn = auth.map(AuthStack::signInSettings).orElseGet(() -> {
            AppConfig.ExternalOidc oidc = config.externalOidc().orElseThrow();
            return SignInSettings.builder()
                    .issuer(oidc.issuer())
                    .audience(oidc.audience())
                    .clientId(oidc.clientId())
                    .signInScopes(config.signInScopes())
                    .apiScope(oidc.apiScope())
                    .connectOrigins(extraConnect)
                    .build();
        });

        ApiStack api = new ApiStack(app, prefix + "-Api",
                describe("Credentials API: JWT-protected HTTP API, the credentials Lambda and the upload role"),
                new ApiStack.Props(
                        CredentialsFunction.Props.builder()
                                .jar(lambdaJar)
                                .uploadBucket(storage.uploadBucket())
                                .credentialDurationSeconds(config.credentialDurationSeconds())
                                .maxUploadSizeBytes(config.maxUploadSizeBytes())
                                .extraTrustedPrincipalArns(config.uploadRoleExtraTrustedPrincipals())
                                .memorySize(config.lambdaMemorySize())
                                .timeoutSeconds(config.lambdaTimeoutSeconds())
                                .stsTimeoutMillis(config.stsTimeoutMillis())
                                .logRetentionDays(config.logRetentionDays())
                                .ledger(storage.ledger())
                                .maxOpenUploadsPerUser(config.maxOpenUploadsPerUser())
                                .maxBytesPerUserPerDay(config.maxBytesPerUserPerDay())
                                .grantMaxAgeSeconds(config.grantMaxAgeSeconds())
                                .abortIncompleteUploadsAfterDays(config.abortIncompleteUploadsAfterDays())
                                .build(),
                        CredentialsApi.Props.builder()
                                .signIn(signIn)
                                .corsOrigins(corsOrigins)
                                .corsMaxAgeSeconds(config.corsMaxAgeSeconds())
                                .rateLimit(config.apiThrottlingRateLimit())
                                .burstLimit(config.apiThrottlingBurstLimit())
                                .logRetentionDays(config.logRetentionDays())
                                .build(),
                        config.alarms() == AppConfig.Alarms.CREATE
                                ? Optional.of(new ApiStack.Monitoring(prefix + "/Uploads", config.alarmEmail(),
                                        Optional.of(OpsMonitoring.Verifier.of(verification.verifier()))))
                                : Optional.empty()));

        WebDeploymentStack web = new WebDeploymentStack(app, prefix + "-Web",
                describe("The page's files and runtime config, deployed into the hosting bucket"),
                SiteDeployment.Props.builder()
                        .webDist(webDist)
                        .siteBucket(hosting.siteBucket())
                        .distribution(hosting.distribution())
                        .apiUrl(api.apiUrl())
                        .uploadBucketName(storage.uploadBucket().bucket().getBucketName())
                        .signIn(signIn)
                        .uploadConcurrency(config.uploadConcurrency())
                        .transferAcceleration(config.transferAcceleration())
                        .build());

        // Dashboards are left untagged: cfn-lint 1.51's schema does not know their newer Tags property yet.
        Tags.of(app).add("project", "multipart-upload-sts", TagProps.builder()
                .excludeResourceTypes(List.of("AWS::CloudWatch::Dashboard")).build());
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(hosting, storage, verification, auth, api, web);
    }

    private static StackProps describe(String description) {
        return StackProps.builder().description(description).build();
    }

    /** The origins the page fetches from to sign in with an external issuer: its own and its token endpoint's. */
    private static List<String> signInOrigins(AppConfig.ExternalOidc oidc) {
        List<String> origins = new ArrayList<>(List.of(originOf(oidc.issuer())));
        oidc.tokenEndpointOrigin().ifPresent(origins::add);
        return origins;
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

}
