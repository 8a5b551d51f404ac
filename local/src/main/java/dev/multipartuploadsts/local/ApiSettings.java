package dev.multipartuploadsts.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local API serves, as {@code local/lib/world.mjs} read it from the Api stack's template: the
 * routes with their JWT authorizers, the CORS configuration, and the function's handler and limits.
 */
public final class ApiSettings {

    /**
     * One route of the HTTP API; {@code issuer} and {@code audience} are null for routes without JWT, and
     * {@code authorizationScopes} (one of which a token must carry) is empty when the route requires none.
     */
    public record Route(String method, String path, String routeKey, String issuer, List<String> audience,
            List<String> authorizationScopes) {
        boolean needsJwt() {
            return issuer != null;
        }
    }

    /** The HTTP API's CorsConfiguration; empty lists when the API has none. */
    public record Cors(List<String> allowOrigins, List<String> allowHeaders, List<String> allowMethods,
            List<String> exposeHeaders, Integer maxAgeSeconds, boolean allowCredentials) {
        boolean allows(String origin) {
            return origin != null && (allowOrigins.contains("*") || allowOrigins.contains(origin));
        }
    }

    final String host;
    final int port;
    final String handler;
    final String functionName;
    final int timeoutSeconds;
    final int memorySize;
    final List<Route> routes;
    final Cors cors;

    private ApiSettings(String host, int port, String handler, String functionName, int timeoutSeconds, int memorySize,
            List<Route> routes, Cors cors) {
        this.host = host;
        this.port = port;
        this.handler = handler;
        this.functionName = functionName;
        this.timeoutSeconds = timeoutSeconds;
        this.memorySize = memorySize;
        this.routes = routes;
        this.cors = cors;
    }

    /** Reads the settings file the launcher writes (see local/lib/stack.mjs). */
    public static ApiSettings read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IOException(file + " is not a valid local API settings file: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the settings.
     *
     * @throws ParseException naming the first field that is missing or of the wrong type, what it must be and
     *     what was given
     */
    static ApiSettings parse(String json) throws ParseException {
        Map<String, Object> root = JSONObjectUtils.parse(json);
        String host = requiredString(root, "host", "host");
        int port = requiredInt(root, "port", "port");
        String handler = requiredString(root, "handler", "handler");
        String functionName = requiredString(root, "functionName", "functionName");
        int timeoutSeconds = requiredInt(root, "timeoutSeconds", "timeoutSeconds");
        int memorySize = requiredInt(root, "memorySize", "memorySize");
        List<Route> routes = new ArrayList<>();
        List<Object> items = JSONObjectUtils.getJSONArray(root, "routes");
        if (items == null) {
            throw missing("routes", "an array of routes");
        }
        for (int i = 0; i < items.size(); i++) {
            String where = "routes[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw wrongType(where, "an object", items.get(i));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> route = (Map<String, Object>) item;
            String routeKey = requiredString(route, "routeKey", where + ".routeKey");
            String[] parts = routeKey.split(" ", 2);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new ParseException(where + ".routeKey must be \"METHOD /path\", but " + routeKey
                        + " was given", 0);
            }
            Map<String, Object> authorizer = JSONObjectUtils.getJSONObject(route, "authorizer");
            routes.add(new Route(parts[0], parts[1], routeKey,
                    authorizer == null ? null : requiredString(authorizer, "issuer", where + ".authorizer.issuer"),
                    authorizer == null ? null : strings(authorizer, "audience"),
                    strings(route, "authorizationScopes")));
        }
        Map<String, Object> cors = JSONObjectUtils.getJSONObject(root, "cors");
        Cors corsSettings = cors == null
                ? new Cors(List.of(), List.of(), List.of(), List.of(), null, false)
                : new Cors(strings(cors, "AllowOrigins"), lower(strings(cors, "AllowHeaders")),
                        strings(cors, "AllowMethods"), strings(cors, "ExposeHeaders"),
                        optionalInt(cors, "MaxAge", "cors.MaxAge"),
                        optionalBoolean(cors, "AllowCredentials", "cors.AllowCredentials"));
        return new ApiSettings(host, port, handler, functionName, timeoutSeconds, memorySize, List.copyOf(routes),
                corsSettings);
    }

    private static String requiredString(Map<String, Object> object, String field, String where) throws ParseException {
        Object value = object.get(field);
        if (value == null) {
            throw missing(where, "a string");
        }
        if (!(value instanceof String text)) {
            throw wrongType(where, "a string", value);
        }
        return text;
    }

    private static int requiredInt(Map<String, Object> object, String field, String where) throws ParseException {
        Integer value = optionalInt(object, field, where);
        if (value == null) {
            throw missing(where, "a whole number");
        }
        return value;
    }

    private static Integer optionalInt(Map<String, Object> object, String field, String where) throws ParseException {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number) || number.doubleValue() != number.intValue()) {
            throw wrongType(where, "a whole number", value);
        }
        return number.intValue();
    }

    private static boolean optionalBoolean(Map<String, Object> object, String field, String where)
            throws ParseException {
        Object value = object.get(field);
        if (value != null && !(value instanceof Boolean)) {
            throw wrongType(where, "true or false", value);
        }
        return Boolean.TRUE.equals(value);
    }

    private static ParseException missing(String where, String allowed) {
        return new ParseException(where + " is required: " + allowed, 0);
    }

    private static ParseException wrongType(String where, String allowed, Object given) {
        return new ParseException(where + " must be " + allowed + ", but " + given + " was given", 0);
    }

    private static List<String> strings(Map<String, Object> object, String field) throws ParseException {
        String[] values = JSONObjectUtils.getStringArray(object, field);
        return values == null ? List.of() : List.of(values);
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
