package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.UploadApp;
import java.util.List;
import java.util.Map;
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
        Map<String, Map<String, Object>> policies = HOSTING.findResources("AWS::CloudFront::ResponseHeadersPolicy");
        assertThat(policies).hasSize(1);
        String policy = policies.values().iterator().next().toString();
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
