package dev.multipartuploadsts.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** API Gateway HTTP API payload 2.0 events, shaped as API Gateway sends them, for the handler tests. */
final class Events {

    static final String SUBJECT = "3f1e2b8a-9c4d-4e5f-8a7b-1c2d3e4f5a6b";
    static final String BEARER = "eyJraWQiOiJrMSJ9.eyJzdWIiOiIzZjFlIn0.c2lnbmF0dXJl";

    private Events() {
    }

    /** An authorized request with a JSON body. */
    static String post(String routeKey, String body) {
        return event(routeKey, quote(body), false, claims(SUBJECT));
    }

    /** An authorized request whose body API Gateway base64-encoded. */
    static String postBase64(String routeKey, byte[] body) {
        return event(routeKey, quote(Base64.getEncoder().encodeToString(body)), true, claims(SUBJECT));
    }

    /** A request by another subject. */
    static String postAs(String subject, String routeKey, String body) {
        return event(routeKey, quote(body), false, claims(subject));
    }

    /** A request without an authorizer section, as an unprotected route would send it. */
    static String postWithoutClaims(String routeKey, String body) {
        return event(routeKey, quote(body), false, null);
    }

    /** An authorized GET by {@code subject} with these query parameters and no body. */
    static String getAs(String subject, String routeKey, Map<String, String> query) {
        StringBuilder json = new StringBuilder("{");
        query.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append(quote(name)).append(':')
                .append(quote(value)));
        String event = event(routeKey, "null", false, claims(subject));
        return event.replace(",\"body\":null", ",\"queryStringParameters\":" + json.append('}') + ",\"body\":null");
    }

    static String event(String routeKey, String bodyJson, boolean base64, String authorizerJson) {
        String path = routeKey.contains(" ") ? routeKey.substring(routeKey.indexOf(' ') + 1) : "/";
        return "{\"version\":\"2.0\",\"routeKey\":" + quote(routeKey) + ",\"rawPath\":" + quote(path)
                + ",\"rawQueryString\":\"\",\"headers\":{\"authorization\":\"Bearer " + BEARER + "\","
                + "\"content-type\":\"application/json\",\"host\":\"abc123.execute-api.eu-west-1.amazonaws.com\"},"
                + "\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"abc123\","
                + (authorizerJson == null ? "" : "\"authorizer\":" + authorizerJson + ",")
                + "\"domainName\":\"abc123.execute-api.eu-west-1.amazonaws.com\","
                + "\"http\":{\"method\":\"POST\",\"path\":" + quote(path) + ",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"203.0.113.7\",\"userAgent\":\"test\"},"
                + "\"requestId\":\"req-1\",\"routeKey\":" + quote(routeKey) + ",\"stage\":\"$default\","
                + "\"time\":\"22/Nov/2026:07:00:00 +0000\",\"timeEpoch\":1795330800000},"
                + "\"body\":" + bodyJson + ",\"isBase64Encoded\":" + base64 + "}";
    }

    static String claims(String subject) {
        return "{\"jwt\":{\"claims\":{\"auth_time\":\"1795330000\",\"client_id\":\"abc\",\"exp\":\"1795334400\","
                + "\"iss\":\"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example\","
                + "\"scope\":\"openid email\",\"sub\":" + quote(subject) + ",\"token_use\":\"access\"},"
                + "\"scopes\":[\"openid\",\"email\"]}}";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
