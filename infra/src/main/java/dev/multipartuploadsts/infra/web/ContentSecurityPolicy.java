package dev.multipartuploadsts.infra.web;

import java.util.ArrayList;
import java.util.List;

/**
 * The page's Content-Security-Policy, in two layers that browsers enforce together (a request must pass both).
 *
 * <p>The header layer is set by CloudFront's response-headers policy. The hosting stack comes first (the bucket's
 * and the API's CORS rules need the page's origin), so when it is created the API id, the upload bucket name and
 * the Cognito domain do not exist yet: its connect-src can name only those endpoint families in the region. The
 * meta layer is written into {@code index.html} by the deployment stack, which comes last and knows the exact
 * endpoints, so the effective connect-src is exactly: self, the API, the upload bucket, the sign-in endpoints.
 */
public final class ContentSecurityPolicy {
    private ContentSecurityPolicy() { }

    /**
     * The full policy for the response header: strict everywhere, endpoint families only in connect-src. With
     * {@code transferAcceleration} the S3 family is the accelerate endpoint's instead of the regional one's: the page
     * then never calls the regional host, so the policy does not admit it.
     */
    public static String header(String region, boolean transferAcceleration, List<String> extraConnectOrigins) {
        List<String> connect = new ArrayList<>(List.of(
                "'self'",
                "https://*.execute-api." + region + ".amazonaws.com",
                S3Endpoint.family(region, transferAcceleration),
                "https://cognito-idp." + region + ".amazonaws.com",
                "https://*.auth." + region + ".amazoncognito.com"));
        connect.addAll(extraConnectOrigins);
        return String.join("; ",
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data:",
                "font-src 'self'",
                "manifest-src 'self'",
                "connect-src " + String.join(" ", connect),
                "frame-ancestors 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "object-src 'none'",
                "upgrade-insecure-requests");
    }

    /**
     * The policy of the CRC-32 worker's script response, which is the worker's own policy (a dedicated worker does
     * not inherit the page's). It allows what the worker does and nothing else: compile its WebAssembly CRC-32
     * ({@code 'wasm-unsafe-eval'}, which admits WebAssembly compilation only, not JavaScript's eval). The worker
     * loads no other script and fetches nothing (it reads the Blobs the page posts it), so {@code default-src 'none'}
     * leaves it no connection, import or other source.
     */
    public static String crc32Worker() {
        return "default-src 'none'; script-src 'wasm-unsafe-eval'";
    }

    /** The narrowing layer for the page's meta tag: connect-src listing the exact endpoints. */
    public static String meta(List<String> exactConnectOrigins) {
        List<String> connect = new ArrayList<>(List.of("'self'"));
        connect.addAll(exactConnectOrigins);
        return "connect-src " + String.join(" ", connect);
    }

    /**
     * Inserts the meta tag as the first child of {@code <head>}, before any script can run; fails when the page
     * has no head or already carries a CSP meta tag (two would make the intent unclear).
     */
    public static String injectMeta(String html, String policy) {
        if (html.toLowerCase(java.util.Locale.ROOT).contains("http-equiv=\"content-security-policy\"")) {
            throw new IllegalStateException("web/dist/index.html already has a Content-Security-Policy meta tag; "
                    + "the deployment writes that tag, so remove it from web/index.html");
        }
        int head = html.indexOf("<head>");
        if (head < 0) {
            throw new IllegalStateException("web/dist/index.html has no <head> element to put the "
                    + "Content-Security-Policy meta tag in");
        }
        int at = head + "<head>".length();
        String tag = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + policy.replace("\"", "&quot;") + "\">";
        return html.substring(0, at) + tag + html.substring(at);
    }
}
