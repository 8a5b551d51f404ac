package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
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
                "AllowedOAuthScopes", List.of("openid", "email", "profile"),
                "CallbackURLs", List.of(Match.objectLike(Map.of("Fn::Join", Match.anyValue()))),
                "PreventUserExistenceErrors", "ENABLED",
                "SupportedIdentityProviders", List.of("COGNITO"))));
        AUTH.resourceCountIs("AWS::Cognito::UserPoolDomain", 1);
    }

    @Test
    void optionalMfaIsAllowedWhenConfigured() {
        Template auth = TestApps.template(TestApps.stacks(Map.of("cognitoMfa", "OPTIONAL")).auth().orElseThrow());
        auth.hasResourceProperties("AWS::Cognito::UserPool", Match.objectLike(Map.of("MfaConfiguration", "OPTIONAL")));
    }
}
