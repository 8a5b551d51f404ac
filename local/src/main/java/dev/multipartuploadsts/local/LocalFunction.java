package dev.multipartuploadsts.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One Lambda function run locally for an event source (local mode's queue poller): the handler named in the
 * template, loaded from its jar as Lambda's Java runtime loads it, invoked once per {@code POST /invoke} with the
 * request body as the event. The answer is the handler's output (200), or, when the handler throws, Lambda's
 * function error document {@code {"errorType", "errorMessage"}} (500), which the poller treats as a failed batch.
 * One invocation at a time, as in one Lambda execution environment.
 *
 * <p>Usage: {@code LocalFunction HOST PORT HANDLER FUNCTION_NAME TIMEOUT_SECONDS MEMORY_MB}; it prints
 * {@code local-function listening on http://HOST:PORT} when ready.
 */
public final class LocalFunction {

    private final ExecutionEnvironment function;
    private LocalServer server;

    LocalFunction(ExecutionEnvironment function) {
        this.function = function;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LocalFunction HOST PORT HANDLER FUNCTION_NAME TIMEOUT_SECONDS MEMORY_MB");
            System.exit(2);
        }
        LocalFunction function = new LocalFunction(new ExecutionEnvironment(ExecutionEnvironment.loadHandler(args[2]),
                args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5])));
        function.start(args[0], Integer.parseInt(args[1]));
        function.server.stopOnExitAndAnnounce("local-function");
    }

    void start(String host, int port) throws IOException {
        // One thread: the poller sends one batch at a time, and the environment runs one invocation at a time anyway.
        server = LocalServer.start(host, port, 1, "/invoke", this::invoke);
    }

    int port() {
        return server.port();
    }

    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] event = exchange.getRequestBody().readAllBytes();
            int status;
            byte[] body;
            try {
                body = function.invoke(event);
                status = 200;
            } catch (IOException | RuntimeException e) {
                System.err.println("local-function " + function.functionName() + ": the handler failed: " + e);
                status = 500;
                body = JSONObjectUtils.toJSONString(Map.of("errorType", e.getClass().getName(),
                        "errorMessage", String.valueOf(e.getMessage()))).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }
}
