package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.UploadApp;
import dev.multipartuploadsts.infra.constructs.StaticSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class HostingAndAuthStackTest {
    private static final Template HOSTING = TestApps.template(TestApps.defaultStacks().hosting());
    private static final Template AUTH = TestApps.template(TestApps.defaultStacks().auth().orElseThrow());

    @Test
    void pageBucketIsPrivateAndReadOnlyByCloudFrontThroughOriginAccessControl() {
        HOSTING.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        HOSTING.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "s3:GetObject",
                        "Principal", Map.of("Service", "cloudfront.amazonaws.com"),
                        "Condition", Map.of("StringEquals", Map.of("AWS:SourceArn", Match.anyValue())))))))))));
    }

    @Test
    void distributionServesHttpsOnlyWithTheSecurityHeadersPolicyAndLogs() {
        HOSTING.hasResourceProperties("AWS::CloudFront::Distribution", Match.objectLike(Map.of(
                "DistributionConfig", Match.objectLike(Map.of(
                        "DefaultRootObject", "index.html",
                        "Logging", Match.objectLike(Map.of("Prefix", "cloudfront/")),
                        "DefaultCacheBehavior", Match.objectLike(Map.of(
                                "ViewerProtocolPolicy", "redirect-to-https",
                                "ResponseHeadersPolicyId", Match.anyValue())))))));
    }

    @Test
    void securityHeadersForbidFramingAndPinHttpsAndAStrictContentSecurityPolicy() {
        String policy = TestApps.responseHeadersFor(HOSTING, null).toString();
        assertThat(policy)
                .contains("FrameOption=DENY")
                .contains("AccessControlMaxAgeSec=63072000")
                .contains("ReferrerPolicy=no-referrer")
                .contains("default-src 'none'")
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
    }

    /**
     * Issue 14: the CRC-32 worker compiles WebAssembly, which a CSP must allow with 'wasm-unsafe-eval'. Only the
     * worker's own script response carries that (a dedicated worker's CSP is its response's); the page's does not.
     */
    @Test
    void onlyTheCrc32WorkerMayCompileWebAssemblyAndItGetsTheSameOtherSecurityHeaders() {
        HOSTING.resourceCountIs("AWS::CloudFront::ResponseHeadersPolicy", 2);
        Map<String, Object> page = TestApps.responseHeadersFor(HOSTING, null);
        Map<String, Object> worker = TestApps.responseHeadersFor(HOSTING, StaticSite.CRC32_WORKER_PATH_PATTERN);
        assertThat(cspOf(page)).doesNotContain("wasm-unsafe-eval").doesNotContain("unsafe-eval");
        assertThat(cspOf(worker)).isEqualTo("default-src 'none'; script-src 'wasm-unsafe-eval'");
        assertThat(withoutCsp(worker)).isEqualTo(withoutCsp(page));
        HOSTING.hasResourceProperties("AWS::CloudFront::Distribution", Match.objectLike(Map.of(
                "DistributionConfig", Match.objectLike(Map.of(
                        "CacheBehaviors", List.of(Match.objectLike(Map.of(
                                "PathPattern", "assets/crc32-worker-*.js",
                                "ViewerProtocolPolicy", "redirect-to-https",
                                "AllowedMethods", List.of("GET", "HEAD"),
                                "Compress", true))))))));
    }

    /** The worker's behavior works only while vite names the built worker so that its path pattern matches it. */
    @Test
    void theCrc32WorkersPathPatternMatchesTheBuiltWorkerAndNoOtherFile() throws IOException {
        Path dist = TestApps.PATHS.webDist();
        Pattern pattern = Pattern.compile(Arrays.stream(StaticSite.CRC32_WORKER_PATH_PATTERN.split("\\*", -1))
                .map(Pattern::quote).collect(Collectors.joining(".*")));
        List<String> matching;
        List<String> compilingWasm;
        try (Stream<Path> files = Files.walk(dist)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            matching = all.stream().map(file -> dist.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> pattern.matcher(name).matches()).toList();
            compilingWasm = new ArrayList<>();
            for (Path file : all) {
                if (file.toString().endsWith(".js") && Files.readString(file).contains("WebAssembly.instantiate")) {
                    compilingWasm.add(dist.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
        assertThat(matching).as("files in web/dist matching %s", StaticSite.CRC32_WORKER_PATH_PATTERN).hasSize(1);
        assertThat(compilingWasm).as("the built files that compile WebAssembly").isEqualTo(matching);
    }

    @SuppressWarnings("unchecked")
    private static String cspOf(Map<String, Object> headersConfig) {
        Map<String, Object> security = (Map<String, Object>) headersConfig.get("SecurityHeadersConfig");
        Object csp = ((Map<String, Object>) security.get("ContentSecurityPolicy")).get("ContentSecurityPolicy");
        return csp.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutCsp(Map<String, Object> headersConfig) {
        Map<String, Object> copy = new HashMap<>(headersConfig);
        Map<String, Object> security = new HashMap<>((Map<String, Object>) copy.get("SecurityHeadersConfig"));
        security.remove("ContentSecurityPolicy");
        copy.put("SecurityHeadersConfig", security);
        copy.remove("Comment");
        copy.remove("Name");
        return copy;
    }

    @Test
    void userPoolAdmitsNoSelfSignUpAndRequiresAStrongPasswordAndTotp() {
        AUTH.hasResourceProperties("AWS::Cognito::UserPool", Match.objectLike(Map.of(
                "AdminCreateUserConfig", Match.objectLike(Map.of("AllowAdminCreateUserOnly", true)),
                "MfaConfiguration", "ON",
                "EnabledMfas", List.of("SOFTWARE_TOKEN_MFA"),
                "Policies", Match.objectLike(Map.of("PasswordPolicy", Match.objectLike(Map.of(
                        "MinimumLength", 12, "RequireSymbols", true, "RequireNumbers", true)))))));
        AUTH.hasResource("AWS::Cognito::UserPool", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void appClientIsPublicAndUsesTheCodeFlowWithThePageAsCallback() {
        AUTH.hasResourceProperties("AWS::Cognito::UserPoolClient", Match.objectLike(Map.of(
                "GenerateSecret", false,
                "AllowedOAuthFlows", List.of("code"),
                "AllowedOAuthFlowsUserPoolClient", true,
                // The resource server's Ref is its identifier; referencing it orders the client after the scope.
                "AllowedOAuthScopes", List.of("openid", "email", "profile", Map.of("Fn::Join", List.of("", List.of(
                        Map.of("Ref", Match.stringLikeRegexp("SignInUserPoolApiResourceServer.*")), "/upload")))),
                "CallbackURLs", List.of(Match.objectLike(Map.of("Fn::Join", Match.anyValue()))),
                "PreventUserExistenceErrors", "ENABLED",
                "SupportedIdentityProviders", List.of("COGNITO"))));
        AUTH.resourceCountIs("AWS::Cognito::UserPoolDomain", 1);
    }

    /** Issue 11, defect 4: the scope every API route requires, which only access tokens carry. */
    @Test
    void aResourceServerDefinesTheApiScopeTheClientMayAskFor() {
        AUTH.hasResourceProperties("AWS::Cognito::UserPoolResourceServer", Match.objectLike(Map.of(
                "Identifier", "multipart-upload-sts",
                "Scopes", List.of(Match.objectLike(Map.of("ScopeName", "upload"))))));
    }

    /** Issue 11, defect 7: Cognito domain prefixes are unique per region, so two stack prefixes need two. */
    @Test
    void theDefaultHostedDomainPrefixIsDerivedFromTheStackPrefixAndTheAccount() {
        AUTH.hasResourceProperties("AWS::Cognito::UserPoolDomain", Match.objectLike(Map.of(
                "Domain", Map.of("Fn::Join", List.of("", List.of("multipartuploadsts-", Map.of("Ref", "AWS::AccountId")))))));
        Template teamB = TestApps.template(TestApps.stacks(Map.of("stackPrefix", "TeamB-Uploads")).auth().orElseThrow());
        teamB.hasResourceProperties("AWS::Cognito::UserPoolDomain", Match.objectLike(Map.of(
                "Domain", Map.of("Fn::Join", List.of("", List.of("teamb-uploads-", Map.of("Ref", "AWS::AccountId")))))));
    }

    /** Issue 11, defect 6: Google's token endpoint lives on oauth2.googleapis.com, not on the issuer's origin. */
    @Test
    void theNamedTokenEndpointOriginIsAllowedInBothCspLayers() {
        UploadApp.Stacks google = TestApps.stacks(Map.of("oidcIssuer", "https://accounts.google.com",
                "oidcAudience", "client.apps.googleusercontent.com", "oidcApiScope", "uploads:write",
                "oidcTokenEndpointOrigin", "https://oauth2.googleapis.com"));
        String header = TestApps.template(google.hosting()).findResources("AWS::CloudFront::ResponseHeadersPolicy")
                .toString();
        assertThat(header).containsPattern("connect-src [^;]* https://accounts.google.com https://oauth2.googleapis.com;");
        assertThat(google.web().site().contentSecurityPolicyMeta())
                .endsWith(" https://accounts.google.com https://oauth2.googleapis.com");
        String withoutIt = TestApps.stacks(Map.of("oidcIssuer", "https://accounts.google.com",
                "oidcAudience", "client.apps.googleusercontent.com", "oidcApiScope", "uploads:write"))
                .web().site().contentSecurityPolicyMeta();
        assertThat(withoutIt).endsWith(" https://accounts.google.com").doesNotContain("googleapis");
    }

    @Test
    void optionalMfaIsAllowedWhenConfigured() {
        Template auth = TestApps.template(TestApps.stacks(Map.of("cognitoMfa", "OPTIONAL")).auth().orElseThrow());
        auth.hasResourceProperties("AWS::Cognito::UserPool", Match.objectLike(Map.of("MfaConfiguration", "OPTIONAL")));
    }
}
