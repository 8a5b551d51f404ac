package dev.multipartuploadsts.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A queue's function in local mode: POST /invoke runs the body through the handler, as Lambda's Invoke does. */
class LocalFunctionTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private LocalFunction function;

    @BeforeEach
    void start() throws IOException {
        RequestStreamHandler handler = (input, output, context) -> {
            String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
            events.add(event);
            if (event.contains("fail")) {
                throw new IllegalStateException("the batch named fail");
            }
            output.write(("{\"function\":\"" + context.getFunctionName() + "\",\"memory\":" + context.getMemoryLimitInMB()
                    + ",\"timeLeft\":" + (context.getRemainingTimeInMillis() > 0) + "}").getBytes(StandardCharsets.UTF_8));
        };
        function = new LocalFunction(new ExecutionEnvironment(handler, "VerifierFunction", 60, 1024));
        function.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        function.stop();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder invoke() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + "/invoke"));
    }

    @Test
    void answersWithWhatTheHandlerWroteGivenTheBodyAsItsEventAndTheTemplatesNameAndMemory() throws Exception {
        HttpResponse<String> response = send(invoke().POST(HttpRequest.BodyPublishers.ofString("{\"Records\":[]}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"function\":\"VerifierFunction\",\"memory\":1024,\"timeLeft\":true}");
        assertThat(events).containsExactly("{\"Records\":[]}");
    }

    @Test
    void aHandlerThatThrowsIsLambdasFunctionErrorDocumentWithStatus500() throws Exception {
        HttpResponse<String> response = send(invoke().POST(HttpRequest.BodyPublishers.ofString("{\"fail\":true}")));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(JSONObjectUtils.parse(response.body()))
                .containsEntry("errorType", "java.lang.IllegalStateException")
                .containsEntry("errorMessage", "the batch named fail");
    }

    @Test
    void onlyPostInvokes() throws Exception {
        HttpResponse<String> response = send(invoke().GET());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(events).isEmpty();
    }
}
