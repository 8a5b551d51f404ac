package dev.multipartuploadsts.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** API Gateway's payload format 2.0: the event it sends a Lambda integration, and the answer it reads back. */
final class ApiEvents {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ApiEvents() {
    }

    /** The parts of an HTTP request the event carries. */
    record Request(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body,
            String sourceIp, String host) {
    }

    /** What the integration answered, as the HTTP response API Gateway derives from it. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * The event for {@code routeKey}; {@code claims} are the authorizer's verified claims or null. Like
     * API Gateway, claims are passed as strings, headers with lowercase names (repeated ones joined with
     * commas), and bodies that are not text base64-encoded.
     */
    static String event(Request request, String routeKey, Map<String, Object> claims, String requestId, Instant now) {
        Map<String, Object> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String contentType = String.valueOf(headers.getOrDefault("content-type", ""));
        boolean text = isText(contentType);

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", request.method());
        http.put("path", request.path());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "local");
        if (claims != null) {
            Map<String, Object> jwt = new LinkedHashMap<>();
            jwt.put("claims", claimStrings(claims));
            jwt.put("scopes", null);
            context.put("authorizer", Map.of("jwt", jwt));
        }
        context.put("domainName", request.host());
        context.put("domainPrefix", request.host().split("[.:]", 2)[0]);
        context.put("http", http);
        context.put("requestId", requestId);
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", request.path());
        event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());
        Map<String, String> parameters = queryParameters(request.rawQuery());
        if (!parameters.isEmpty()) {
            event.put("queryStringParameters", parameters);
        }
        event.put("headers", headers);
        event.put("requestContext", context);
        if (request.body().length > 0) {
            event.put("body", text ? new String(request.body(), StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(request.body()));
        }
        event.put("isBase64Encoded", request.body().length > 0 && !text);
        return JSONObjectUtils.toJSONString(event);
    }

    /** Reads a payload 2.0 answer; one without {@code statusCode} is a 200 whose body is the answer itself. */
    static Answer answer(byte[] output) throws ParseException {
        String json = new String(output, StandardCharsets.UTF_8);
        Map<String, Object> root;
        try {
            root = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            return new Answer(200, Map.of("content-type", "application/json"), output);
        }
        if (!root.containsKey("statusCode")) {
            return new Answer(200, Map.of("content-type", "application/json"), output);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Object> given = JSONObjectUtils.getJSONObject(root, "headers");
        if (given != null) {
            given.forEach((name, value) -> headers.put(name, String.valueOf(value)));
        }
        Object body = root.get("body");
        byte[] bytes = body == null ? new byte[0]
                : Boolean.TRUE.equals(root.get("isBase64Encoded")) ? Base64.getDecoder().decode((String) body)
                : ((String) body).getBytes(StandardCharsets.UTF_8);
        return new Answer(((Number) root.get("statusCode")).intValue(), headers, bytes);
    }

    /**
     * The query string as API Gateway hands it over: names and values percent-decoded, a repeated name's values
     * joined with commas in the order given, a name without {@code =} mapped to an empty value. A malformed
     * escape never gets here: the HTTP server answers 400 when it cannot parse the request URI.
     */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.merge(name, value, (first, next) -> first + "," + next);
        }
        return parameters;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded") || type.startsWith("application/javascript");
    }

    /** API Gateway hands claims to the integration as strings; arrays as "[a b]". */
    private static Map<String, Object> claimStrings(Map<String, Object> claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            String text;
            if (value instanceof List<?> list) {
                text = list.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]"));
            } else if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, ?> object = (Map<String, ?>) map;
                text = JSONObjectUtils.toJSONString(object);
            } else {
                text = String.valueOf(value);
            }
            out.put(name, text);
        });
        return out;
    }
}
