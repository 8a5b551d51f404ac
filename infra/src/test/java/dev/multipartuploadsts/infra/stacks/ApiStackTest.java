package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.UploadApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.IRole;

class ApiStackTest {
    private static final ApiStack STACK = TestApps.defaultStacks().api();
    private static final Template TEMPLATE = TestApps.template(STACK);

    /** The logical id CloudFormation knows {@code role} by, read from the construct the stack exposes. */
    private static String logicalId(ApiStack stack, IRole role) {
        CfnElement element = (CfnElement) role.getNode().getDefaultChild();
        return (String) stack.resolve(stack.getLogicalId(element));
    }

    private static String executionRole() {
        return logicalId(STACK, STACK.credentials().executionRole());
    }

    private static String uploadRole() {
        return logicalId(STACK, STACK.credentials().uploadRole());
    }

    /** The role's resource in {@code template}, failing when the template has no role by that logical id. */
    private static Map<String, Object> roleProperties(Template template, String logicalId) {
        Map<String, Map<String, Object>> role = template.findResources("AWS::IAM::Role", Map.of());
        assertThat(role).containsKey(logicalId);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) role.get(logicalId).get("Properties");
        return properties;
    }

    @Test
    void executionRoleIsTrustedByLambdaOnlyAndHasNoInlineOrManagedPolicies() {
        Map<String, Object> role = roleProperties(TEMPLATE, executionRole());
        assertThat(role.get("AssumeRolePolicyDocument")).isEqualTo(Map.of("Version", "2012-10-17",
                "Statement", List.of(Map.of("Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", Map.of("Service", "lambda.amazonaws.com")))));
        assertThat(role).doesNotContainKeys("Policies", "ManagedPolicyArns");
    }

    @Test
    void uploadRoleTrustNamesOnlyTheExecutionRoleWithSourceIdentity() {
        Map<String, Object> role = roleProperties(TEMPLATE, uploadRole());
        assertThat(role.get("MaxSessionDuration")).isEqualTo(3600);
        assertThat(role.get("AssumeRolePolicyDocument")).isEqualTo(Map.of("Version", "2012-10-17",
                "Statement", List.of(Map.of(
                        "Action", List.of("sts:AssumeRole", "sts:SetSourceIdentity"), "Effect", "Allow",
                        "Principal", Map.of("AWS", Map.of("Fn::GetAtt", List.of(executionRole(), "Arn")))))));
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
        // Assuming the upload role, writing logs, and the ledger (LedgerTableTest).
        assertThat(executionPolicies).hasSize(3);
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
                        "STS_TIMEOUT_MILLIS", "5000",
                        "UPLOAD_KMS_KEY_ARN", Match.absent()))))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")));
        TEMPLATE.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
    }

    @Test
    void everyRouteRequiresTheJwtAuthorizerAndInvokesTheLiveAlias() {
        Map<String, Map<String, Object>> routes = TEMPLATE.findResources("AWS::ApiGatewayV2::Route", Map.of());
        assertThat(routes.values()).extracting(r -> (Object) ((Map<?, ?>) r.get("Properties")).get("RouteKey"))
                .containsExactlyInAnyOrder("POST /uploads", "POST /uploads/refresh", "GET /uploads",
                        "POST /uploads/abort");
        Map<String, Map<String, Object>> authorizers = TEMPLATE.findResources("AWS::ApiGatewayV2::Authorizer", Map.of());
        assertThat(authorizers).hasSize(1);
        String authorizer = authorizers.keySet().iterator().next();
        for (String route : List.of("POST /uploads", "POST /uploads/refresh", "GET /uploads", "POST /uploads/abort")) {
            TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                    "RouteKey", route, "AuthorizationType", "JWT", "AuthorizerId", Map.of("Ref", authorizer),
                    // Issue 11, defect 4: an ID token carries no scope, so requiring one refuses it.
                    "AuthorizationScopes", List.of("multipart-upload-sts/upload"),
                    "Target", Match.anyValue())));
        }
        // One Lambda integration, the live alias's, behind every route.
        TEMPLATE.resourceCountIs("AWS::ApiGatewayV2::Integration", 1);
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
                        "AllowMethods", List.of("GET", "POST"),
                        "AllowHeaders", List.of("authorization", "content-type"),
                        "ExposeHeaders", List.of("retry-after"),
                        "MaxAge", 3600)))));
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "$default",
                "DefaultRouteSettings", Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 400, "ThrottlingBurstLimit", 1000)),
                "AccessLogSettings", Match.objectLike(Map.of(
                        "Format", Match.stringLikeRegexp(".*\\$context.requestId.*\\$context.authorizer.claims.sub.*"))))));
    }

    @Test
    void configuredOperatorsAreAddedToTheUploadRoleTrust() {
        ApiStack stack = TestApps.stacks(Map.of("uploadRoleExtraTrustedPrincipals",
                List.of("arn:aws:iam::123456789012:role/Operator"))).api();
        Map<String, Object> role = roleProperties(TestApps.template(stack),
                logicalId(stack, stack.credentials().uploadRole()));
        assertThat(role.get("AssumeRolePolicyDocument")).isEqualTo(Map.of("Version", "2012-10-17",
                "Statement", List.of(Map.of(
                        "Action", List.of("sts:AssumeRole", "sts:SetSourceIdentity"), "Effect", "Allow",
                        "Principal", Map.of("AWS", List.of("arn:aws:iam::123456789012:role/Operator",
                                Map.of("Fn::GetAtt", List.of(logicalId(stack, stack.credentials().executionRole()),
                                        "Arn"))))))));
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
    void anExternalIssuerReplacesTheCognitoStackInTheAuthorizerAndItsScopeGuardsEveryRoute() {
        UploadApp.Stacks stacks = TestApps.stacks(Map.of("oidcIssuer", "https://login.example.com",
                "oidcAudience", "uploads-api", "oidcApiScope", "uploads:write"));
        assertThat(stacks.auth()).isEmpty();
        Template template = TestApps.template(stacks.api());
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer",
                Match.objectLike(Map.of("JwtConfiguration", Map.of(
                        "Audience", List.of("uploads-api"), "Issuer", "https://login.example.com"))));
        assertThat(template.findResources("AWS::ApiGatewayV2::Route", Map.of("Properties", Match.objectLike(Map.of(
                "AuthorizationScopes", List.of("uploads:write")))))).hasSize(4);
    }

    @Test
    void aShorterFunctionTimeoutWithAFittingStsBudgetReachesTheFunction() {
        Template template = TestApps.template(TestApps.stacks(Map.of("lambdaTimeoutSeconds", 5,
                "stsTimeoutMillis", 3000)).api());
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Timeout", 5,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("STS_TIMEOUT_MILLIS", "3000"))))));
    }
}
