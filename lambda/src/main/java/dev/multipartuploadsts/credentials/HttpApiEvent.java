package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) event this handler reads: {@code routeKey},
 * {@code body}, {@code isBase64Encoded}, {@code queryStringParameters}, {@code requestContext.requestId} and the JWT authorizer's
 * {@code requestContext.authorizer.jwt.claims.sub}. Everything else (headers included, so the bearer
 * token is never even held) is skipped while streaming.
 */
public final class HttpApiEvent {

    /** Largest request body accepted, in bytes after base64 decoding. Real bodies are a few hundred bytes. */
    public static final int MAX_BODY_BYTES = 4096;

    private final String routeKey;
    private final String requestId;
    private final String subject;
    private final String body;
    private final boolean base64Encoded;
    private final Map<String, String> query;

    private HttpApiEvent(String routeKey, String requestId, String subject, String body, boolean base64Encoded,
            Map<String, String> query) {
        this.routeKey = routeKey;
        this.requestId = requestId;
        this.subject = subject;
        this.body = body;
        this.base64Encoded = base64Encoded;
        this.query = query;
    }

    /**
     * Reads an event.
     *
     * @throws IOException if the input is not a JSON object (not a client error: API Gateway sends valid
     *     JSON, so this means the function is wired to something else)
     */
    public static HttpApiEvent read(InputStream in) throws IOException {
        try (JsonParser parser = Jackson.FACTORY.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the event is not a JSON object");
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "routeKey":
                        fields.routeKey = Json.stringOrNull(parser);
                        break;
                    case "body":
                        fields.body = Json.stringOrNull(parser);
                        break;
                    case "isBase64Encoded":
                        fields.base64Encoded = parser.currentToken() == JsonToken.VALUE_TRUE;
                        break;
                    case "queryStringParameters":
                        readQuery(parser, fields.query);
                        break;
                    case "requestContext":
                        readRequestContext(parser, fields);
                        break;
                    default:
                        parser.skipChildren();
                }
            }
            return new HttpApiEvent(fields.routeKey, fields.requestId, fields.subject, fields.body,
                    fields.base64Encoded, Map.copyOf(fields.query));
        }
    }

    /** {@code "POST /uploads"}, {@code "POST /uploads/refresh"}, ...; null if absent. */
    public String routeKey() {
        return routeKey;
    }

    /**
     * The query string's parameters as API Gateway decoded them (a repeated name's values joined by commas);
     * empty if none.
     */
    public Map<String, String> query() {
        return query;
    }

    /** API Gateway's request id; null if absent. */
    public String requestId() {
        return requestId;
    }

    /** The verified {@code sub} claim; null when the authorizer passed none. */
    public String subject() {
        return subject;
    }

    /**
     * The request body as UTF-8 bytes, base64-decoded if API Gateway encoded it.
     *
     * @throws ApiException 400 if it is missing, empty, over {@link #MAX_BODY_BYTES} or not valid base64
     */
    public byte[] bodyBytes() {
        if (body == null || body.isEmpty()) {
            throw ApiException.badRequest("malformed_json", "body must be a JSON object, but no body was given");
        }
        byte[] bytes;
        if (base64Encoded) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed_json",
                        "body is marked as base64-encoded, but it is not valid base64");
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiException.badRequest("body_too_large", "body must be at most " + MAX_BODY_BYTES
                    + " bytes, but " + bytes.length + " bytes were given");
        }
        return bytes;
    }

    /** Keeps the string values of the query parameters object; a value of another type is skipped. */
    private static void readQuery(JsonParser parser, Map<String, String> query) throws IOException {
        Json.readFields(parser, name -> {
            String value = Json.stringOrNull(parser);
            if (value != null) {
                query.put(name, value);
            }
        });
    }

    private static void readRequestContext(JsonParser parser, Fields fields) throws IOException {
        Json.readFields(parser, name -> {
            if (name.equals("requestId")) {
                fields.requestId = Json.stringOrNull(parser);
            } else if (name.equals("authorizer")) {
                fields.subject = readPath(parser, "jwt", "claims", "sub");
            } else {
                parser.skipChildren();
            }
        });
    }

    /** Follows nested object fields from the current START_OBJECT; the string at the end, or null. */
    private static String readPath(JsonParser parser, String... path) throws IOException {
        return readPath(parser, path, 0);
    }

    private static String readPath(JsonParser parser, String[] path, int depth) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String found = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (!name.equals(path[depth])) {
                parser.skipChildren();
            } else if (depth == path.length - 1) {
                found = Json.stringOrNull(parser);
            } else {
                found = readPath(parser, path, depth + 1);
            }
        }
        return found;
    }

    /** Mutable only while one event is being read. */
    private static final class Fields {
        String routeKey;
        String requestId;
        String subject;
        String body;
        boolean base64Encoded;
        final Map<String, String> query = new HashMap<>();
    }
}
