package dev.multipartuploadsts.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Local mode's HTTP API: the routes, JWT authorizer and CORS rule of the Api stack's template in front of
 * the credentials handler, which it loads by the template's handler name from the Lambda's own jar.
 *
 * <p>Like API Gateway: CORS preflights are answered without reaching a route; an unknown route is a 404; a
 * JWT route without a valid bearer token is a 401 and the handler is never invoked; the handler gets a
 * payload 2.0 event with the verified claims and the query string (raw and as parameters), and its answer
 * becomes the HTTP response. Routes are matched by method and path, whatever the template declares. Like
 * Lambda: one handler instance, built once before the first request, runs one request at a time
 * ({@link ExecutionEnvironment}).
 *
 * <p>Usage: {@code java -cp local-api.jar:credentials-lambda.jar dev.multipartuploadsts.local.LocalApi SETTINGS.json}.
 * The handler reads its environment (UPLOAD_ROLE_ARN, ..., the execution role's keys) from this process's.
 */
public final class LocalApi {

    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final ApiSettings settings;
    private final ExecutionEnvironment function;
    private final Map<String, JwtAuthorizer> authorizers = new LinkedHashMap<>();
    private LocalServer server;

    LocalApi(ApiSettings settings, RequestStreamHandler handler) {
        this.settings = settings;
        this.function = new ExecutionEnvironment(handler, settings.functionName, settings.timeoutSeconds, settings.memorySize);
        for (ApiSettings.Route route : settings.routes) {
            if (route.needsJwt()) {
                authorizers.computeIfAbsent(route.issuer() + " " + route.audience(),
                        k -> JwtAuthorizer.discovering(route.issuer(), route.audience()));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalApi SETTINGS.json");
            System.exit(2);
        }
        ApiSettings settings = ApiSettings.read(Path.of(args[0]));
        LocalApi api = new LocalApi(settings, ExecutionEnvironment.loadHandler(settings.handler));
        api.start();
        api.server.stopOnExitAndAnnounce("local-api");
    }

    void start() throws IOException {
        server = LocalServer.start(settings.host, settings.port, 8, "/", this::serve);
    }

    int port() {
        return server.port();
    }

    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            exchange.getResponseHeaders().set("apigw-requestid", requestId);
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (method.equals("OPTIONS") && exchange.getRequestHeaders().containsKey("Access-Control-Request-Method")
                    && !settings.cors.allowOrigins().isEmpty()) {
                preflight(exchange, origin);
                return;
            }
            corsHeaders(exchange.getResponseHeaders(), origin);
            String path = exchange.getRequestURI().getRawPath();
            Optional<ApiSettings.Route> route = settings.routes.stream()
                    .filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst();
            if (route.isEmpty()) {
                send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            Map<String, Object> claims = null;
            if (route.get().needsJwt()) {
                Optional<String> token = bearer(exchange.getRequestHeaders());
                if (token.isEmpty()) {
                    log(requestId, route.get().routeKey(), 401, "no bearer token");
                    send(exchange, 401, Map.of("content-type", "application/json"), "{\"message\":\"Unauthorized\"}");
                    return;
                }
                try {
                    claims = authorizers.get(route.get().issuer() + " " + route.get().audience()).verify(token.get());
                } catch (JwtAuthorizer.Rejected e) {
                    log(requestId, route.get().routeKey(), 401, e.getMessage());
                    exchange.getResponseHeaders().set("www-authenticate",
                            "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + e.getMessage().replace('"', '\'') + "\"");
                    send(exchange, 401, Map.of("content-type", "application/json"), "{\"message\":\"Unauthorized\"}");
                    return;
                }
                if (!JwtAuthorizer.carriesOneOf(route.get().authorizationScopes(), claims)) {
                    log(requestId, route.get().routeKey(), 403, "the token carries none of the route's scopes "
                            + route.get().authorizationScopes());
                    send(exchange, 403, Map.of("content-type", "application/json"), "{\"message\":\"Forbidden\"}");
                    return;
                }
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            ApiEvents.Request request = new ApiEvents.Request(method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress(),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse(settings.host));
            ApiEvents.Answer answer = invoke(ApiEvents.event(request, route.get().routeKey(), claims, requestId, Instant.now()));
            log(requestId, route.get().routeKey(), answer.status(), null);
            send(exchange, answer.status(), answer.headers(), answer.body());
        } catch (RuntimeException | java.text.ParseException e) {
            System.err.println("local-api: request " + requestId + " failed: " + e);
            try {
                send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
            } catch (IOException ignored) {
                // The client has gone; nothing more to tell it.
            }
        }
    }

    private ApiEvents.Answer invoke(String event) throws java.text.ParseException {
        byte[] output;
        try {
            output = function.invoke(event.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // Lambda reports an unhandled error; API Gateway turns it into a bare 500.
            System.err.println("local-api: the handler failed: " + e);
            return new ApiEvents.Answer(500, Map.of("content-type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
        return ApiEvents.answer(output);
    }

    private void preflight(HttpExchange exchange, String origin) throws IOException {
        ApiSettings.Cors cors = settings.cors;
        Headers headers = exchange.getResponseHeaders();
        String requestMethod = exchange.getRequestHeaders().getFirst("Access-Control-Request-Method");
        String requestHeaders = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers")).orElse("");
        boolean headersAllowed = cors.allowHeaders().contains("*") || List.of(requestHeaders.split(",")).stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).allMatch(cors.allowHeaders()::contains);
        boolean methodAllowed = cors.allowMethods().contains("*") || cors.allowMethods().contains(requestMethod);
        if (cors.allows(origin) && headersAllowed && methodAllowed) {
            headers.set("access-control-allow-origin", cors.allowOrigins().contains("*") ? "*" : origin);
            headers.set("access-control-allow-methods", String.join(",", cors.allowMethods()));
            if (!cors.allowHeaders().isEmpty()) {
                headers.set("access-control-allow-headers", String.join(",", cors.allowHeaders()));
            }
            if (cors.maxAgeSeconds() != null) {
                headers.set("access-control-max-age", cors.maxAgeSeconds().toString());
            }
            if (cors.allowCredentials()) {
                headers.set("access-control-allow-credentials", "true");
            }
        }
        headers.set("vary", "origin");
        exchange.sendResponseHeaders(204, -1);
    }

    private void corsHeaders(Headers headers, String origin) {
        ApiSettings.Cors cors = settings.cors;
        if (!cors.allows(origin)) {
            return;
        }
        headers.set("access-control-allow-origin", cors.allowOrigins().contains("*") ? "*" : origin);
        if (!cors.exposeHeaders().isEmpty()) {
            headers.set("access-control-expose-headers", String.join(",", cors.exposeHeaders()));
        }
        if (cors.allowCredentials()) {
            headers.set("access-control-allow-credentials", "true");
        }
        headers.set("vary", "origin");
    }

    /** The identity source {@code $request.header.Authorization}, with or without the Bearer prefix. */
    private static Optional<String> bearer(Headers headers) {
        String value = headers.getFirst("Authorization");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        value = value.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> {
            // The CORS rule, not the integration, decides the CORS headers (as API Gateway does).
            if (!name.toLowerCase(Locale.ROOT).startsWith("access-control-")) {
                exchange.getResponseHeaders().set(name, value);
            }
        });
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** One JSON line per request on stderr: the API's access log (the handler logs on stdout). */
    private static void log(String requestId, String routeKey, int status, String rejected) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("localApi", "access");
        line.put("requestId", requestId);
        line.put("routeKey", routeKey);
        line.put("status", status);
        if (rejected != null) {
            line.put("authorizerError", rejected);
        }
        System.err.println(JSONObjectUtils.toJSONString(line));
    }
}
