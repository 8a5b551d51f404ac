package dev.multipartuploadsts.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP server of a local stand-in (the API, a queue's function) on the host and port given (port 0 picks a
 * free one), with its own threads, which stop with it.
 */
final class LocalServer {

    private final String host;
    private final HttpServer server;
    private final ExecutorService executor;

    private LocalServer(String host, HttpServer server, ExecutorService executor) {
        this.host = host;
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code path} and everything below it with {@code handler}, on {@code threads} threads. */
    static LocalServer start(String host, int port, int threads, String path, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext(path, handler);
        server.start();
        return new LocalServer(host, server, executor);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * For a server that is its process's whole job: stops it when the JVM stops, then prints the line the
     * launcher (local/lib/stack.mjs) waits for, {@code NAME listening on http://HOST:PORT}.
     */
    void stopOnExitAndAnnounce(String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        System.out.println(name + " listening on http://" + host + ":" + port());
    }
}
