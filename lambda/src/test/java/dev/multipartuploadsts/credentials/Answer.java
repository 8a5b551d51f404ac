package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A handler's payload 2.0 response to one event, with its body parsed. */
final class Answer {
    final int status;
    final Map<String, Object> headers;
    final String rawBody;
    final Map<String, Object> body;

    @SuppressWarnings("unchecked")
    private Answer(Map<String, Object> response) {
        assertThat(response).containsOnlyKeys("statusCode", "headers", "isBase64Encoded", "body")
                .containsEntry("isBase64Encoded", false);
        this.status = ((Long) response.get("statusCode")).intValue();
        this.headers = (Map<String, Object>) response.get("headers");
        this.rawBody = (String) response.get("body");
        this.body = JsonTree.object(rawBody);
    }

    /** Sends {@code event} through {@code handler}; {@code context} may be null, as in most tests. */
    static Answer of(RequestStreamHandler handler, String event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(Events.utf8(event)), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Answer(JsonTree.object(out.toString(StandardCharsets.UTF_8)));
    }
}
