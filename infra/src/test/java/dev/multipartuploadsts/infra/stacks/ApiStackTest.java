package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.UploadApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ApiStackTest {
    private static final Template TEMPLATE = TestApps.template(TestApps.defaultStacks().api());

    private static String roleLogicalId(String descriptionStart) {
        Map<String, Map<String, Object>> roles = TEMPLATE.findResources("AWS::IAM::Role", Map.of(
                "Properties", Map.of("Description", Match.stringLikeRegexp(descriptionStart + ".*"))));
        assertThat(roles).hasSize(1);
        return roles.keySet().iterator().next();
    }

    private static String executionRole() {
        return roleLogicalId("Runs the credentials Lambda");
    }

    private static String uploadRole() {
        return roleLogicalId("Assumed per upload");
    }

    @Test
    void executionRoleIsTrustedByLambdaOnlyAndHasNoInlineOrManagedPolicies() {
        TEMPLATE.hasResource("AWS::IAM::Role", Map.of("Properties", Match.objectLike(Map.of(
                "Description", Match.stringLikeRegexp("Runs the credentials Lambda.*"),
                "AssumeRolePolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", Map.of("Service", "lambda.amazonaws.com")))),
                "Policies", Match.absent(),
                "ManagedPolicyArns", Match.absent()))));
    }

    @Test
    void uploadRoleTrustNamesOnlyTheExecutionRoleWithSourceIdentity() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "Description", Match.stringLikeRegexp("Assumed per upload.*"),
                "MaxSessionDuration", 3600,
                "AssumeRolePolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", List.of("sts:AssumeRole", "sts:SetSourceIdentity"), "Effect", "Allow",
                        "Principal", Map.of("AWS", Map.of("Fn::GetAtt", List.of(executionRole(), "Arn")))))))));
    }

    @Test
    void grantsOnlyTheThreeMultipartActionsUnderUploadsPrefixToTheUploadRole() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", uploadRole())),
                "PolicyName", Match.anyValue(),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", List.of("s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:PutObject"),
                        "Effect", "Allow",
                        "Resource", Map.of("Fn::Join", List.of("", List.of(Match.anyValue(), "/uploads/*"))))))));
    }

    @Test
    void executionRoleMayAssumeTheUploadRoleThroughASeparatePolicyAndHasNoS3Access() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", executionRole())),
                "PolicyName", Match.anyValue(),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", List.of("sts:AssumeRole", "sts:SetSourceIdentity"), "Effect", "Allow",
                        "Resource", Map.of("Fn::GetAtt", List.of(uploadRole(), "Arn")))))));
        Map<String, Map<String, Object>> executionPolicies = TEMPLATE.findResources("AWS::IAM::Policy",
                Map.of("Properties", Match.objectLike(Map.of("Roles", List.of(Map.of("Ref", executionRole()))))));
        assertThat(executionPolicies).hasSize(2);
        assertThat(executionPolicies.toString()).doesNotContain("s3:").doesNotContain("kms:");
    }

    @Test
    void functionRunsJava21OnArmWithSnapStartAndTheUploadSettingsInItsEnvironment() {
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "Handler", "dev.multipartuploadsts.credentials.CredentialsHandler::handleRequest",
                "MemorySize", 1024,
                "Timeout", 10,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Role", Map.of("Fn::GetAtt", List.of(executionRole(), "Arn")),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "UPLOAD_ROLE_ARN", Map.of("Fn::GetAtt", List.of(uploadRole(), "Arn")),
                        "UPLOAD_BUCKET_NAME", Match.anyValue(),
                        "CREDENTIAL_DURATION_SECONDS", "900",
                        "MAX_UPLOAD_SIZE_BYTES", "5497558138880",
                        "UPLOAD_KMS_KEY_ARN", Match.absent()))))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")));
        TEMPLATE.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
    }

    @Test
    void everyRouteRequiresTheJwtAuthorizerAndInvokesTheLiveAlias() {
        TEMPLATE.resourceCountIs("AWS::ApiGatewayV2::Route", 2);
        for (String route : List.of("POST /uploads", "POST /uploads/refresh")) {
            TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                    "RouteKey", route, "AuthorizationType", "JWT", "AuthorizerId", Match.anyValue())));
        }
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Match.objectLike(Map.of(
                "AuthorizerType", "JWT",
                "IdentitySource", List.of("$request.header.Authorization"),
                "JwtConfiguration", Map.of("Audience", List.of(Match.anyValue()), "Issuer", Match.anyValue()))));
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Integration", Match.objectLike(Map.of(
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("CredentialsLiveAlias.*")),
                "PayloadFormatVersion", "2.0")));
    }

    @Test
    void corsAllowsOnlyThePageOriginAndStageIsThrottledAndLogged() {
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of(
                "CorsConfiguration", Match.objectLike(Map.of(
                        "AllowOrigins", List.of(Match.anyValue()),
                        "AllowMethods", List.of("POST"),
                        "AllowHeaders", List.of("authorization", "content-type"),
                        "ExposeHeaders", List.of("retry-after"),
                        "MaxAge", 3600)))));
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "$default",
                "DefaultRouteSettings", Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 10, "ThrottlingBurstLimit", 20)),
                "AccessLogSettings", Match.objectLike(Map.of(
                        "Format", Match.stringLikeRegexp(".*\\$context.requestId.*\\$context.authorizer.claims.sub.*"))))));
    }

    @Test
    void configuredOperatorsAreAddedToTheUploadRoleTrust() {
        Template template = TestApps.template(TestApps.stacks(Map.of("uploadRoleExtraTrustedPrincipals",
                List.of("arn:aws:iam::123456789012:role/Operator"))).api());
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "Description", Match.stringLikeRegexp("Assumed per upload.*"),
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Principal", Map.of("AWS", Match.arrayWith(List.of(
                                "arn:aws:iam::123456789012:role/Operator"))))))))))));
    }

    @Test
    void kmsEncryptionGivesTheUploadRoleKeyAccessThroughS3OnlyAndTellsTheLambdaTheKey() {
        Template template = TestApps.template(TestApps.stacks(Map.of("uploadBucketEncryption", "KMS")).api());
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey"),
                        "Condition", Map.of("StringEquals", Map.of("kms:ViaService", Match.anyValue())))))))))));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of("UPLOAD_KMS_KEY_ARN", Match.anyValue()))))));
    }

    @Test
    void anExternalIssuerReplacesTheCognitoStackInTheAuthorizer() {
        UploadApp.Stacks stacks = TestApps.stacks(Map.of("oidcIssuer", "https://login.example.com",
                "oidcAudience", "uploads-api"));
        assertThat(stacks.auth()).isEmpty();
        TestApps.template(stacks.api()).hasResourceProperties("AWS::ApiGatewayV2::Authorizer",
                Match.objectLike(Map.of("JwtConfiguration", Map.of(
                        "Audience", List.of("uploads-api"), "Issuer", "https://login.example.com"))));
    }
}
