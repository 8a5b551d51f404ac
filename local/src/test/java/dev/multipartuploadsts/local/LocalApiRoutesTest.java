package dev.multipartuploadsts.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local API serves whatever routes the settings (the template) declare, by method and path. */
class LocalApiRoutesTest {

    private static final String SETTINGS = "{\"host\":\"127.0.0.1\",\"port\":0,\"handler\":\"a.B::handleRequest\","
            + "\"functionName\":\"credentials\",\"timeoutSeconds\":10,\"memorySize\":1024,"
            + "\"routes\":[{\"routeKey\":\"POST /uploads\"},{\"routeKey\":\"GET /uploads\"},"
            + "{\"routeKey\":\"POST /uploads/abort\"}],"
            + "\"cors\":{\"AllowOrigins\":[\"http://page.test\"],\"AllowHeaders\":[\"authorization\"],"
            + "\"AllowMethods\":[\"GET\",\"POST\"]}}";

    /** Every event the handler was given, parsed. */
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private LocalApi api;

    @BeforeEach
    void start() throws IOException, ParseException {
        RequestStreamHandler echo = (input, output, context) -> {
            try {
                events.add(JSONObjectUtils.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (ParseException e) {
                throw new IOException(e);
            }
            output.write("{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{}\"}"
                    .getBytes(StandardCharsets.UTF_8));
        };
        api = new LocalApi(ApiSettings.parse(SETTINGS), echo);
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }

    @Test
    void aGetRouteWithAQueryStringReachesTheHandlerWithItsRouteKeyAndParameters() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/uploads?limit=5&cursor=abc%2Bdef")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(events).hasSize(1);
        Map<String, Object> event = events.get(0);
        assertThat(event.get("routeKey")).isEqualTo("GET /uploads");
        assertThat(event.get("rawPath")).isEqualTo("/uploads");
        assertThat(event.get("rawQueryString")).isEqualTo("limit=5&cursor=abc%2Bdef");
        assertThat(event.get("queryStringParameters")).isEqualTo(Map.of("limit", "5", "cursor", "abc+def"));
    }

    @Test
    void theSamePathWithAnotherMethodIsItsOwnRouteAndAnUndeclaredOneIsA404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/uploads/abort"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"k\"}"))
                .header("content-type", "application/json")).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/uploads")).POST(HttpRequest.BodyPublishers.ofString("{}")))
                .statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/uploads/abort")).GET()).statusCode()).isEqualTo(404);

        assertThat(events).extracting(e -> e.get("routeKey")).containsExactly("POST /uploads/abort", "POST /uploads");
    }

    @Test
    void aPreflightForGetIsAllowedFromThePagesOrigin() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://page.test")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("http://page.test");
        assertThat(response.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
        assertThat(events).isEmpty();
    }

    @Test
    void aMalformedQueryStringIsA400AndNeverReachesTheHandler() throws Exception {
        // java.net.URI refuses to build this request, so it goes over a plain socket.
        String response;
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(("GET /uploads?cursor=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(events).isEmpty();
    }
}
