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
 * What the local API serves, as {@code local/provision.py} read it from the Api stack's template: the
 * routes with their JWT authorizers, the CORS configuration, and the function's handler and limits.
 */
public final class ApiSettings {

    /** One route of the HTTP API; {@code issuer} and {@code audience} are null for routes without JWT. */
    public record Route(String method, String path, String routeKey, String issuer, List<String> audience) {
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
        } catch (ParseException | ClassCastException | NullPointerException e) {
            throw new IOException(file + " is not a valid local API settings file: " + e, e);
        }
    }

    static ApiSettings parse(String json) throws ParseException {
        Map<String, Object> root = JSONObjectUtils.parse(json);
        List<Route> routes = new ArrayList<>();
        for (Object item : JSONObjectUtils.getJSONArray(root, "routes")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> route = (Map<String, Object>) item;
            String routeKey = JSONObjectUtils.getString(route, "routeKey");
            String[] parts = routeKey.split(" ", 2);
            Map<String, Object> authorizer = JSONObjectUtils.getJSONObject(route, "authorizer");
            routes.add(new Route(parts[0], parts[1], routeKey,
                    authorizer == null ? null : JSONObjectUtils.getString(authorizer, "issuer"),
                    authorizer == null ? null : strings(authorizer, "audience")));
        }
        Map<String, Object> cors = JSONObjectUtils.getJSONObject(root, "cors");
        Cors corsSettings = cors == null
                ? new Cors(List.of(), List.of(), List.of(), List.of(), null, false)
                : new Cors(strings(cors, "AllowOrigins"), lower(strings(cors, "AllowHeaders")),
                        strings(cors, "AllowMethods"), strings(cors, "ExposeHeaders"),
                        cors.get("MaxAge") == null ? null : ((Number) cors.get("MaxAge")).intValue(),
                        Boolean.TRUE.equals(cors.get("AllowCredentials")));
        return new ApiSettings(
                JSONObjectUtils.getString(root, "host"),
                ((Number) root.get("port")).intValue(),
                JSONObjectUtils.getString(root, "handler"),
                JSONObjectUtils.getString(root, "functionName"),
                ((Number) root.get("timeoutSeconds")).intValue(),
                ((Number) root.get("memorySize")).intValue(),
                List.copyOf(routes),
                corsSettings);
    }

    private static List<String> strings(Map<String, Object> object, String field) throws ParseException {
        String[] values = JSONObjectUtils.getStringArray(object, field);
        return values == null ? List.of() : List.of(values);
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
