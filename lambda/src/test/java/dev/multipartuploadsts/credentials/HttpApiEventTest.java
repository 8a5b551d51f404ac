package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class HttpApiEventTest {

    @Test
    void readsRouteRequestIdSubjectAndBodyFromAPayload2Event() throws IOException {
        HttpApiEvent event = read(Events.post("POST /uploads", "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(event.routeKey()).isEqualTo("POST /uploads");
        assertThat(event.requestId()).isEqualTo("req-1");
        assertThat(event.subject()).isEqualTo(Events.SUBJECT);
        assertThat(new String(event.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"fileName\":\"a\",\"size\":1}");
    }

    @Test
    void decodesABase64Body() throws IOException {
        HttpApiEvent event = read(Events.postBase64("POST /uploads", Events.utf8("{\"key\":\"k\"}")));

        assertThat(event.bodyBytes()).isEqualTo(Events.utf8("{\"key\":\"k\"}"));
    }

    @Test
    void takesTheSubjectOnlyFromTheJwtAuthorizerClaims() throws IOException {
        String lambdaAuthorizer = "{\"lambda\":{\"sub\":\"forged\"},\"jwt\":{\"scopes\":[],\"claims\":{\"iss\":\"x\"}}}";

        HttpApiEvent event = read(Events.event("POST /uploads", "\"{}\"", false, lambdaAuthorizer));

        assertThat(event.subject()).isNull();
    }

    @Test
    void ignoresASubInTheBodyOrHeaders() throws IOException {
        String event = Events.postWithoutClaims("POST /uploads", "{\"sub\":\"forged\"}")
                .replace("\"headers\":{", "\"headers\":{\"sub\":\"forged\",");

        assertThat(read(event).subject()).isNull();
    }

    @Test
    void toleratesFieldsOfUnexpectedTypesInPartsItDoesNotRead() throws IOException {
        String event = "{\"routeKey\":\"POST /uploads\",\"cookies\":[\"a=b\"],\"requestContext\":{\"authorizer\":"
                + "{\"jwt\":{\"claims\":{\"sub\":\"alice\",\"groups\":[\"x\",{\"y\":1}]}}},\"http\":null},"
                + "\"body\":\"{}\",\"extra\":{\"deep\":{\"er\":[1,2,3]}}}";

        HttpApiEvent parsed = read(event);

        assertThat(parsed.subject()).isEqualTo("alice");
        assertThat(parsed.routeKey()).isEqualTo("POST /uploads");
        assertThat(parsed.requestId()).isNull();
    }

    @Test
    void rejectsAnEventThatIsNotAJsonObject() {
        assertThatThrownBy(() -> read("[]")).isInstanceOf(IOException.class).hasMessage("the event is not a JSON object");
        assertThatThrownBy(() -> read("")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{\"routeKey\":")).isInstanceOf(IOException.class);
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() throws IOException {
        String body = "{\"k\":\"" + "x".repeat(HttpApiEvent.MAX_BODY_BYTES - 8) + "\"}";

        assertThat(read(Events.post("POST /uploads", body)).bodyBytes()).hasSize(HttpApiEvent.MAX_BODY_BYTES);
        HttpApiEvent over = read(Events.post("POST /uploads", body + " "));
        assertThatThrownBy(over::bodyBytes).isInstanceOf(ApiException.class)
                .hasMessage("body must be at most 4096 bytes, but 4097 bytes were given");
    }

    private static HttpApiEvent read(String json) throws IOException {
        return HttpApiEvent.read(new ByteArrayInputStream(Events.utf8(json)));
    }
}
