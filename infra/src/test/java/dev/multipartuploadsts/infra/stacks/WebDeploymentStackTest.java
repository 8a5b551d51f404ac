package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class WebDeploymentStackTest {
    private static final Template WEB = TestApps.template(TestApps.defaultStacks().web());

    @Test
    void deploysAssetsThenTheEntryPointAndInvalidatesTheDistribution() {
        WEB.resourceCountIs("Custom::CDKBucketDeployment", 2);
        WEB.hasResourceProperties("Custom::CDKBucketDeployment", Match.objectLike(Map.of(
                "Prune", false,
                "SystemMetadata", Map.of("cache-control", "public, max-age=31536000, immutable"))));
        WEB.hasResource("Custom::CDKBucketDeployment", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of(
                        "DistributionPaths", List.of("/*"),
                        "SystemMetadata", Map.of("cache-control", "no-cache"))),
                "DependsOn", Match.anyValue())));
    }

    @Test
    void runtimeConfigAndCspCarryTheDeployTimeApiUrlBucketAndSignInSettings() {
        String entry = WEB.findResources("Custom::CDKBucketDeployment", Map.of("Properties",
                Match.objectLike(Map.of("DistributionPaths", List.of("/*"))))).toString();
        // The config file and the CSP are written at deploy time from these markers' values.
        assertThat(entry)
                .contains("SourceMarkers")
                .containsPattern("HttpApi[0-9A-F]{8}")
                .containsPattern("UploadsBucket[0-9A-F]{8}")
                .containsPattern("UserPoolClient|WebClient");
    }

    /** Issue 11, defect 4: the page must ask for the scope the API requires, or its access token is refused. */
    @Test
    @SuppressWarnings("unchecked")
    void thePageAsksForTheApiScopeBesidesTheSignInScopes() {
        Map<String, Object> auth = (Map<String, Object>) TestApps.defaultStacks().web().site().runtimeConfig().get("auth");
        assertThat(auth.get("scope")).isEqualTo("openid email profile multipart-upload-sts/upload");
    }
}
