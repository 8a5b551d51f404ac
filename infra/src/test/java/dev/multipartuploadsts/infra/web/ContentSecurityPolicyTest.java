package dev.multipartuploadsts.infra.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentSecurityPolicyTest {
    @Test
    void headerAllowsOnlySelfForCodeAndOnlyRegionalAwsEndpointFamiliesForConnections() {
        String csp = ContentSecurityPolicy.header("eu-west-1", false, List.of());
        assertThat(csp).startsWith("default-src 'none'; script-src 'self'; style-src 'self';")
                .contains("connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com "
                        + "https://*.s3.eu-west-1.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com "
                        + "https://*.auth.eu-west-1.amazoncognito.com;")
                .contains("frame-ancestors 'none'")
                .contains("base-uri 'none'")
                .contains("object-src 'none'");
    }

    @Test
    void headerWithTransferAccelerationAdmitsTheAccelerateFamilyAndNoRegionalS3Host() {
        assertThat(ContentSecurityPolicy.header("eu-west-1", true, List.of()))
                .contains("connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com "
                        + "https://*.s3-accelerate.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com "
                        + "https://*.auth.eu-west-1.amazoncognito.com;")
                .doesNotContain(".s3.eu-west-1.");
    }

    /** Issue 14: WebAssembly may be compiled by the CRC-32 worker only, never by the page's own scripts. */
    @Test
    void thePageMayNotCompileWebAssemblyAndTheCrc32WorkerMayDoThatAndNothingElse() {
        assertThat(ContentSecurityPolicy.header("eu-west-1", false, List.of())).doesNotContain("wasm-unsafe-eval");
        assertThat(ContentSecurityPolicy.header("eu-west-1", true, List.of())).doesNotContain("wasm-unsafe-eval");
        assertThat(ContentSecurityPolicy.crc32Worker()).isEqualTo("default-src 'none'; script-src 'wasm-unsafe-eval'");
    }

    @Test
    void theBucketsOriginIsRegionalOrAccelerated() {
        assertThat(S3Endpoint.origin("uploads-1a2b", "ap-southeast-2", false))
                .isEqualTo("https://uploads-1a2b.s3.ap-southeast-2.amazonaws.com");
        assertThat(S3Endpoint.origin("uploads-1a2b", "ap-southeast-2", true))
                .isEqualTo("https://uploads-1a2b.s3-accelerate.amazonaws.com");
    }

    @Test
    void metaNarrowsConnectionsToTheExactEndpoints() {
        assertThat(ContentSecurityPolicy.meta(List.of("https://abc.execute-api.eu-west-1.amazonaws.com",
                "https://b.s3.eu-west-1.amazonaws.com")))
                .isEqualTo("connect-src 'self' https://abc.execute-api.eu-west-1.amazonaws.com "
                        + "https://b.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void metaTagGoesFirstInTheHeadBeforeAnyScript() {
        String html = "<!doctype html><html><head><script type=\"module\" src=\"/a.js\"></script></head></html>";
        assertThat(ContentSecurityPolicy.injectMeta(html, "connect-src 'self'"))
                .isEqualTo("<!doctype html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                        + "content=\"connect-src 'self'\"><script type=\"module\" src=\"/a.js\"></script></head></html>");
    }

    @Test
    void refusesAPageWithoutHeadOrWithItsOwnCspMetaTag() {
        assertThatThrownBy(() -> ContentSecurityPolicy.injectMeta("<html><body></body></html>", "x"))
                .hasMessageContaining("has no <head> element");
        assertThatThrownBy(() -> ContentSecurityPolicy.injectMeta(
                "<head><meta http-equiv=\"Content-Security-Policy\" content=\"x\"></head>", "y"))
                .hasMessageContaining("already has a Content-Security-Policy meta tag");
    }
}
