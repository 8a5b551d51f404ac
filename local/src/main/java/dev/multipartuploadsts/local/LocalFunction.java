package dev.multipartuploadsts.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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

    private final RequestStreamHandler handler;
    private final String functionName;
    private final int timeoutSeconds;
    private final int memorySize;
    private HttpServer server;
    private ExecutorService executor;

    LocalFunction(RequestStreamHandler handler, String functionName, int timeoutSeconds, int memorySize) {
        this.handler = handler;
        this.functionName = functionName;
        this.timeoutSeconds = timeoutSeconds;
        this.memorySize = memorySize;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LocalFunction HOST PORT HANDLER FUNCTION_NAME TIMEOUT_SECONDS MEMORY_MB");
            System.exit(2);
        }
        LocalFunction function = new LocalFunction(LocalApi.loadHandler(args[2]), args[3],
                Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        function.start(args[0], Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(function::stop));
        // The launcher waits for this line.
        System.out.println("local-function listening on http://" + args[0] + ":" + function.port());
    }

    void start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        // One thread: one invocation at a time, as in one execution environment.
        executor = Executors.newSingleThreadExecutor();
        server.setExecutor(executor);
        server.createContext("/invoke", this::invoke);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] event = exchange.getRequestBody().readAllBytes();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int status;
            byte[] body;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                handler.handleRequest(new ByteArrayInputStream(event), output, new LocalContext(functionName, memorySize, deadline));
                status = 200;
                body = output.toByteArray();
            } catch (IOException | RuntimeException e) {
                System.err.println("local-function " + functionName + ": the handler failed: " + e);
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
