package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.UploadApp;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code transferAcceleration=true}: the bucket's acceleration, the page's endpoint in config.json and both CSP
 * layers move to {@code <bucket>.s3-accelerate.amazonaws.com}; with the default nothing of it appears.
 */
class TransferAccelerationTest {
    private static final UploadApp.Stacks ON = TestApps.stacks(Map.of("transferAcceleration", true));
    private static final UploadApp.Stacks OFF = TestApps.defaultStacks();

    @Test
    void theUploadBucketIsAcceleratedOnlyWhenTheKeyIsOn() {
        Template on = TestApps.template(ON.storage());
        on.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Match.anyValue(),
                "AccelerateConfiguration", Map.of("AccelerationStatus", "Enabled"))));
        on.resourcePropertiesCountIs("AWS::S3::Bucket",
                Match.objectLike(Map.of("AccelerateConfiguration", Match.anyValue())), 1);
        TestApps.template(OFF.storage()).resourcePropertiesCountIs("AWS::S3::Bucket",
                Match.objectLike(Map.of("AccelerateConfiguration", Match.anyValue())), 0);
    }

    /** Acceleration refuses bucket names with dots; the name is CloudFormation's, from a dot-free stack name. */
    @Test
    void theAcceleratedBucketNameIsGeneratedSoItCanHoldNoDot() {
        Map<String, Object> bucket = uploadBucket(TestApps.template(ON.storage()));
        assertThat(bucket).doesNotContainKey("BucketName");
        assertThat(ON.storage().getStackName()).doesNotContain(".");
    }

    /** Browsers send the same Origin to the accelerate endpoint, and the bucket's one CORS rule answers there too. */
    @Test
    void theCorsRuleIsTheSameWithAndWithoutAcceleration() {
        assertThat(uploadBucket(TestApps.template(ON.storage())).get("CorsConfiguration"))
                .isEqualTo(uploadBucket(TestApps.template(OFF.storage())).get("CorsConfiguration"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void configJsonTellsThePageToUseTheAccelerateEndpointOnlyWhenOn() {
        assertThat((Map<String, Object>) ON.web().site().runtimeConfig().get("s3"))
                .isEqualTo(Map.of("transferAcceleration", true));
        assertThat(OFF.web().site().runtimeConfig()).doesNotContainKey("s3");
    }

    @Test
    void theHeaderCspAdmitsTheAccelerateFamilyInsteadOfTheRegionalOne() {
        assertThat(headerCsp(ON)).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; font-src 'self'; manifest-src 'self'; "
                + "connect-src 'self' https://*.execute-api.REGION.amazonaws.com https://*.s3-accelerate.amazonaws.com "
                + "https://cognito-idp.REGION.amazonaws.com https://*.auth.REGION.amazoncognito.com; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'; "
                + "upgrade-insecure-requests");
        assertThat(headerCsp(OFF)).contains(" https://*.s3.REGION.amazonaws.com ").doesNotContain("s3-accelerate");
    }

    @Test
    void theMetaCspNamesTheBucketsAccelerateHostAndNotItsRegionalOne() {
        String bucket = ON.storage().uploadBucket().bucket().getBucketName();
        List<String> signIn = ON.auth().orElseThrow().signInSettings().connectOrigins();
        assertThat(ON.web().site().contentSecurityPolicyMeta()).isEqualTo("connect-src 'self' " + ON.api().apiUrl()
                + " https://" + bucket + ".s3-accelerate.amazonaws.com " + String.join(" ", signIn));
        String offBucket = OFF.storage().uploadBucket().bucket().getBucketName();
        assertThat(OFF.web().site().contentSecurityPolicyMeta())
                .contains(" https://" + offBucket + ".s3.")
                .doesNotContain("s3-accelerate");
    }

    /** The upload role and its session policies name S3 actions, not endpoints: nothing in IAM changes. */
    @Test
    void noIamPolicyChanges() {
        Template on = TestApps.template(ON.api());
        Template off = TestApps.template(OFF.api());
        assertThat(on.findResources("AWS::IAM::Policy")).isEqualTo(off.findResources("AWS::IAM::Policy"));
        assertThat(on.findResources("AWS::IAM::Role")).isEqualTo(off.findResources("AWS::IAM::Role"));
        assertThat(TestApps.template(ON.storage()).findResources("AWS::S3::BucketPolicy"))
                .isEqualTo(TestApps.template(OFF.storage()).findResources("AWS::S3::BucketPolicy"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> uploadBucket(Template storage) {
        Map<String, Map<String, Object>> buckets = storage.findResources("AWS::S3::Bucket",
                Map.of("Properties", Match.objectLike(Map.of("CorsConfiguration", Match.anyValue()))));
        assertThat(buckets).hasSize(1);
        return (Map<String, Object>) buckets.values().iterator().next().get("Properties");
    }

    /** The page's response headers policy's CSP, with the deploy-time Region written as REGION. */
    @SuppressWarnings("unchecked")
    private static String headerCsp(UploadApp.Stacks stacks) {
        Map<String, Object> config = TestApps.responseHeadersFor(TestApps.template(stacks.hosting()), null);
        Map<String, Object> security = (Map<String, Object>) config.get("SecurityHeadersConfig");
        Map<String, Object> csp = (Map<String, Object>) security.get("ContentSecurityPolicy");
        Object value = csp.get("ContentSecurityPolicy");
        if (value instanceof String s) {
            return s;
        }
        List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) value).get("Fn::Join")).get(1);
        return parts.stream()
                .map(part -> part instanceof String s ? s
                        : Map.of("Ref", "AWS::Region").equals(part) ? "REGION" : "<" + part + ">")
                .collect(Collectors.joining());
    }
}
